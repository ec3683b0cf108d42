import type { RunMode, SyncEvent, SyncStatus } from '../api';
import type { OutboxRepo } from '../store/types';

// What the shell needs from whatever drains the outbox. The sync engine (sync/engine/)
// implements it; until it runs, `createOutboxStatusController` reports the outbox as it
// stands so the UI's status line and work queue work from day one.

export type KickReason = 'user' | 'dose_saved' | 'online' | 'settings_changed' | 'startup';

export interface SyncController {
  status(): SyncStatus;
  /** Try now instead of waiting for the next scheduled attempt. */
  kick(reason: KickReason): void;
  onStatus(listener: (event: SyncEvent) => void): () => void;
  stop(): Promise<void>;
}

export function statusFromOutbox(outbox: Pick<OutboxRepo, 'stats' | 'nextDueAt'>, mode: RunMode, problem?: SyncStatus['problem']): SyncStatus {
  const s = outbox.stats();
  const status: SyncStatus = {
    state: problem ? 'needs_attention' : s.sending > 0 ? 'sending' : 'idle',
    mode,
    pending: s.pending,
    sending: s.sending,
    accepted: s.accepted,
    warning: s.warning,
    rejected: s.rejected,
  };
  if (s.lastAcceptedAt) status.lastAcceptedAt = s.lastAcceptedAt;
  if (s.nextDeadlineAt) status.nextDeadlineAt = s.nextDeadlineAt;
  const next = outbox.nextDueAt();
  if (next) status.nextAttemptAt = next;
  if (problem) status.problem = problem;
  return status;
}

/** A controller that sends nothing: it reports the outbox and tells listeners when kicked. */
export function createOutboxStatusController(outbox: Pick<OutboxRepo, 'stats' | 'nextDueAt'>, mode: () => RunMode): SyncController {
  const listeners = new Set<(event: SyncEvent) => void>();
  let stopped = false;
  return {
    status: () => ({ ...statusFromOutbox(outbox, mode()), ...(stopped ? { state: 'stopped' as const } : {}) }),
    kick() {
      if (stopped) return;
      const status = statusFromOutbox(outbox, mode());
      for (const listener of listeners) listener({ type: 'status', status });
    },
    onStatus(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async stop() {
      stopped = true;
      listeners.clear();
    },
  };
}
