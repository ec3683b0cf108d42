import type { Actor } from '../../electron/domain/actor';
import type { Clinician } from '../../electron/domain/clinician';
import type { Dose } from '../../electron/domain/dose';
import type { OutboxClosure, OutboxEntry, OutboxOutcome, OutboxStats } from '../../electron/domain/outbox';
import type { Patient } from '../../electron/domain/patient';
import type { Hl7SiteConfig } from '../hl7/config';
import type { EngineMessageCode } from '../messages/codes';
import type { MessageParams, RegistryTransport } from '../transport/types';

// The engine's boundary types: what it needs from the app (store, transport, clock, timers) and
// what it tells the app (status snapshots for the UI, events for the log).

export type KickReason = 'startup' | 'dose_recorded' | 'network_up' | 'manual' | 'timer' | 'settings_changed';

/** The wall clock: only for what is stored and shown (due times, timestamps). */
export interface Clock {
  now(): Date;
}

/**
 * Monotonic milliseconds (`performance` satisfies it): what every wait, hold and backoff runs
 * on, so that someone moving the system clock neither freezes nor floods reporting.
 */
export interface MonotonicClock {
  now(): number;
}

/** Timer functions, injectable so unit tests can run hours of backoff in virtual time. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface BackoffSettings {
  /** First retry waits up to this long (full jitter). */
  baseMs: number;
  /** No wait is ever longer than this; a stored due time further ahead counts as due (clock set back). */
  capMs: number;
}

/**
 * The outbox as the sender loop drains it. The engine owns this port and the app's store
 * implements it (electron/store/outbox.ts): the arrow points from electron/ to sync/, never back.
 * The store's OutboxRepo documents each method's transaction.
 */
export interface EngineOutbox {
  claimDue(now: Date, limit: number, maxBackoffMs: number): OutboxEntry[];
  setMessages(messages: readonly { seq: number; text: string }[]): OutboxEntry[];
  release(seq: number, nextAttemptAt: Date, reason?: string): void;
  makeDue(now: Date): number;
  rebaseDue(deltaMs: number): number;
  recordOutcomes(outcomes: readonly OutboxOutcome[]): OutboxClosure[];
  recoverInFlight(now: Date): number;
  byControlId(messageControlId: string): OutboxEntry | undefined;
  stats(): OutboxStats;
  nextDueAt(): string | undefined;
}

/** The records a VXU is built from, read as the sync actor. */
export interface RecordReader {
  patients: { get(id: string, actor: Actor): Patient | undefined };
  doses: { get(id: string, actor: Actor): (Dose & { reporting?: unknown }) | undefined };
  clinicians: { get(id: string): Clinician | undefined };
}

/** The parts of the store the engine touches. */
export type EngineStore = { outbox: EngineOutbox } & Partial<RecordReader>;

/** Builds the HL7 text for an entry (once: the engine stores it and resends the same bytes). */
export type MessageBuilder = (entry: OutboxEntry) => string;

export type TransportSource = RegistryTransport | (() => RegistryTransport | undefined);

export interface SyncEngineOptions {
  store: EngineStore;
  /** The transport, or a getter when settings can change while the app runs (undefined = not configured). */
  transport: TransportSource;
  /**
   * Builds VXU text for an entry whose message was not built yet. Defaults to building from the
   * store's records with `hl7Config` (then the store must include patients, doses, clinicians).
   */
  buildMessage?: MessageBuilder;
  hl7Config?: Hl7SiteConfig | (() => Hl7SiteConfig);
  clock?: Clock;
  /** Defaults to `performance`; required with `timers` (the clock those timers run on). */
  monotonic?: MonotonicClock;
  /** Uniform in [0, 1); jitter source. */
  random?: () => number;
  /** Parallel submissions (one patient's entries never run in parallel: the store claims one per patient). */
  concurrency?: number;
  backoff?: BackoffSettings;
  /** Attempts per entry per hour, whatever the backoff says (B.5 #16: a failing registry is not hammered). */
  maxAttemptsPerHour?: number;
  /** After this many failed attempts in a row an entry counts as stuck and is reported, never dropped. */
  stuckAfterAttempts?: number;
  /** Longest sleep when nothing is due; the loop re-reads the outbox at least this often. */
  idleMaxSleepMs?: number;
  /**
   * Longest an answer waits to be committed together with others (default 50 ms). Answers are
   * also committed before every claim, once `concurrency` have gathered, and when nothing else
   * is in flight; failures are committed at once. 0 commits each answer on its own.
   */
  outcomeWindowMs?: number;
  /** How long stop() lets in-flight sends finish before aborting them. */
  stopGraceMs?: number;
  /** Status snapshots are coalesced to at most one per this interval while draining. */
  statusIntervalMs?: number;
  onEvent?: (event: SyncEvent) => void;
  timers?: Timers;
}

