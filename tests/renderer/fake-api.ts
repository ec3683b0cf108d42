import { vi } from 'vitest';
import { METHOD_NAMES, type Api, type MethodName, type MethodOutput, type PatientForecast, type Result, type StoreDiagnostics, type SyncEvent, type SyncStatus, type WorkQueueItem, type WorkQueuePage } from '../../electron/api';
import type { Lot } from '../../electron/domain/lot';
import type { Patient } from '../../electron/domain/patient';
import type { Clinician } from '../../electron/domain/clinician';
import { createCodeCatalog } from '../../electron/services/codes';

// A stand-in for `window.dosedesk` in jsdom: every contract method is a vi.fn answering from
// `answers` (or a failure saying it was not expected), the code lists come from the real code
// tables, and sync events can be pushed with `emitSync`.

type Handler<K extends MethodName> = (input: unknown) => Result<MethodOutput<K>> | Promise<Result<MethodOutput<K>>>;
export type Answers = { [K in MethodName]?: Handler<K> };

export interface FakeApi {
  api: Api;
  calls: (method: MethodName) => unknown[];
  spy: (method: MethodName) => ReturnType<typeof vi.fn>;
  emitSync: (event: SyncEvent) => void;
}

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });

const catalog = createCodeCatalog();

const defaults: Answers = {
  'codes.lists': () => ok(catalog.lists()),
  'codes.searchVaccines': (input) => {
    const { text, limit, includeInactive } = input as { text: string; limit?: number; includeInactive?: boolean };
    return ok(catalog.searchVaccines(text, limit ?? 8, includeInactive ?? false));
  },
  'clinicians.list': () => ok([CLINICIAN]),
  'lots.list': () => ok([]),
  'doses.listForPatient': () => ok([]),
  'sync.status': () => ok(STATUS),
  'sync.workQueue': () => ok(queuePage([])),
  'sync.deadlines': () => ok({ items: [], total: 0, helpDesk: HELP_DESK }),
  'forecast.forPatient': (input) => ok({ ...EMPTY_FORECAST, patientId: (input as { patientId: string }).patientId }),
  'store.diagnostics': () => ok(DIAGNOSTICS),
  'conditions.listForPatient': () => ok([]),
};

export function installFakeApi(answers: Answers = {}): FakeApi {
  const spies = new Map<MethodName, ReturnType<typeof vi.fn>>();
  const api: Record<string, unknown> = {};
  for (const method of METHOD_NAMES) {
    const [ns, name] = method.split('.') as [string, string];
    const handler = (answers[method] ?? defaults[method]) as Handler<MethodName> | undefined;
    const spy = vi.fn(async (input: unknown) =>
      handler ? handler(input) : { ok: false, error: { kind: 'internal', message: `The test did not expect ${method}.` } },
    );
    spies.set(method, spy);
    ((api[ns] ??= {}) as Record<string, unknown>)[name] = spy;
  }
  const listeners = new Set<(e: SyncEvent) => void>();
  api.onSyncStatus = (l: (e: SyncEvent) => void) => {
    listeners.add(l);
    return () => listeners.delete(l);
  };
  api.onSessionChange = () => () => undefined;
  window.dosedesk = api as unknown as Api;
  return {
    api: api as unknown as Api,
    calls: (method) => spies.get(method)!.mock.calls.map((c) => c[0]),
    spy: (method) => spies.get(method)!,
    emitSync: (event) => listeners.forEach((l) => l(event)),
  };
}

/** A chart with nothing due: the default answer to forecast.forPatient. */
export const EMPTY_FORECAST: PatientForecast = {
  patientId: 'p1',
  assessmentDate: '2026-11-25',
  dataVersion: '4.64',
  overdue: [],
  dueToday: [],
  dueSoon: [],
  notDue: [],
  dueVaccines: [],
  notCounted: [],
};

