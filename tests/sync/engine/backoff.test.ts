import { AttemptWindow, backoffCeilingMs, probeDelayMs, retryDelayMs } from '../../../sync/engine/backoff';

const settings = { baseMs: 1_000, capMs: 30_000 };

describe('engine backoff', () => {
  it('doubles the window per failure up to the cap, and never overflows', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoffCeilingMs(settings, n))).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
    expect(backoffCeilingMs(settings, 10_000)).toBe(30_000);
    expect(backoffCeilingMs(settings, 0)).toBe(1_000);
  });

  it('full jitter: uniform in [0, window), raised to Retry-After when the registry asks for more', () => {
    expect(retryDelayMs(settings, 3, () => 0)).toBe(0);
    expect(retryDelayMs(settings, 3, () => 0.5)).toBe(2_000);
    expect(retryDelayMs(settings, 3, () => 0.999999)).toBeLessThan(4_000);
    expect(retryDelayMs(settings, 3, () => 0.5, 10_000)).toBe(10_000);
    expect(retryDelayMs(settings, 3, () => 0.5, 100)).toBe(2_000);
  });

  it('outage probes wait at least half the window, so their rate has a hard ceiling', () => {
    for (const r of [0, 0.3, 0.99]) {
      const d = probeDelayMs(settings, 8, () => r);
      expect(d).toBeGreaterThanOrEqual(15_000);
      expect(d).toBeLessThanOrEqual(30_000);
    }
  });

  it('the hourly attempt budget pushes the next attempt to an hour after the oldest in the window', () => {
    const w = new AttemptWindow(3);
    const t0 = Date.parse('2026-01-01T00:00:00Z');
    w.record(1, t0);
    w.record(1, t0 + 1_000);
    expect(w.earliestNextMs(1, t0 + 2_000)).toBe(t0 + 2_000);
    w.record(1, t0 + 2_000);
    expect(w.earliestNextMs(1, t0 + 3_000)).toBe(t0 + 3_600_000);
    expect(w.earliestNextMs(2, t0 + 3_000)).toBe(t0 + 3_000);
    w.forget(1);
    expect(w.earliestNextMs(1, t0 + 3_000)).toBe(t0 + 3_000);
    expect(() => new AttemptWindow(0)).toThrow(RangeError);
  });
});