export type SyncState =
  /** Nothing due. */
  | 'idle'
  /** Sending or about to. */
  | 'sending'
  /** The registry could not be reached; the engine probes on a backoff schedule. */
  | 'offline'
  /** The registry asked us to wait (Retry-After). */
  | 'waiting'
  /**
   * A problem of the site (credentials, certificate, endpoint, proxy, registry configuration):
   * every dose waits; probed with one message now and then, except refused credentials, which
   * wait for settings to change or a manual retry.
   */
  | 'needs_configuration'
  /** The local database failed (disk full, I/O error, read-only): nothing is sent until it works again; retried on its own. */
  | 'store_error'
  | 'stopped';

export interface SyncProblem {
  code: EngineMessageCode;
  /** In English, for logs, IT and the CLI; the UI renders `code` with `params` in the person's language. */
  message: string;
  params?: MessageParams;
  at: string;
  seq?: number;
}

export interface SyncStatus {
  state: SyncState;
  pending: number;
  inFlight: number;
  /** Accepted, with or without warnings. */
  done: number;
  warnings: number;
  /** Rejected: waiting for a person on the work queue. */
  failed: number;
  lastSuccessAt?: string;
  lastAttemptAt?: string;
  /** When the engine will try again, when it is waiting. */
  nextAttemptAt?: string;
  /** Entries that failed `stuckAfterAttempts` times in a row and are still being retried. */
  stuck: number;
  lastError?: SyncProblem;
  /** Set in `needs_configuration`: what IT must fix. */
  configurationProblem?: SyncProblem;
  /** Set in `store_error`: what failed, in words for the person at the screen (the code names the cause). */
  storeProblem?: SyncProblem;
  /** Earliest legal deadline (105 CMR 222.100) among entries not yet accepted. */
  nextDeadlineAt?: string;
}

export type SyncEvent =
  | { type: 'kick'; reason: KickReason }
  | { type: 'claimed'; seq: number; attempt: number }
  | { type: 'accepted'; seq: number; doseId: string; patientId: string; controlId: string; warning: boolean }
  | { type: 'rejected'; seq: number; doseId: string; patientId: string; controlId: string; reason: string }
  | { type: 'retry'; seq: number; doseId: string; patientId: string; controlId: string; code: string; reason: string; nextAttemptAt: string; attempt: number }
  /** The registry answered with an ACK for a different message: nothing is recorded against either. */
  | { type: 'ack_mismatch'; seq: number; expected: string; received: string; knownEntrySeq?: number }
  | { type: 'ack_unreadable'; seq: number; reason: string }
  | { type: 'stuck'; seq: number; attempts: number; reason: string }
  | { type: 'paused'; code: string; reason: string; params?: MessageParams }
  /** `probe`: a probe got an answer that was not the same site problem. */
  | { type: 'resumed'; reason: KickReason | 'probe' }
  | { type: 'build_failed'; seq: number; reason: string }
  /** The store closed an entry because of another's outcome (a rejected add of a dose deleted since): nothing more is sent for it. */
  | { type: 'closed'; seq: number; doseId: string; patientId: string; state: 'cancelled' | 'superseded'; reason: string }
  /** Once per problem (not per retry); `code` as in `SyncStatus.storeProblem`. */
  | { type: 'store_error'; code: string; reason: string }
  | { type: 'store_recovered'; code: string }
  /** The system clock moved against monotonic time (negative: set back); pending due times were moved with it when set back. */
  | { type: 'clock_jump'; deltaMs: number; at: string };

export interface SyncEngine {
  start(): void;
  /** Stops claiming, lets in-flight sends finish (aborting them after the grace period), then resolves. */
  stop(): Promise<void>;
  kick(reason: KickReason): void;
  status(): SyncStatus;
  onStatus(listener: (status: SyncStatus) => void): () => void;
  /** Resolves once nothing is due and nothing is in flight (for tests, benchmarks and shutdown). */
  whenIdle(): Promise<void>;
}
