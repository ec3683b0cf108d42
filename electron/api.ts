import { z } from 'zod';
import { deadlinesContract } from './api/deadlines';
import type { AuditEntry } from './store/audit-types';
import type { BackupView, StoreDiagnostics } from './store/diagnostics';
import type { DoseReportingUpdate, DoseWithStatus, OutboxEntry, PatientSummary, RegistryMessage, WorkQueueView } from './store/types';
import { clinicianInputSchema, type Clinician } from './domain/clinician';
import { isoDate } from './domain/common';
import { doseInputSchema, type Dose } from './domain/dose';
import type { FieldIssue } from './domain/errors';
import { lotInputSchema, type Lot } from './domain/lot';
import { patientInputSchema, type Patient } from './domain/patient';
import { passwordSchema, role, userInputSchema, usernameSchema, type Role, type User } from './domain/user';
import { conditionsContract } from './api/conditions';
import { reportsContract } from './api/reports';

// The API contract between the renderer and the main process: every call the renderer may
// make, with its input schema, output schema and who may make it. ipc.ts registers exactly
// these methods (one channel each) and validates every payload against `input`; preload.ts
// exposes exactly these methods on `window.dosedesk` and is type-checked against `Api`.
//
// This module is imported by the renderer: no Node, no Electron, no store code at runtime
// (the store imports above are type-only). Outputs that are domain records are declared with
// `z.custom<T>()`: main produces them, so they are typed, not re-validated.

export type { FieldIssue };
export type { AuditEntry, BackupView, DoseReportingUpdate, DoseWithStatus, OutboxEntry, PatientSummary, RegistryMessage, StoreDiagnostics };
export type { Clinician, Dose, Lot, Patient, Role, User };

// ---------------------------------------------------------------------------------------------
// Results and errors (they cross IPC as plain data, never as thrown Error objects)

export const API_ERROR_KINDS = [
  'validation',
  'unauthorized',
  'forbidden',
  'locked',
  'conflict',
  'not_found',
  'store',
  'registry',
  'internal',
] as const;
export type ApiErrorKind = (typeof API_ERROR_KINDS)[number];

export interface ApiError {
  kind: ApiErrorKind;
  /** Written for the person at the keyboard (or for IT, for configuration problems). */
  message: string;
  /**
   * Stable machine code for the UI to branch on, e.g. `auth.bad_credentials`,
   * `auth.account_locked`, `auth.session_locked`, `patient.version_conflict`.
   */
  code?: string;
  /** Field-level problems (`validation`), with form paths such as `dose.lotNumber`. */
  issues?: FieldIssue[];
  /** When trying again makes sense (account lock-out end), ISO timestamp. */
  retryAfter?: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };

// ---------------------------------------------------------------------------------------------
// Shared shapes

const id = z.string().trim().min(1, { message: 'An id is required.' }).max(100);
const none = z.strictObject({});
const custom = <T>() => z.custom<T>((v) => typeof v === 'object' && v !== null);

export const sessionUserSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role,
  clinicianId: z.string().optional(),
});
export type SessionUser = z.infer<typeof sessionUserSchema>;

export const RUN_MODES = ['training', 'production'] as const;
export type RunMode = (typeof RUN_MODES)[number];

export const authStatusSchema = z.object({
  /**
   * `needs_first_admin`: a fresh install, no user exists yet (first-run screen);
   * `locked`: signed in but idle too long, `auth.unlock` with the same password continues.
   */
  state: z.enum(['needs_first_admin', 'signed_out', 'signed_in', 'locked']),
  user: sessionUserSchema.optional(),
  /** Minutes of inactivity before the session locks (0: never). */
  autoLockMinutes: z.number(),
  /** When the session locks if nothing happens before (ISO), while signed in. */
  lockAt: z.string().optional(),
  mode: z.enum(RUN_MODES),
});
export type AuthStatus = z.infer<typeof authStatusSchema>;

export const patientSummarySchema = custom<PatientSummary>();
export const patientSchema = custom<Patient>();
export const doseSchema = custom<Dose>();
export const doseWithStatusSchema = custom<DoseWithStatus>();
export const lotSchema = custom<Lot>();
export const clinicianSchema = custom<Clinician>();
export const userSchema = custom<User>();
export const auditEntrySchema = custom<AuditEntry>();

