import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FAULT_KINDS, measureSimulatorCapacity, sampleVxu, startRegistrySimulator } from '../../../sync/sim';
import { FaultPlan } from '../../../sync/sim/faults';
import { createSoapTransport, massachusettsPreset } from '../../../sync/transport';
import { setField, SimHarness } from './helpers';

let h: SimHarness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

describe('what the simulator keeps', () => {
  it('answers a resent MSH-10 with the same ACK and never counts it twice', async () => {
    h = await SimHarness.start();
    const msg = sampleVxu({ controlId: 'C1', doseId: 'D1' });
    const first = await h.send(msg);
    const second = await h.send(msg);
    expect(second.text).toBe(first.text);
    expect(h.sim.stats).toMatchObject({ adds: 1, held: 1, resends: 1, processed: 1, duplicates: 0, controlIdConflicts: 0 });
    expect(h.sim.received().map((r) => r.outcome)).toEqual(['processed', 'resend']);
  });

  it('counts a dose reported twice under different MSH-10s as a duplicate', async () => {
    h = await SimHarness.start();
    await h.send(sampleVxu({ controlId: 'C1', doseId: 'D1' }));
    await h.send(sampleVxu({ controlId: 'C2', doseId: 'D1' }));
    expect(h.sim.stats).toMatchObject({ duplicates: 1, held: 1 });
  });

  it('notices a reused MSH-10 carrying different content', async () => {
    h = await SimHarness.start();
    await h.send(sampleVxu({ controlId: 'C1', doseId: 'D1' }));
    await h.send(sampleVxu({ controlId: 'C1', doseId: 'D1', lot: 'OTHER' }));
    expect(h.sim.stats).toMatchObject({ controlIdConflicts: 1, resends: 1 });
    expect(h.sim.accepted()[0]?.lot).toBe('LOT123');
  });

  it('applies RXA-21: an update replaces the dose, a delete removes it', async () => {
    h = await SimHarness.start();
    await h.send(sampleVxu({ controlId: 'C1', doseId: 'D1' }));
    await h.send(sampleVxu({ controlId: 'C2', doseId: 'D2' }));
    expect((await h.send(sampleVxu({ controlId: 'C3', doseId: 'D1', lot: 'FIXED', action: 'U' }))).code).toBe('AA');
    expect(h.sim.accepted().find((d) => d.fillerOrderId === 'D1')).toMatchObject({ lot: 'FIXED', version: 2, controlId: 'C3' });
    expect((await h.send(sampleVxu({ controlId: 'C4', doseId: 'D2', action: 'D' }))).code).toBe('AA');
    expect(h.sim.accepted().map((d) => d.fillerOrderId)).toEqual(['D1']);
    expect(h.sim.stats).toMatchObject({ adds: 2, updates: 1, deletes: 1, held: 1, duplicates: 0 });
  });

  it('warns about a delete of a dose it does not hold', async () => {
    h = await SimHarness.start();
    const ack = await h.send(sampleVxu({ controlId: 'C1', doseId: 'NOPE', action: 'D' }));
    expect(ack.code).toBe('AE');
    expect(ack.errs).toEqual([expect.stringMatching(/^ORC\^1\^3\|204\|W\|/)]);
  });

  it('keeps doses of different facilities apart', async () => {
    h = await SimHarness.start();
    await h.send(sampleVxu({ controlId: 'C1', doseId: 'D1', facility: 'A1' }));
    await h.send(sampleVxu({ controlId: 'C1', doseId: 'D1', facility: 'B2' }));
    expect(h.sim.accepted().map((d) => d.key).sort()).toEqual(['A1|D1^DoseDesk', 'B2|D1^DoseDesk']);
    expect(h.sim.stats.duplicates).toBe(0);
  });

  it('records every received message to a folder', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'dosedesk-sim-rec-'));
    try {
      h = await SimHarness.start({ recordDir: path.join(dir, 'in') });
      const a = sampleVxu({ controlId: 'C1', doseId: 'D1' });
      const b = setField(sampleVxu({ controlId: 'C/2', doseId: 'D2' }), 'RXA', 15, '');
      await h.send(a);
      await h.send(b);
      const files = readdirSync(path.join(dir, 'in')).sort();
      expect(files).toEqual(['000001-C1.hl7', '000002-C_2.hl7']);
      expect(readFileSync(path.join(dir, 'in', files[1] as string), 'utf8')).toBe(b);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('limits an account to its facilities', async () => {
    h = await SimHarness.start({ users: [{ username: 'dosedesk', password: 'training', facilityIds: ['OTHER'] }] });
    expect(await h.transport.submit(sampleVxu({ controlId: 'C1', doseId: 'D1' }))).toMatchObject({ kind: 'auth', code: 'security_fault' });
    expect(h.sim.stats.securityRejections).toBe(1);
  });

  it('forgets everything on reset', async () => {
    h = await SimHarness.start();
    await h.send(sampleVxu({ controlId: 'C1', doseId: 'D1' }));
    h.sim.reset();
    expect(h.sim.accepted()).toEqual([]);
    expect(h.sim.received()).toEqual([]);
    expect((await h.send(sampleVxu({ controlId: 'C1', doseId: 'D1' }))).code).toBe('AA');
    expect(h.sim.stats).toMatchObject({ resends: 0, adds: 1, requests: 1 });
  });
});

