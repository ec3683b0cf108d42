import type { DueItemView, ForecastBecause, NotDueItemView, PatientForecast, RecallEntryView, RecallListView } from '../api';
import {
  DEFAULT_AGE_BANDS,
  buildRecallList,
  defaultSupportingData,
  dueSummary,
  dueVaccinesFirst,
  type DueItem,
  type DueSummary,
  evaluateAndForecast,
  type DoseEvaluation,
  type ForecastObservation,
  type ForecastPatient,
  type Gender,
  type RecallEntry,
  type RecallList,
  type RecallOptions,
  type RecallPatient,
} from '../domain/forecast';
import type { AppServices } from '../services/app-services';
import { observationByCode } from '../domain/forecast/observation-catalogue';
import { ApiFailure, notFound } from '../services/errors';
import type { ObservationForForecast } from '../store/observations';
import type { ForecastPatientRow } from '../store/types';
import { signedIn } from './guard';
import type { Implementations } from './types';

// The forecast where the nurse needs it: the chart's due list and the recall list. The logic
// never reads the clock; the assessment date defaults here to today on the clinic's calendar.

type ForecastMethods = 'forecast.forPatient' | 'forecast.recallList';

const SOON_DAYS = 30;
/** Patients per recall step; between steps other calls get the main process. */
const RECALL_PAGE = 1_000;
const DEFAULT_RECALL_LIMIT = 500;
const VACCINE_GROUPS = defaultSupportingData.vaccineGroups.map((g) => g.name);
const AGE_BANDS = DEFAULT_AGE_BANDS.map((b) => b.label);

function gender(sex: string): Gender {
  return sex === 'F' || sex === 'M' ? sex : 'U';
}

/**
 * The stored chart as the forecast reads it: DOB, sex, the doses that count (oldest first) and
 * the patient's CDSi observations with their dates (the forecast keeps those in force on its day).
 */
export function forecastPatient(row: ForecastPatientRow, observations: readonly ObservationForForecast[] = []): ForecastPatient {
  const patient: ForecastPatient = {
    dob: row.dob,
    gender: gender(row.sex),
    doses: row.doses.map((d) => (d.mvx ? { id: d.id, cvx: d.cvx, mvx: d.mvx, date: d.date } : { id: d.id, cvx: d.cvx, date: d.date })),
  };
  if (observations.length > 0) {
    patient.observations = observations.map((o) => {
      const out: ForecastObservation = { code: o.code };
      if (o.startDate) out.date = o.startDate;
      if (o.endDate) out.endDate = o.endDate;
      return out;
    });
  }
  return patient;
}

/** The summary with its observation codes turned into what the chart says: title and date. */
function explained(summary: DueSummary, observations: readonly ObservationForForecast[]): ExplainedSummary {
  const because = (codes: readonly string[] | undefined): ForecastBecause[] | undefined =>
    codes?.map((code) => {
      const o = observations.find((x) => x.code === code);
      const out: ForecastBecause = { code, title: observationByCode(code)?.title ?? code };
      const since = o?.startDate ?? o?.recordedOn;
      if (since) out.since = since;
      return out;
    });
  const due = (items: DueItem[]): DueItemView[] => items.map(({ because: codes, ...rest }) => (codes ? { ...rest, because: because(codes) } : rest));
  return {
    assessmentDate: summary.assessmentDate,
    overdue: due(summary.overdue),
    dueToday: due(summary.dueToday),
    dueSoon: due(summary.dueSoon),
    notDue: summary.notDue.map(({ because: codes, ...rest }): NotDueItemView => (codes ? { ...rest, because: because(codes) } : rest)),
  };
}

interface ExplainedSummary {
  assessmentDate: string;
  overdue: DueItemView[];
  dueToday: DueItemView[];
  dueSoon: DueItemView[];
  notDue: NotDueItemView[];
}

function invalidFilter(path: string, message: string): ApiFailure {
  return new ApiFailure('validation', message, { code: 'input.invalid', issues: [{ path, code: `forecast.unknown_${path}`, message }] });
}

