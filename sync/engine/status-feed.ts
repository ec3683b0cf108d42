import type { SyncStatus, Timers } from './types';

// Status snapshots for the UI. While a backlog drains, outcomes arrive hundreds of times a
// second; listeners get at most one snapshot per interval (the latest), and state changes
// (paused, stopped, idle) go out at once.

export class StatusFeed {
  private readonly listeners = new Set<(s: SyncStatus) => void>();
  private timer: unknown;

  constructor(
    private readonly snapshot: () => SyncStatus,
    private readonly timers: Timers,
    private readonly intervalMs: number,
  ) {}

  subscribe(listener: (s: SyncStatus) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Coalesced: one snapshot at the end of the interval. */
  soon(): void {
    if (this.timer !== undefined || this.listeners.size === 0) return;
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      this.publish();
    }, this.intervalMs);
  }

  now(): void {
    if (this.timer !== undefined) {
      this.timers.clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.publish();
  }

  dispose(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private publish(): void {
    if (this.listeners.size === 0) return;
    const s = this.snapshot();
    for (const l of this.listeners) {
      try {
        l(s);
      } catch {
        // A broken listener (a closed window) must not stop reporting.
      }
    }
  }
}
