import type { BackoffSettings } from './types';

// Retry timing. Full jitter (AWS architecture blog, "Exponential Backoff and Jitter") spreads a
// crowd of retries across the whole window so a registry coming back is not hit by a wave.

export const DEFAULT_BACKOFF: BackoffSettings = { baseMs: 2_000, capMs: 10 * 60_000 };

/** The window for the n-th failure (1-based): base·2^(n-1), capped. */
export function backoffCeilingMs(settings: BackoffSettings, failures: number): number {
  const n = Math.max(1, Math.floor(failures));
  // 2^(n-1) overflows to Infinity for large n; min() with the cap keeps it finite.
  return Math.min(settings.capMs, settings.baseMs * 2 ** Math.min(n - 1, 60));
}

/**
 * Delay before the next attempt: uniform in [0, ceiling), never below the registry's Retry-After.
 * `random` returns [0, 1).
 */
export function retryDelayMs(settings: BackoffSettings, failures: number, random: () => number, retryAfterMs?: number): number {
  const r = Math.min(Math.max(random(), 0), 1);
  const jittered = Math.floor(backoffCeilingMs(settings, failures) * r);
  const floor = retryAfterMs !== undefined && Number.isFinite(retryAfterMs) ? Math.max(0, retryAfterMs) : 0;
  return Math.max(jittered, floor);
}

/**
 * Queue-wide wait between probes while the registry is unreachable: equal jitter (half fixed,
 * half random), so the probe rate has a hard ceiling even on unlucky draws (B.5 #16).
 */
export function probeDelayMs(settings: BackoffSettings, failures: number, random: () => number): number {
  const ceiling = backoffCeilingMs(settings, failures);
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.floor(ceiling / 2 + (ceiling / 2) * r);
}

const HOUR_MS = 60 * 60_000;

/**
 * Per-entry attempt budget: at most `maxPerHour` attempts in any sliding hour, so that a registry
 * answering 500 or garbage forever gets a bounded number of attempts (B.5 #16), whatever the
 * jitter draws. In memory: a restart forgets it, which at worst allows one extra budget.
 */
export class AttemptWindow {
  private readonly attempts = new Map<number, number[]>();

  constructor(private readonly maxPerHour: number) {
    if (!Number.isInteger(maxPerHour) || maxPerHour < 1) throw new RangeError(`maxAttemptsPerHour must be a positive integer, got ${maxPerHour}`);
  }

  record(seq: number, atMs: number): void {
    const list = this.attempts.get(seq) ?? [];
    list.push(atMs);
    while (list.length > this.maxPerHour) list.shift();
    this.attempts.set(seq, list);
  }

  /** Earliest time the next attempt for `seq` fits the budget. */
  earliestNextMs(seq: number, nowMs: number): number {
    const list = this.attempts.get(seq);
    if (!list || list.length < this.maxPerHour) return nowMs;
    return Math.max(nowMs, (list[0] as number) + HOUR_MS);
  }

  forget(seq: number): void {
    this.attempts.delete(seq);
  }
}
