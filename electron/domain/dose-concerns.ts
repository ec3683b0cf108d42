// What a nurse should hear before saving a dose that the CDSi evaluation would not count, or
// that the patient's recorded conditions speak against: the same vaccine group twice on one
// day, a dose too soon after the last one or at too young an age, a contraindication on the
// chart, a live vaccine for a pregnant or immunocompromised patient. Pure: the store calls it
// inside the dose's write transaction, so two windows cannot both save past it.
import { addDuration, parseDay, type Duration } from './forecast/dates';
import { defaultSupportingData } from './forecast/default-data';
import { evaluateAndForecast } from './forecast/evaluate-and-forecast';
import { compileModel, type Model } from './forecast/model';
import { observationByCode } from './forecast/observation-catalogue';
import { inForceOn } from './forecast/observation-input';
import type { CdsiSupportingData } from './forecast/supporting-data';
import type { DoseReason, ForecastDose, ForecastPatient, Gender } from './forecast/types';

export const DOSE_CONCERN_CODES = [
  'same_day',
  'too_soon',
  'too_young',
  'too_old',
  'live_conflict',
  'series_complete',
  'not_counted',
  'contraindicated',
  'live_pregnant',
  'live_immunocompromised',
] as const;
export type DoseConcernCode = (typeof DOSE_CONCERN_CODES)[number];

export interface DoseConcern {
  code: DoseConcernCode;
  /**
   * What a confirmation names: the code with what it is about (`same_day:Influenza`,
   * `contraindicated:080`). A confirmation of other keys is stale and does not count.
   */
  key: string;
  /** Values the translations fill in (vaccine group, dates, the condition's title). */
  params: Record<string, string>;
  /** The English sentence, for logs, IT and a build without the translation. */
  message: string;
}

export interface ConcernDose {
  cvx: string;
  mvx?: string;
  /** YYYY-MM-DD */
  date: string;
}

export interface ConcernInput {
  dob: string;
  /** Administrative sex as stored (F, M, U, X…). */
  sex: string;
  /** The patient's other doses on the chart (given and historical; not deleted, not refusals). */
  history: readonly ConcernDose[];
  /** The patient's CDSi observations with their dates. */
  observations: readonly { code: string; startDate?: string; endDate?: string }[];
  proposed: ConcernDose & { kind: 'administered' | 'historical' | 'refusal' };
}

/** CDSi observation codes of a pregnancy (007 pregnant, 170 onset of pregnancy). */
export const PREGNANCY_CODES: ReadonlySet<string> = new Set(['007', '170']);

/**
 * CDSi observation codes of an immunocompromised patient, as CDC's general best practice
 * guidelines (altered immunocompetence) list them against live vaccines.
 */
export const IMMUNOCOMPROMISED_CODES: ReadonlySet<string> = new Set([
  '003', // Immunocompromised
  '004', // Recipient of a hematopoietic stem cell transplant
  '013', // SCID
  '154', // HIV/AIDS - severely immunocompromised
  '157', // Solid organ transplantation
  '158', // Immunosuppressive therapy
  '216', // Iatrogenic immunosuppression
  '246', // Severe immunocompromise
  '268', // Islet transplantation
  '269', // Transplantation
  '273', // Immunoglobulin deficiency
]);

/**
 * Live vaccines: those in CDSi's live virus conflict table, plus the live oral and bacterial
 * vaccines that table does not pair (CDC Pink Book, "live attenuated vaccines"): oral typhoid,
 * oral cholera, rotavirus, oral polio, adenovirus, BCG.
 */
const LIVE_NOT_IN_CONFLICT_TABLE = ['25', '174', '116', '119', '122', '02', '143', '19'];

const REASON_CODE: Partial<Record<DoseReason, DoseConcernCode>> = {
  'Interval: Too Soon': 'too_soon',
  'Age: Too Young': 'too_young',
  'Age: Too Old': 'too_old',
  'Live Virus Conflict': 'live_conflict',
  'Series Already Complete': 'series_complete',
};

function gender(sex: string): Gender {
  return sex === 'F' || sex === 'M' ? sex : 'U';
}

