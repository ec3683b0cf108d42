import Database from 'better-sqlite3';
import type { FaultKind } from '../../../sync/sim';
import { canMountTmpfs, smallDisk, type SmallDisk } from './support/small-disk';
import { NURSE, world, unsettled, type World } from './support/world';

const mount = canMountTmpfs();
if (!mount.ok) console.warn(`[engine sim] skipping the full-disk case: ${mount.reason}`);

// The engine with real parts: a SQLite store on disk, the SOAP transport, the VXU builder, and
// the registry simulator over loopback HTTP with its fault injection. Every test ends by checking
// the two promises: each recorded dose is at the registry exactly once, and every resend of a
// control id carried the same bytes.

function assertSameBytesPerControlId(w: World): void {
  const byId = new Map<string, Set<string>>();
  for (const r of w.sim.received()) {
    if (!r.controlId || r.hl7 === undefined) continue;
    const set = byId.get(r.controlId) ?? new Set<string>();
    set.add(r.hl7);
    byId.set(r.controlId, set);
  }
  for (const [id, texts] of byId) expect(texts.size, `resends of ${id} differ`).toBe(1);
  expect(w.sim.stats.controlIdConflicts).toBe(0);
}

/** Every dose id recorded is held by the registry exactly once, and nothing else is. */
function assertExactlyOnce(w: World, doseIds: string[]): void {
  const held = w.sim.accepted().map((d) => d.fillerOrderId.split('^')[0] ?? '');
  expect(new Set(held).size).toBe(held.length);
  expect([...held].sort()).toEqual([...doseIds].sort());
  expect(w.sim.stats.duplicates).toBe(0);
}

