import type { SubmitOutcome } from '../../../sync/transport/types';
import { toApiStatus } from '../../../electron/services/engine-controller';
import type { SyncEvent, SyncStatus } from '../../../sync/engine/types';
import { ack, controlIdOf, fakeMessage, gate, retryOutcome } from './support/fakes';
import { rig } from './support/harness';

// The engine against in-memory fakes in virtual time: every rule of the outbox state machine,
// one at a time, with exact expectations. The same rules over real HTTP and SQLite are in
// engine.sim.test.ts; crashes in crash.test.ts.

const deliveredAa = (hl7: string): SubmitOutcome => ({ kind: 'delivered', ackText: ack(hl7), ackSegments: [] });

describe('sync engine (fakes, virtual time)', () => {
  it('drains in seq order, builds each message once, stores it and records the ACK', async () => {
    const r = rig({ concurrency: 1 });
    for (let i = 0; i < 5; i++) r.outbox.add({ patientId: `P${i}` });
    r.engine.start();
    await r.time.settle();
    expect(r.transport.sentControlIds()).toEqual(['MCI-1', 'MCI-2', 'MCI-3', 'MCI-4', 'MCI-5']);
    expect(r.builds).toEqual([1, 2, 3, 4, 5]);
    for (const e of r.outbox.entries) {
      expect(e.state).toBe('accepted');
      expect(e.messageText).toBe(r.transport.sent[e.seq - 1]);
      expect(e.ackCode).toBe('AA');
    }
    const s = r.engine.status();
    expect(s).toMatchObject({ state: 'idle', pending: 0, inFlight: 0, done: 5, failed: 0 });
    expect(s.lastSuccessAt).toBeDefined();
    await r.engine.stop();
    expect(r.engine.status().state).toBe('stopped');
  });

  it('a retry resends the stored bytes with the same MSH-10 and never rebuilds', async () => {
    const r = rig();
    r.outbox.add({ patientId: 'P1' });
    r.transport.script = (hl7, call) => (call < 3 ? { kind: 'retry', code: 'timeout', reason: 'slow', maybeDelivered: true } : deliveredAa(hl7));
    r.engine.start();
    await r.time.advance(10 * 60_000);
    expect(r.transport.sent).toHaveLength(4);
    expect(new Set(r.transport.sent).size).toBe(1);
    expect(r.builds).toEqual([1]);
    expect(r.outbox.entries[0]).toMatchObject({ state: 'accepted', attempts: 4 });
    await r.engine.stop();
  });

  it('sends with bounded concurrency while keeping each patient one-at-a-time and in order', async () => {
    const r = rig({ concurrency: 3 });
    const held: { open: (o: SubmitOutcome) => void; hl7: string }[] = [];
    r.transport.script = (hl7) => {
      const g = gate<SubmitOutcome>();
      held.push({ open: g.open, hl7 });
      return g.promise;
    };
    // Patient A has three entries, B two, C..F one each.
    const plan = ['A', 'B', 'A', 'C', 'D', 'B', 'A', 'E', 'F'];
    for (const p of plan) r.outbox.add({ patientId: p });
    r.engine.start();
    for (let round = 0; round < 20 && r.outbox.entries.some((e) => e.state !== 'accepted'); round++) {
      await r.time.settle();
      expect(r.transport.active).toBeLessThanOrEqual(3);
      const next = held.shift();
      if (next) next.open(deliveredAa(next.hl7));
    }
    await r.time.settle();
    expect(r.outbox.entries.every((e) => e.state === 'accepted')).toBe(true);
    expect(r.transport.maxActive).toBe(3);
    expect(r.transport.patientOverlap).toBe(false);
    const order = r.transport.sentControlIds().map((id) => Number(id.slice(4)));
    for (const p of ['A', 'B']) {
      const seqs = order.filter((seq) => plan[seq - 1] === p);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    }
    await r.engine.stop();
  });

  it('B.5 #13: a rejected dose goes to the work queue with the registry text and field, and blocks no one else', async () => {
    const r = rig({ concurrency: 2 });
    const bad = r.outbox.add({ patientId: 'P1', doseId: 'D-bad' });
    const otherDoseSamePatient = r.outbox.add({ patientId: 'P1', doseId: 'D-ok' });
    const update = r.outbox.add({ patientId: 'P1', doseId: 'D-bad', action: 'U' });
    const others = [r.outbox.add({ patientId: 'P2' }), r.outbox.add({ patientId: 'P3' })];
    r.transport.script = (hl7) =>
      controlIdOf(hl7) === bad.messageControlId
        ? {
            kind: 'delivered',
            ackText: ack(hl7, 'AE', [
              { location: { segment: 'RXA', sequence: 1, field: 15 }, hl7Code: '101', severity: 'E', applicationCode: '7', userMessage: 'Lot number is required.' },
            ]),
            ackSegments: [],
          }
        : deliveredAa(hl7);
    r.engine.start();
    await r.time.advance(5_000);
    const rejected = r.outbox.get(bad.seq);
    expect(rejected?.state).toBe('rejected');
    expect(rejected?.registryMessages).toEqual([expect.objectContaining({ severity: 'error', text: 'Lot number is required.', field: 'dose.lotNumber', code: '7', location: 'RXA-15' })]);
    expect(r.outbox.get(otherDoseSamePatient.seq)?.state).toBe('accepted');
    for (const o of others) expect(r.outbox.get(o.seq)?.state).toBe('accepted');
    // The update of the rejected dose waits for its add to be fixed: never sent.
    expect(r.outbox.get(update.seq)?.state).toBe('pending');
    expect(r.transport.sentControlIds()).not.toContain(update.messageControlId);
    expect(r.engine.status()).toMatchObject({ failed: 1, done: 3 });
    await r.engine.stop();
  });

  it('AE with only warnings is accepted as a warning and keeps the registry text visible', async () => {
    const r = rig();
    r.outbox.add({ patientId: 'P1' });
    r.transport.script = (hl7) => ({
      kind: 'delivered',
      ackText: ack(hl7, 'AE', [{ location: { segment: 'PID', sequence: 1, field: 22 }, hl7Code: '103', severity: 'W', userMessage: 'Ethnicity code not recognised; stored as unknown.' }]),
      ackSegments: [],
    });
    r.engine.start();
    await r.time.settle();
    const e = r.outbox.entries[0];
    expect(e?.state).toBe('warning');
    expect(e?.registryMessages[0]).toMatchObject({ severity: 'warning', field: 'patient.ethnicity' });
    expect(r.engine.status()).toMatchObject({ done: 1, warnings: 1 });
    await r.engine.stop();
  });

  it('B.5 #11: one claimant per entry; backoff jittered, capped, honours Retry-After', async () => {
    const draws = [0.1, 0.9, 0.5, 0.7, 0.3, 0.99, 0.2, 0.8, 0.6, 0.4];
    let i = 0;
    const r = rig({ random: () => draws[i++ % draws.length] as number, backoff: { baseMs: 1_000, capMs: 8_000 }, maxAttemptsPerHour: 1000 });
    const e = r.outbox.add({ patientId: 'P1' });
    const delays: number[] = [];
    let lastSent = 0;
    r.transport.script = () => {
      lastSent = r.time.nowMs;
      // unknown_fault is not a link failure: the entry's own backoff applies.
      return { kind: 'retry', code: 'unknown_fault', reason: 'registry hiccup', maybeDelivered: true };
    };
    r.engine.start();
    await r.time.settle();
    for (let n = 0; n < 8; n++) {
      const due = Date.parse(r.outbox.get(e.seq)?.nextAttemptAt as string);
      delays.push(due - lastSent);
      await r.time.advance(due - r.time.nowMs + 1);
    }
    // Failure n waits floor(min(cap, base·2^(n-1)) · draw): jittered, and never above the cap.
    // The queue-wide probe hold (after 3 failures in a row) may add waiting, never shorten it.
    const ceilings = [1_000, 2_000, 4_000, 8_000, 8_000, 8_000, 8_000, 8_000];
    delays.forEach((d, n) => {
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThanOrEqual(ceilings[n] as number);
    });
    expect(delays[0]).toBe(100);
    expect(delays[1]).toBe(1_800);
    expect(new Set(delays).size).toBeGreaterThan(3);
    // One claimant: the entry was never claimed while it was already in flight.
    const claims = r.outbox.claims.filter((c) => c.seq === e.seq).map((c) => c.at);
    expect(claims.length).toBe(r.transport.sent.length);
    expect(r.transport.maxActive).toBe(1);

    // Retry-After: 30 s from the registry beats a shorter jittered delay, for the whole queue.
    const r2 = rig({ random: () => 0 });
    const first = r2.outbox.add({ patientId: 'P1' });
    r2.outbox.add({ patientId: 'P2' });
    r2.transport.script = (hl7, call) => (call === 0 ? retryOutcome('rate_limited', 30_000) : deliveredAa(hl7));
    r2.engine.start();
    await r2.time.settle();
    // P2's message was claimed in the same round, before the 429 came back.
    const sentBefore = r2.transport.sent.length;
    expect(Date.parse(r2.outbox.get(first.seq)?.nextAttemptAt as string) - r2.time.nowMs).toBe(30_000);
    expect(r2.engine.status().state).toBe('waiting');
    r2.outbox.add({ patientId: 'P3' });
    r2.engine.kick('dose_recorded');
    await r2.time.advance(29_000);
    expect(r2.transport.sent.length).toBe(sentBefore);
    await r2.time.advance(1_500);
    expect(r2.outbox.entries.every((x) => x.state === 'accepted')).toBe(true);
    await Promise.all([r.engine.stop(), r2.engine.stop()]);
  });

  it('B.5 #9: with the registry down, attempts continue on schedule with no new local write, and resume when it is back', async () => {
    const r = rig({ backoff: { baseMs: 1_000, capMs: 60_000 } });
    for (let i = 0; i < 20; i++) r.outbox.add({ patientId: `P${i}` });
    let down = true;
    r.transport.script = (hl7) => (down ? retryOutcome('network') : deliveredAa(hl7));
    r.engine.start();
    await r.time.settle();
    expect(r.engine.status().state).toBe('offline');
    const afterFirstRound = r.transport.sent.length;
    await r.time.advance(30 * 60_000);
    const during = r.transport.sent.length - afterFirstRound;
    // Probing continued (one message at a time, backing off to the cap): at least one probe per
    // cap interval, far fewer than one per entry per second.
    expect(during).toBeGreaterThanOrEqual(25);
    expect(during).toBeLessThanOrEqual(80);
    expect(r.outbox.entries.every((e) => e.state === 'pending')).toBe(true);
    down = false;
    await r.time.advance(61_000);
    expect(r.outbox.entries.every((e) => e.state === 'accepted')).toBe(true);
    expect(r.engine.status().state).toBe('idle');
    await r.engine.stop();
  });

  it('B.5 #10: a network-up hint triggers a send at once; the attempt decides whether we are online', async () => {
    const r = rig({ backoff: { baseMs: 1_000, capMs: 10 * 60_000 }, random: () => 0.99 });
    for (let i = 0; i < 6; i++) r.outbox.add({ patientId: `P${i}` });
    let down = true;
    r.transport.script = (hl7) => (down ? retryOutcome('network') : deliveredAa(hl7));
    r.engine.start();
    await r.time.advance(20 * 60_000);
    // Step to just after a probe: the next one is then minutes away.
    const probes = r.transport.sent.length;
    for (let i = 0; i < 900 && r.transport.sent.length === probes; i++) await r.time.advance(1_000);
    const held = r.engine.status();
    expect(held.state).toBe('offline');
    expect(Date.parse(held.nextAttemptAt as string) - r.time.nowMs).toBeGreaterThan(60_000);
    // The OS says online but the registry is still down: one probe, nothing changes.
    let sent = r.transport.sent.length;
    r.engine.kick('network_up');
    await r.time.settle();
    expect(r.transport.sent.length).toBe(sent + 1);
    expect(r.outbox.entries.every((e) => e.state === 'pending')).toBe(true);
    // Now it is really back: the next hint drains everything without waiting for the timer.
    down = false;
    sent = r.transport.sent.length;
    r.engine.kick('network_up');
    await r.time.settle();
    expect(r.outbox.entries.every((e) => e.state === 'accepted')).toBe(true);
    expect(r.transport.sent.length).toBe(sent + 6);
    await r.engine.stop();
  });

  it('B.5 #12: stopping during a send does not advance the entry; the same bytes go out next time', async () => {
    const r = rig({ stopGraceMs: 1_000 });
    const e = r.outbox.add({ patientId: 'P1' });
    let aborted = false;
    r.transport.script = (_hl7, _call, opts) =>
      new Promise<SubmitOutcome>((resolve) => {
        opts.signal?.addEventListener('abort', () => {
          aborted = true;
          resolve({ kind: 'retry', code: 'aborted', reason: 'cancelled', maybeDelivered: true });
        });
      });
    r.engine.start();
    await r.time.settle();
    expect(r.outbox.get(e.seq)?.state).toBe('sending');
    const stopping = r.engine.stop();
    await r.time.advance(1_500);
    await stopping;
    expect(aborted).toBe(true);
    const after = r.outbox.get(e.seq);
    expect(after?.state).toBe('pending');
    expect(after?.ackCode).toBeUndefined();
    expect(after?.lastError).toMatch(/^aborted/);
    // A second engine over the same outbox sends exactly the stored bytes.
    const first = r.transport.sent[0];
    r.transport.script = deliveredAa;
    const { createSyncEngine } = await import('../../../sync/engine');
    const again = createSyncEngine({
      store: { outbox: r.outbox },
      transport: r.transport,
      buildMessage: () => 'REBUILT (must not be used)',
      clock: r.time.clock,
      monotonic: r.time.monotonic,
      timers: r.time.timers,
    });
    again.start();
    await r.time.settle();
    expect(r.transport.sent[1]).toBe(first);
    expect(r.outbox.get(e.seq)?.state).toBe('accepted');
    await again.stop();
  });

  it('B.5 #14: every fault class maps to exactly one of retry, reject, or needs-configuration', async () => {
    const cases: { outcome: SubmitOutcome; expect: 'pending' | 'rejected' | 'paused' }[] = [
      { outcome: retryOutcome('timeout'), expect: 'pending' },
      { outcome: retryOutcome('network'), expect: 'pending' },
      { outcome: retryOutcome('http_error'), expect: 'pending' },
      { outcome: retryOutcome('unavailable', 1_000), expect: 'pending' },
      { outcome: { kind: 'retry', code: 'unknown_fault', reason: 'x', maybeDelivered: true }, expect: 'pending' },
      { outcome: { kind: 'retry', code: 'malformed_response', reason: 'x', maybeDelivered: true }, expect: 'pending' },
      { outcome: { kind: 'delivered', ackText: 'this is not HL7', ackSegments: [] }, expect: 'pending' },
      { outcome: { kind: 'auth', code: 'security_fault', reason: 'bad password' }, expect: 'paused' },
      { outcome: { kind: 'auth', code: 'tls_untrusted', reason: 'cert' }, expect: 'paused' },
      { outcome: { kind: 'needs_person', code: 'message_too_large', reason: 'too big' }, expect: 'rejected' },
    ];
    for (const c of cases) {
      const r = rig();
      const e = r.outbox.add({ patientId: 'P1' });
      r.transport.script = () => c.outcome;
      r.engine.start();
      await r.time.settle();
      const got = r.outbox.get(e.seq);
      const status = r.engine.status();
      if (c.expect === 'pending') {
        expect(got?.state).toBe('pending');
        expect(status.state).not.toBe('needs_configuration');
      } else if (c.expect === 'rejected') {
        expect(got?.state).toBe('rejected');
        expect(got?.registryMessages[0]?.text).toBe('too big');
      } else {
        expect(got?.state).toBe('pending');
        expect(status.state).toBe('needs_configuration');
        expect(status.configurationProblem?.code).toBe((c.outcome as { code: string }).code);
      }
      await r.engine.stop();
    }
  });

  it('auth failure pauses the whole queue until a manual retry or a settings change', async () => {
    const r = rig({ concurrency: 1 });
    for (let i = 0; i < 4; i++) r.outbox.add({ patientId: `P${i}` });
    let refused = true;
    r.transport.script = (hl7) => (refused ? { kind: 'auth', code: 'security_fault', reason: 'The registry refused the password.' } : deliveredAa(hl7));
    const seen: SyncStatus[] = [];
    r.engine.onStatus((s) => seen.push(s));
    r.engine.start();
    await r.time.advance(60 * 60_000);
    expect(r.transport.sent).toHaveLength(1);
    expect(r.outbox.entries.every((e) => e.state === 'pending')).toBe(true);
    expect(seen.some((s) => s.state === 'needs_configuration' && s.configurationProblem?.message.includes('password'))).toBe(true);
    r.engine.kick('network_up');
    r.engine.kick('dose_recorded');
    await r.time.advance(60_000);
    expect(r.transport.sent).toHaveLength(1);
    refused = false;
    r.engine.kick('settings_changed');
    await r.time.settle();
    expect(r.outbox.entries.every((e) => e.state === 'accepted')).toBe(true);
    expect(r.events.some((e) => e.type === 'resumed')).toBe(true);
    await r.engine.stop();
  });

  it('a missing transport (not configured) pauses instead of failing doses', async () => {
    const r = rig({ transport: () => undefined });
    const e = r.outbox.add({ patientId: 'P1' });
    r.engine.start();
    await r.time.settle();
    expect(r.outbox.get(e.seq)?.state).toBe('pending');
    expect(r.engine.status()).toMatchObject({ state: 'needs_configuration', configurationProblem: { code: 'not_configured' } });
    await r.engine.stop();
  });

  it('B.5 #15 and #16: a registry answering garbage forever gets a bounded number of attempts per hour, a visible error, and nothing leaves the queue', async () => {
    // random() = 0 is the worst case for full jitter: zero delay. The hourly budget still holds.
    const r = rig({ random: () => 0, maxAttemptsPerHour: 12, stuckAfterAttempts: 5 });
    const e = r.outbox.add({ patientId: 'P1' });
    r.transport.script = () => ({ kind: 'delivered', ackText: 'MSH|^~\\&|garbage', ackSegments: [] });
    r.engine.start();
    const perHour: number[] = [];
    for (let h = 0; h < 72; h++) {
      const before = r.transport.sent.length;
      await r.time.advance(60 * 60_000);
      perHour.push(r.transport.sent.length - before);
    }
    expect(Math.max(...perHour)).toBeLessThanOrEqual(12);
    expect(perHour.slice(1).every((n) => n >= 1)).toBe(true);
    expect(r.outbox.get(e.seq)?.state).toBe('pending');
    const s = r.engine.status();
    expect(s.stuck).toBe(1);
    expect(s.lastError?.code).toMatch(/^ack_/);
    expect(r.events.filter((x) => x.type === 'stuck')).toHaveLength(1);
    expect(r.events.some((x) => x.type === 'ack_unreadable')).toBe(true);

    // Always HTTP 500 (a link-level failure): the queue-wide probe hold bounds it likewise.
    const r2 = rig({ random: () => 0, backoff: { baseMs: 1_000, capMs: 10 * 60_000 } });
    for (let i = 0; i < 50; i++) r2.outbox.add({ patientId: `P${i}` });
    r2.transport.script = () => retryOutcome('http_error');
    r2.engine.start();
    await r2.time.advance(60 * 60_000);
    const firstHour = r2.transport.sent.length;
    await r2.time.advance(60 * 60_000);
    // Probes at most every cap/2 = 5 minutes once ramped up.
    expect(r2.transport.sent.length - firstHour).toBeLessThanOrEqual(13);
    expect(firstHour).toBeLessThanOrEqual(40);
    expect(r2.outbox.entries.every((x) => x.state === 'pending')).toBe(true);
    await Promise.all([r.engine.stop(), r2.engine.stop()]);
  });

  it('B.5 #17: an ACK for another MSH-10 changes nothing (neither entry) and is logged; a replayed ACK changes nothing', async () => {
    const r = rig({ concurrency: 1 });
    const a = r.outbox.add({ patientId: 'P1' });
    const b = r.outbox.add({ patientId: 'P2' });
    let first: string | undefined;
    r.transport.script = (hl7, call) => {
      if (call === 0) {
        first = hl7;
        return deliveredAa(hl7);
      }
      // The registry replays A's ACK when B is sent, once; then answers properly.
      return call === 1 ? { kind: 'delivered', ackText: ack(first as string), ackSegments: [] } : deliveredAa(hl7);
    };
    r.engine.start();
    await r.time.settle();
    const mismatch = r.events.find((e) => e.type === 'ack_mismatch');
    expect(mismatch).toMatchObject({ seq: b.seq, expected: b.messageControlId, received: a.messageControlId, knownEntrySeq: a.seq });
    const aAfter = r.outbox.get(a.seq);
    expect(aAfter?.state).toBe('accepted');
    expect(aAfter?.ackText).toBe(ack(first as string));
    expect(r.outbox.get(b.seq)?.attempts).toBeGreaterThanOrEqual(1);
    await r.time.advance(60_000);
    expect(r.outbox.get(b.seq)?.state).toBe('accepted');
    // An ACK for an unknown control id is logged without a known entry.
    const r2 = rig();
    r2.outbox.add({ patientId: 'P1' });
    r2.transport.script = (hl7, call) => (call === 0 ? { kind: 'delivered', ackText: ack(hl7, 'AA', [], 'NOBODY-1'), ackSegments: [] } : deliveredAa(hl7));
    r2.engine.start();
    await r2.time.settle();
    const ev = r2.events.find((e) => e.type === 'ack_mismatch');
    expect(ev).toMatchObject({ received: 'NOBODY-1' });
    expect(ev && 'knownEntrySeq' in ev ? ev.knownEntrySeq : undefined).toBeUndefined();
    await Promise.all([r.engine.stop(), r2.engine.stop()]);
  });

  it('B.5 #19: order follows seq, not timestamps; a clock set back does not freeze retries, one set forward does not flood', async () => {
    const r = rig({ concurrency: 2, backoff: { baseMs: 1_000, capMs: 60_000 }, random: () => 0.9 });
    const e = r.outbox.add({ patientId: 'P1' });
    r.transport.script = (hl7, call) => (call === 0 ? { kind: 'retry', code: 'unknown_fault', reason: 'x', maybeDelivered: true } : deliveredAa(hl7));
    r.engine.start();
    await r.time.settle();
    expect(r.outbox.get(e.seq)?.state).toBe('pending');
    // The clock goes back three days: the stored due time is now far in the "future".
    r.time.jump(-3 * 24 * 3600_000);
    await r.time.advance(61_000);
    expect(r.outbox.get(e.seq)?.state).toBe('accepted');
    // Entries created "later" by a skewed clock still go in seq order.
    r.outbox.add({ patientId: 'P9' });
    r.time.jump(5 * 24 * 3600_000);
    for (let i = 0; i < 30; i++) r.outbox.add({ patientId: `F${i}` });
    r.engine.kick('dose_recorded');
    await r.time.settle();
    expect(r.transport.maxActive).toBeLessThanOrEqual(2);
    const order = r.transport.sentControlIds().slice(2).map((id) => Number(id.slice(4)));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(r.outbox.entries.every((x) => x.state === 'accepted')).toBe(true);
    await r.engine.stop();
  });

  it('B.5 #20: an entry whose bytes were stored by an earlier version is sent unchanged', async () => {
    const r = rig();
    const legacy = 'MSH|^~\\&|DoseDesk-0.9|PIN1|MIIS|99990|20250101||VXU^V04^VXU_V04|OLD-1|P|2.5.1\rPID|1||X^^^PIN1^MR||OLD^ONE';
    r.outbox.add({ patientId: 'P1', controlId: 'OLD-1', messageText: legacy });
    r.engine.start();
    await r.time.settle();
    expect(r.transport.sent).toEqual([legacy]);
    expect(r.builds).toEqual([]);
    await r.engine.stop();
  });

  it('B.5 #2 (unit): an entry a crash left in sending is recovered at start and resent with the same bytes', async () => {
    const r = rig();
    const e = r.outbox.add({ patientId: 'P1' });
    const bytes = 'MSH|^~\\&|DoseDesk|PIN1|MIIS|99990|20260302||VXU^V04^VXU_V04|MCI-1|P|2.5.1\rPID|1||P1^^^PIN1^MR';
    const stored = r.outbox.entries[0];
    if (!stored) throw new Error('setup');
    stored.state = 'sending';
    stored.attempts = 1;
    stored.messageText = bytes;
    r.engine.start();
    await r.time.settle();
    expect(r.transport.sent).toEqual([bytes]);
    expect(r.outbox.get(e.seq)).toMatchObject({ state: 'accepted', attempts: 2 });
    await r.engine.stop();
  });

  it('a message that cannot be built is rejected with the reason, and the rest goes on', async () => {
    const r = rig({
      buildMessage: (e) => {
        if (e.patientId === 'P1') throw new Error('Date of birth is missing.');
        return `MSH|^~\\&|DoseDesk|PIN1|MIIS|99990|20260302||VXU^V04^VXU_V04|${e.messageControlId}|P|2.5.1\rPID|1||${e.patientId}^^^PIN1^MR`;
      },
    });
    const bad = r.outbox.add({ patientId: 'P1' });
    const good = r.outbox.add({ patientId: 'P2' });
    r.engine.start();
    await r.time.settle();
    expect(r.outbox.get(bad.seq)?.state).toBe('rejected');
    expect(r.outbox.get(bad.seq)?.registryMessages[0]?.text).toContain('Date of birth is missing.');
    expect(r.outbox.get(good.seq)?.state).toBe('accepted');
    await r.engine.stop();
  });

  it('stores messages and answers in batches, and acts on an answer only after its commit', async () => {
    const seenAtEvent: string[] = [];
    const r = rig({
      concurrency: 4,
      onEvent: (e) => {
        if (e.type === 'accepted') seenAtEvent.push(r.outbox.get(e.seq)?.state ?? 'missing');
      },
    });
    // P0 and P1 have a second dose each: it may only be claimed once the first's answer is committed.
    const plan = ['P0', 'P1', 'P2', 'P3', 'P4', 'P5', 'P0', 'P1'];
    for (const p of plan) r.outbox.add({ patientId: p });
    r.engine.start();
    await r.time.settle();
    expect(r.outbox.entries.every((e) => e.state === 'accepted')).toBe(true);
    expect(seenAtEvent).toEqual(Array(8).fill('accepted'));
    const outcomes = r.outbox.commits.filter((c) => c.kind === 'outcomes');
    const messages = r.outbox.commits.filter((c) => c.kind === 'messages');
    expect(outcomes.reduce((n, c) => n + c.size, 0)).toBe(8);
    expect(messages.reduce((n, c) => n + c.size, 0)).toBe(8);
    expect(outcomes.length).toBeLessThan(8);
    expect(messages.length).toBeLessThan(8);
    expect(outcomes.some((c) => c.size > 1)).toBe(true);
    for (const [first, second] of [[1, 7], [2, 8]] as const) {
      const committed = r.outbox.log.findIndex((l) => l.startsWith('outcomes:') && l.slice(9).split(',').includes(String(first)));
      expect(committed).toBeGreaterThanOrEqual(0);
      expect(r.outbox.log.indexOf(`claim:${second}`)).toBeGreaterThan(committed);
    }
    expect(r.transport.patientOverlap).toBe(false);
    await r.engine.stop();
  });

  it('an answer gathered while others are still out is committed within the window', async () => {
    const r = rig({ concurrency: 2, outcomeWindowMs: 50 });
    const held: { open: (o: SubmitOutcome) => void; hl7: string }[] = [];
    const quick = r.outbox.add({ patientId: 'P1' });
    for (const p of ['P2', 'P3', 'P4']) r.outbox.add({ patientId: p });
    r.transport.script = (hl7) => {
      if (controlIdOf(hl7) === quick.messageControlId) return deliveredAa(hl7);
      const g = gate<SubmitOutcome>();
      held.push({ open: g.open, hl7 });
      return g.promise;
    };
    r.engine.start();
    await r.time.settle();
    // Answered, its slot reused, not yet committed: the store and the events do not know yet.
    expect(r.transport.sent).toHaveLength(3);
    expect(r.outbox.get(quick.seq)?.state).toBe('sending');
    expect(r.events.some((e) => e.type === 'accepted')).toBe(false);
    expect(r.engine.status().inFlight).toBe(3);
    await r.time.advance(50);
    expect(r.outbox.get(quick.seq)?.state).toBe('accepted');
    expect(r.events.filter((e) => e.type === 'accepted').map((e) => (e as { seq: number }).seq)).toEqual([quick.seq]);
    for (let round = 0; round < 10 && held.length > 0; round++) {
      for (const h of held.splice(0)) h.open(deliveredAa(h.hl7));
      await r.time.settle();
    }
    await r.time.advance(50);
    expect(r.outbox.entries.every((e) => e.state === 'accepted')).toBe(true);
    await r.engine.stop();
  });

  it('an answer that cannot be committed is not acted on, and the same bytes go out again', async () => {
    const r = rig({ concurrency: 1 });
    const e = r.outbox.add({ patientId: 'P1' });
    r.outbox.failNextRecords = 2;
    r.engine.start();
    await r.time.advance(5_000);
    expect(r.events.filter((x) => x.type === 'store_error')).toHaveLength(1);
    expect(r.events.filter((x) => x.type === 'accepted')).toHaveLength(1);
    expect(r.transport.sent).toHaveLength(2);
    expect(r.transport.sent[1]).toBe(r.transport.sent[0]);
    expect(r.builds).toEqual([e.seq]);
    expect(r.outbox.get(e.seq)).toMatchObject({ state: 'accepted', attempts: 2 });
    await r.engine.stop();
  });

  it('wakes on dose_recorded while idle, sleeps bounded otherwise, and publishes coalesced status', async () => {
    const r = rig({ idleMaxSleepMs: 60_000, statusIntervalMs: 250 });
    const seen: SyncStatus[] = [];
    const off = r.engine.onStatus((s) => seen.push(s));
    r.engine.start();
    await r.time.settle();
    await r.engine.whenIdle();
    const claimsIdle = r.outbox.claimCalls;
    await r.time.advance(10 * 60_000);
    // Idle: at most one look per minute.
    expect(r.outbox.claimCalls - claimsIdle).toBeLessThanOrEqual(11);
    for (let i = 0; i < 40; i++) r.outbox.add({ patientId: `P${i}` });
    seen.length = 0;
    r.engine.kick('dose_recorded');
    await r.time.advance(1_000);
    expect(r.outbox.entries.every((e) => e.state === 'accepted')).toBe(true);
    const last = seen.at(-1);
    expect(last).toMatchObject({ state: 'idle', done: 40, pending: 0, inFlight: 0 });
    // 40 outcomes, a handful of snapshots.
    expect(seen.length).toBeLessThan(6);
    off();
    await r.engine.stop();
  });

  describe('clocks: waits run on monotonic time, capped; the wall clock is only stored and shown', () => {
    const DAY = 24 * 3600_000;
    const HOUR = 3600_000;

    it('B.5 #19: a clock set back by weeks during a Retry-After wait does not freeze sending, and no timer is ever beyond 2^31-1 ms, negative or NaN', async () => {
      const r = rig();
      const e = r.outbox.add({ patientId: 'P1' });
      r.transport.script = (hl7, call) => (call === 0 ? retryOutcome('unavailable', 30_000) : deliveredAa(hl7));
      r.engine.start();
      await r.time.settle();
      expect(r.engine.status().state).toBe('waiting');
      r.time.jump(-40 * DAY);
      await r.time.advance(31_000);
      expect(r.outbox.get(e.seq)?.state).toBe('accepted');
      // The jump is reported, never fatal.
      expect(r.events).toContainEqual(expect.objectContaining({ type: 'clock_jump', deltaMs: -40 * DAY }));
      // Idle afterwards: a bounded number of wake-ups per hour, not a spinning loop.
      const before = r.time.delays.length;
      await r.time.advance(HOUR);
      expect(r.time.delays.length - before).toBeLessThanOrEqual(70);
      for (const d of r.time.delays) {
        expect(Number.isNaN(d)).toBe(false);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThanOrEqual(2 ** 31 - 1);
      }
      await r.engine.stop();
    });

    it('a clock set back a few minutes does not add those minutes to an entry\'s own backoff', async () => {
      const r = rig({ backoff: { baseMs: 1_000, capMs: 60_000 } });
      const e = r.outbox.add({ patientId: 'P1' });
      r.transport.script = (hl7, call) => (call === 0 ? { kind: 'retry', code: 'unknown_fault', reason: 'registry hiccup', maybeDelivered: true } : deliveredAa(hl7));
      r.engine.start();
      await r.time.settle();
      // Backing off for half a second (full jitter, random() = 0.5), when the clock goes back five minutes.
      expect(Date.parse(r.outbox.get(e.seq)?.nextAttemptAt as string) - r.time.nowMs).toBe(500);
      r.time.jump(-5 * 60_000);
      await r.time.advance(2_000);
      expect(r.outbox.get(e.seq)?.state).toBe('accepted');
      await r.engine.stop();
    });

    it('a clock set forward by hours does not reset the hourly attempt budget', async () => {
      const r = rig({ random: () => 0, maxAttemptsPerHour: 5 });
      r.outbox.add({ patientId: 'P1' });
      r.transport.script = () => ({ kind: 'delivered', ackText: 'MSH|^~\\&|garbage', ackSegments: [] });
      r.engine.start();
      await r.time.advance(10 * 60_000);
      expect(r.transport.sent).toHaveLength(5);
      r.time.jump(3 * HOUR);
      await r.time.advance(10 * 60_000);
      expect(r.transport.sent).toHaveLength(5);
      // An hour of real (monotonic) time later the message is tried again.
      await r.time.advance(HOUR);
      expect(r.transport.sent.length).toBeGreaterThan(5);
      expect(r.outbox.entries[0]?.state).toBe('pending');
      await r.engine.stop();
    });

    it('"Send now" clears every hold: the registry\'s Retry-After and an entry\'s own backoff', async () => {
      const r = rig({ random: () => 0.99, backoff: { baseMs: 30_000, capMs: 60_000 } });
      const told = r.outbox.add({ patientId: 'P1' });
      const backingOff = r.outbox.add({ patientId: 'P2' });
      r.transport.script = (hl7, call) =>
        call === 0 ? retryOutcome('unavailable', 60_000) : call === 1 ? { kind: 'retry', code: 'unknown_fault', reason: 'hiccup', maybeDelivered: true } : deliveredAa(hl7);
      r.engine.start();
      await r.time.settle();
      expect(r.engine.status().state).toBe('waiting');
      expect(r.transport.sent).toHaveLength(2);
      r.engine.kick('manual');
      await r.time.settle();
      expect(r.outbox.get(told.seq)?.state).toBe('accepted');
      expect(r.outbox.get(backingOff.seq)?.state).toBe('accepted');
      expect(r.engine.status().state).toBe('idle');
      await r.engine.stop();
    });
  });

  describe('store failures: the loop never dies, says why, and resumes by itself', () => {
    const WRITES = ['recordOutcomes', 'recoverInFlight', 'release', 'markRetry', 'claimDue', 'setMessages', 'makeDue', 'rebaseDue'] as const;
    const sameBytesPerControlId = (sent: string[]): void => {
      const byId = new Map<string, Set<string>>();
      for (const m of sent) byId.set(controlIdOf(m), (byId.get(controlIdOf(m)) ?? new Set()).add(m));
      for (const texts of byId.values()) expect(texts.size).toBe(1);
    };

    it('a disk that fills up while answers are on the wire stops reporting visibly, loses nothing, and resumes once space is freed', async () => {
      const r = rig({ concurrency: 2 });
      for (let i = 0; i < 4; i++) r.outbox.add({ patientId: `P${i}` });
      const held: { open: (o: SubmitOutcome) => void; hl7: string }[] = [];
      r.transport.script = (hl7, call) => {
        if (call >= 2) return deliveredAa(hl7);
        const g = gate<SubmitOutcome>();
        held.push({ open: g.open, hl7 });
        return g.promise;
      };
      r.engine.start();
      await r.time.settle();
      expect(held).toHaveLength(2);
      r.outbox.breakStore('disk_full', [...WRITES]);
      for (const h of held.splice(0)) h.open(deliveredAa(h.hl7));
      await r.time.advance(5_000);

      const status = r.engine.status();
      expect(status.state).toBe('store_error');
      expect(status.storeProblem?.code).toBe('store_disk_full');
      expect(status.storeProblem?.message).toMatch(/Reporting stopped: the disk is full.*resumes by itself/);
      // The shell shows "Reporting stopped" with the cause, never "online".
      expect(toApiStatus(status, 'production')).toMatchObject({ state: 'stopped', problem: { code: 'store_disk_full' } });
      expect(r.events.filter((e) => e.type === 'store_error')).toHaveLength(1);
      expect(r.outbox.entries.every((e) => e.state === 'pending' || e.state === 'sending')).toBe(true);

      // While the disk stays full the loop looks again on a capped backoff: it neither gives up nor spins.
      const failuresBefore = r.outbox.failures.length;
      await r.time.advance(10 * 60_000);
      const looks = r.outbox.failures.length - failuresBefore;
      expect(looks).toBeGreaterThanOrEqual(5);
      expect(looks).toBeLessThanOrEqual(40);
      expect(r.transport.sent).toHaveLength(2);

      r.outbox.healStore();
      await r.time.advance(61_000);
      expect(r.outbox.entries.every((e) => e.state === 'accepted')).toBe(true);
      expect(r.engine.status()).toMatchObject({ state: 'idle', pending: 0 });
      expect(r.engine.status().storeProblem).toBeUndefined();
      expect(r.events).toContainEqual({ type: 'store_recovered', code: 'store_disk_full' });
      // The two answers that could not be recorded were sent again, with the same bytes.
      sameBytesPerControlId(r.transport.sent);
      await r.engine.stop();
    });

    it('an I/O error while putting back a claimed message does not kill the sender loop', async () => {
      const r = rig({ concurrency: 2 });
      const first = r.outbox.add({ patientId: 'P1' });
      let open: ((o: SubmitOutcome) => void) | undefined;
      r.transport.script = (hl7, call) => {
        if (call > 0) return deliveredAa(hl7);
        const g = gate<SubmitOutcome>();
        open = (o) => g.open(o);
        return g.promise;
      };
      r.engine.start();
      await r.time.settle();
      // Something outside the engine (a repair tool, a second window) puts the in-flight entry
      // back to pending: the next claim hands out a message whose patient is busy.
      const stored = r.outbox.entries[0];
      if (!stored || !open) throw new Error('setup');
      stored.state = 'pending';
      r.outbox.breakStore('io', ['release', 'markRetry'], 1);
      r.engine.kick('dose_recorded');
      await r.time.settle();
      expect(r.outbox.failures).toHaveLength(1);
      expect(r.engine.status()).toMatchObject({ state: 'store_error', storeProblem: { code: 'store_io' } });

      open(deliveredAa(r.transport.sent[0] as string));
      const later = r.outbox.add({ patientId: 'P2' });
      r.engine.kick('dose_recorded');
      await r.time.advance(60_000);
      expect(r.outbox.get(first.seq)?.state).toBe('accepted');
      expect(r.outbox.get(later.seq)?.state).toBe('accepted');
      expect(r.engine.status().state).toBe('idle');
      await r.engine.stop();
    });

    it('an I/O error in the lookup after a commit (an ACK naming another message) is shown, and the loop carries on', async () => {
      const r = rig({ concurrency: 1 });
      const a = r.outbox.add({ patientId: 'P1' });
      const b = r.outbox.add({ patientId: 'P2' });
      let first: string | undefined;
      r.transport.script = (hl7, call) => {
        if (call === 0) first = hl7;
        return call === 1 ? { kind: 'delivered', ackText: ack(first as string), ackSegments: [] } : deliveredAa(hl7);
      };
      r.outbox.breakStore('io', ['byControlId']);
      r.engine.start();
      await r.time.settle();
      expect(r.engine.status()).toMatchObject({ state: 'store_error', storeProblem: { code: 'store_io' } });
      // The mismatch is still logged and the retry still recorded, without the lookup's extra detail.
      const mismatch = r.events.find((e) => e.type === 'ack_mismatch') as Extract<SyncEvent, { type: 'ack_mismatch' }> | undefined;
      expect(mismatch).toMatchObject({ seq: b.seq, received: a.messageControlId });
      expect(mismatch?.knownEntrySeq).toBeUndefined();
      expect(r.events.some((e) => e.type === 'retry' && e.seq === b.seq)).toBe(true);
      r.outbox.healStore();
      await r.time.advance(60_000);
      expect(r.outbox.get(b.seq)?.state).toBe('accepted');
      expect(r.engine.status().state).toBe('idle');
      await r.engine.stop();
    });

    it('a status read that fails is shown rather than stale figures passing for online, and clears once reads work again', async () => {
      const r = rig();
      r.outbox.add({ patientId: 'P1' });
      r.engine.start();
      await r.time.settle();
      r.outbox.breakStore('read_only', ['stats']);
      expect(r.engine.status()).toMatchObject({ state: 'store_error', storeProblem: { code: 'store_read_only' } });
      // The loop itself is not held back by it.
      const later = r.outbox.add({ patientId: 'P2' });
      r.engine.kick('dose_recorded');
      await r.time.settle();
      expect(r.outbox.get(later.seq)?.state).toBe('accepted');
      r.outbox.healStore();
      expect(r.engine.status()).toMatchObject({ state: 'idle', done: 2 });
      expect(r.engine.status().storeProblem).toBeUndefined();
      await r.engine.stop();
    });
  });

  describe('pauses: a site problem keeps every dose waiting and is probed for until it is fixed', () => {
    it('pauses with one message naming the cause, probes one message at a time on a capped backoff, and resumes on its own once fixed', async () => {
      const cap = 10 * 60_000;
      const r = rig({ concurrency: 4, backoff: { baseMs: 1_000, capMs: cap } });
      for (let i = 0; i < 10; i++) r.outbox.add({ patientId: `P${i}` });
      let problem: SubmitOutcome | undefined = { kind: 'auth', code: 'endpoint_misconfigured', reason: 'A proxy answered HTTP 404 at the registry address.' };
      const probeTimes: number[] = [];
      r.transport.script = (hl7) => {
        if (!problem) return deliveredAa(hl7);
        probeTimes.push(r.time.nowMs);
        return problem;
      };
      r.engine.start();
      await r.time.settle();
      expect(r.engine.status()).toMatchObject({ state: 'needs_configuration', configurationProblem: { code: 'endpoint_misconfigured' } });
      const firstRound = r.transport.sent.length;
      r.transport.maxActive = 0;

      await r.time.advance(2 * 3600_000);
      const probes = r.transport.sent.length - firstRound;
      // At least one probe per cap once ramped up, never more than the ramp plus one per half cap.
      expect(probes).toBeGreaterThanOrEqual(12);
      expect(probes).toBeLessThanOrEqual(35);
      expect(r.transport.maxActive).toBe(1);
      const gaps = probeTimes.slice(firstRound + 1).map((t, i) => t - (probeTimes[firstRound + i] as number));
      expect(Math.max(...gaps)).toBeLessThanOrEqual(cap);
      // Every dose waits: none rejected, none dropped; and one message, not one per probe.
      expect(r.outbox.entries.every((e) => e.state === 'pending')).toBe(true);
      expect(r.events.filter((e) => e.type === 'paused')).toHaveLength(1);

      // The cause changes (IT fixed the proxy, the certificate is now wrong): the message follows it.
      problem = { kind: 'auth', code: 'tls_untrusted', reason: 'The certificate could not be verified.' };
      await r.time.advance(cap);
      expect(r.engine.status().configurationProblem?.code).toBe('tls_untrusted');
      expect(r.events.filter((e) => e.type === 'paused')).toHaveLength(2);

      problem = undefined;
      await r.time.advance(cap + 1_000);
      expect(r.outbox.entries.every((e) => e.state === 'accepted')).toBe(true);
      expect(r.engine.status().state).toBe('idle');
      expect(r.events).toContainEqual({ type: 'resumed', reason: 'probe' });
      await r.engine.stop();
    });

    it('a probe refused on a header built before the settings changed neither resumes nor re-pauses: the rebuilt message probes next, at once', async () => {
      const r = rig({ concurrency: 1, backoff: { baseMs: 60_000, capMs: 10 * 60_000 }, buildMessage: (e) => fakeMessage(e).replace('|PIN1|', '|PIN-NEW|') });
      // Sent once under the old PIN, no answer: it keeps those bytes. Its deadline sends it first.
      const old = r.outbox.add({ patientId: 'P1', deadlineAt: '2026-03-03T00:00:00.000Z', messageText: fakeMessage({ messageControlId: 'MCI-1', patientId: 'P1', doseId: 'dose-1', action: 'A' }) });
      (r.outbox.entries[0] as { attempts: number }).attempts = 1;
      r.outbox.add({ patientId: 'P2' });
      let proxy = true;
      const refusePin1 = (hl7: string): SubmitOutcome => ({
        kind: 'delivered',
        ackText: ack(hl7, 'AE', [{ hl7Code: '101', severity: 'E', location: { segment: 'MSH', field: 4 }, userMessage: 'MSH-4 "PIN1" is not a registered facility.' }]),
        ackSegments: [],
      });
      r.transport.script = (hl7) => {
        if (proxy) return { kind: 'auth', code: 'proxy_auth_required', reason: 'HTTP 407 from the proxy.' };
        return hl7.includes('|PIN1|') ? refusePin1(hl7) : deliveredAa(hl7);
      };
      r.engine.kick('settings_changed');
      r.engine.start();
      await r.time.settle();
      expect(r.engine.status().configurationProblem?.code).toBe('proxy_auth_required');

      // IT fixes the proxy; the next probe is the old message, refused on its (old) header.
      proxy = false;
      await r.time.advance(60_000);
      const refusedAt = r.events.findIndex((e) => e.type === 'retry' && e.seq === old.seq && e.code === 'ack_site_identity');
      expect(refusedAt).toBeGreaterThan(-1);
      // Resumed by the rebuilt message's answer (probed at once, not after the 60 s probe wait), not by the stale refusal.
      expect(r.events.slice(refusedAt).map((e) => [e.type, 'seq' in e ? e.seq : undefined])).toEqual([
        ['retry', old.seq],
        ['claimed', old.seq],
        ['resumed', undefined],
        ['accepted', old.seq],
        ['claimed', 2],
        ['accepted', 2],
      ]);
      expect(r.events.filter((e) => e.type === 'paused').map((e) => e.type === 'paused' && e.code)).toEqual(['proxy_auth_required']);
      expect(r.outbox.entries.every((e) => e.state === 'accepted')).toBe(true);
      expect(r.transport.sentControlIds().filter((id) => id === 'MCI-1')).toHaveLength(2);
      expect(r.outbox.get(old.seq)?.messageText).toContain('|PIN-NEW|');
      await r.engine.stop();
    });

    it('"Send now" and a settings change resume a paused engine at once', async () => {
      for (const reason of ['manual', 'settings_changed'] as const) {
        const r = rig({ backoff: { baseMs: 1_000, capMs: 10 * 60_000 } });
        for (let i = 0; i < 3; i++) r.outbox.add({ patientId: `P${i}` });
        let broken = true;
        r.transport.script = (hl7) => (broken ? { kind: 'auth', code: 'endpoint_misconfigured', reason: 'HTTP 404' } : deliveredAa(hl7));
        r.engine.start();
        await r.time.advance(30 * 60_000);
        broken = false;
        r.engine.kick(reason);
        await r.time.settle();
        expect(r.outbox.entries.every((e) => e.state === 'accepted')).toBe(true);
        expect(r.events).toContainEqual({ type: 'resumed', reason });
        await r.engine.stop();
      }
    });
  });
});