type RecallTotals = Omit<RecallList, 'entries'>;

function take<T>(it: Iterator<T>, n: number): T[] {
  const out: T[] = [];
  while (out.length < n) {
    const next = it.next();
    if (next.done) break;
    out.push(next.value);
  }
  return out;
}

function addTotals(into: RecallTotals, part: RecallList): void {
  into.assessmentDate = part.assessmentDate;
  into.patientsScanned += part.patientsScanned;
  into.skipped.push(...part.skipped);
  for (const [group, bands] of Object.entries(part.counts)) {
    const sum = (into.counts[group] ??= {});
    for (const [band, n] of Object.entries(bands)) sum[band] = (sum[band] ?? 0) + n;
  }
}

const pause = () => new Promise<void>((resolve) => setImmediate(resolve));

function recallEntry(e: RecallEntry, who: ForecastPatientRow | undefined): RecallEntryView {
  const entry: RecallEntryView = {
    patientId: e.patientId,
    mrn: who?.mrn ?? '',
    lastName: who?.lastName ?? '',
    firstName: who?.firstName ?? '',
    dob: who?.dob ?? '',
    vaccineGroup: e.vaccineGroup,
    ageBand: e.ageBand,
    ageMonths: e.ageMonths,
    pastDue: e.pastDue,
    daysOverdue: e.daysOverdue,
    vaccines: e.vaccines,
  };
  if (e.targetDose !== undefined) entry.targetDose = e.targetDose;
  return entry;
}

/** Most overdue first within each vaccine group and age band; groups alphabetical, bands youngest first. */
function recallOrder(a: RecallEntryView, b: RecallEntryView): number {
  return (
    a.vaccineGroup.localeCompare(b.vaccineGroup) ||
    AGE_BANDS.indexOf(a.ageBand) - AGE_BANDS.indexOf(b.ageBand) ||
    b.daysOverdue - a.daysOverdue ||
    a.lastName.localeCompare(b.lastName) ||
    a.firstName.localeCompare(b.firstName)
  );
}

/** How many doses count in each vaccine group (one per date: a combination dose counts once per group). */
export function validDosesByGroup(evaluations: readonly DoseEvaluation[]): Map<string, number> {
  const dates = new Map<string, Set<string>>();
  for (const e of evaluations) {
    if (e.status !== 'valid') continue;
    const seen = dates.get(e.vaccineGroup) ?? new Set<string>();
    seen.add(e.date);
    dates.set(e.vaccineGroup, seen);
  }
  return new Map([...dates].map(([group, d]) => [group, d.size]));
}

