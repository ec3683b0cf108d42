import { createSyncController } from '../../../electron/services/engine-controller';
import { startRegistrySimulator, type RegistrySimulator, type SimulatorOptions } from '../../../sync/sim';
import { Reporting } from '../../../electron/services/reporting';
import { makeApp, type TestApp } from '../fixtures/app';
import { clinicWithDose, type Clinic } from './payloads';

// The work queue through the handler table, on a real store: pages with names (an audited read
// by the person looking), who may acknowledge, dismiss and resend, and a resend after a
// configuration fix against the real registry simulator that reaches the registry once.

const MAX_BACKOFF = 15 * 60_000;
const bad = { code: 'AE', text: 'rejected', messages: [{ severity: 'error' as const, text: 'RXA-15 lot number is required.', field: 'dose.lotNumber' }] };
const warned = { code: 'AA', text: 'ok', messages: [{ severity: 'warning' as const, text: 'PID-11 address is missing.' }], warning: true };

let app: TestApp;
let clinic: Clinic;

/** Sends whatever is due the way the engine would, answering each with `outcome`. */
function settleDue(outcome: 'rejected' | 'warning'): number[] {
  const claimed = app.store.outbox.claimDue(new Date('2030-01-01T00:00:00Z'), 100, MAX_BACKOFF);
  for (const e of claimed) {
    if (outcome === 'rejected') app.store.outbox.markRejected(e.seq, bad);
    else app.store.outbox.markAccepted(e.seq, warned);
  }
  return claimed.map((e) => e.seq);
}

describe('work queue handlers', () => {
  beforeEach(async () => {
    app = makeApp();
    clinic = await clinicWithDose(app);
  });
  afterEach(() => app.done());

  it('serves a page with names, counts and a cursor; each page is a read audited for the person looking', async () => {
    const [rejected] = settleDue('rejected');
    await app.ok('doses.record', { dose: clinic.doseInput({ administeredTime: '11:00' }) });
    const [warning] = settleDue('warning');
    const lastRow = app.store.audit.list({ limit: 1 })[0]!.id;

    const first = await app.ok('sync.workQueue', { limit: 1 }, 'clin');
    expect(first.items.map((i) => [i.seq, i.state, i.patientName])).toEqual([[rejected, 'rejected', 'Amélie Moreau']]);
    expect(first).toMatchObject({ total: 2, counts: { rejected: 1, warnings: 1, acknowledged: 0, dismissed: 0 } });
    const second = await app.ok('sync.workQueue', { limit: 1, cursor: first.nextCursor }, 'clin');
    expect(second.items.map((i) => i.seq)).toEqual([warning]);
    expect(second.nextCursor).toBeUndefined();

    const rows = app.store.audit.list({ limit: 1000 }).filter((a) => a.id > lastRow);
    expect(rows.map((a) => [a.action, a.userId])).toEqual([
      ['patient.read', clinic.clinicianId],
      ['patient.read', clinic.clinicianId],
    ]);

    const stale = await app.call('sync.workQueue', { view: 'dismissed', cursor: first.nextCursor }, 'clin');
    expect(stale.ok ? 'ok' : [stale.error.kind, stale.error.message]).toEqual(['validation', expect.stringMatching(/out of date/)]);
  });

  it('anyone signed in acknowledges a warning; the row names who, and the item moves to acknowledged', async () => {
    const [warning] = settleDue('warning');
    const r = await app.ok('sync.acknowledge', { seqs: [warning, 424242] }, 'desk');
    expect(r.acknowledged).toEqual([warning]);
    expect(r.skipped).toMatchObject([{ seq: 424242, code: 'not_found' }]);
    expect((await app.ok('sync.workQueue', {}, 'desk')).total).toBe(0);
    const done = await app.ok('sync.workQueue', { view: 'acknowledged' }, 'desk');
    expect(done.items[0]?.review).toMatchObject({ kind: 'acknowledged', by: 'Dan Desk' });
    expect(app.store.audit.list({ entityId: clinic.dose.id }).find((a) => a.action === 'workqueue.acknowledge')?.userId).toBe(clinic.deskId);
  });

  it('only clinical staff dismiss a rejection, with a reason; it then stops counting as rejected', async () => {
    const [rejected] = settleDue('rejected');
    const payload = { seq: rejected, reason: 'Keyed in the MIIS web site after a phone call with the help desk' };
    const denied = await app.call('sync.dismiss', payload, 'desk');
    expect(denied.ok ? 'ok' : denied.error.kind).toBe('forbidden');
    const noReason = await app.call('sync.dismiss', { seq: rejected, reason: ' ' }, 'clin');
    expect(noReason.ok ? 'ok' : noReason.error.issues?.map((i) => i.path)).toEqual(['reason']);

    const item = await app.ok('sync.dismiss', payload, 'clin');
    expect(item).toMatchObject({ seq: rejected, state: 'rejected', patientName: 'Amélie Moreau', review: { kind: 'dismissed', by: 'Nora Nurse', reason: payload.reason } });
    expect((await app.ok('sync.status', {}, 'clin')).rejected).toBe(0);
    const again = await app.call('sync.dismiss', payload, 'clin');
    expect(again.ok ? 'ok' : again.error.kind).toBe('conflict');
    expect((await app.ok('sync.workQueue', { view: 'dismissed' }, 'clin')).items.map((i) => i.seq)).toEqual([rejected]);
  });

  it('only an administrator resends, and a resend is audited per dose', async () => {
    const [rejected] = settleDue('rejected');
    const denied = await app.call('sync.resubmitRejected', {}, 'clin');
    expect(denied.ok ? 'ok' : denied.error.kind).toBe('forbidden');
    const r = await app.ok('sync.resubmitRejected', {}, 's1');
    expect(r.resent).toMatchObject([{ doseId: clinic.dose.id, replacedSeqs: [rejected] }]);
    expect(r.status).toMatchObject({ pending: 1, rejected: 0 });
    expect(app.store.audit.list({ entityId: clinic.dose.id }).find((a) => a.action === 'workqueue.resubmit')?.userId).toBe(clinic.adminId);
    expect((await app.ok('sync.resubmitRejected', {}, 's1')).resent).toEqual([]);
  });
});