/** What the chart shows about a freshly written dose's trip to the registry. */
export const outboxSummarySchema = z.object({
  seq: z.number(),
  action: z.enum(['A', 'U', 'D']),
  state: z.string(),
  messageControlId: z.string(),
  deadlineAt: z.string().optional(),
});
export type OutboxSummary = z.infer<typeof outboxSummarySchema>;

export const doseWriteResultSchema = z.object({ dose: doseSchema, outbox: outboxSummarySchema.optional() });
export type DoseWriteResult = z.infer<typeof doseWriteResultSchema>;

export const codeOptionSchema = z.object({ code: z.string(), label: z.string(), detail: z.string().optional() });
export type CodeOption = z.infer<typeof codeOptionSchema>;

export const vaccineOptionSchema = z.object({
  cvx: z.string(),
  shortName: z.string(),
  fullName: z.string(),
  /** `active`, `inactive`, `never active`, … as CDC lists it; inactive vaccines are for history. */
  status: z.string().optional(),
  manufacturers: z.array(codeOptionSchema).default([]),
});
export type VaccineOption = z.infer<typeof vaccineOptionSchema>;

/** Dropdown lists for the forms. */
export const CODE_LIST_NAMES = [
  'routes',
  'sites',
  'manufacturers',
  'fundingSources',
  'vfcEligibility',
  'refusalReasons',
  'historicalSources',
  'completionStatuses',
  'credentials',
  'races',
  'ethnicities',
  'relationships',
  'languages',
] as const;
export type CodeListName = (typeof CODE_LIST_NAMES)[number];
export const codeListsSchema = z.record(z.enum(CODE_LIST_NAMES), z.array(codeOptionSchema));
export type CodeLists = Record<CodeListName, CodeOption[]>;

export const visDocumentSchema = z.object({
  documentType: z.string(),
  editionDate: z.string(),
  /** GS1 encoded string of the VIS barcode, when CDC publishes one. */
  encodedString: z.string().optional(),
});
export type VisDocument = z.infer<typeof visDocumentSchema>;

/** What picking a lot fills on the dose form. */
export const lotDefaultsSchema = z.object({
  lotId: z.string(),
  lotNumber: z.string(),
  cvx: z.string(),
  mvx: z.string(),
  ndc: z.string().optional(),
  expirationDate: z.string(),
  expired: z.boolean(),
  dosesOnHand: z.number(),
  fundingSource: z.string().optional(),
  amountMl: z.number().optional(),
  /** The current VIS editions for this vaccine, to tick as "given". */
  vis: z.array(visDocumentSchema),
});
export type LotDefaults = z.infer<typeof lotDefaultsSchema>;

/** What a translated engine or transport message fills in (`{host}`, `{status}`…). */
export const messageParamsSchema = z.record(z.string(), z.union([z.string(), z.number()]));
export type MessageParams = Readonly<Record<string, string | number>>;

export const SYNC_STATES = ['idle', 'sending', 'waiting_for_network', 'needs_attention', 'stopped'] as const;
export type SyncState = (typeof SYNC_STATES)[number];

export const syncStatusSchema = z.object({
  state: z.enum(SYNC_STATES),
  mode: z.enum(RUN_MODES),
  pending: z.number(),
  sending: z.number(),
  accepted: z.number(),
  warning: z.number(),
  rejected: z.number(),
  lastAcceptedAt: z.string().optional(),
  /** Earliest legal deadline among doses not yet accepted (105 CMR 222.100). */
  nextDeadlineAt: z.string().optional(),
  nextAttemptAt: z.string().optional(),
  /** The registry help desk as the settings name it, for the deadline warnings. */
  helpDesk: z.string().optional(),
  /**
   * Why sending is stopped or failing (credentials refused, endpoint unreachable…): `message` in
   * English for logs and IT; the UI renders `code` with `params` through its catalogue.
   */
  problem: z.object({ code: z.string(), message: z.string(), params: messageParamsSchema.optional() }).optional(),
});
export type SyncStatus = z.infer<typeof syncStatusSchema>;

/** Open: what still needs a person; acknowledged warnings and dismissed rejections: what people decided. */
export const WORK_QUEUE_VIEWS = ['open', 'acknowledged', 'dismissed'] as const satisfies readonly WorkQueueView[];