export function forecastHandlers({ store, today }: AppServices): Implementations<ForecastMethods> {
  return {
    'forecast.forPatient': (input, ctx) => {
      const row = store.patients.forecastInput(input.patientId, signedIn(ctx).actor);
      if (!row) throw notFound('This patient', 'patient.not_found');
      const assessmentDate = input.assessmentDate ?? today();
      const observations = store.observations.forForecast([row.id]).get(row.id) ?? [];
      const result = evaluateAndForecast(forecastPatient(row, observations), assessmentDate);
      const due = dueSummary(result, assessmentDate, input.soonDays ?? SOON_DAYS);
      const summary = explained(due, observations);
      const counted = validDosesByGroup(result.evaluations);
      const withCount = (items: DueItemView[]): DueItemView[] => items.map((i) => ({ ...i, dosesCounted: counted.get(i.vaccineGroup) ?? 0 }));
      const out: PatientForecast = {
        patientId: row.id,
        assessmentDate: summary.assessmentDate,
        dataVersion: result.dataVersion,
        overdue: withCount(summary.overdue),
        dueToday: withCount(summary.dueToday),
        dueSoon: withCount(summary.dueSoon),
        notDue: summary.notDue,
        dueVaccines: dueVaccinesFirst(due, []),
        notCounted: result.evaluations
          .filter((e) => e.status === 'not_valid' && e.reason)
          .map((e) => ({ ...(e.doseId ? { doseId: e.doseId } : {}), cvx: e.cvx, date: e.date, vaccineGroup: e.vaccineGroup, reason: e.reason ?? '' })),
      };
      return out;
    },

    'forecast.recallList': async (input, ctx) => {
      const { actor } = signedIn(ctx);
      if (input.vaccineGroup && !VACCINE_GROUPS.includes(input.vaccineGroup)) {
        throw invalidFilter('vaccineGroup', `"${input.vaccineGroup}" is not a vaccine group DoseDesk forecasts. Choose one from the list.`);
      }
      if (input.ageBand && !AGE_BANDS.includes(input.ageBand)) {
        throw invalidFilter('ageBand', `"${input.ageBand}" is not one of the age bands (${AGE_BANDS.join(', ')}).`);
      }
      const condition = input.condition;
      if (condition && !observationByCode(condition)) {
        throw invalidFilter('condition', `"${condition}" is not a CDSi condition code. Choose a condition from the list.`);
      }
      const assessmentDate = input.assessmentDate ?? today();
      const limit = input.limit ?? DEFAULT_RECALL_LIMIT;
      // "Adults with diabetes overdue for HepB": only the charts with the condition are listed.
      const withCondition = condition ? store.observations.patientsWith([condition]) : undefined;

      // The store is read a page at a time and each page forecast on its own, with a pause
      // between pages: a big store's recall run never holds the main process (a dose being
      // saved, the sync engine) for longer than one page. Names ride along with the entries.
      const matched: RecallEntryView[] = [];
      let byId = new Map<string, ForecastPatientRow>();
      const options: RecallOptions = {
        vaccineGroups: input.vaccineGroup ? [input.vaccineGroup] : undefined,
        ageBands: DEFAULT_AGE_BANDS,
        onEntry: (e) => {
          if (input.ageBand && e.ageBand !== input.ageBand) return;
          matched.push(recallEntry(e, byId.get(e.patientId)));
        },
      };
      // Every group and band counted from zero, even in an empty store.
      const list: RecallTotals = { assessmentDate, patientsScanned: 0, skipped: [], counts: {} };
      addTotals(list, buildRecallList([], assessmentDate, options));
      const rows = store.patients.forecastRows(RECALL_PAGE);
      for (;;) {
        const page = take(rows, RECALL_PAGE);
        if (page.length === 0) break;
        // The counts then describe the patients with the condition, like the entries.
        const patients = withCondition ? page.filter((row) => withCondition.has(row.id)) : page;
        byId = new Map(patients.map((row) => [row.id, row]));
        const observations = store.observations.forForecast(patients.map((row) => row.id));
        addTotals(list, buildRecallList(patients.map((row): RecallPatient => ({ id: row.id, ...forecastPatient(row, observations.get(row.id)) })), assessmentDate, options));
        if (page.length < RECALL_PAGE) break;
        await pause();
      }
      matched.sort(recallOrder);
      const entries = matched.slice(0, limit);
      // One row for the run: who listed which charts, with the filters (not one row per patient).
      store.audit.append({
        userId: actor.userId,
        action: 'patient.recall_list',
        entity: 'patient',
        detail: {
          assessmentDate: list.assessmentDate,
          vaccineGroup: input.vaccineGroup,
          ageBand: input.ageBand,
          condition,
          scanned: list.patientsScanned,
          matched: matched.length,
          patientIds: [...new Set(entries.map((e) => e.patientId))],
        },
      });
      const out: RecallListView = {
        assessmentDate: list.assessmentDate,
        patientsScanned: list.patientsScanned,
        skipped: list.skipped,
        counts: list.counts,
        entries,
        truncated: matched.length > entries.length,
        vaccineGroups: VACCINE_GROUPS,
        ageBands: AGE_BANDS,
      };
      return out;
    },
  };
}
