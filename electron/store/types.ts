import type { AuditEntry, AuditInput } from './audit-types';
import type { StoreDiagnostics } from './diagnostics';
import type { Clinician, ClinicianInput } from '../domain/clinician';
import type { Dose, DoseInput, ReportingState } from '../domain/dose';
import type { FieldIssue } from '../domain/errors';
import type { Lot, LotInput } from '../domain/lot';
import type { Patient, PatientInput } from '../domain/patient';
import type { Role, User } from '../domain/user';

// The store's contract: named reads and writes per table family, never raw SQL. Every write
// that touches patient data takes the acting user and appends an audit row in the same
// transaction. Implementations live beside this file (one module per table family).

export type { AuditEntry, AuditInput };

/** Who is acting; written to the audit trail with every read or change of patient data. */
export interface Actor {
  userId: string;
  /** Free text for the trail when no user is signed in (e.g. `system:sync`). */
  label?: string;
}

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
  create(input: PatientInput, actor: Actor): Patient;
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

export interface RegistryMessage {
  severity: 'error' | 'warning' | 'info';
  text: string;
  /** Form field the registry's error location maps to (e.g. `dose.lotNumber`). */
  field?: string;
  code?: string;
  location?: string;
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

export const OUTBOX_STATES = ['pending', 'sending', 'accepted', 'warning', 'rejected', 'cancelled', 'superseded'] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];
export const FINAL_OUTBOX_STATES: readonly OutboxState[] = ['accepted', 'warning', 'cancelled', 'superseded'];

export interface OutboxEntry {
  /** Monotonic sequence: send order, never wall-clock time. */
  seq: number;
  doseId: string;
  patientId: string;
  action: 'A' | 'U' | 'D';
  state: OutboxState;
  /** MSH-10: stable for the life of the entry, so a retry is recognisably the same message. */
  messageControlId: string;
  /** The HL7 bytes, built once on first claim and resent unchanged on every retry. */
  messageText?: string;
  attempts: number;
  nextAttemptAt: string;
  lastError?: string;
  ackCode?: string;
  ackText?: string;
  registryMessages: RegistryMessage[];
  createdAt: string;
  updatedAt: string;
  completedAt?: string;
  /** When the law wants this dose at MIIS (105 CMR 222.100), for administered adds. */
  deadlineAt?: string;
}

export interface OutboxStats {
  pending: number;
  sending: number;
  accepted: number;
  warning: number;
  rejected: number;
  lastAcceptedAt?: string;
  /** Earliest deadline among entries not yet accepted. */
  nextDeadlineAt?: string;
}

/** One settled send, for `OutboxRepo.recordOutcomes`. */
export type OutboxOutcome =
  | { seq: number; kind: 'accepted'; ack: { code: string; text: string; messages: RegistryMessage[]; warning: boolean } }
  | { seq: number; kind: 'rejected'; ack: { code: string; text: string; messages: RegistryMessage[] } }
  | { seq: number; kind: 'retry'; nextAttemptAt: Date; error: string };

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
   * Several outcomes in one transaction (one durable commit), each with the same effect and
   * audit row as its single-entry method. All or nothing: on a throw none is recorded.
   */
  recordOutcomes(outcomes: readonly OutboxOutcome[]): void;
  /** At start-up: entries a crash left in `sending` go back to `pending`, due now. */
  recoverInFlight(now: Date): number;
  get(seq: number): OutboxEntry | undefined;
  byControlId(messageControlId: string): OutboxEntry | undefined;
  stats(): OutboxStats;
  /** Rejected and warned entries, newest first, for the work queue. */
  workQueue(limit?: number): OutboxEntry[];
  /** Whether anything is not yet final (blocks changing the endpoint without confirmation). */
  hasUnsent(): boolean;
  nextDueAt(): string | undefined;
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
  readonly audit: AuditRepo;
  readonly settings: SettingsRepo;
  /** Schema version after migrations (the highest migration number applied). */
  readonly schemaVersion: number;
  /** The file, its durability settings, integrity checks and backups, for IT (never throws for damage). */
  diagnostics(): StoreDiagnostics;
  close(): void;
}

export type { FieldIssue };
