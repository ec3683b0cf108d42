import Database from 'better-sqlite3';
import { CLAIM_DUE_SQL } from '../../../electron/store/outbox';
import { NURSE, TODAY, patientInput, seed, testStore } from './helpers';

describe('outbox', () => {
  let t: ReturnType<typeof testStore>;
  let s: ReturnType<typeof seed>;
  beforeEach(() => {
    t = testStore();
    s = seed(t.store, { lot: { dosesOnHand: 100 } });
  });
  afterEach(() => t.done());

  const MAX_BACKOFF = 15 * 60_000;
  const ok = { code: 'AA', text: 'ok', messages: [], warning: false };
  const bad = { code: 'AE', text: 'rejected', messages: [{ severity: 'error' as const, text: 'Invalid lot' }] };
  const otherPatient = () => t.store.patients.create(patientInput({ mrn: 'MRN-2', lastName: 'Other' }), NURSE);

  it('claims in seq order, one open entry per patient, counting attempts', () => {
    const p2 = otherPatient();
    const a1 = t.store.doses.record(s.dose(), NURSE, TODAY).outbox;
    const a2 = t.store.doses.record(s.dose({ cvx: '08' }), NURSE, TODAY).outbox;
    const b1 = t.store.doses.record(s.dose({ patientId: p2.id }), NURSE, TODAY).outbox;

    const first = t.store.outbox.claimDue(t.clock.now(), 10, MAX_BACKOFF);
    expect(first.map((e) => e.seq)).toEqual([a1.seq, b1.seq]);
    expect(first.every((e) => e.state === 'sending' && e.attempts === 1)).toBe(true);
    // Nothing more while both patients have a message in flight.
    expect(t.store.outbox.claimDue(t.clock.now(), 10, MAX_BACKOFF)).toEqual([]);

    t.store.outbox.markAccepted(a1.seq, ok);
    expect(t.store.outbox.claimDue(t.clock.now(), 10, MAX_BACKOFF).map((e) => e.seq)).toEqual([a2.seq]);
  });

  it('respects the limit', () => {
    for (let i = 0; i < 3; i++) t.store.doses.record(s.dose({ patientId: t.store.patients.create(patientInput({ mrn: `L-${i}` }), NURSE).id }), NURSE, TODAY);
    expect(t.store.outbox.claimDue(t.clock.now(), 2, MAX_BACKOFF)).toHaveLength(2);
  });

  it("a rejected add blocks neither another patient nor the same patient's other doses", () => {
    const p2 = otherPatient();
    const { outbox: a1 } = t.store.doses.record(s.dose(), NURSE, TODAY);
    const [c1] = t.store.outbox.claimDue(t.clock.now(), 10, MAX_BACKOFF);
    t.store.outbox.markRejected(c1!.seq, bad);
    expect(t.store.outbox.get(a1.seq)).toMatchObject({ state: 'rejected', ackCode: 'AE', registryMessages: bad.messages });

    const b1 = t.store.doses.record(s.dose({ patientId: p2.id }), NURSE, TODAY).outbox;
    const a2 = t.store.doses.record(s.dose(), NURSE, TODAY).outbox;
    expect(t.store.outbox.claimDue(t.clock.now(), 10, MAX_BACKOFF).map((e) => e.seq)).toEqual([b1.seq, a2.seq]);

    expect(t.store.outbox.workQueue().map((e) => e.seq)).toEqual([a1.seq]);
    expect(t.store.outbox.stats()).toMatchObject({ rejected: 1, sending: 2 });
    expect(t.store.outbox.hasUnsent()).toBe(true);
  });

  it("an update held back by its dose's rejected add does not hold back the patient's other doses", () => {
    // The edit is queued while the add is still out; then the registry rejects the add.
    const { dose, outbox: add } = t.store.doses.record(s.dose(), NURSE, TODAY);
    t.store.outbox.claimDue(t.clock.now(), 10, MAX_BACKOFF);
    const upd = t.store.doses.edit(dose.id, s.dose({ site: 'RD' }), 1, NURSE, TODAY).outbox;
    expect(upd.action).toBe('U');
    t.store.outbox.markRejected(add.seq, bad);
    const later = t.store.doses.record(s.dose({ cvx: '08' }), NURSE, TODAY).outbox;
    const after = t.store.doses.record(s.dose({ administeredTime: '10:00' }), NURSE, TODAY).outbox;

    // The update waits for a person to fix the add; the patient's other doses go, in order.
    expect(t.store.outbox.claimDue(t.clock.now(), 10, MAX_BACKOFF).map((e) => e.seq)).toEqual([later.seq]);
    expect(t.store.outbox.claimDue(t.clock.now(), 10, MAX_BACKOFF)).toEqual([]);
    t.store.outbox.markAccepted(later.seq, ok);
    expect(t.store.outbox.claimDue(t.clock.now(), 10, MAX_BACKOFF).map((e) => e.seq)).toEqual([after.seq]);
    expect(t.store.outbox.get(upd.seq)?.state).toBe('pending');

    // A pending entry that is not held back by a rejection still holds the patient's later ones.
    t.store.outbox.markRetry(after.seq, new Date(t.clock.now().getTime() + 60_000), 'HTTP 503');
    const last = t.store.doses.record(s.dose({ administeredTime: '10:30' }), NURSE, TODAY).outbox;
    expect(t.store.outbox.claimDue(t.clock.now(), 10, MAX_BACKOFF)).toEqual([]);
    t.clock.advance(60_000);
    expect(t.store.outbox.claimDue(t.clock.now(), 10, MAX_BACKOFF).map((e) => e.seq)).toEqual([after.seq]);
    t.store.outbox.markAccepted(after.seq, ok);
    expect(t.store.outbox.claimDue(t.clock.now(), 10, MAX_BACKOFF).map((e) => e.seq)).toEqual([last.seq]);
  });

  it('B.5 #24: claims go by legal deadline (none last), then seq, keeping each patient in order', () => {
    const p2 = otherPatient();
    const p3 = t.store.patients.create(patientInput({ mrn: 'MRN-3', lastName: 'Third' }), NURSE);
    // An accepted dose of p3 whose edit (an update: no deadline of its own) comes first in seq.
    const { dose: edited, outbox: editedAdd } = t.store.doses.record(s.dose({ patientId: p3.id, administeredTime: '07:00' }), NURSE, TODAY);
    t.store.outbox.claimDue(t.clock.now(), 10, MAX_BACKOFF);
    t.store.outbox.markAccepted(editedAdd.seq, ok);
    const upd = t.store.doses.edit(edited.id, s.dose({ patientId: p3.id, administeredTime: '07:00', site: 'RD' }), 1, NURSE, TODAY).outbox;
    expect(upd.deadlineAt).toBeUndefined();

    const late = t.store.doses.record(s.dose({ administeredTime: '11:00' }), NURSE, TODAY).outbox;
    const early = t.store.doses.record(s.dose({ patientId: p2.id, administeredTime: '09:00' }), NURSE, TODAY).outbox;
    // p2's second dose has the most urgent deadline of all, but waits behind p2's first.
    const earliest = t.store.doses.record(s.dose({ patientId: p2.id, cvx: '08', administeredTime: '08:00' }), NURSE, TODAY).outbox;
    expect([early.deadlineAt, late.deadlineAt]).toEqual(['2026-11-28T14:00:00.000Z', '2026-11-28T16:00:00.000Z']);
    expect(earliest.deadlineAt! < early.deadlineAt!).toBe(true);

    expect(t.store.outbox.claimDue(t.clock.now(), 1, MAX_BACKOFF).map((e) => e.seq)).toEqual([early.seq]);
    expect(t.store.outbox.claimDue(t.clock.now(), 10, MAX_BACKOFF).map((e) => e.seq)).toEqual([late.seq, upd.seq]);
    t.store.outbox.markAccepted(early.seq, ok);
    expect(t.store.outbox.claimDue(t.clock.now(), 10, MAX_BACKOFF).map((e) => e.seq)).toEqual([earliest.seq]);
  });

  it('the claim query uses the indexes, not a scan of earlier rows', () => {
    const db = new Database(t.store.path, { readonly: true });
    try {
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${CLAIM_DUE_SQL}`).all({ now: '2026-01-01', cap: '2026-01-02', limit: 16 }) as { detail: string }[]).map((r) => r.detail);
      expect(plan).toContain('SCAN o USING INDEX outbox_due_by_deadline');
      expect(plan.some((d) => d.startsWith('SEARCH p USING INDEX outbox_open_by_patient'))).toBe(true);
      expect(plan.some((d) => d.includes('TEMP B-TREE'))).toBe(false);
    } finally {
      db.close();
    }
  });

  it('stores a batch of messages and a batch of outcomes, each in one transaction', () => {
    const p2 = otherPatient();
    const a = t.store.doses.record(s.dose(), NURSE, TODAY).outbox;
    const b = t.store.doses.record(s.dose({ patientId: p2.id }), NURSE, TODAY).outbox;
    t.store.outbox.claimDue(t.clock.now(), 10, MAX_BACKOFF);
    t.store.outbox.setMessage(a.seq, 'MSH|kept');
    expect(t.store.outbox.setMessages([{ seq: a.seq, text: 'MSH|a' }, { seq: b.seq, text: 'MSH|b' }]).map((e) => e.messageText)).toEqual(['MSH|kept', 'MSH|b']);
    expect(t.store.outbox.setMessages([])).toEqual([]);

    // All or nothing: an unknown seq in the batch leaves every entry as it was.
    expect(() => t.store.outbox.recordOutcomes([{ seq: a.seq, kind: 'accepted', ack: ok }, { seq: 999, kind: 'rejected', ack: bad }])).toThrow(
      expect.objectContaining({ kind: 'not_found' }),
    );
    expect(t.store.outbox.get(a.seq)?.state).toBe('sending');

    const next = new Date(t.clock.now().getTime() + 5_000);
    t.store.outbox.recordOutcomes([
      { seq: a.seq, kind: 'accepted', ack: { ...ok, warning: true } },
      { seq: b.seq, kind: 'retry', nextAttemptAt: next, error: 'HTTP 503' },
    ]);
    expect(t.store.outbox.get(a.seq)).toMatchObject({ state: 'warning', ackCode: 'AA' });
    expect(t.store.outbox.get(b.seq)).toMatchObject({ state: 'pending', nextAttemptAt: next.toISOString(), lastError: 'HTTP 503' });
    expect(t.store.audit.list({ entityId: a.doseId }).filter((e) => e.action === 'outbox.warning')).toHaveLength(1);
  });

  it('a rejected update is superseded by the next edit, whose update then goes out', () => {
    const { dose, outbox: add } = t.store.doses.record(s.dose(), NURSE, TODAY);
    t.store.outbox.claimDue(t.clock.now(), 10, MAX_BACKOFF);
    t.store.outbox.markAccepted(add.seq, ok);
    const u1 = t.store.doses.edit(dose.id, s.dose({ site: 'RD' }), 1, NURSE, TODAY).outbox;
    t.store.outbox.claimDue(t.clock.now(), 10, MAX_BACKOFF);
    t.store.outbox.markRejected(u1.seq, bad);
    const u2 = t.store.doses.edit(dose.id, s.dose({ site: 'LA' }), 2, NURSE, TODAY).outbox;
    expect(u2.action).toBe('U');
    expect(t.store.outbox.get(u1.seq)?.state).toBe('superseded');
    expect(t.store.outbox.claimDue(t.clock.now(), 10, MAX_BACKOFF).map((e) => e.seq)).toEqual([u2.seq]);
  });

  it('a delete after a rejected update cancels the rejection so the delete is not held back', () => {
    const { dose, outbox: add } = t.store.doses.record(s.dose(), NURSE, TODAY);
    t.store.outbox.claimDue(t.clock.now(), 10, MAX_BACKOFF);
    t.store.outbox.markAccepted(add.seq, ok);
    const u1 = t.store.doses.edit(dose.id, s.dose({ site: 'RD' }), 1, NURSE, TODAY).outbox;
    t.store.outbox.claimDue(t.clock.now(), 10, MAX_BACKOFF);
    t.store.outbox.markRejected(u1.seq, bad);
    const del = t.store.doses.remove(dose.id, 'wrong patient', NURSE).outbox;
    expect(del?.action).toBe('D');
    expect(t.store.outbox.get(u1.seq)?.state).toBe('cancelled');
    expect(t.store.outbox.claimDue(t.clock.now(), 10, MAX_BACKOFF).map((e) => e.action)).toEqual(['D']);
  });

  it('an update or delete waits while its own add is pending or in flight', () => {
    const { dose, outbox: add } = t.store.doses.record(s.dose(), NURSE, TODAY);
    const [claimed] = t.store.outbox.claimDue(t.clock.now(), 10, MAX_BACKOFF);
    t.store.outbox.markRetry(claimed!.seq, new Date(t.clock.now().getTime() + 60_000), 'HTTP 503');
    const upd = t.store.doses.edit(dose.id, s.dose({ site: 'RD' }), 1, NURSE, TODAY).outbox;
    expect(upd.action).toBe('U');
    // The add is backing off: neither it nor the update may go yet.
    expect(t.store.outbox.claimDue(t.clock.now(), 10, MAX_BACKOFF)).toEqual([]);
    t.clock.advance(60_000);
    expect(t.store.outbox.claimDue(t.clock.now(), 10, MAX_BACKOFF).map((e) => [e.seq, e.attempts])).toEqual([[add.seq, 2]]);
    t.store.outbox.markAccepted(add.seq, ok);
    expect(t.store.outbox.claimDue(t.clock.now(), 10, MAX_BACKOFF).map((e) => e.action)).toEqual(['U']);
  });

  it('counts a next attempt further ahead than the backoff cap as due (clock set back)', () => {
    t.store.doses.record(s.dose(), NURSE, TODAY);
    const [c] = t.store.outbox.claimDue(t.clock.now(), 10, MAX_BACKOFF);
    t.store.outbox.markRetry(c!.seq, new Date(t.clock.now().getTime() + 3 * 86_400_000), 'timeout');
    expect(t.store.outbox.claimDue(t.clock.now(), 10, MAX_BACKOFF)).toHaveLength(1);
  });

  it('releases a claimed entry that was never sent: pending again, the attempt undone, the last error kept unless a reason is given', () => {
    const { outbox } = t.store.doses.record(s.dose(), NURSE, TODAY);
    const [c] = t.store.outbox.claimDue(t.clock.now(), 10, MAX_BACKOFF);
    t.store.outbox.markRetry(c!.seq, t.clock.now(), 'HTTP 503');
    t.store.outbox.claimDue(t.clock.now(), 10, MAX_BACKOFF);
    const later = new Date(t.clock.now().getTime() + 30_000);
    t.store.outbox.release(outbox.seq, later);
    expect(t.store.outbox.get(outbox.seq)).toMatchObject({ state: 'pending', attempts: 1, nextAttemptAt: later.toISOString(), lastError: 'HTTP 503' });
    t.store.outbox.claimDue(new Date(later), 10, MAX_BACKOFF);
    t.store.outbox.release(outbox.seq, later, 'Waiting for its hourly attempt budget.');
    expect(t.store.outbox.get(outbox.seq)).toMatchObject({ state: 'pending', attempts: 1, lastError: 'Waiting for its hourly attempt budget.' });
    // Only a claimed entry can be released.
    t.store.outbox.release(outbox.seq, t.clock.now());
    expect(t.store.outbox.get(outbox.seq)?.nextAttemptAt).toBe(later.toISOString());
    expect(() => t.store.outbox.release(999, later)).toThrow(expect.objectContaining({ kind: 'not_found' }));
  });

  it('a released entry that was never sent drops its message (nobody saw it); one sent before keeps its bytes and MSH-10', () => {
    const p2 = otherPatient();
    const fresh = t.store.doses.record(s.dose(), NURSE, TODAY).outbox;
    const sentOnce = t.store.doses.record(s.dose({ patientId: p2.id }), NURSE, TODAY).outbox;
    t.store.outbox.claimDue(t.clock.now(), 10, MAX_BACKOFF);
    t.store.outbox.setMessages([
      { seq: fresh.seq, text: 'MSH|built-with-old-settings' },
      { seq: sentOnce.seq, text: 'MSH|sent-once' },
    ]);
    // The second went out and got no answer: it may have been filed.
    t.store.outbox.markRetry(sentOnce.seq, t.clock.now(), 'timeout');
    t.store.outbox.claimDue(t.clock.now(), 10, MAX_BACKOFF);
    t.store.outbox.release(fresh.seq, t.clock.now());
    t.store.outbox.release(sentOnce.seq, t.clock.now());
    expect(t.store.outbox.get(fresh.seq)).toMatchObject({ attempts: 0, messageControlId: fresh.messageControlId });
    expect(t.store.outbox.get(fresh.seq)?.messageText).toBeUndefined();
    expect(t.store.outbox.get(sentOnce.seq)).toMatchObject({ attempts: 1, messageText: 'MSH|sent-once', messageControlId: sentOnce.messageControlId });
    // The next claim builds it afresh, under the MSH-10 it always had.
    t.store.outbox.claimDue(t.clock.now(), 10, MAX_BACKOFF);
    expect(t.store.outbox.setMessage(fresh.seq, 'MSH|built-now').messageText).toBe('MSH|built-now');
  });

  it('a header the registry refused spends the message: a new MSH-10, no bytes, due again, and an audit row tying the two MSH-10s', () => {
    const { outbox } = t.store.doses.record(s.dose(), NURSE, TODAY);
    t.store.outbox.claimDue(t.clock.now(), 10, MAX_BACKOFF);
    t.store.outbox.setMessage(outbox.seq, 'MSH|wrong-pin');
    const error = 'ack_site_identity: The registry refused this site\'s identification in MSH-4.';
    t.store.outbox.recordOutcomes([{ seq: outbox.seq, kind: 'retry', nextAttemptAt: t.clock.now(), error, rebuild: true }]);
    const after = t.store.outbox.get(outbox.seq);
    expect(after).toMatchObject({ state: 'pending', attempts: 1, lastError: error, nextAttemptAt: t.clock.now().toISOString() });
    expect(after?.messageText).toBeUndefined();
    expect(after?.messageControlId).not.toBe(outbox.messageControlId);
    expect(t.store.outbox.byControlId(outbox.messageControlId)).toBeUndefined();
    const row = t.store.audit.list({ entityId: outbox.doseId }).find((a) => a.action === 'outbox.rebuild');
    expect(row).toMatchObject({ userId: 'system', detail: { seq: outbox.seq, action: 'A', refusedControlId: outbox.messageControlId, messageControlId: after?.messageControlId, reason: error } });
    // Nothing is rejected: the dose waits, and a replay of the same answer changes nothing more.
    expect(t.store.outbox.stats()).toMatchObject({ pending: 1, rejected: 0 });
    t.store.outbox.recordOutcomes([{ seq: outbox.seq, kind: 'retry', nextAttemptAt: t.clock.now(), error, rebuild: true }]);
    expect(t.store.outbox.get(outbox.seq)?.messageControlId).toBe(after?.messageControlId);
    expect(t.store.audit.list({ entityId: outbox.doseId }).filter((a) => a.action === 'outbox.rebuild')).toHaveLength(1);
  });

  it('"Send now" makes every pending entry due at once, leaving the others alone', () => {
    const p2 = otherPatient();
    const a = t.store.doses.record(s.dose(), NURSE, TODAY).outbox;
    const b = t.store.doses.record(s.dose({ patientId: p2.id }), NURSE, TODAY).outbox;
    t.store.outbox.claimDue(t.clock.now(), 10, MAX_BACKOFF);
    t.store.outbox.markRetry(a.seq, new Date(t.clock.now().getTime() + 10 * 60_000), 'HTTP 503');
    expect(t.store.outbox.makeDue(t.clock.now())).toBe(1);
    expect(t.store.outbox.get(a.seq)?.nextAttemptAt).toBe(t.clock.now().toISOString());
    expect(t.store.outbox.get(b.seq)?.state).toBe('sending');
    expect(t.store.outbox.claimDue(t.clock.now(), 10, MAX_BACKOFF).map((e) => e.seq)).toEqual([a.seq]);
  });

  it('moves pending due times with the clock when it is set back, so each entry keeps its wait', () => {
    const { outbox } = t.store.doses.record(s.dose(), NURSE, TODAY);
    t.store.outbox.claimDue(t.clock.now(), 10, MAX_BACKOFF);
    const due = new Date(t.clock.now().getTime() + 90_000);
    t.store.outbox.markRetry(outbox.seq, due, 'timeout');
    // The clock goes back 5 minutes: without the move the entry would wait 6.5 minutes.
    expect(t.store.outbox.rebaseDue(-5 * 60_000 - 250)).toBe(1);
    expect(t.store.outbox.get(outbox.seq)?.nextAttemptAt).toBe(new Date(due.getTime() - 5 * 60_000 - 250).toISOString());
    expect(t.store.outbox.rebaseDue(0)).toBe(0);
    expect(t.store.outbox.rebaseDue(Number.NaN)).toBe(0);
    // A due time that is not a time stays as it is instead of breaking the move.
    const db = new Database(t.store.path);
    db.prepare("UPDATE outbox SET next_attempt_at = 'garbage' WHERE seq = ?").run(outbox.seq);
    db.close();
    expect(t.store.outbox.rebaseDue(-60_000)).toBe(0);
    expect(t.store.outbox.get(outbox.seq)?.nextAttemptAt).toBe('garbage');
  });

  it('keeps the first message text, records retries, and recovers entries a crash left in sending', () => {
    const { outbox } = t.store.doses.record(s.dose(), NURSE, TODAY);
    t.store.outbox.claimDue(t.clock.now(), 10, MAX_BACKOFF);
    expect(t.store.outbox.setMessage(outbox.seq, 'MSH|first').messageText).toBe('MSH|first');
    expect(t.store.outbox.setMessage(outbox.seq, 'MSH|second').messageText).toBe('MSH|first');
    expect(t.store.outbox.recoverInFlight(t.clock.now())).toBe(1);
    const back = t.store.outbox.get(outbox.seq);
    expect(back).toMatchObject({ state: 'pending', attempts: 1, messageText: 'MSH|first', messageControlId: outbox.messageControlId });
    expect(t.store.outbox.nextDueAt()).toBe(t.clock.now().toISOString());
    expect(t.store.outbox.byControlId(outbox.messageControlId)?.seq).toBe(outbox.seq);
  });

  it('ignores a replayed ACK for an entry already settled', () => {
    const { outbox } = t.store.doses.record(s.dose(), NURSE, TODAY);
    t.store.outbox.claimDue(t.clock.now(), 10, MAX_BACKOFF);
    t.store.outbox.markAccepted(outbox.seq, ok);
    const settled = t.store.outbox.get(outbox.seq);
    t.clock.advance(1000);
    t.store.outbox.markRejected(outbox.seq, bad);
    t.store.outbox.markAccepted(outbox.seq, { ...ok, warning: true });
    expect(t.store.outbox.get(outbox.seq)).toEqual(settled);
    expect(t.store.audit.list({ entityId: outbox.doseId }).filter((a) => a.action.startsWith('outbox.'))).toHaveLength(1);
  });

  it('reports stats: counts, last acceptance and the earliest open deadline', () => {
    const first = t.store.doses.record(s.dose({ administeredTime: '09:00' }), NURSE, TODAY).outbox;
    t.store.doses.record(s.dose({ administeredTime: '11:00' }), NURSE, TODAY);
    expect(t.store.outbox.stats()).toMatchObject({ pending: 2, nextDeadlineAt: '2026-11-28T14:00:00.000Z' });
    t.store.outbox.claimDue(t.clock.now(), 10, MAX_BACKOFF);
    t.store.outbox.markAccepted(first.seq, ok);
    expect(t.store.outbox.stats()).toMatchObject({ pending: 1, accepted: 1, lastAcceptedAt: t.clock.now().toISOString(), nextDeadlineAt: '2026-11-28T16:00:00.000Z' });
  });

  it('refuses an unknown seq as not_found', () => {
    expect(() => t.store.outbox.markAccepted(12345, ok)).toThrow(expect.objectContaining({ kind: 'not_found' }));
    expect(t.store.outbox.get(12345)).toBeUndefined();
  });
});