describe('fault plan', () => {
  it('is deterministic for a seed and spreads faults by their rates', () => {
    const settings = { seed: 42, http503Rate: 0.2, dropConnectionRate: 0.1, lostAckRate: 0.1 };
    const a = new FaultPlan(settings);
    const b = new FaultPlan(settings);
    const seqA = Array.from({ length: 1000 }, () => a.next());
    const seqB = Array.from({ length: 1000 }, () => b.next());
    expect(seqA).toEqual(seqB);
    const count = (k: string) => seqA.filter((x) => x === k).length;
    expect(count('http503')).toBeGreaterThan(150);
    expect(count('http503')).toBeLessThan(250);
    expect(count('drop')).toBeGreaterThan(60);
    expect(count('lostAck')).toBeGreaterThan(60);
    expect(count('timeout')).toBe(0);
    const c = new FaultPlan({ ...settings, seed: 43 });
    expect(Array.from({ length: 1000 }, () => c.next())).not.toEqual(seqA);
  });

  it('serves queued faults first, in order', () => {
    const p = new FaultPlan();
    p.failNext(2, 'http500');
    p.failNext(1, 'lostAck');
    expect([p.next(), p.next(), p.next(), p.next()]).toEqual(['http500', 'http500', 'lostAck', null]);
    expect(FAULT_KINDS).toContain('malformedEnvelope');
  });

  it('refuses rates outside 0..1', () => {
    expect(() => new FaultPlan({ http500Rate: 1.5 })).toThrow(/between 0 and 1/);
  });

  it('switches rates at run time', async () => {
    h = await SimHarness.start();
    h.sim.setFaults({ http503Rate: 1, retryAfterSeconds: 2 });
    expect(await h.transport.submit(sampleVxu({ controlId: 'F1', doseId: 'D1' }))).toMatchObject({ kind: 'retry', code: 'unavailable', retryAfterMs: 2000 });
    h.sim.setFaults({});
    expect((await h.send(sampleVxu({ controlId: 'F1', doseId: 'D1' }))).code).toBe('AA');
    expect(h.sim.stats.faults).toEqual({ http503: 1 });
  });

  it('holds every answer for the configured latency', async () => {
    h = await SimHarness.start({ faults: { latencyMs: 1500 } });
    const impatient = createSoapTransport(massachusettsPreset({ url: h.sim.url, facilityId: '10144', username: 'dosedesk', password: 'training' }, { timeoutMs: 200 }));
    try {
      expect(await impatient.submit(sampleVxu({ controlId: 'L1', doseId: 'D1' }))).toMatchObject({ kind: 'retry', code: 'timeout' });
    } finally {
      impatient.dispose();
    }
  });
});

describe('capacity', () => {
  it('fires pre-built valid messages and reports messages per second', async () => {
    const sim = await startRegistrySimulator({ now: () => new Date('2025-10-20T12:00:00Z') });
    try {
      const result = await measureSimulatorCapacity({ url: sim.url, concurrency: 4, count: 40 });
      expect(result).toMatchObject({ messages: 40, failures: 0 });
      expect(result.messagesPerSecond).toBeGreaterThan(0);
      expect(sim.stats).toMatchObject({ processed: 40, held: 40, duplicates: 0 });
      expect(sim.stats.acks.AA).toBe(40);
    } finally {
      await sim.stop();
    }
  });
});
