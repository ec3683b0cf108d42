import type { ReportRepo } from './reports';
import type { AuditEntry, AuditInput } from './audit-types';
import type { StoreDiagnostics } from './diagnostics';
import type { Clinician, ClinicianInput } from '../domain/clinician';
import type { Dose, DoseInput, ReportingState } from '../domain/dose';
import type { FieldIssue } from '../domain/errors';
import type { Lot, LotInput } from '../domain/lot';
import type { NewPatientInput, Patient, PatientInput } from '../domain/patient';
import type { Role, User } from '../domain/user';
import type { ObservationRepo } from './observations';
import type { Actor } from '../domain/actor';
import type { OutboxClosure, OutboxEntry, OutboxOutcome, OutboxStats, RegistryMessage } from '../domain/outbox';

export type { Actor };
export { FINAL_OUTBOX_STATES, OUTBOX_STATES, type OutboxClosure, type OutboxEntry, type OutboxOutcome, type OutboxState, type OutboxStats, type RegistryMessage } from '../domain/outbox';

// The store's contract: named reads and writes per table family, never raw SQL. Every write
// that touches patient data takes the acting user and appends an audit row in the same
// transaction. Implementations live beside this file (one module per table family).

export type { AuditEntry, AuditInput };

export interface PatientSearchQuery {
  /** Free text: name parts in any order (prefixes, accent-insensitive), an MRN, or a DOB. */
  text?: string;
  dob?: string;
  mrn?: string;
  limit?: number;
}

export interface PatientSummary {
  id: string;
  mrn: string;
  lastName: string;
  firstName: string;
  middleName?: string;
  dob: string;
  sex: string;
}

/** What the immunization forecast needs of one patient (and the recall list shows of them). */
export interface ForecastPatientRow {
  id: string;
  mrn: string;
  lastName: string;
  firstName: string;
  dob: string;
  sex: string;
  /** Administered and historical doses, oldest first; refusals and deleted doses are left out. */
  doses: { id: string; cvx: string; mvx?: string; date: string }[];
}

export interface PatientRepo {
  /** Without an MRN, one is assigned (`DD-000001`…), unique in this store, and the audit row says so. */
  create(input: NewPatientInput, actor: Actor): Patient;
  /** `expectedVersion` guards against two people editing the same chart at once. */
  update(id: string, input: PatientInput, expectedVersion: number, actor: Actor): Patient;
  get(id: string, actor: Actor): Patient | undefined;
  search(query: PatientSearchQuery, actor: Actor): PatientSummary[];
  /** Same last name, first name and DOB: a likely duplicate to warn about before creating. */
  findLikelyDuplicates(input: Pick<PatientInput, 'lastName' | 'firstName' | 'dob'>): PatientSummary[];
  count(): number;
  /** One patient's forecast input, read with its audit row (`patient.forecast`). */
  forecastInput(id: string, actor: Actor): ForecastPatientRow | undefined;
  /**
   * Every patient with their doses, for a recall run over the whole store: pages of
   * `pageSize` patients (default 1,000) in rowid order, each read with one ordered join (no
   * query per patient). Between pages the connection is free, so the caller may pause and let
   * other calls in; a patient added meanwhile may or may not be seen. Writes no audit row: the
   * caller appends one for the run.
   */
  forecastRows(pageSize?: number): Generator<ForecastPatientRow>;
}

export interface DoseWithStatus extends Dose {
  reporting: {
    state: ReportingState;
    /** The registry's own words when it rejected or warned. */
    messages: RegistryMessage[];
    lastAcceptedAt?: string;
    deadline?: string;
  };
}

export interface RecordDoseResult {
  dose: Dose;
  outbox: OutboxEntry;
}

export interface DoseRepo {
  /**
   * Validates with the domain rules, then in ONE transaction: inserts the dose, its outbox
   * entry (`pending`, fresh message control ID), an audit row, and takes one dose from the lot.
   * Throws `DomainValidationError` (nothing written) on invalid input.
   */
  record(input: DoseInput, actor: Actor, today: string): RecordDoseResult;
  /** Adds an update entry (RXA-21 `U`), or a fresh add if the add was rejected and never accepted. */
  edit(id: string, input: DoseInput, expectedVersion: number, actor: Actor, today: string): RecordDoseResult;
  /** Adds a delete entry (RXA-21 `D`), or cancels the add if it was never sent. */
  remove(id: string, reason: string, actor: Actor): { dose: Dose; outbox?: OutboxEntry };
  get(id: string, actor: Actor): DoseWithStatus | undefined;
  /** Deleted doses are left out unless `includeDeleted` (they then carry `deletedAt`). */
  listForPatient(patientId: string, actor: Actor, options?: { includeDeleted?: boolean }): DoseWithStatus[];
}