describe('a rejected delete of a dose already deleted', () => {
  beforeEach(async () => {
    app = makeApp();
    clinic = await clinicWithDose(app);
  });
  afterEach(() => app.done());

  /** The dose reached the registry, was deleted here, and the registry rejected the delete. */
  async function rejectedDelete(): Promise<number> {
    settleDue('warning');
    await app.ok('doses.remove', { id: clinic.dose.id, reason: 'Recorded on the wrong patient' }, 'clin');
    const [seq] = settleDue('rejected');
    return seq as number;
  }

  it('blocks a switch of registry until someone acts on it; clinical staff retry it as a new delete, audited, and the sender is woken', async () => {
    const seq = await rejectedDelete();
    const [item] = (await app.ok('sync.workQueue', {}, 'clin')).items;
    expect(item).toMatchObject({ seq, action: 'D', state: 'rejected' });
    expect(item?.deadlineAt).toBeUndefined();
    // What holds a switch out of production back (mode-switch.ts refuseWhileUnsent; the switch
    // itself is pinned in tests/electron/services/mode-switch.test.ts).
    expect(app.store.outbox.hasUnsent()).toBe(true);

    const denied = await app.call('sync.retryDelete', { seq }, 'desk');
    expect(denied.ok ? 'ok' : denied.error.kind).toBe('forbidden');
    const kick = vi.spyOn(app.services.sync, 'kick');
    const r = await app.ok('sync.retryDelete', { seq }, 'clin');
    expect(r).toMatchObject({ doseId: clinic.dose.id, replacedSeqs: [seq], status: { rejected: 0, pending: 1 } });
    // Woken like a saved dose, not "Send now": a pause that waits for an administrator stays.
    expect(kick.mock.calls).toEqual([['dose_saved']]);
    expect(app.store.outbox.get(r.seq)).toMatchObject({ action: 'D', state: 'pending' });
    expect(app.store.audit.list({ entityId: clinic.dose.id }).find((a) => a.action === 'workqueue.retry_delete')?.userId).toBe(clinic.clinicianId);
    const again = await app.call('sync.retryDelete', { seq }, 'clin');
    expect(again.ok ? 'ok' : again.error.kind).toBe('conflict');
  });

  it('dismissed with a reason, it stops holding a switch of registry back', async () => {
    const seq = await rejectedDelete();
    await app.ok('sync.dismiss', { seq, reason: 'The help desk confirmed the registry never held this dose' }, 'clin');
    expect(app.store.outbox.hasUnsent()).toBe(false);
  });
});