/** Four months old with only the birth dose of hepatitis B (as the real forecast answers). */
export const INFANT_FORECAST: PatientForecast = {
  ...EMPTY_FORECAST,
  overdue: [
    {
      vaccineGroup: 'HepB',
      targetDose: 2,
      earliest: '2026-08-22',
      recommended: '2026-08-25',
      pastDue: '2026-11-21',
      daysOverdue: 4,
      canGiveToday: true,
      vaccines: [
        { cvx: '08', name: 'Hep B, adolescent or pediatric' },
        { cvx: '110', name: 'DTaP-Hep B-IPV' },
      ],
    },
  ],
  dueToday: [
    { vaccineGroup: 'RSV', targetDose: 1, earliest: '2026-07-25', recommended: '2026-07-25', canGiveToday: true, vaccines: [{ cvx: '306', name: 'RSV, mAb, nirsevimab-alip, 0.5 mL' }] },
  ],
  dueSoon: [
    { vaccineGroup: 'Influenza', targetDose: 1, earliest: '2026-12-10', recommended: '2026-12-10', canGiveToday: false, vaccines: [{ cvx: '150', name: 'Influenza, injectable, quadrivalent, preservative free' }] },
  ],
  notDue: [
    { vaccineGroup: 'MMR', status: 'not_complete', reason: 'Next dose not yet due', recommended: '2027-07-25' },
    { vaccineGroup: 'Rotavirus', status: 'aged_out', reason: 'Past the maximum age for this series' },
  ],
  dueVaccines: ['08', '110', '306', '150'],
  notCounted: [{ doseId: 'd9', cvx: '08', date: '2026-08-01', vaccineGroup: 'HepB', reason: 'Age: Too Young' }],
};

/** A work-queue answer holding `items` as its only page. */
export function queuePage(items: WorkQueueItem[], over: Partial<WorkQueuePage> = {}): WorkQueuePage {
  const rejected = items.filter((i) => i.state === 'rejected' && !i.review).length;
  const warnings = items.filter((i) => i.state === 'warning' && !i.review).length;
  return { items, total: items.length, counts: { rejected, warnings, acknowledged: 0, dismissed: 0 }, ...over };
}

/** A healthy database file with no backups yet: the default answer to store.diagnostics. */
export const DIAGNOSTICS: StoreDiagnostics = {
  path: '/home/clinic/.config/DoseDesk/dosedesk.sqlite3',
  sizeBytes: 3 * 1024 * 1024,
  walBytes: 64 * 1024,
  freeBytes: 40 * 1024 ** 3,
  schemaVersion: 30,
  durability: { at: '2026-11-25T14:00:00.000Z', journalMode: 'wal', synchronous: 2, foreignKeys: true, fullfsync: false, sqliteVersion: '3.50.4' },
  integrity: { lastFull: { at: '2026-11-20T14:00:00.000Z', result: 'ok' }, lastQuick: { at: '2026-11-25T14:00:00.000Z', result: 'ok' } },
  backups: [],
  waitingAuditRows: 0,
};

/** The default registry help desk (docs/domain.md §3.3). */
export const HELP_DESK = 'MIIS Help Desk: miishelpdesk@mass.gov, 617-983-4335';

export const STATUS: SyncStatus = { state: 'idle', mode: 'training', pending: 0, sending: 0, accepted: 0, warning: 0, rejected: 0 };

export const CLINICIAN: Clinician = { id: 'c1', firstName: 'Rosa', lastName: 'Medeiros', credential: 'RN', canAdminister: true, canOrder: false, active: true };

export const PATIENT: Patient = {
  id: 'p1',
  mrn: 'FR-1',
  lastName: 'Garcia',
  firstName: 'Maria',
  dob: '1988-03-14',
  sex: 'F',
  genderIdentity: 'female',
  races: ['2106-3'],
  ethnicity: '2186-5',
  preferredLanguage: 'por',
  address: { street1: '41 Sumner St', city: 'Fall River', state: 'MA', zip: '02720', country: 'USA' },
  guardians: [],
  dataSharingObjection: false,
  registryStatus: 'A',
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
  version: 1,
};

export const TDAP_LOT: Lot = {
  id: 'lot-tdap',
  lotNumber: 'TDP7731',
  cvx: '115',
  mvx: 'SKB',
  ndc: '58160-0842-01',
  expirationDate: '2099-12-31',
  dosesOnHand: 12,
  fundingSource: 'PHC70',
  doseVolumeMl: 0.5,
  lowStockThreshold: 5,
  active: true,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
};

export function lotDefaultsFor(lot: Lot): MethodOutput<'codes.lotDefaults'> {
  return {
    lotId: lot.id,
    lotNumber: lot.lotNumber,
    cvx: lot.cvx,
    mvx: lot.mvx,
    ndc: lot.ndc,
    expirationDate: lot.expirationDate,
    expired: false,
    dosesOnHand: lot.dosesOnHand,
    fundingSource: lot.fundingSource,
    amountMl: lot.doseVolumeMl,
    vis: catalog.currentVis(lot.cvx),
  };
}