/** A person's decision about a registry answer, shown with the item. */
export const workQueueReviewSchema = z.object({
  kind: z.enum(['acknowledged', 'dismissed']),
  at: z.string(),
  /** The person's display name. */
  by: z.string(),
  reason: z.string().optional(),
});

/** A rejected or warned report, with enough to open the chart and fix the field. */
export const workQueueItemSchema = z.object({
  seq: z.number(),
  doseId: z.string(),
  patientId: z.string(),
  patientName: z.string().optional(),
  action: z.enum(['A', 'U', 'D']),
  state: z.string(),
  ackCode: z.string().optional(),
  ackText: z.string().optional(),
  messages: z.array(custom<RegistryMessage>()),
  updatedAt: z.string(),
  deadlineAt: z.string().optional(),
  review: workQueueReviewSchema.optional(),
});
export type WorkQueueItem = z.infer<typeof workQueueItemSchema>;

export const workQueueCountsSchema = z.object({ rejected: z.number(), warnings: z.number(), acknowledged: z.number(), dismissed: z.number() });
export type WorkQueueCounts = z.infer<typeof workQueueCountsSchema>;

/** One page of a work-queue view: bounded, with the total and a cursor for the next page. */
export const workQueuePageSchema = z.object({
  items: z.array(workQueueItemSchema),
  total: z.number(),
  counts: workQueueCountsSchema,
  nextCursor: z.string().optional(),
});
export type WorkQueuePage = z.infer<typeof workQueuePageSchema>;

/** An item a bulk action left alone, and why (someone else got there first, a newer report exists…). */
export const workQueueSkipSchema = z.object({ seq: z.number(), code: z.enum(['not_found', 'not_waiting', 'newer_report']), message: z.string() });
export type WorkQueueSkip = z.infer<typeof workQueueSkipSchema>;

export const resubmitResultSchema = z.object({
  resent: z.array(z.object({ doseId: z.string(), seq: z.number(), replacedSeqs: z.array(z.number()) })),
  skipped: z.array(workQueueSkipSchema),
  status: syncStatusSchema,
});
export type ResubmitResult = z.infer<typeof resubmitResultSchema>;

export const retryDeleteResultSchema = z.object({ doseId: z.string(), seq: z.number(), replacedSeqs: z.array(z.number()), status: syncStatusSchema });
export type RetryDeleteResult = z.infer<typeof retryDeleteResultSchema>;

/** Events pushed from main on `onSyncStatus`. */
export type SyncEvent =
  | { type: 'status'; status: SyncStatus }
  | {
      type: 'outcome';
      seq: number;
      doseId: string;
      patientId: string;
      outcome: 'accepted' | 'warning' | 'rejected' | 'retry';
      /**
       * What the dose's reporting state is now (its newest entry decides), so an open chart
       * updates the row without reading the dose again. No registry text: that is PHI, read
       * when a person asks for it.
       */
      reporting?: DoseReportingUpdate;
    }
  | { type: 'blocked'; code: string; message: string; params?: MessageParams };

/** Events pushed from main on `onSessionChange` (auto-lock, sign-out elsewhere). */
export type SessionEvent = { type: 'locked'; at: string } | { type: 'signed_out'; at: string };

// Settings: machine-wide values come from IT's config file; some may be set by an
// administrator in the app when the file leaves them open; some per user where IT allows.

export const UPDATE_CHANNELS = ['stable', 'beta', 'off'] as const;
export const REGISTRY_PRESETS = ['massachusetts', 'cdc_standard'] as const;
export const THEMES = ['system', 'light', 'dark'] as const;

