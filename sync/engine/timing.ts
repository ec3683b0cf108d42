import type { Timers } from './types';

// setTimeout takes a signed 32-bit delay: anything longer overflows and fires after 1 ms (Node
// warns, then a loop waiting on it spins), and NaN or a negative delay also fires at once. Every
// timer the engine sets goes through here, so no computed wait can do either.

export const MAX_TIMER_MS = 2 ** 31 - 1;

/** A delay every timer accepts: NaN and negatives are 0, anything longer is the ceiling. */
export function timerDelay(ms: number): number {
  if (Number.isNaN(ms) || ms <= 0) return 0;
  return Math.min(ms, MAX_TIMER_MS);
}

export function boundedTimers(timers: Timers): Timers {
  return {
    setTimeout: (fn, ms) => timers.setTimeout(fn, timerDelay(ms)),
    clearTimeout: (handle) => timers.clearTimeout(handle),
  };
}