interface Prepared {
  model: Model;
  groupsOfCvx: (cvx: string) => string[];
  live: ReadonlySet<string>;
}

const prepared = new WeakMap<CdsiSupportingData, Prepared>();

function prepare(data: CdsiSupportingData): Prepared {
  const hit = prepared.get(data);
  if (hit) return hit;
  const model = compileModel(data);
  const groupOfAntigen = new Map<string, string[]>();
  for (const g of data.vaccineGroups) for (const a of g.antigens) groupOfAntigen.set(a, [...(groupOfAntigen.get(a) ?? []), g.name]);
  const groupsOfCvx = (cvx: string): string[] => {
    const out: string[] = [];
    for (const a of model.cvxAntigens.get(cvx) ?? []) for (const g of groupOfAntigen.get(a.antigen) ?? []) if (!out.includes(g)) out.push(g);
    return out;
  };
  const p: Prepared = { model, groupsOfCvx, live: new Set([...model.liveVirusCvx, ...LIVE_NOT_IN_CONFLICT_TABLE]) };
  prepared.set(data, p);
  return p;
}

/** Compiles the model and runs the evaluation once, so the first Save of the day is not the slow one. */
export function warmDoseConcerns(data: CdsiSupportingData = defaultSupportingData): void {
  doseConcerns(
    { dob: '2000-01-01', sex: 'F', history: [{ cvx: '141', date: '2020-10-01' }], observations: [], proposed: { cvx: '141', date: '2020-10-02', kind: 'administered' } },
    data,
  );
}

function withinAge(dob: string, date: string, begin?: Duration, end?: Duration): boolean {
  const birth = parseDay(dob);
  const day = parseDay(date);
  if (begin && day < addDuration(birth, begin)) return false;
  if (end && day >= addDuration(birth, end)) return false;
  return true;
}

function title(code: string): string {
  return observationByCode(code)?.title ?? `CDSi observation ${code}`;
}