/** Every setting the app knows, with its validation. Keys are dotted paths in the config file. */
export const settingsValuesSchema = z.object({
  /** The administering location sent with every dose (RXA-11; 105 CMR 222.100). */
  'site.name': z.string().trim().max(120),
  'site.street1': z.string().trim().max(120),
  'site.city': z.string().trim().max(60),
  'site.state': z.string().trim().toUpperCase().regex(/^([A-Z]{2})?$/, { message: 'Use the two-letter state code, e.g. MA.' }),
  'site.zip': z.string().trim().regex(/^(\d{5}(-\d{4})?)?$/, { message: 'ZIP code must be 5 digits (or ZIP+4).' }),
  'registry.preset': z.enum(REGISTRY_PRESETS),
  'registry.endpointUrl': z.string().trim().max(500),
  'registry.vaccinePin': z.string().trim().max(20),
  'registry.facilityId': z.string().trim().max(30),
  /** Who to call about the registry, named in every deadline warning (MIIS: docs/domain.md §3.3). */
  'registry.helpDesk': z.string().trim().max(200),
  autoLockMinutes: z.number().int().min(0).max(240),
  'lockout.maxAttempts': z.number().int().min(3).max(20),
  'lockout.minutes': z.number().int().min(1).max(1440),
  updateChannel: z.enum(UPDATE_CHANNELS),
  'ui.theme': z.enum(THEMES),
  'ui.textScale': z.number().min(0.8).max(2),
});
export type SettingsValues = z.infer<typeof settingsValuesSchema>;
export type SettingKey = keyof SettingsValues;
export const SETTING_KEYS = Object.keys(settingsValuesSchema.shape) as SettingKey[];

/** The only settings IT may let each user choose for themselves (reporting and security stay per machine). */
export const USER_OVERRIDABLE_KEYS = ['autoLockMinutes', 'ui.theme', 'ui.textScale'] as const satisfies readonly SettingKey[];

export const SETTING_SOURCES = ['default', 'machine', 'site', 'user'] as const;
export type SettingSource = (typeof SETTING_SOURCES)[number];

export const settingsViewSchema = z.object({
  mode: z.enum(RUN_MODES),
  /** Effective values for the signed-in user. */
  values: settingsValuesSchema,
  /** Where each effective value comes from. */
  sources: z.record(z.string(), z.enum(SETTING_SOURCES)),
  /** Keys an administrator may change in the app (not fixed by IT's file). */
  siteEditable: z.array(z.string()),
  /** Keys this user may override for themselves (IT's allowUserOverride). */
  userEditable: z.array(z.string()),
  /** The machine-wide file read at start, for the IT line on the settings screen. */
  configFile: z.object({ path: z.string(), found: z.boolean() }),
  credentials: z.object({
    stored: z.boolean(),
    username: z.string().optional(),
    /** False when the OS offers no real protection (Linux `basic_text`): credentials are refused. */
    protectionAvailable: z.boolean(),
    backend: z.string().optional(),
  }),
});
export type SettingsView = z.infer<typeof settingsViewSchema>;

export const connectionCheckResultSchema = z.object({
  ok: z.boolean(),
  /** `connectivityTest` where the endpoint supports it, else `probe` (answers + accepts credentials, reports nothing). */
  method: z.enum(['connectivityTest', 'probe']),
  endpoint: z.string(),
  /** In English (for IT and the log); the UI renders `code` with `params` when it knows the code. */
  detail: z.string(),
  code: z.string().optional(),
  params: messageParamsSchema.optional(),
  checkedAt: z.string(),
});
export type ConnectionCheckResult = z.infer<typeof connectionCheckResultSchema>;

export const appInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  mode: z.enum(RUN_MODES),
  /** Shown on every screen in training mode. */
  trainingBanner: z.string().optional(),
  configFile: z.object({ path: z.string(), found: z.boolean() }),
  platform: z.string(),
});
export type AppInfo = z.infer<typeof appInfoSchema>;

// Immunization forecast (CDC CDSi, electron/domain/forecast): what the chart shows as due and
// the reminder/recall list. Dates are YYYY-MM-DD on the clinic's calendar.

const forecastVaccineSchema = z.object({ cvx: z.string(), name: z.string() });

/** A condition on the chart that explains a status: "due because: asplenia", "contraindicated: …". */
const forecastBecauseSchema = z.object({
  code: z.string(),
  title: z.string(),
  /** The day it began, else the day it was recorded. */
  since: z.string().optional(),
});
export type ForecastBecause = z.infer<typeof forecastBecauseSchema>;

/** A vaccine group with a dose due: overdue, due today or due soon. */
export const dueItemSchema = z.object({
  vaccineGroup: z.string(),
  targetDose: z.number().optional(),
  earliest: z.string().optional(),
  recommended: z.string().optional(),
  pastDue: z.string().optional(),
  latest: z.string().optional(),
  /** The earliest date has come: the dose may be given on the assessment date. */
  canGiveToday: z.boolean(),
  daysOverdue: z.number().optional(),
  /** The vaccines that may be given for this dose. */
  vaccines: z.array(forecastVaccineSchema),
  /** Valid doses on the chart for this group: CDSi numbers an adult's catch-up from the child schedule (dose 7), a nurse counts from what was given. */
  dosesCounted: z.number().int().min(0).optional(),
  /** The patient's conditions the dose is due because of (absent when age alone decides). */
  because: z.array(forecastBecauseSchema).optional(),
});
export type DueItemView = z.infer<typeof dueItemSchema>;

