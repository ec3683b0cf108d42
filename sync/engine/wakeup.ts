import type { Timers } from './types';

// The sender loop's one sleeping place: it wakes on a kick, a finished send, or its timer,
// whichever comes first. A wake-up that arrives while the loop is busy is remembered, so no
// kick is ever lost between "checked the outbox" and "went to sleep".

export class Wakeup {
  private resolve: (() => void) | undefined;
  private requested = false;
  private timer: unknown;

  constructor(private readonly timers: Timers) {}

  wake(): void {
    if (this.resolve) {
      const r = this.resolve;
      this.resolve = undefined;
      this.clearTimer();
      r();
    } else {
      this.requested = true;
    }
  }

  /** Whether a wake-up is waiting to be consumed by the next sleep(). */
  get pending(): boolean {
    return this.requested;
  }

  /** Sleeps until wake() or, when given, `ms` milliseconds. */
  sleep(ms?: number): Promise<void> {
    if (this.requested) {
      this.requested = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      this.resolve = resolve;
      if (ms !== undefined) {
        this.timer = this.timers.setTimeout(() => {
          this.timer = undefined;
          this.wake();
        }, Math.max(0, ms));
      }
    });
  }

  private clearTimer(): void {
    if (this.timer !== undefined) {
      this.timers.clearTimeout(this.timer);
      this.timer = undefined;
    }
  }
}