export interface LotRepo {
  receive(input: LotInput, actor: Actor): Lot;
  adjust(id: string, delta: number, reason: string, actor: Actor): Lot;
  setActive(id: string, active: boolean, actor: Actor): Lot;
  get(id: string): Lot | undefined;
  list(filter?: { cvx?: string; includeInactive?: boolean }): Lot[];
}

export interface ClinicianRepo {
  create(input: ClinicianInput, actor: Actor): Clinician;
  update(id: string, input: ClinicianInput, actor: Actor): Clinician;
  setActive(id: string, active: boolean, actor: Actor): Clinician;
  get(id: string): Clinician | undefined;
  list(includeInactive?: boolean): Clinician[];
}

export interface UserRecord extends User {
  passwordHash: string;
  failedAttempts: number;
  lockedUntil?: string;
}

export interface UserRepo {
  create(input: { username: string; displayName: string; role: Role; clinicianId?: string; passwordHash: string }, actor: Actor | null): User;
  byUsername(username: string): UserRecord | undefined;
  byId(id: string): UserRecord | undefined;
  list(): User[];
  count(): number;
  setPasswordHash(id: string, hash: string, actor: Actor): void;
  setRole(id: string, role: Role, actor: Actor): void;
  setActive(id: string, active: boolean, actor: Actor): void;
  recordFailedSignIn(id: string, lockedUntil: string | undefined): void;
  recordSuccessfulSignIn(id: string): void;
}

export interface OutboxRepo {
  /**
   * Moves up to `limit` due entries from `pending` to `sending` (attempts + 1) in one
   * transaction, earliest legal deadline first (none last), then `seq`, taking at most the first
   * open entry per patient so one patient's messages stay in order. A rejected entry holds back
   * only later entries of its own dose; an entry held back that way does not hold back the
   * patient's other doses. A `nextAttemptAt` further ahead than `maxBackoffMs` (a clock set
   * back) counts as due.
   */
  claimDue(now: Date, limit: number, maxBackoffMs: number): OutboxEntry[];
  /** Stores the message bytes once; later calls keep the first text. */
  setMessage(seq: number, text: string): OutboxEntry;
  /** `setMessage` for a claimed batch, in one transaction; returns the entries in the order given. */
  setMessages(messages: readonly { seq: number; text: string }[]): OutboxEntry[];
  markAccepted(seq: number, ack: { code: string; text: string; messages: RegistryMessage[]; warning: boolean }): void;
  markRejected(seq: number, ack: { code: string; text: string; messages: RegistryMessage[] }): void;
  /** Transport failure: back to pending, later. */
  markRetry(seq: number, nextAttemptAt: Date, error: string): void;
  /**
   * Claimed but never sent (reporting paused or stopped, or not its turn): back to pending at
   * `nextAttemptAt`, with the claim's attempt undone. `reason`, when given, replaces the last error.
   * An entry that was never sent at all drops the message built for it: nobody has seen those
   * bytes, and its next send builds them from the settings of that moment (same MSH-10).
   */
  release(seq: number, nextAttemptAt: Date, reason?: string): void;
  /** "Send now": every pending entry due after `now` becomes due at `now`. Returns how many moved. */
  makeDue(now: Date): number;
  /**
   * The system clock was moved by `deltaMs` (negative: set back). Every pending due time moves by
   * the same amount, so each entry keeps the wait it had instead of waiting as long as the clock
   * moved. Returns how many moved.
   */
  rebaseDue(deltaMs: number): number;
  /**
   * Several outcomes in one transaction (one durable commit), each with the same effect and
   * audit row as its single-entry method. All or nothing: on a throw none is recorded. Returns
   * the entries closed as a consequence (see `OutboxClosure`), in the same transaction.
   */
  recordOutcomes(outcomes: readonly OutboxOutcome[]): OutboxClosure[];
  /** At start-up: entries a crash left in `sending` go back to `pending`, due now. */
  recoverInFlight(now: Date): number;
  get(seq: number): OutboxEntry | undefined;
  byControlId(messageControlId: string): OutboxEntry | undefined;
  stats(): OutboxStats;
  /** Rejected and warned entries, newest first, for the work queue. */
  workQueue(limit?: number): OutboxEntry[];
  /**
   * Whether anything still waits for the current registry: not yet final, and not a rejection a
   * person dismissed (blocks changing the endpoint without confirmation).
   */
  hasUnsent(): boolean;
  nextDueAt(): string | undefined;
}

/** Which part of the work queue: what still needs a person, or what a person already decided. */
export const WORK_QUEUE_VIEWS = ['open', 'acknowledged', 'dismissed'] as const;
export type WorkQueueView = (typeof WORK_QUEUE_VIEWS)[number];

/** A person's decision about a registry answer: a warning seen, or a rejection dismissed with a reason. */
export interface WorkQueueReview {
  kind: 'acknowledged' | 'dismissed';
  at: string;
  userId: string;
  reason?: string;
}