/** A vaccine group with nothing due now: complete, immune, aged out, contraindicated, or later. */
export const notDueItemSchema = z.object({
  vaccineGroup: z.string(),
  status: z.enum(['not_complete', 'complete', 'immune', 'aged_out', 'contraindicated', 'not_recommended']),
  reason: z.string().optional(),
  recommended: z.string().optional(),
  /** The patient's conditions behind the status (a contraindication, a risk series). */
  because: z.array(forecastBecauseSchema).optional(),
});
export type NotDueItemView = z.infer<typeof notDueItemSchema>;

export const patientForecastSchema = z.object({
  patientId: z.string(),
  assessmentDate: z.string(),
  /** CDSi supporting-data release the forecast used. */
  dataVersion: z.string(),
  overdue: z.array(dueItemSchema),
  dueToday: z.array(dueItemSchema),
  dueSoon: z.array(dueItemSchema),
  notDue: z.array(notDueItemSchema),
  /** CVX codes of the vaccines due now (overdue, today, soon), in the order to offer them. */
  dueVaccines: z.array(z.string()),
  /** Doses on the chart that do not count toward a series, with CDC's reason. */
  notCounted: z.array(z.object({ doseId: z.string().optional(), cvx: z.string(), date: z.string(), vaccineGroup: z.string(), reason: z.string() })),
});
export type PatientForecast = z.infer<typeof patientForecastSchema>;

export const recallEntrySchema = z.object({
  patientId: z.string(),
  mrn: z.string(),
  lastName: z.string(),
  firstName: z.string(),
  dob: z.string(),
  vaccineGroup: z.string(),
  ageBand: z.string(),
  ageMonths: z.number(),
  targetDose: z.number().optional(),
  pastDue: z.string(),
  daysOverdue: z.number(),
  /** CVX codes that may be given. */
  vaccines: z.array(z.string()),
});
export type RecallEntryView = z.infer<typeof recallEntrySchema>;

export const recallListSchema = z.object({
  assessmentDate: z.string(),
  patientsScanned: z.number(),
  /** Charts the forecast could not read (an impossible date of birth), by id. */
  skipped: z.array(z.object({ patientId: z.string(), reason: z.string() })),
  /** Overdue patients per vaccine group and age band (before the age-band filter and the limit). */
  counts: z.record(z.string(), z.record(z.string(), z.number())),
  /** Most overdue first within each group and band, at most `limit`. */
  entries: z.array(recallEntrySchema),
  /** More entries matched than `limit`. */
  truncated: z.boolean(),
  /** What the filters may choose from. */
  vaccineGroups: z.array(z.string()),
  ageBands: z.array(z.string()),
});
export type RecallListView = z.infer<typeof recallListSchema>;

// ---------------------------------------------------------------------------------------------
// The contract

export type Access = 'public' | 'signed_in' | readonly Role[];

export interface MethodSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I;
  output: O;
  /** `public`: no session needed; `signed_in`: any unlocked session; a role list: only those roles. */
  access: Access;
  /** Reads or changes patient data: the handler passes the user to the store for the audit row. */
  phi?: boolean;
}

const spec = <I extends z.ZodType, O extends z.ZodType>(s: MethodSpec<I, O>): MethodSpec<I, O> => s;

const ADMIN = ['administrator'] as const satisfies readonly Role[];
const CLINICAL = ['administrator', 'clinician'] as const satisfies readonly Role[];

const patientSearchInput = z.strictObject({
  text: z.string().trim().max(120).optional(),
  dob: z.string().trim().max(10).optional(),
  mrn: z.string().trim().max(30).optional(),
  limit: z.number().int().min(1).max(200).optional(),
});

