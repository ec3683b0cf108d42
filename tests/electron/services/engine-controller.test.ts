import type { SyncEvent as ApiSyncEvent } from '../../../electron/api';
import { createSyncController, toApiStatus } from '../../../electron/services/engine-controller';
import type { SyncStatus } from '../../../sync/engine/types';
import { FakeOutbox, ScriptedTransport, VirtualTime, ack, fakeMessage } from '../../sync/engine/support/fakes';
import { NURSE, TODAY, seed, testStore } from '../store/helpers';

// The engine behind the shell's SyncController interface (electron/services/sync-controller.ts).

const base: SyncStatus = { state: 'idle', pending: 2, inFlight: 1, done: 5, warnings: 2, failed: 1, stuck: 0 };

describe('sync controller adapter', () => {
  it('maps engine status to the API shape', () => {
    expect(toApiStatus(base, 'training')).toEqual({ state: 'idle', mode: 'training', pending: 2, sending: 1, accepted: 3, warning: 2, rejected: 1 });
    expect(toApiStatus({ ...base, state: 'offline', nextAttemptAt: '2026-01-01T00:00:00.000Z' }, 'production')).toMatchObject({
      state: 'waiting_for_network',
      nextAttemptAt: '2026-01-01T00:00:00.000Z',
    });
    const paused = toApiStatus({ ...base, state: 'needs_configuration', configurationProblem: { code: 'security_fault', message: 'Password refused.', at: 'x' } }, 'production');
    expect(paused).toMatchObject({ state: 'needs_attention', problem: { code: 'security_fault', message: 'Password refused.' } });
    const stuck = toApiStatus({ ...base, stuck: 3, lastError: { code: 'ack_not_hl7', message: 'Garbage ACK.', at: 'x' } }, 'production');
    expect(stuck).toMatchObject({ state: 'needs_attention', problem: { code: 'ack_not_hl7' } });
    expect(toApiStatus({ ...base, state: 'stopped' }, 'training').state).toBe('stopped');
    // A store failure never reads as online or idle: "Reporting stopped", and the cause comes first.
    const full = toApiStatus(
      { ...base, state: 'store_error', stuck: 1, lastError: { code: 'ack_not_hl7', message: 'Garbage ACK.', at: 'x' }, storeProblem: { code: 'store_disk_full', message: 'Reporting stopped: the disk is full.', at: 'x' } },
      'production',
    );
    expect(full).toMatchObject({ state: 'stopped', problem: { code: 'store_disk_full', message: 'Reporting stopped: the disk is full.' } });
  });

  it('starts the engine, maps the shell kicks, and pushes outcome and status events', async () => {
    const time = new VirtualTime();
    const outbox = new FakeOutbox(time);
    const transport = new ScriptedTransport();
    const seen: ApiSyncEvent[] = [];
    const controller = createSyncController({
      store: { outbox },
      transport,
      buildMessage: fakeMessage,
      clock: time.clock,
      monotonic: time.monotonic,
      timers: time.timers,
      mode: () => 'training',
      statusIntervalMs: 100,
    });
    controller.onStatus((e) => seen.push(e));
    await time.advance(1_000);
    outbox.add({ patientId: 'P1', doseId: 'D1' });
    controller.kick('dose_saved');
    await time.advance(1_000);
    expect(outbox.entries[0]?.state).toBe('accepted');
    expect(seen).toContainEqual({ type: 'outcome', seq: 1, doseId: 'D1', patientId: 'P1', outcome: 'accepted' });
    expect(seen.some((e) => e.type === 'status' && e.status.accepted === 1 && e.status.mode === 'training')).toBe(true);
    expect(controller.status()).toMatchObject({ state: 'idle', accepted: 1, pending: 0 });
    await controller.stop();
    expect(controller.status().state).toBe('stopped');
  });

  it("outcome events carry the dose's reporting state from the store, never the registry's words", async () => {
    const t = testStore();
    const time = new VirtualTime();
    try {
      const s = seed(t.store, { lot: { dosesOnHand: 10 } });
      const edited = t.store.doses.record(s.dose(), NURSE, TODAY).dose;
      // Edited before the add went out: the add's acceptance leaves the dose waiting for the update.
      t.store.doses.edit(edited.id, s.dose({ site: 'RD' }), edited.version, NURSE, TODAY);
      const refused = t.store.doses.record(s.dose({ cvx: '08', administeredTime: '11:00' }), NURSE, TODAY).dose;
      const secret = 'PID-7 date of birth 1990-01-20 does not match the registry.';
      const transport = new ScriptedTransport((hl7) =>
        hl7.includes(refused.id) ? { kind: 'needs_person', code: 'unknown_fault', reason: secret } : { kind: 'delivered', ackText: ack(hl7), ackSegments: [] },
      );
      const seen: ApiSyncEvent[] = [];
      const controller = createSyncController({
        store: t.store,
        transport,
        buildMessage: fakeMessage,
        clock: time.clock,
        monotonic: time.monotonic,
        timers: time.timers,
        mode: () => 'training',
        statusIntervalMs: 100,
      });
      controller.onStatus((e) => seen.push(e));
      controller.kick('dose_saved');
      await time.advance(5_000);
      await controller.stop();

      const outcomes = seen.filter((e) => e.type === 'outcome');
      const forEdited = outcomes.filter((e) => e.doseId === edited.id);
      expect(forEdited.map((e) => [e.outcome, e.reporting?.state])).toEqual([
        ['accepted', 'waiting'],
        ['accepted', 'accepted'],
      ]);
      expect(outcomes.find((e) => e.doseId === refused.id)).toMatchObject({ outcome: 'rejected', reporting: { state: 'rejected', messageCount: 1 } });
      expect(JSON.stringify(seen)).not.toContain('1990-01-20');
    } finally {
      t.done();
    }
  });
});