describe('after a configuration fix, against the registry simulator', () => {
  async function until(check: () => boolean, what: string): Promise<void> {
    // Counted in polls, not milliseconds: a loaded machine slows the polls with the work.
    for (let i = 0; i < 1_500; i++) {
      if (check()) return;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`gave up waiting for ${what}`);
  }

  /** Reporting in training mode against a simulator started with `sim` options. */
  function reportingWith(sim: Omit<SimulatorOptions, 'host' | 'port' | 'users'>): { reporting: Reporting; sim: () => RegistrySimulator } {
    let running: RegistrySimulator | undefined;
    const reporting = new Reporting({
      services: app.services,
      startSimulator: async (options) => (running = await startRegistrySimulator({ ...options, ...sim })),
      createController: (parts) => createSyncController({ ...parts, backoff: { baseMs: 50, capMs: 200 } }),
    });
    return {
      reporting,
      sim: () => {
        if (!running) throw new Error('the simulator has not started');
        return running;
      },
    };
  }

  const submitsFor = (sim: RegistrySimulator, doseId: string) => sim.received().filter((m) => m.operation === 'submitSingleMessage' && m.hl7?.includes(doseId));
  const mshField = (hl7: string | undefined, n: number) => (hl7 ?? '').split('\r')[0]?.split('|')[n - 1];

  it('a wrong Vaccine PIN pauses reporting with one message naming MSH-4 and keeps the doses waiting; fixed in Settings, the same doses are accepted, once each', async () => {
    app = makeApp();
    // This registry refuses a message whose MSH-4 is not the account's facility (AIRA "soursop").
    const { reporting, sim } = reportingWith({ quirks: ['soursop'] });
    try {
      clinic = await clinicWithDose(app);
      await reporting.start(app.services.settings.mode(), app.store);
      await until(() => app.store.outbox.stats().accepted === 1, 'the first dose to be accepted');

      // An administrator types the wrong Vaccine PIN: every message now names the wrong facility.
      await app.ok('settings.update', { scope: 'site', values: { 'registry.vaccinePin': 'WRONG-PIN' } });
      const second = await app.ok('doses.record', { dose: clinic.doseInput({ administeredTime: '11:00' }) });
      const third = await app.ok('doses.record', { dose: clinic.doseInput({ administeredTime: '12:00' }) });
      await until(() => app.services.sync.status().state === 'needs_attention', 'reporting to pause');

      const paused = await app.ok('sync.status', {}, 'clin');
      expect(paused.problem?.code).toBe('ack_site_identity');
      expect(paused.problem?.message).toContain('MSH-4 (sending facility "WRONG-PIN")');
      expect(paused.rejected).toBe(0);
      // Waiting here, not filed as rejections: the work queue is empty and the chart says waiting.
      const stats = app.store.outbox.stats();
      expect(stats.pending + stats.sending).toBe(2);
      expect((await app.ok('sync.workQueue', {}, 'clin')).total).toBe(0);
      expect((await app.ok('doses.get', { id: second.dose.id }, 'clin')).reporting.state).not.toBe('rejected');

      await app.ok('settings.update', { scope: 'site', values: { 'registry.vaccinePin': '' } });
      await until(() => app.store.outbox.stats().accepted === 3, 'the waiting doses to be accepted');

      for (const dose of [second.dose, third.dose]) {
        const submits = submitsFor(sim(), dose.id);
        const refused = submits.filter((m) => m.ackCode !== 'AA');
        const accepted = submits.filter((m) => m.ackCode === 'AA');
        // Refused under the wrong PIN, each refused message once; accepted once, as a new message with the right PIN.
        expect(refused.every((m) => mshField(m.hl7, 4) === 'WRONG-PIN')).toBe(true);
        expect(accepted.map((m) => mshField(m.hl7, 4))).toEqual(['TRAINING']);
        expect(new Set(submits.map((m) => m.controlId)).size).toBe(submits.length);
        expect(sim().accepted().filter((d) => d.fillerOrderId === dose.id)).toHaveLength(1);
      }
      expect(sim().stats).toMatchObject({ duplicates: 0, controlIdConflicts: 0, held: 3 });
      const rebuilt = app.store.audit.list({ entityId: second.dose.id }).filter((a) => a.action === 'outbox.rebuild');
      expect(rebuilt.length).toBeGreaterThan(0);
      expect((await app.ok('sync.workQueue', {}, 'clin')).total).toBe(0);
      expect((await app.ok('sync.status', {}, 'clin')).problem).toBeUndefined();
    } finally {
      await reporting.stop();
    }
  });

  it('a rejection of one dose caused by a setting (an unregistered facility id in RXA-11) goes to the work queue; fixed and resent, the registry holds the dose once', async () => {
    app = makeApp();
    // This registry files doses only under the facility ids registered for the organization.
    const { reporting, sim } = reportingWith({ registeredLocations: ['TRAINING'] });
    try {
      clinic = await clinicWithDose(app);
      await reporting.start(app.services.settings.mode(), app.store);
      await until(() => app.store.outbox.stats().accepted === 1, 'the first dose to be accepted');

      await app.ok('settings.update', { scope: 'site', values: { 'registry.facilityId': 'CLINIC-9' } });
      const second = await app.ok('doses.record', { dose: clinic.doseInput({ administeredTime: '11:00' }) });
      await until(() => app.store.outbox.stats().rejected === 1, 'the registry to reject the second dose');
      const [rejected] = (await app.ok('sync.workQueue', {})).items;
      expect(rejected).toMatchObject({ doseId: second.dose.id, state: 'rejected' });
      expect(rejected!.messages[0]?.text).toMatch(/RXA-11 administered-at location "CLINIC-9"/);
      // A rejection of the dose, not a problem of the site: reporting goes on.
      expect(app.services.sync.status().state).not.toBe('needs_attention');

      await app.ok('settings.update', { scope: 'site', values: { 'registry.facilityId': '' } });
      const result = await app.ok('sync.resubmitRejected', {}, 's1');
      expect(result.resent).toHaveLength(1);
      // A double click, or a second administrator at the same moment.
      expect((await app.ok('sync.resubmitRejected', {}, 's1')).resent).toEqual([]);
      await until(() => app.store.outbox.stats().accepted === 2, 'the resent dose to be accepted');

      const forSecond = submitsFor(sim(), second.dose.id);
      expect(forSecond.map((m) => m.ackCode)).toEqual(['AE', 'AA']);
      expect(new Set(forSecond.map((m) => m.controlId)).size).toBe(2);
      expect(forSecond.map((m) => m.outcome)).toEqual(['processed', 'processed']);
      expect(sim().accepted().filter((d) => d.fillerOrderId === second.dose.id)).toHaveLength(1);
      expect(sim().stats).toMatchObject({ duplicates: 0, held: 2 });
      expect((await app.ok('sync.workQueue', {})).total).toBe(0);
    } finally {
      await reporting.stop();
    }
  });
});