export const contract = {
  // Sessions ------------------------------------------------------------------------------
  'auth.status': spec({ input: none, output: authStatusSchema, access: 'public' }),
  'auth.createFirstAdmin': spec({
    input: z.strictObject({ username: usernameSchema, displayName: userInputSchema.shape.displayName, password: passwordSchema }),
    output: authStatusSchema,
    access: 'public',
  }),
  'auth.signIn': spec({
    input: z.strictObject({ username: z.string().trim().min(1).max(64), password: z.string().min(1).max(256) }),
    output: authStatusSchema,
    access: 'public',
  }),
  'auth.signOut': spec({ input: none, output: authStatusSchema, access: 'public' }),
  /** Lock now (walking away from a shared PC); `auth.unlock` continues the same session. */
  'auth.lock': spec({ input: none, output: authStatusSchema, access: 'signed_in' }),
  'auth.unlock': spec({ input: z.strictObject({ password: z.string().min(1).max(256) }), output: authStatusSchema, access: 'public' }),
  /** User activity (keys, clicks) seen by the renderer; pushes the auto-lock back. Throttle it. */
  'auth.touch': spec({ input: none, output: authStatusSchema, access: 'signed_in' }),
  'auth.changePassword': spec({
    input: z.strictObject({ currentPassword: z.string().min(1).max(256), newPassword: passwordSchema }),
    output: z.object({ changed: z.literal(true) }),
    access: 'signed_in',
  }),

  // Patients --------------------------------------------------------------------------------
  'patients.search': spec({ input: patientSearchInput, output: z.array(patientSummarySchema), access: 'signed_in', phi: true }),
  'patients.get': spec({ input: z.strictObject({ id }), output: patientSchema, access: 'signed_in', phi: true }),
  /** Returns likely duplicates instead of creating, unless `confirmDuplicate`. */
  'patients.create': spec({
    input: z.strictObject({ patient: patientInputSchema, confirmDuplicate: z.boolean().optional() }),
    output: z.discriminatedUnion('created', [
      z.object({ created: z.literal(true), patient: patientSchema }),
      z.object({ created: z.literal(false), duplicates: z.array(patientSummarySchema) }),
    ]),
    access: 'signed_in',
    phi: true,
  }),
  'patients.update': spec({
    input: z.strictObject({ id, patient: patientInputSchema, expectedVersion: z.number().int().min(0) }),
    output: patientSchema,
    access: 'signed_in',
    phi: true,
  }),

  // Doses -----------------------------------------------------------------------------------
  'doses.record': spec({ input: z.strictObject({ dose: doseInputSchema }), output: doseWriteResultSchema, access: CLINICAL, phi: true }),
  'doses.edit': spec({
    input: z.strictObject({ id, dose: doseInputSchema, expectedVersion: z.number().int().min(0) }),
    output: doseWriteResultSchema,
    access: CLINICAL,
    phi: true,
  }),
  'doses.remove': spec({
    input: z.strictObject({ id, reason: z.string().trim().min(3, { message: 'Say why this dose is being deleted.' }).max(500) }),
    output: doseWriteResultSchema,
    access: CLINICAL,
    phi: true,
  }),
  'doses.get': spec({ input: z.strictObject({ id }), output: doseWithStatusSchema, access: 'signed_in', phi: true }),
  'doses.listForPatient': spec({ input: z.strictObject({ patientId: id }), output: z.array(doseWithStatusSchema), access: 'signed_in', phi: true }),

  // Forecast --------------------------------------------------------------------------------
  /** What is overdue, due today and due soon for one patient; the date defaults to the clinic's today. */
  'forecast.forPatient': spec({
    input: z.strictObject({ patientId: id, assessmentDate: isoDate.optional(), soonDays: z.number().int().min(0).max(365).optional() }),
    output: patientForecastSchema,
    access: 'signed_in',
    phi: true,
  }),
  /** Reminder/recall: patients overdue for a vaccine group, by age band, over the whole store. */
  'forecast.recallList': spec({
    input: z.strictObject({
      vaccineGroup: z.string().trim().min(1).max(40).optional(),
      ageBand: z.string().trim().min(1).max(40).optional(),
      /** Only patients with this CDSi condition on their chart (observation code, e.g. "014" diabetes). */
      condition: z.string().trim().regex(/^\d{3}$/, { message: 'Choose a condition from the list.' }).optional(),
      assessmentDate: isoDate.optional(),
      limit: z.number().int().min(1).max(2000).optional(),
    }),
    output: recallListSchema,
    access: CLINICAL,
    phi: true,
  }),

  // Inventory and people ------------------------------------------------------------------
  'lots.list': spec({
    input: z.strictObject({ cvx: z.string().trim().max(3).optional(), includeInactive: z.boolean().optional() }),
    output: z.array(lotSchema),
    access: 'signed_in',
  }),
  'lots.receive': spec({ input: z.strictObject({ lot: lotInputSchema }), output: lotSchema, access: CLINICAL }),
  'lots.adjust': spec({
    input: z.strictObject({
      id,
      delta: z.number().int().min(-100_000).max(100_000).refine((d) => d !== 0, { message: 'Enter how many doses to add or remove.' }),
      reason: z.string().trim().min(3, { message: 'Say why the count changes (wasted, returned, recount…).' }).max(500),
    }),
    output: lotSchema,
    access: CLINICAL,
  }),
  'lots.setActive': spec({ input: z.strictObject({ id, active: z.boolean() }), output: lotSchema, access: CLINICAL }),
  'clinicians.list': spec({ input: z.strictObject({ includeInactive: z.boolean().optional() }), output: z.array(clinicianSchema), access: 'signed_in' }),
  'clinicians.create': spec({ input: z.strictObject({ clinician: clinicianInputSchema }), output: clinicianSchema, access: ADMIN }),
  'clinicians.update': spec({ input: z.strictObject({ id, clinician: clinicianInputSchema }), output: clinicianSchema, access: ADMIN }),
  'clinicians.setActive': spec({ input: z.strictObject({ id, active: z.boolean() }), output: clinicianSchema, access: ADMIN }),
  'users.list': spec({ input: none, output: z.array(userSchema), access: ADMIN }),
  'users.create': spec({ input: z.strictObject({ user: userInputSchema, password: passwordSchema }), output: userSchema, access: ADMIN }),
  'users.setRole': spec({ input: z.strictObject({ id, role }), output: userSchema, access: ADMIN }),
  'users.setActive': spec({ input: z.strictObject({ id, active: z.boolean() }), output: userSchema, access: ADMIN }),
  /** Sets a new password and lifts a lock-out. */
  'users.resetPassword': spec({ input: z.strictObject({ id, newPassword: passwordSchema }), output: userSchema, access: ADMIN }),
  'audit.list': spec({
    input: z.strictObject({ entityId: z.string().max(100).optional(), userId: z.string().max(100).optional(), limit: z.number().int().min(1).max(1000).optional() }),
    output: z.array(auditEntrySchema),
    access: ADMIN,
  }),

  // Code tables -----------------------------------------------------------------------------
  'codes.searchVaccines': spec({
    input: z.strictObject({ text: z.string().trim().max(80), limit: z.number().int().min(1).max(100).optional(), includeInactive: z.boolean().optional() }),
    output: z.array(vaccineOptionSchema),
    access: 'signed_in',
  }),
  'codes.lists': spec({ input: none, output: codeListsSchema, access: 'signed_in' }),
  'codes.lotDefaults': spec({ input: z.strictObject({ lotId: id }), output: lotDefaultsSchema, access: 'signed_in' }),

  // Reporting -------------------------------------------------------------------------------
  'sync.status': spec({ input: none, output: syncStatusSchema, access: 'signed_in' }),
  /** One page of a view, nearest legal deadline first; shows patient names, so each page is an audited read. */
  'sync.workQueue': spec({
    input: z.strictObject({
      view: z.enum(WORK_QUEUE_VIEWS).optional(),
      limit: z.number().int().min(1).max(200).optional(),
      cursor: z
        .string()
        .max(400)
        .regex(/^[A-Za-z0-9_-]+$/, { message: 'This page of the work queue is out of date. Reload the work queue.' })
        .optional(),
    }),
    output: workQueuePageSchema,
    access: 'signed_in',
    phi: true,
  }),
  /** Warnings seen: they leave the open queue (audited, one row per report). */
  'sync.acknowledge': spec({
    input: z.strictObject({ seqs: z.array(z.number().int().positive()).min(1, { message: 'Choose at least one warning.' }).max(200) }),
    output: z.object({ acknowledged: z.array(z.number()), skipped: z.array(workQueueSkipSchema) }),
    access: 'signed_in',
    phi: true,
  }),
  /** A rejection DoseDesk will not report because the registry has the dose another way; needs a reason. */
  'sync.dismiss': spec({
    input: z.strictObject({
      seq: z.number().int().positive(),
      reason: z.string().trim().min(3, { message: 'Say why DoseDesk should stop reporting this dose (e.g. keyed in the MIIS web site).' }).max(500),
    }),
    output: workQueueItemSchema,
    access: CLINICAL,
    phi: true,
  }),
  /** After a configuration fix: every open rejection (or the ones named) goes again as a new attempt. */
  'sync.resubmitRejected': spec({
    input: z.strictObject({ seqs: z.array(z.number().int().positive()).min(1).max(1000).optional() }),
    output: resubmitResultSchema,
    access: ADMIN,
    phi: true,
  }),
  /** A rejected delete of a deleted dose goes again as a new report (the dose itself can no longer be fixed). */
  'sync.retryDelete': spec({
    input: z.strictObject({ seq: z.number().int().positive() }),
    output: retryDeleteResultSchema,
    access: CLINICAL,
    phi: true,
  }),
  'sync.retryNow': spec({ input: none, output: syncStatusSchema, access: 'signed_in' }),
  ...deadlinesContract,

  // Settings and the registry connection ------------------------------------------------
  'settings.get': spec({ input: none, output: settingsViewSchema, access: 'signed_in' }),
  /** `site`: administrator, keys IT's file leaves open; `user`: keys in IT's allowUserOverride. */
  'settings.update': spec({
    input: z.strictObject({ scope: z.enum(['site', 'user']), values: settingsValuesSchema.partial().strict() }),
    output: settingsViewSchema,
    access: 'signed_in',
  }),
  /** Checks the production endpoint with the stored credentials without reporting anything. */
  'registry.testConnection': spec({ input: none, output: connectionCheckResultSchema, access: ADMIN }),
  'registry.saveCredentials': spec({
    input: z.strictObject({ username: z.string().trim().min(1).max(100), password: z.string().min(1).max(256) }),
    output: settingsViewSchema,
    access: ADMIN,
  }),
  /** Needs a successful connection check; refuses while training reports are still unsent. */
  'registry.switchToProduction': spec({ input: none, output: connectionCheckResultSchema, access: ADMIN }),
  'registry.switchToTraining': spec({ input: none, output: appInfoSchema, access: ADMIN }),

  'app.info': spec({ input: none, output: appInfoSchema, access: 'public' }),

  // The database file, for IT ------------------------------------------------------------
  /** Size, durability settings, last integrity checks and every backup (each checked now). */
  'store.diagnostics': spec({ input: none, output: custom<StoreDiagnostics>(), access: ADMIN }),

  ...conditionsContract,
  ...reportsContract,
} as const;

