import Database from 'better-sqlite3';
import { DomainValidationError } from '../../../electron/domain/errors';
import { StoreError } from '../../../electron/store';
import type { Actor, WorkQueueView } from '../../../electron/store/types';
import { OPEN_PAGE_SQL, REVIEWED_PAGE_SQL } from '../../../electron/store/work-queue';
import { NURSE, TODAY, patientInput, seed, testStore } from './helpers';

// The work queue over a real store file: what needs a person, in deadline order, a page at a
// time; what people decided (acknowledged, dismissed, resent), each with its audit row.

const MAX_BACKOFF = 15 * 60_000;
const REVIEWER: Actor = { userId: 'reviewer-1' };
const ok = { code: 'AA', text: 'ok', messages: [], warning: false };
const warned = { code: 'AA', text: 'ok', messages: [{ severity: 'warning' as const, text: 'PID-11 address is missing.' }], warning: true };
const bad = { code: 'AE', text: 'rejected', messages: [{ severity: 'error' as const, text: 'MSH-4 sending facility does not match.', field: undefined }] };

describe('work queue', () => {
  let t: ReturnType<typeof testStore>;
  let s: ReturnType<typeof seed>;
  beforeEach(() => {
    t = testStore();
    s = seed(t.store, { lot: { dosesOnHand: 1000 } });
  });
  afterEach(() => t.done());

  /** Records a dose (given `daysAgo`) and settles its add the way the engine would. */
  function settled(outcome: 'accepted' | 'warning' | 'rejected', over: { daysAgo?: number; patientId?: string; kind?: 'historical' } = {}) {
    const day = new Date(Date.parse(`${TODAY}T12:00:00Z`) - (over.daysAgo ?? 0) * 86_400_000).toISOString().slice(0, 10);
    const patient = over.patientId ? { patientId: over.patientId } : {};
    const input =
      over.kind === 'historical'
        ? { patientId: over.patientId ?? s.patient.id, kind: 'historical' as const, cvx: '08', administeredOn: '2024-01-15', historicalSource: '01' }
        : s.dose({ ...patient, administeredOn: day, vis: [{ documentType: 'Hepatitis B VIS', editionDate: '2023-05-12', presentedOn: day }] });
    const { dose, outbox } = t.store.doses.record(input, NURSE, TODAY);
    const [claimed] = t.store.outbox.claimDue(t.clock.now(), 1, MAX_BACKOFF);
    expect(claimed?.seq).toBe(outbox.seq);
    if (outcome === 'rejected') t.store.outbox.markRejected(outbox.seq, bad);
    else t.store.outbox.markAccepted(outbox.seq, outcome === 'warning' ? warned : ok);
    t.clock.advance(1000);
    return { dose, seq: outbox.seq };
  }

  function allPages(view: WorkQueueView, limit: number) {
    const seqs: number[] = [];
    let cursor: string | undefined;
    for (let guard = 0; guard < 100; guard++) {
      const page = t.store.workQueue.page({ view, limit, cursor });
      expect(page.entries.length).toBeLessThanOrEqual(limit);
      seqs.push(...page.entries.map((e) => e.seq));
      cursor = page.nextCursor;
      if (!cursor) return { seqs, total: page.total };
    }
    throw new Error('the pages never ended');
  }

  it('puts rejections first, nearest legal deadline first (none last), then warnings newest first', () => {
    const w1 = settled('warning');
    const recent = settled('rejected', { daysAgo: 0 });
    const historical = settled('rejected', { kind: 'historical' });
    const older = settled('rejected', { daysAgo: 2 });
    const w2 = settled('warning');
    settled('accepted');
    const page = t.store.workQueue.page({ view: 'open', limit: 50 });
    expect(page.entries.map((e) => e.seq)).toEqual([older.seq, recent.seq, historical.seq, w2.seq, w1.seq]);
    expect(page.entries[0]?.deadlineAt).toBeTruthy();
    expect(page).toMatchObject({ total: 5, counts: { rejected: 3, warnings: 2, acknowledged: 0, dismissed: 0 } });
    expect(page.nextCursor).toBeUndefined();
  });

  it('pages through hundreds of items with a cursor and a total, each item exactly once', () => {
    const made: number[] = [];
    for (let i = 0; i < 205; i++) made.push(settled(i % 3 === 0 ? 'warning' : 'rejected', { daysAgo: i % 3 }).seq);
    const { seqs, total } = allPages('open', 100);
    expect(total).toBe(205);
    expect(seqs).toHaveLength(205);
    expect(new Set(seqs).size).toBe(205);
    expect([...seqs].sort((a, b) => a - b)).toEqual(made);
  });

  it('a page after the cursor neither skips nor repeats an item when an earlier one is reviewed meanwhile', () => {
    const warnings = Array.from({ length: 6 }, () => settled('warning').seq);
    const first = t.store.workQueue.page({ view: 'open', limit: 3 });
    expect(first.entries.map((e) => e.seq)).toEqual([warnings[5], warnings[4], warnings[3]]);
    t.store.workQueue.acknowledge([warnings[4]!], REVIEWER);
    const second = t.store.workQueue.page({ view: 'open', limit: 3, cursor: first.nextCursor });
    expect(second.entries.map((e) => e.seq)).toEqual([warnings[2], warnings[1], warnings[0]]);
    expect(second.total).toBe(5);
  });

  it('pages decisions exactly once each even when the clock was turned back between them', () => {
    const warnings = Array.from({ length: 4 }, () => settled('warning').seq);
    for (const seq of warnings) {
      t.store.workQueue.acknowledge([seq], REVIEWER);
      t.clock.advance(-3_600_000);
    }
    const { seqs, total } = allPages('acknowledged', 1);
    expect(total).toBe(4);
    expect([...seqs].sort((a, b) => a - b)).toEqual(warnings);
  });

  it('refuses a damaged cursor or one from another view with a clear validation error', () => {
    for (let i = 0; i < 3; i++) settled('warning');
    const { nextCursor } = t.store.workQueue.page({ view: 'open', limit: 1 });
    for (const cursor of ['not-a-cursor', Buffer.from('["open",0]').toString('base64url'), Buffer.from('{"x":1}').toString('base64url')]) {
      expect(() => t.store.workQueue.page({ view: 'open', limit: 1, cursor })).toThrow(DomainValidationError);
    }
    expect(() => t.store.workQueue.page({ view: 'dismissed', limit: 1, cursor: nextCursor })).toThrow(/out of date/);
  });

  it('a warning is acknowledged once, by a person, with an audit row; it then shows under acknowledged', () => {
    const w = settled('warning');
    const r = settled('rejected');
    const result = t.store.workQueue.acknowledge([w.seq, r.seq, w.seq, 9999], REVIEWER);
    expect(result.acknowledged).toEqual([w.seq]);
    expect(result.skipped.map((x) => [x.seq, x.code])).toEqual([
      [r.seq, 'not_waiting'],
      [9999, 'not_found'],
    ]);
    expect(t.store.workQueue.acknowledge([w.seq], REVIEWER).skipped.map((x) => x.code)).toEqual(['not_waiting']);

    expect(t.store.workQueue.page({ view: 'open', limit: 10 }).entries.map((e) => e.seq)).toEqual([r.seq]);
    const acknowledged = t.store.workQueue.page({ view: 'acknowledged', limit: 10 });
    expect(acknowledged.entries).toHaveLength(1);
    expect(acknowledged.entries[0]).toMatchObject({ seq: w.seq, state: 'warning', review: { kind: 'acknowledged', userId: REVIEWER.userId } });
    const rows = t.store.audit.list({ entityId: w.dose.id }).filter((a) => a.action === 'workqueue.acknowledge');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ userId: REVIEWER.userId, entity: 'dose', detail: { seq: w.seq, patientId: s.patient.id } });
  });

  it('a rejection is dismissed only with a reason; it leaves the open queue and the deadline, but stays visible and fixable', () => {
    const r = settled('rejected');
    expect(t.store.outbox.stats()).toMatchObject({ rejected: 1, nextDeadlineAt: r.dose && t.store.outbox.get(r.seq)?.deadlineAt });
    expect(() => t.store.workQueue.dismiss(r.seq, '  ', REVIEWER)).toThrow(DomainValidationError);
    expect(t.store.audit.list({ entityId: r.dose.id }).some((a) => a.action === 'workqueue.dismiss')).toBe(false);

    const dismissed = t.store.workQueue.dismiss(r.seq, 'Keyed in the MIIS web site by Rosa', REVIEWER);
    expect(dismissed.review).toMatchObject({ kind: 'dismissed', userId: REVIEWER.userId, reason: 'Keyed in the MIIS web site by Rosa' });
    expect(() => t.store.workQueue.dismiss(r.seq, 'again', REVIEWER)).toThrow(StoreError);
    expect(t.store.workQueue.page({ view: 'open', limit: 10 }).total).toBe(0);
    expect(t.store.workQueue.page({ view: 'dismissed', limit: 10 }).entries.map((e) => e.seq)).toEqual([r.seq]);
    expect(t.store.outbox.stats()).toMatchObject({ rejected: 0 });
    expect(t.store.outbox.stats().nextDeadlineAt).toBeUndefined();
    // The chart still says what the registry did; the trail says who decided and why.
    expect(t.store.doses.get(r.dose.id, NURSE)?.reporting.state).toBe('rejected');
    expect(t.store.audit.list({ entityId: r.dose.id }).find((a) => a.action === 'workqueue.dismiss')).toMatchObject({
      userId: REVIEWER.userId,
      detail: { seq: r.seq, reason: 'Keyed in the MIIS web site by Rosa' },
    });

    // Fixing it later still reports it: the edit supersedes the dismissed rejection.
    const fixed = t.store.doses.edit(r.dose.id, s.dose({ site: 'RD' }), r.dose.version, NURSE, TODAY);
    expect(fixed.outbox).toMatchObject({ action: 'A', state: 'pending' });
    expect(t.store.workQueue.page({ view: 'dismissed', limit: 10 }).total).toBe(0);
  });

  it('a rejected dose counts toward the next legal deadline until the registry accepts it', () => {
    const r = settled('rejected', { daysAgo: 2 });
    settled('accepted');
    const deadline = t.store.outbox.get(r.seq)?.deadlineAt;
    expect(deadline).toBeTruthy();
    expect(t.store.outbox.stats()).toMatchObject({ pending: 0, sending: 0, rejected: 1, nextDeadlineAt: deadline });
  });

  it('resend replaces each rejected report with one new attempt: new MSH-10, same dose, same deadline, audited', () => {
    const r1 = settled('rejected', { daysAgo: 1 });
    const r2 = settled('rejected');
    const dismissed = settled('rejected');
    t.store.workQueue.dismiss(dismissed.seq, 'Keyed in the MIIS web site', REVIEWER);
    const before = { r1: t.store.outbox.get(r1.seq)!, r2: t.store.outbox.get(r2.seq)! };

    const { resent, skipped } = t.store.workQueue.resubmitRejected(REVIEWER);
    expect(skipped).toEqual([]);
    expect(resent.map((x) => x.replacedSeqs)).toEqual([[r1.seq], [r2.seq]]);
    for (const [key, report] of [['r1', resent[0]!], ['r2', resent[1]!]] as const) {
      const entry = t.store.outbox.get(report.seq)!;
      expect(entry).toMatchObject({ doseId: before[key].doseId, action: 'A', state: 'pending', attempts: 0, deadlineAt: before[key].deadlineAt });
      expect(entry.messageControlId).not.toBe(before[key].messageControlId);
      // Built again from the current records and settings at the next claim, not the old bytes.
      expect(entry.messageText).toBeUndefined();
      expect(t.store.outbox.get(before[key].seq)?.state).toBe('superseded');
    }
    expect(t.store.outbox.get(dismissed.seq)?.state).toBe('rejected');
    expect(t.store.audit.list({ entityId: r1.dose.id }).find((a) => a.action === 'workqueue.resubmit')).toMatchObject({
      userId: REVIEWER.userId,
      detail: { replacedSeqs: [r1.seq], replacedControlIds: [before.r1.messageControlId], seq: resent[0]!.seq, action: 'A' },
    });

    // Pressing it again (a double click, a second window) sends nothing more.
    expect(t.store.workQueue.resubmitRejected(REVIEWER).resent).toEqual([]);
    expect(t.store.workQueue.resubmitRejected(REVIEWER, [r1.seq]).skipped.map((x) => x.code)).toEqual(['not_waiting']);
    expect(t.store.outbox.stats()).toMatchObject({ pending: 2, rejected: 0 });
  });

  it('resends a rejected update as an update once the registry holds the dose', () => {
    const a = settled('accepted');
    const upd = t.store.doses.edit(a.dose.id, s.dose({ site: 'RD' }), a.dose.version, NURSE, TODAY).outbox;
    t.store.outbox.claimDue(t.clock.now(), 1, MAX_BACKOFF);
    t.store.outbox.markRejected(upd.seq, bad);
    const { resent } = t.store.workQueue.resubmitRejected(REVIEWER, [upd.seq]);
    expect(resent).toHaveLength(1);
    expect(t.store.outbox.get(resent[0]!.seq)).toMatchObject({ action: 'U', state: 'pending' });
    expect(t.store.outbox.get(resent[0]!.seq)?.deadlineAt).toBeUndefined();
  });

  it('does not resend a rejection when a newer report of the same dose already exists', () => {
    const r = settled('rejected');
    // A newer entry that the app's own paths never leave beside a rejection, written by hand.
    const db = new Database(t.path);
    try {
      db.prepare(
        `INSERT INTO outbox (dose_id, patient_id, action, state, message_control_id, attempts, next_attempt_at, registry_messages, created_at, updated_at)
         VALUES (?, ?, 'U', 'pending', 'HANDMADE-1', 0, ?, '[]', ?, ?)`,
      ).run(r.dose.id, s.patient.id, TODAY, TODAY, TODAY);
    } finally {
      db.close();
    }
    const result = t.store.workQueue.resubmitRejected(REVIEWER);
    expect(result.resent).toEqual([]);
    expect(result.skipped).toMatchObject([{ seq: r.seq, code: 'newer_report' }]);
    expect(t.store.outbox.get(r.seq)?.state).toBe('rejected');
  });

  describe('a rejected delete of a dose already deleted', () => {
    /** An accepted dose, deleted, whose delete the registry rejected. */
    function rejectedDelete() {
      const a = settled('accepted');
      const del = t.store.doses.remove(a.dose.id, 'Recorded on the wrong patient', NURSE).outbox;
      const [claimed] = t.store.outbox.claimDue(t.clock.now(), 1, MAX_BACKOFF);
      expect(claimed).toMatchObject({ seq: del?.seq, action: 'D' });
      t.store.outbox.markRejected(del!.seq, { code: 'AE', text: 'rejected', messages: [{ severity: 'error', text: 'ORC-3 dose not found for this organization.' }] });
      return { dose: a.dose, seq: del!.seq, controlId: del!.messageControlId };
    }

    it('holds a registry switch back while open, has no legal deadline, and is retried as a new delete with its own MSH-10, audited', () => {
      const d = rejectedDelete();
      expect(t.store.outbox.hasUnsent()).toBe(true);
      // A delete has no 72-hour clock: it shows in the queue but never in the deadline warning.
      expect(t.store.outbox.stats()).toMatchObject({ rejected: 1 });
      expect(t.store.outbox.stats().nextDeadlineAt).toBeUndefined();
      expect(t.store.workQueue.page({ view: 'open', limit: 10 }).entries.map((e) => [e.seq, e.action, e.deadlineAt])).toEqual([[d.seq, 'D', undefined]]);

      const r = t.store.workQueue.retryDelete(d.seq, REVIEWER);
      expect(r).toMatchObject({ doseId: d.dose.id, replacedSeqs: [d.seq], action: 'D' });
      expect(r.messageControlId).not.toBe(d.controlId);
      expect(t.store.outbox.get(d.seq)?.state).toBe('superseded');
      expect(t.store.outbox.get(r.seq)).toMatchObject({ state: 'pending', action: 'D', attempts: 0 });
      expect(t.store.outbox.get(r.seq)?.deadlineAt).toBeUndefined();
      const row = t.store.audit.list({ entityId: d.dose.id }).find((a) => a.action === 'workqueue.retry_delete');
      expect(row).toMatchObject({ userId: REVIEWER.userId, detail: { replacedSeqs: [d.seq], seq: r.seq, action: 'D', replacedControlIds: [d.controlId] } });
      // The new delete goes out; accepted, nothing waits any more.
      const [claimed] = t.store.outbox.claimDue(t.clock.now(), 1, MAX_BACKOFF);
      expect(claimed?.seq).toBe(r.seq);
      t.store.outbox.markAccepted(r.seq, ok);
      expect(t.store.outbox.hasUnsent()).toBe(false);
      // Retried once: a second click finds nothing to retry.
      expect(() => t.store.workQueue.retryDelete(d.seq, REVIEWER)).toThrow(expect.objectContaining({ kind: 'conflict', message: expect.stringMatching(/no longer a rejection waiting/) }));
    });

    it('dismissed with a reason, it no longer holds a registry switch back, and can still be retried', () => {
      const d = rejectedDelete();
      t.store.workQueue.dismiss(d.seq, 'The registry never had this dose under our org; confirmed by the help desk', REVIEWER);
      expect(t.store.outbox.hasUnsent()).toBe(false);
      expect(t.store.outbox.stats().rejected).toBe(0);
      const r = t.store.workQueue.retryDelete(d.seq, REVIEWER);
      expect(r.replacedSeqs).toEqual([d.seq]);
      expect(t.store.outbox.hasUnsent()).toBe(true);
    });

    it('retry is only for a rejected delete: an add is fixed from the chart, and an unknown report is not found', () => {
      const add = settled('rejected');
      expect(() => t.store.workQueue.retryDelete(add.seq, REVIEWER)).toThrow(expect.objectContaining({ kind: 'conflict', message: expect.stringMatching(/not a delete: fix the dose from its chart/) }));
      expect(() => t.store.workQueue.retryDelete(4242, REVIEWER)).toThrow(expect.objectContaining({ kind: 'not_found' }));
      expect(t.store.outbox.get(add.seq)?.state).toBe('rejected');
      expect(t.store.audit.list({ entityId: add.dose.id }).some((a) => a.action === 'workqueue.retry_delete')).toBe(false);
    });
  });

  it("tells a dose's chart state without the registry's words, and writes no audit row", () => {
    const p2 = t.store.patients.create(patientInput({ mrn: 'MRN-2', lastName: 'Other' }), NURSE);
    const r = settled('rejected', { patientId: p2.id });
    const audit = t.store.audit.list({ limit: 10_000 }).length;
    expect(t.store.workQueue.doseReporting(r.dose.id)).toEqual({ state: 'rejected', messageCount: 1, deadline: t.store.outbox.get(r.seq)?.deadlineAt });
    const a = settled('accepted');
    // An edit queued behind an accepted add: the chart must say "waiting", not "accepted".
    t.store.doses.edit(a.dose.id, s.dose({ site: 'RD' }), a.dose.version, NURSE, TODAY);
    const audit2 = t.store.audit.list({ limit: 10_000 }).length;
    expect(t.store.workQueue.doseReporting(a.dose.id)).toMatchObject({ state: 'waiting', messageCount: 0, lastAcceptedAt: expect.any(String) });
    expect(t.store.workQueue.doseReporting('no-such-dose')).toBeUndefined();
    expect(t.store.audit.list({ limit: 10_000 }).length).toBe(audit2);
    expect(audit2).toBeGreaterThan(audit);
  });

  it('serves each page from its index, without sorting the whole outbox', () => {
    const db = new Database(t.path, { readonly: true });
    try {
      const open = (db.prepare(`EXPLAIN QUERY PLAN ${OPEN_PAGE_SQL}`).all({ k1: -1, k2: '', k3: 0, limit: 51 }) as { detail: string }[]).map((r) => r.detail);
      expect(open.some((d) => d.includes('USING INDEX outbox_open_work'))).toBe(true);
      expect(open.some((d) => d.includes('TEMP B-TREE'))).toBe(false);
      const reviewed = (db.prepare(`EXPLAIN QUERY PLAN ${REVIEWED_PAGE_SQL}`).all({ state: 'warning', at: '~', seq: 0, limit: 51 }) as { detail: string }[]).map((r) => r.detail);
      expect(reviewed.some((d) => d.includes('USING INDEX outbox_reviewed'))).toBe(true);
      expect(reviewed.some((d) => d.includes('TEMP B-TREE'))).toBe(false);
    } finally {
      db.close();
    }
  });
});
