import type { Actor } from '../../../electron/store/types';
import { NURSE, TODAY, seed, testStore } from './helpers';

// The doses behind a deadline warning (105 CMR 222.100): not yet accepted, deadline near or
// past, one row per dose, nearest first; accepted, dismissed and historical doses never appear.

const MAX_BACKOFF = 15 * 60_000;
const REVIEWER: Actor = { userId: 'reviewer-1' };
const bad = { code: 'AE', text: 'rejected', messages: [{ severity: 'error' as const, text: 'RXA-15 lot number is required.' }] };
const ok = { code: 'AA', text: 'ok', messages: [], warning: false };
const HOUR = 3_600_000;

describe('doses at risk of missing their deadline', () => {
  let t: ReturnType<typeof testStore>;
  let s: ReturnType<typeof seed>;
  beforeEach(() => {
    t = testStore();
    s = seed(t.store, { lot: { dosesOnHand: 1000 } });
  });
  afterEach(() => t.done());

  function record(daysAgo: number, then?: 'rejected' | 'accepted' | 'dismissed') {
    const day = new Date(Date.parse(`${TODAY}T12:00:00Z`) - daysAgo * 86_400_000).toISOString().slice(0, 10);
    const { dose, outbox } = t.store.doses.record(s.dose({ administeredOn: day, vis: [{ documentType: 'Hepatitis B VIS', editionDate: '2023-05-12', presentedOn: day }] }), NURSE, TODAY);
    if (then) {
      const [claimed] = t.store.outbox.claimDue(t.clock.now(), 1, MAX_BACKOFF);
      expect(claimed?.seq).toBe(outbox.seq);
      if (then === 'accepted') t.store.outbox.markAccepted(outbox.seq, ok);
      else t.store.outbox.markRejected(outbox.seq, bad);
      if (then === 'dismissed') t.store.workQueue.dismiss(outbox.seq, 'Keyed in the MIIS web site', REVIEWER);
    }
    return { dose, seq: outbox.seq };
  }

  const within = (hours: number) => new Date(t.clock.now().getTime() + hours * HOUR).toISOString();

  it('lists waiting and rejected doses near or past the deadline, nearest first, and nothing else', () => {
    // Settled first: one patient's entries are claimed in order.
    const rejectedLate = record(4, 'rejected');
    record(3, 'accepted');
    record(5, 'dismissed');
    const waitingSoon = record(2);
    record(0); // given at 10:30 today: 72.5 hours left, not yet at risk (two days ago: 24.5)
    t.store.doses.record({ patientId: s.patient.id, kind: 'historical', cvx: '08', administeredOn: '2024-01-15', historicalSource: '01' }, NURSE, TODAY);

    const { entries, total } = t.store.workQueue.atRisk({ before: within(30), limit: 50 });
    expect(entries.map((e) => e.doseId)).toEqual([rejectedLate.dose.id, waitingSoon.dose.id]);
    expect(entries.map((e) => e.state)).toEqual(['rejected', 'pending']);
    expect(total).toBe(2);
    // Within the whole 72-hour window (and the half hour past it), today's dose is listed too, last.
    expect(t.store.workQueue.atRisk({ before: within(73), limit: 50 }).entries).toHaveLength(3);
  });

  it('lists a dose once though it has a rejected add and its fix waiting, and stops at the limit', () => {
    const first = record(2, 'rejected');
    const day = first.dose.administeredOn;
    t.store.doses.edit(first.dose.id, s.dose({ administeredOn: day, vis: [{ documentType: 'Hepatitis B VIS', editionDate: '2023-05-12', presentedOn: day }] }), first.dose.version, NURSE, TODAY);
    record(2);
    record(2);
    const all = t.store.workQueue.atRisk({ before: within(30), limit: 50 });
    expect(new Set(all.entries.map((e) => e.doseId)).size).toBe(all.entries.length);
    expect(all.total).toBe(3);
    const one = t.store.workQueue.atRisk({ before: within(30), limit: 1 });
    expect(one.entries).toHaveLength(1);
    expect(one.total).toBe(3);
  });
});