export type Contract = typeof contract;
export type MethodName = keyof Contract;
export const METHOD_NAMES = Object.keys(contract) as MethodName[];

export type MethodInput<K extends MethodName> = z.input<Contract[K]['input']>;
export type MethodOutput<K extends MethodName> = z.output<Contract[K]['output']>;
/** What a handler receives after validation (defaults applied, strings trimmed). */
export type ParsedInput<K extends MethodName> = z.output<Contract[K]['input']>;

export type ApiMethod<K extends MethodName> = (input: MethodInput<K>) => Promise<Result<MethodOutput<K>>>;

type Namespace = MethodName extends infer K ? (K extends `${infer N}.${string}` ? N : never) : never;

/**
 * `window.dosedesk`: one function per contract method, grouped by namespace
 * (`window.dosedesk.patients.search({ text })`), plus the push-event subscriptions.
 */
export type Api = {
  [N in Namespace]: { [K in MethodName as K extends `${N}.${infer M}` ? M : never]: ApiMethod<K> };
} & {
  /** Returns an unsubscribe function. */
  onSyncStatus(listener: (event: SyncEvent) => void): () => void;
  onSessionChange(listener: (event: SessionEvent) => void): () => void;
};

/** The global the preload installs; the renderer declares `window.dosedesk: Api` from this. */
export const API_GLOBAL = 'dosedesk';

export function accessAllows(access: Access, userRole: Role | undefined): boolean {
  if (access === 'public') return true;
  if (userRole === undefined) return false;
  if (access === 'signed_in') return true;
  return access.includes(userRole);
}