export interface WorkQueueEntry extends OutboxEntry {
  review?: WorkQueueReview;
}

export interface WorkQueueCounts {
  /** Rejections waiting for a fix (not dismissed). */
  rejected: number;
  /** Warnings nobody has acknowledged yet. */
  warnings: number;
  acknowledged: number;
  dismissed: number;
}

export interface WorkQueuePage {
  entries: WorkQueueEntry[];
  /** Entries in this view, on every page. */
  total: number;
  counts: WorkQueueCounts;
  /** Opaque; present when more entries follow. */
  nextCursor?: string;
}

/** What a dose's reporting state became, without the registry's words (they are read with the dose). */
export interface DoseReportingUpdate {
  state: ReportingState;
  /** How many registry messages the chart would show (the text itself is PHI, read on demand). */
  messageCount: number;
  lastAcceptedAt?: string;
  deadline?: string;
}

export interface WorkQueueSkip {
  seq: number;
  code: 'not_found' | 'not_waiting' | 'newer_report';
  message: string;
}

export interface ResubmittedReport {
  doseId: string;
  patientId: string;
  /** The rejected entries this new attempt replaces. */
  replacedSeqs: number[];
  seq: number;
  action: 'A' | 'U' | 'D';
  messageControlId: string;
}

export interface WorkQueueRepo {
  /** One page of a view, `limit` entries at most, after `cursor` (from the previous page). */
  page(query: { view: WorkQueueView; limit: number; cursor?: string }): WorkQueuePage;
  counts(): WorkQueueCounts;
  /** Warnings seen by `actor`; each gets its audit row. Anything else is skipped with a reason. */
  acknowledge(seqs: readonly number[], actor: Actor): { acknowledged: number[]; skipped: WorkQueueSkip[] };
  /**
   * A rejection a person decided DoseDesk will not report (the registry has the dose another
   * way). Needs a reason; stays visible under `dismissed` and can still be fixed and resent.
   */
  dismiss(seq: number, reason: string, actor: Actor): WorkQueueEntry;
  /**
   * Sends rejected reports again as new attempts (after a configuration fix): each dose's open
   * rejections are superseded by ONE new entry with a new MSH-10 and the same ORC-3, built from
   * the current records and settings. `seqs` picks entries; without it, every open rejection.
   */
  resubmitRejected(actor: Actor, seqs?: readonly number[]): { resent: ResubmittedReport[]; skipped: WorkQueueSkip[] };
  /**
   * Sends a rejected delete again as a new entry (new MSH-10), audited as the person's decision.
   * A deleted dose can be neither edited nor deleted again, so this, or a dismissal with a reason,
   * is how anyone acts on the registry refusing its delete. Open or dismissed; nothing else.
   */
  retryDelete(seq: number, actor: Actor): ResubmittedReport;
  /** A dose's reporting state as the chart shows it, for sync events; writes no audit row (no PHI). */
  doseReporting(doseId: string): DoseReportingUpdate | undefined;
  /**
   * Reports not yet accepted whose legal deadline (105 CMR 222.100) falls before `before`,
   * waiting to be sent or rejected and not dismissed: nearest deadline first, one per dose (its
   * most urgent), `limit` at most; `total` counts the doses.
   */
  atRisk(query: { before: string; limit: number }): { entries: OutboxEntry[]; total: number };
}

export interface AuditRepo {
  append(entry: AuditInput): AuditEntry;
  list(filter?: { entityId?: string; userId?: string; limit?: number }): AuditEntry[];
  /** Re-walks the hash chain; returns the first broken row, if any. */
  verifyChain(): { ok: true; rows: number } | { ok: false; brokenAtId: number };
}

export interface SettingsRepo {
  get<T>(key: string): T | undefined;
  set(key: string, value: unknown, actor: Actor | null): void;
}

export interface Store {
  readonly path: string;
  readonly patients: PatientRepo;
  readonly doses: DoseRepo;
  readonly lots: LotRepo;
  readonly clinicians: ClinicianRepo;
  readonly users: UserRepo;
  readonly outbox: OutboxRepo;
  readonly workQueue: WorkQueueRepo;
  readonly audit: AuditRepo;
  readonly settings: SettingsRepo;
  /** A patient's CDSi observations (conditions, contraindications, immunity evidence). */
  readonly observations: ObservationRepo;
  /** The clinic reports: SQL aggregates over the doses given, the outbox and the lots. */
  readonly reports: ReportRepo;
  /** Schema version after migrations (the highest migration number applied). */
  readonly schemaVersion: number;
  /** The file, its durability settings, integrity checks and backups, for IT (never throws for damage). */
  diagnostics(): StoreDiagnostics;
  close(): void;
}

export type { FieldIssue };
