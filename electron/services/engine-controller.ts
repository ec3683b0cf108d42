import type { DoseReportingUpdate, RunMode, SyncEvent as ApiSyncEvent, SyncStatus as ApiSyncStatus } from '../api';
import type { Store } from '../store/types';
import type { KickReason as ShellKickReason, SyncController } from './sync-controller';
import { createSyncEngine, type KickReason, type SyncEngine, type SyncEngineOptions, type SyncEvent, type SyncStatus } from '../../sync';

// The engine as the shell sees it (electron/services/sync-controller.ts): the API's status
// shape, the shell's kick vocabulary, and outcome events for the chart and work queue.

const KICKS: Record<ShellKickReason, KickReason> = {
  user: 'manual',
  dose_saved: 'dose_recorded',
  online: 'network_up',
  settings_changed: 'settings_changed',
  startup: 'startup',
};

export function toApiStatus(s: SyncStatus, mode: RunMode): ApiSyncStatus {
  const problem = s.storeProblem ?? s.configurationProblem ?? (s.stuck > 0 ? s.lastError : undefined);
  // A store failure must never read as online: "Reporting stopped", with the cause as the problem.
  const state: ApiSyncStatus['state'] =
    s.state === 'stopped' || s.state === 'store_error'
      ? 'stopped'
      : s.state === 'needs_configuration' || s.stuck > 0
        ? 'needs_attention'
        : s.state === 'offline' || s.state === 'waiting'
          ? 'waiting_for_network'
          : s.state;
  const out: ApiSyncStatus = {
    state,
    mode,
    pending: s.pending,
    sending: s.inFlight,
    accepted: s.done - s.warnings,
    warning: s.warnings,
    rejected: s.failed,
  };
  if (s.lastSuccessAt) out.lastAcceptedAt = s.lastSuccessAt;
  if (s.nextDeadlineAt) out.nextDeadlineAt = s.nextDeadlineAt;
  if (s.nextAttemptAt) out.nextAttemptAt = s.nextAttemptAt;
  if (problem) out.problem = problem.params ? { code: problem.code, message: problem.message, params: problem.params } : { code: problem.code, message: problem.message };
  return out;
}

/** Reads a dose's reporting state for an outcome event; undefined when the store cannot say. */
type ReportingOf = (doseId: string) => DoseReportingUpdate | undefined;

function outcomeEvent(
  e: { seq: number; doseId: string; patientId: string },
  outcome: 'accepted' | 'warning' | 'rejected' | 'retry',
  reportingOf: ReportingOf | undefined,
): ApiSyncEvent {
  const event: ApiSyncEvent = { type: 'outcome', seq: e.seq, doseId: e.doseId, patientId: e.patientId, outcome };
  // The dose's newest entry decides what the chart shows (an accepted add with an edit still
  // queued is "waiting"), so the state comes from the store, read after the outcome committed.
  let reporting: DoseReportingUpdate | undefined;
  try {
    reporting = reportingOf?.(e.doseId);
  } catch {
    // The event still goes out; the chart keeps its row until a person reloads it.
  }
  return reporting ? { ...event, reporting } : event;
}

function toApiEvent(e: SyncEvent, reportingOf: ReportingOf | undefined): ApiSyncEvent | undefined {
  switch (e.type) {
    case 'accepted':
      return outcomeEvent(e, e.warning ? 'warning' : 'accepted', reportingOf);
    case 'rejected':
      return outcomeEvent(e, 'rejected', reportingOf);
    case 'retry':
      return outcomeEvent(e, 'retry', reportingOf);
    case 'paused':
      return e.params ? { type: 'blocked', code: e.code, message: e.reason, params: e.params } : { type: 'blocked', code: e.code, message: e.reason };
    default:
      return undefined;
  }
}

export interface SyncControllerOptions extends SyncEngineOptions {
  /** With the work-queue repository, outcome events say what each dose's reporting state became. */
  store: SyncEngineOptions['store'] & Partial<Pick<Store, 'workQueue'>>;
  mode: () => RunMode;
}

/** Creates and starts the engine behind the shell's SyncController interface. */
export function createSyncController(options: SyncControllerOptions): SyncController & { engine: SyncEngine } {
  const listeners = new Set<(event: ApiSyncEvent) => void>();
  const send = (event: ApiSyncEvent): void => {
    for (const l of listeners) {
      try {
        l(event);
      } catch {
        // A closed window must not stop the others from hearing.
      }
    }
  };
  const workQueue = options.store.workQueue;
  const reportingOf: ReportingOf | undefined = workQueue ? (doseId) => workQueue.doseReporting(doseId) : undefined;
  const engine = createSyncEngine({
    ...options,
    onEvent: (e) => {
      options.onEvent?.(e);
      const api = toApiEvent(e, reportingOf);
      if (api) send(api);
    },
  });
  engine.onStatus((s) => send({ type: 'status', status: toApiStatus(s, options.mode()) }));
  engine.start();
  return {
    engine,
    status: () => toApiStatus(engine.status(), options.mode()),
    kick: (reason) => engine.kick(KICKS[reason]),
    onStatus(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    stop: () => engine.stop(),
  };
}