/** The concerns about giving `proposed`, in a stable order; empty when there is nothing to say. */
export function doseConcerns(input: ConcernInput, data: CdsiSupportingData = defaultSupportingData): DoseConcern[] {
  const { proposed } = input;
  if (proposed.kind === 'refusal') return [];
  const { model, groupsOfCvx, live } = prepare(data);
  const groups = groupsOfCvx(proposed.cvx);
  const vaccine = model.cvxName(proposed.cvx);
  const out: DoseConcern[] = [];
  const decided = new Set<string>();

  // Same group on the same day: almost always the same dose entered twice.
  for (const group of groups) {
    const twin = input.history.find((d) => d.date === proposed.date && groupsOfCvx(d.cvx).includes(group));
    if (!twin) continue;
    decided.add(group);
    out.push({
      code: 'same_day',
      key: `same_day:${group}`,
      params: { group, date: proposed.date, other: model.cvxName(twin.cvx) },
      message: `${group}: a dose of this vaccine group (${model.cvxName(twin.cvx)}) is already on the chart for ${proposed.date}. This would be a second one the same day.`,
    });
  }
  // A historical record is what was given somewhere else: only a double entry is worth a question.
  if (proposed.kind === 'historical' || groups.length === 0) return out;

  const doses: ForecastDose[] = input.history.filter((d) => d.date <= proposed.date).map((d) => (d.mvx ? { cvx: d.cvx, mvx: d.mvx, date: d.date } : { cvx: d.cvx, date: d.date }));
  const index = doses.length;
  doses.push(proposed.mvx ? { cvx: proposed.cvx, mvx: proposed.mvx, date: proposed.date } : { cvx: proposed.cvx, date: proposed.date });
  const patient: ForecastPatient = { dob: input.dob, gender: gender(input.sex), doses };
  const result = evaluateAndForecast(patient, proposed.date, data, { vaccineGroups: groups });
  for (const e of result.evaluations) {
    // Extraneous ("series already complete") is left out: the engine says it of a new season's
    // flu dose after last season's, and a warning on every flu shot would teach nurses to click past.
    if (e.doseIndex !== index || e.status !== 'not_valid' || decided.has(e.vaccineGroup)) continue;
    decided.add(e.vaccineGroup);
    const code: DoseConcernCode = (e.reason && REASON_CODE[e.reason]) || 'not_counted';
    const group = e.vaccineGroup;
    const last = input.history
      .filter((d) => d.date < proposed.date && groupsOfCvx(d.cvx).includes(group))
      .map((d) => d.date)
      .sort()
      .at(-1);
    const params: Record<string, string> = { group, vaccine, date: proposed.date, dob: input.dob };
    if (last) {
      params.last = last;
      params.days = String(parseDay(proposed.date) - parseDay(last));
    }
    if (e.reason) params.reason = e.reason;
    out.push({ code, key: `${code}:${group}`, params, message: englishFor(code, params) });
  }

  // Contraindications on the chart, by antigen and by vaccine (CDSi), in force on the day.
  const inForce = input.observations.filter((o) => inForceOn(o, proposed.date)).map((o) => o.code);
  const cited = new Set<string>();
  for (const assoc of model.cvxAntigens.get(proposed.cvx) ?? []) {
    const antigen = model.antigens.get(assoc.antigen);
    if (!antigen) continue;
    for (const code of inForce) {
      if (cited.has(code)) continue;
      const byAntigen = antigen.contraindications.some((c) => c.code === code && withinAge(input.dob, proposed.date, c.beginAge, c.endAge));
      const byVaccine = (antigen.vaccineContraindications.get(code) ?? []).some((v) => v.cvx === proposed.cvx && withinAge(input.dob, proposed.date, v.beginAge, v.endAge));
      if (!byAntigen && !byVaccine) continue;
      cited.add(code);
      const params = { vaccine, condition: title(code), antigen: antigen.name };
      out.push({ code: 'contraindicated', key: `contraindicated:${code}`, params, message: englishFor('contraindicated', params) });
    }
  }
  if (live.has(proposed.cvx)) {
    for (const code of inForce) {
      if (cited.has(code)) continue;
      const kind: DoseConcernCode | undefined = PREGNANCY_CODES.has(code) ? 'live_pregnant' : IMMUNOCOMPROMISED_CODES.has(code) ? 'live_immunocompromised' : undefined;
      if (!kind) continue;
      cited.add(code);
      const params = { vaccine, condition: title(code) };
      out.push({ code: kind, key: `${kind}:${code}`, params, message: englishFor(kind, params) });
    }
  }
  return out;
}

/** The English sentence of a concern (the renderer shows `concern.<code>` in the person's language). */
export function englishFor(code: DoseConcernCode, p: Readonly<Record<string, string>>): string {
  switch (code) {
    case 'same_day':
      return `${p.group}: a dose of this vaccine group (${p.other}) is already on the chart for ${p.date}.`;
    case 'too_soon':
      return `${p.group}: too soon after the last dose${p.last ? ` (${p.last}, ${p.days} days ago)` : ''}; CDC would not count this dose.`;
    case 'too_young':
      return `${p.group}: the patient (born ${p.dob}) is too young for this dose on ${p.date}; CDC would not count it.`;
    case 'too_old':
      return `${p.group}: the patient (born ${p.dob}) is past the age for this vaccine; CDC would not count it.`;
    case 'live_conflict':
      return `${p.group}: too soon after another live vaccine; CDC would not count this dose.`;
    case 'series_complete':
      return `${p.group}: the series is already complete; this dose would be an extra one.`;
    case 'not_counted':
      return `${p.group}: CDC would not count this dose${p.reason ? ` (${p.reason})` : ''}.`;
    case 'contraindicated':
      return `${p.vaccine} is contraindicated for this patient: ${p.condition}.`;
    case 'live_pregnant':
      return `${p.vaccine} is a live vaccine and the chart says: ${p.condition}. Live vaccines are not given in pregnancy.`;
    case 'live_immunocompromised':
      return `${p.vaccine} is a live vaccine and the chart says: ${p.condition}. Live vaccines are not given to an immunocompromised patient.`;
  }
}