describe('sync engine against the registry simulator (loopback HTTP, SQLite on disk)', () => {
  let w: World;
  afterEach(async () => {
    await w?.close();
  });

  it('drains every dose exactly once, one patient at a time and in order, with bounded concurrency', async () => {
    w = await world({ patients: 10, sim: { faults: { latencyMs: [2, 10], seed: 7 } } });
    const ids = w.record(60);
    const engine = w.engine({ concurrency: 6 });
    engine.start();
    await w.settled();
    expect(w.store.outbox.stats()).toMatchObject({ accepted: 60, warning: 0, rejected: 0 });
    assertExactlyOnce(w, ids);
    // Per patient, the registry saw that patient's messages in outbox order.
    const seqsByPatient = new Map<string, number[]>();
    for (const r of w.sim.received()) {
      const entry = r.controlId ? w.store.outbox.byControlId(r.controlId) : undefined;
      if (!entry) continue;
      seqsByPatient.set(entry.patientId, [...(seqsByPatient.get(entry.patientId) ?? []), entry.seq]);
    }
    expect(seqsByPatient.size).toBe(10);
    for (const seqs of seqsByPatient.values()) expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    const status = engine.status();
    expect(status).toMatchObject({ state: 'idle', pending: 0, inFlight: 0, done: 60, failed: 0 });
    expect(status.lastSuccessAt).toBeDefined();
  });

  it('B.5 #3: a lost ACK is followed by a resend of the same bytes; the registry dedupes and the entry is accepted once', async () => {
    w = await world({ patients: 3 });
    const ids = w.record(3);
    w.sim.failNext(2, 'lostAck');
    w.engine({ concurrency: 1 }).start();
    await w.settled();
    expect(w.sim.stats.resends).toBe(2);
    expect(w.store.outbox.stats().accepted).toBe(3);
    assertExactlyOnce(w, ids);
    assertSameBytesPerControlId(w);
    const audit = w.store.audit.list({ limit: 500 }).filter((a) => a.action === 'outbox.accepted');
    expect(audit).toHaveLength(3);
  });

  const transient: FaultKind[] = ['drop', 'timeout', 'http500', 'http503', 'http429', 'unknownFault', 'malformedEnvelope', 'nonHl7Return', 'lostAck'];
  it.each(transient)('fault %s, injected three times: retried with the same bytes, nothing lost, nothing doubled', async (kind) => {
    w = await world({ patients: 4, sim: { faults: { retryAfterSeconds: 1 } }, timeoutMs: 300 });
    const ids = w.record(4);
    w.sim.failNext(3, kind);
    const engine = w.engine({ concurrency: 2 });
    engine.start();
    await w.settled();
    expect(w.store.outbox.stats()).toMatchObject({ accepted: 4, rejected: 0 });
    expect(w.sim.stats.faults[kind]).toBe(3);
    assertExactlyOnce(w, ids);
    assertSameBytesPerControlId(w);
    const retried = w.events.filter((e) => e.type === 'retry');
    expect(retried.length).toBeGreaterThanOrEqual(3);
  });

  it('a SecurityFault pauses the whole queue (needs configuration) without failing any dose, until settings change', async () => {
    w = await world({ patients: 5 });
    const ids = w.record(5);
    w.sim.failNext(1, 'securityFault');
    const engine = w.engine({ concurrency: 1 });
    engine.start();
    await w.waitFor(() => engine.status().state === 'needs_configuration', 'the pause');
    await new Promise((r) => setTimeout(r, 300));
    expect(w.sim.stats.submits).toBe(1);
    expect(w.store.outbox.stats()).toMatchObject({ pending: 5, rejected: 0 });
    expect(engine.status().configurationProblem?.message).toMatch(/password|credentials/i);
    engine.kick('settings_changed');
    await w.settled();
    assertExactlyOnce(w, ids);
  });

  it('a site problem (the endpoint answers UnsupportedOperationFault) pauses without failing a dose, is probed for, and reporting resumes on its own', async () => {
    w = await world({ patients: 5 });
    const ids = w.record(5);
    w.sim.failNext(3, 'unsupportedOperationFault');
    const engine = w.engine({ concurrency: 1 });
    engine.start();
    await w.waitFor(() => engine.status().state === 'needs_configuration', 'the pause');
    expect(engine.status().configurationProblem?.code).toBe('unsupported_operation');
    expect(w.store.outbox.stats().rejected).toBe(0);
    // No kick, no settings change: the probes find the problem gone.
    await w.settled(10_000);
    expect(w.sim.stats.faults.unsupportedOperationFault).toBe(3);
    expect(w.store.outbox.stats()).toMatchObject({ accepted: 5, rejected: 0 });
    assertExactlyOnce(w, ids);
    expect(w.events.filter((e) => e.type === 'paused')).toHaveLength(1);
    expect(w.events).toContainEqual({ type: 'resumed', reason: 'probe' });
  });

  describe.skipIf(!mount.ok)('on a real small disk', () => {
    let disk: SmallDisk | undefined;
    afterEach(async () => {
      await w?.close();
      disk?.unmount();
      disk = undefined;
    });

    it('a full disk stops reporting visibly (store_disk_full) and reporting resumes by itself once space is freed; every dose exactly once', async () => {
      disk = smallDisk(3 * 1024 * 1024);
      w = await world({ patients: 4, dir: disk.dir });
      const ids = w.record(8);
      disk.fill();
      const engine = w.engine({ concurrency: 2 });
      engine.start();
      await w.waitFor(() => engine.status().state === 'store_error', 'reporting to stop on the full disk', 10_000);
      expect(engine.status().storeProblem?.code).toBe('store_disk_full');
      expect(engine.status().storeProblem?.message).toMatch(/disk is full/);
      disk.free();
      await w.settled(15_000);
      await w.waitFor(() => engine.status().state === 'idle', 'reporting to be back to idle', 10_000);
      expect(engine.status().storeProblem).toBeUndefined();
      expect(w.store.outbox.stats()).toMatchObject({ accepted: 8, rejected: 0 });
      assertExactlyOnce(w, ids);
      assertSameBytesPerControlId(w);
    });
  });

  it('a MessageTooLargeFault sends that one dose to the work queue and the rest go on', async () => {
    w = await world({ patients: 3 });
    const ids = w.record(3);
    w.sim.failNext(1, 'messageTooLargeFault');
    w.engine({ concurrency: 1 }).start();
    await w.settled();
    expect(w.store.outbox.stats()).toMatchObject({ accepted: 2, rejected: 1 });
    const [rejected] = w.store.outbox.workQueue();
    expect(rejected?.registryMessages[0]?.text).toMatch(/too large/);
    expect(w.sim.accepted()).toHaveLength(2);
    expect(ids).toContain(rejected?.doseId);
  });

  it('mixed random faults at 40%: every dose exactly once, byte-identical resends', async () => {
    w = await world({
      patients: 25,
      timeoutMs: 250,
      sim: {
        faults: {
          seed: 4242,
          latencyMs: [0, 5],
          dropConnectionRate: 0.06,
          timeoutRate: 0.03,
          http500Rate: 0.06,
          http503Rate: 0.03,
          unknownFaultRate: 0.05,
          malformedEnvelopeRate: 0.05,
          nonHl7ReturnRate: 0.05,
          lostAckRate: 0.07,
          retryAfterSeconds: 0,
        },
      },
    });
    const ids = w.record(150);
    w.engine({ concurrency: 8 }).start();
    await w.settled();
    expect(w.store.outbox.stats()).toMatchObject({ accepted: 150, rejected: 0 });
    const injected = Object.values(w.sim.stats.faults).reduce((a, b) => a + (b ?? 0), 0);
    expect(injected).toBeGreaterThan(30);
    assertExactlyOnce(w, ids);
    assertSameBytesPerControlId(w);
  });

  // The test's own time limit follows from its work: recording and twice draining this many
  // doses, at a generous 100 ms a dose (a few ms on an idle machine). Each wait inside fails only
  // when the work stops moving, however slowly a loaded machine does it.
  const OUTAGE_DOSES = 1_200;
  const outageBudgetMs = 60_000 + 3 * OUTAGE_DOSES * 100;
  it('B.5 #9, #10 and #24: a long outage with 1,200 pending doses drains after the link returns, in order, with no duplicates', async () => {
    w = await world({ patients: 300, timeoutMs: 500 });
    const ids = w.record(OUTAGE_DOSES);
    w.sim.setFaults({ dropConnectionRate: 1 });
    const engine = w.engine({ concurrency: 8, backoff: { baseMs: 50, capMs: 400 } });
    engine.start();
    const requests = () => w.sim.stats.requests;
    await w.waitFor(() => w.sim.stats.requests >= 15, 'probes during the outage', 30_000, requests);
    // The registry is down: the engine probes one message at a time instead of trying all 1,200.
    expect(w.sim.stats.requests).toBeLessThan(60);
    expect(engine.status().state).toBe('offline');
    expect(unsettled(w.store.outbox.stats())).toBe(1_200);
    expect(w.store.outbox.stats().accepted).toBe(0);
    const before = w.sim.stats.requests;
    await w.waitFor(() => w.sim.stats.requests > before + 2, 'attempts continuing on schedule without any new local write', 30_000, requests);
    // Link back; the OS hint sends at once instead of waiting for the timer. The first answers
    // back are lost on the way (the registry stored those doses): resent, deduped by MSH-10.
    w.sim.setFaults({});
    w.sim.failNext(5, 'lostAck');
    engine.kick('network_up');
    await w.settled();
    expect(w.store.outbox.stats().accepted).toBe(1_200);
    assertExactlyOnce(w, ids);
    // Resend storm: everything is reset to pending (a lost checkpoint) and sent again.
    const db = new Database(w.path);
    db.prepare("UPDATE outbox SET state = 'pending', next_attempt_at = '2000-01-01T00:00:00.000Z'").run();
    db.close();
    const eventsBefore = w.events.length;
    // The first drain may have had resends of its own (a send that timed out on a loaded machine).
    const resendsBefore = w.sim.stats.resends;
    engine.kick('manual');
    await w.settled();
    // Every dose resent once; on a loaded machine a send may time out and go once more, and
    // each such extra resend shows as a logged retry (none is unexplained).
    const retriedInStorm = w.events.slice(eventsBefore).filter((e) => e.type === 'retry').length;
    const stormResends = w.sim.stats.resends - resendsBefore;
    expect(stormResends).toBeGreaterThanOrEqual(1_200);
    expect(stormResends).toBeLessThanOrEqual(1_200 + retriedInStorm);
    assertExactlyOnce(w, ids);
    assertSameBytesPerControlId(w);
  }, outageBudgetMs);

  it('a rejected dose is fixed and resubmitted: the corrected add reaches the registry, once', async () => {
    // The registry's clock says 18 November (it allows one day of slack): a dose dated the 20th is "in the future" there.
    w = await world({ patients: 2, sim: { now: () => new Date('2026-11-18T17:00:00Z') } });
    const onDay = (day: string) => ({ administeredOn: day, vis: [{ documentType: 'Influenza VIS', editionDate: '2023-08-06', presentedOn: day }] });
    const good = w.record(1, onDay('2026-11-17'));
    const bad = w.record(1, onDay('2026-11-20'));
    const engine = w.engine();
    engine.start();
    await w.settled();
    expect(w.store.outbox.stats(), JSON.stringify(w.store.outbox.workQueue())).toMatchObject({ accepted: 1, rejected: 1 });
    const [item] = w.store.outbox.workQueue();
    expect(item?.doseId).toBe(bad[0]);
    expect(item?.registryMessages).toContainEqual(expect.objectContaining({ severity: 'error', field: 'dose.administeredOn', location: 'RXA-3' }));
    expect(w.store.doses.get(bad[0] as string, NURSE)?.reporting.state).toBe('rejected');
    const dose = w.store.doses.get(bad[0] as string, NURSE);
    if (!dose) throw new Error('dose missing');
    const { reporting: _r, id: _id, recordedAt: _ra, recordedBy: _rb, updatedAt: _u, version, ...fields } = dose;
    void [_r, _id, _ra, _rb, _u];
    w.store.doses.edit(dose.id, { ...fields, ...onDay('2026-11-19') }, version, NURSE, '2026-11-20');
    engine.kick('dose_recorded');
    await w.settled();
    assertExactlyOnce(w, [...good, ...bad]);
    expect(w.store.doses.get(dose.id, NURSE)?.reporting.state).toBe('accepted');
    expect(w.sim.stats.acks.AR + w.sim.stats.acks.AE).toBe(1);
  });

  // The registry's clock says 18 November (it allows one day of slack): a dose dated the 20th is
  // "in the future" there and rejected; every answer takes 300 ms, so an edit or a delete can be
  // made while the add is on the wire.
  const rejectingSlowly = { now: () => new Date('2026-11-18T17:00:00Z'), faults: { latencyMs: 300 } };
  const onDay = (day: string) => ({ administeredOn: day, vis: [{ documentType: 'Influenza VIS', editionDate: '2023-08-06', presentedOn: day }] });
  const editable = (id: string) => {
    const dose = w.store.doses.get(id, NURSE);
    if (!dose) throw new Error('dose missing');
    const { reporting: _r, id: _id, recordedAt: _ra, recordedBy: _rb, updatedAt: _u, deletedAt: _d, version, ...fields } = dose;
    void [_r, _id, _ra, _rb, _u, _d];
    return { fields, version };
  };
  const onTheWire = (id: string) => w.waitFor(() => w.store.outbox.stats().sending === 1 && w.sim.stats.requests === 1, `the add of ${id} to be on the wire`);

  it('a dose deleted while its add is on the wire, whose add the registry rejects: the story ends there, visibly, and nothing waits', async () => {
    w = await world({ patients: 1, sim: rejectingSlowly });
    const [id] = w.record(1, onDay('2026-11-20')) as [string];
    const engine = w.engine();
    engine.start();
    await onTheWire(id);
    const del = w.store.doses.remove(id, 'Recorded on the wrong patient', NURSE).outbox;
    expect(del?.action).toBe('D');
    engine.kick('dose_recorded');
    await w.settled(8_000);
    await engine.whenIdle();

    // Nothing is waiting, nothing is in the work queue, no deadline is pending, and nothing more went out.
    expect(w.store.outbox.stats()).toMatchObject({ pending: 0, sending: 0, rejected: 0, accepted: 0 });
    expect(w.store.outbox.stats().nextDeadlineAt).toBeUndefined();
    expect(w.store.outbox.hasUnsent()).toBe(false);
    expect(w.store.outbox.workQueue()).toEqual([]);
    expect(w.sim.received()).toHaveLength(1);
    expect(w.sim.accepted()).toEqual([]);
    expect(engine.status()).toMatchObject({ state: 'idle', pending: 0, failed: 0 });
    // Visible: the chart says why, and the log names both closed entries.
    const chart = w.store.doses.listForPatient(w.seeded.patientIds[0] as string, NURSE, { includeDeleted: true })[0];
    expect(chart?.reporting).toMatchObject({ state: 'cancelled', messages: [expect.objectContaining({ severity: 'info', text: expect.stringMatching(/in the future.*nothing to delete/s) })] });
    const closed = w.events.filter((e) => e.type === 'closed');
    expect(closed.map((e) => (e as { seq: number }).seq).sort()).toEqual([1, del?.seq].sort());
  });

  it('a dose edited while its add is on the wire, rejected and then fixed: exactly one corrected add goes out, the stale update never does', async () => {
    // Cranberry: an update of a dose the registry does not hold is rejected (as MIIS does).
    w = await world({ patients: 1, sim: { ...rejectingSlowly, quirks: ['cranberry'] } });
    const [id] = w.record(1, onDay('2026-11-20')) as [string];
    const engine = w.engine();
    engine.start();
    await onTheWire(id);
    const first = editable(id);
    w.store.doses.edit(id, { ...first.fields, site: 'RD' }, first.version, NURSE, '2026-11-20');
    await w.waitFor(() => w.store.outbox.stats().rejected === 1, 'the add to come back rejected');
    // The nurse fixes the date from the work queue.
    const second = editable(id);
    w.store.doses.edit(id, { ...second.fields, ...onDay('2026-11-18') }, second.version, NURSE, '2026-11-20');
    engine.kick('dose_recorded');
    await w.settled(8_000);

    const sent = w.sim.received().map((r) => (r.controlId ? w.store.outbox.byControlId(r.controlId)?.action : undefined));
    expect(sent).toEqual(['A', 'A']);
    expect(w.sim.stats).toMatchObject({ adds: 1, updates: 0, unknownKeys: 0, duplicates: 0 });
    expect(w.sim.stats.acks).toMatchObject({ AA: 1, AE: 1 });
    assertExactlyOnce(w, [id]);
    expect(w.sim.accepted()[0]?.administeredAt).toMatch(/^20261118/);
    expect(w.store.outbox.stats()).toMatchObject({ pending: 0, rejected: 0, accepted: 1 });
    expect(w.store.doses.get(id, NURSE)?.reporting.state).toBe('accepted');
  });

  it('an update and a delete after an add reach the registry in order', async () => {
    w = await world({ patients: 1, sim: { quirks: ['cranberry'] } });
    const [id] = w.record(1);
    const actor = NURSE;
    const dose = w.store.doses.get(id as string, actor);
    if (!dose) throw new Error('dose missing');
    const { reporting: _r, id: _id, recordedAt: _ra, recordedBy: _rb, updatedAt: _u, version, ...fields } = dose;
    void [_r, _id, _ra, _rb, _u];
    // Edited before anything was sent: the update must still wait for its add (cranberry rejects
    // an update the registry does not hold).
    w.store.doses.edit(dose.id, { ...fields, amountMl: 0.25 }, version, actor, '2026-11-20');
    const engine = w.engine();
    engine.start();
    await w.settled();
    expect(w.sim.stats).toMatchObject({ adds: 1, updates: 1, unknownKeys: 0 });
    expect(w.sim.accepted()[0]?.version).toBe(2);
    w.store.doses.remove(dose.id, 'Recorded on the wrong patient', actor);
    engine.kick('dose_recorded');
    await w.settled();
    expect(w.sim.stats).toMatchObject({ adds: 1, updates: 1, deletes: 1, unknownKeys: 0, duplicates: 0 });
    expect(w.sim.accepted()).toHaveLength(0);
    const actions = w.sim.received().map((r) => (r.controlId ? w.store.outbox.byControlId(r.controlId)?.action : undefined));
    expect(actions).toEqual(['A', 'U', 'D']);
  });

  it('B.5 #18: switching the endpoint while entries are unsent deletes nothing local; the rest goes to the new endpoint', async () => {
    w = await world({ patients: 5 });
    const ids = w.record(10);
    const { startRegistrySimulator } = await import('../../../sync/sim');
    const { transportFor } = await import('./support/world');
    const other = await startRegistrySimulator();
    const second = transportFor(other.url);
    try {
      let current = w.transport;
      w.sim.failNext(1000, 'drop');
      const engine = w.engine({ transport: () => current });
      engine.start();
      await w.waitFor(() => w.sim.stats.requests >= 3, 'attempts at the first endpoint');
      expect(w.store.outbox.stats().accepted).toBe(0);
      current = second;
      engine.kick('settings_changed');
      await w.settled();
      expect(w.store.outbox.stats()).toMatchObject({ accepted: 10, pending: 0, rejected: 0 });
      expect(other.accepted().map((d) => d.fillerOrderId.split('^')[0]).sort()).toEqual([...ids].sort());
      expect(w.sim.accepted()).toHaveLength(0);
    } finally {
      second.dispose();
      await other.stop();
    }
  });

  it('B.5 #20: bytes stored by an earlier version are sent as stored, not rebuilt', async () => {
    w = await world({ patients: 1 });
    const [id] = w.record(1);
    const [entry] = w.store.outbox.claimDue(new Date(), 1, 60_000);
    if (!entry) throw new Error('no entry');
    // What version N built (its own sending application name), then a crash before the send.
    const { buildVxu } = await import('../../../sync/hl7/vxu');
    const { siteHl7Config, SITE } = await import('./support/world');
    const dose = w.store.doses.get(entry.doseId, NURSE);
    const patient = w.store.patients.get(entry.patientId, NURSE);
    if (!dose || !patient) throw new Error('records missing');
    const oldText = buildVxu({
      patient,
      dose,
      action: 'A',
      messageControlId: entry.messageControlId,
      sentAt: new Date('2026-11-20T15:00:00Z'),
      config: { ...siteHl7Config(), sendingApplication: { namespaceId: 'DoseDesk-0.9' } },
    });
    w.store.outbox.setMessage(entry.seq, oldText);
    w.store.outbox.recoverInFlight(new Date());
    w.engine().start();
    await w.settled();
    expect(w.sim.received().map((r) => r.hl7)).toEqual([oldText]);
    assertExactlyOnce(w, [id as string]);
    expect(SITE.vaccinePin).toBe('PIN1001');
    expect(unsettled(w.store.outbox.stats())).toBe(0);
  });
});
