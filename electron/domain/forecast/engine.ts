// The CDSi process for one patient on one assessment date: organise the history per antigen,
// evaluate every relevant patient series, select the best one per antigen, apply immunity and
// contraindications, and roll antigens up to vaccine groups. Works on day numbers; the public
// wrapper (`evaluateAndForecast`) formats dates, the recall list reads the raw numbers.
import { type Day, MAX_DAY, formatDay, parseDay } from './dates';
import { type EvaluationHooks, type SeriesRun, evaluateSeries } from './evaluate-series';
import { type SeriesForecast, forecastSeries, forecastVaccines } from './forecast-series';
import type { Antigen, Model, Series, VaccineGroup } from './model';
import { type AdministeredDose, PatientContext } from './patient-context';
import { type Candidate, selectBestSeries, selectBestWithRisk, startedInRange } from './select-series';
import type { ForecastPatient, ForecastStatus } from './types';

export interface AntigenOutcome {
  antigen: Antigen;
  status: ForecastStatus;
  best?: Candidate;
  reason?: string;
  /** Shared and frozen when empty (most outcomes): never modify. */
  vaccines: readonly string[];
  /** Further best series (a standard series beside a risk one), whose valid doses count too. */
  otherBest?: readonly Candidate[];
  /** The patient's observations behind the status: the indication of a risk series, a contraindication. */
  because?: readonly string[];
}

/** The vaccine list of every antigen outcome that needs no dose: one frozen array, not one per outcome. */
const NO_VACCINES: readonly string[] = Object.freeze([]);

export interface RawGroupForecast {
  group: VaccineGroup;
  status: ForecastStatus;
  reason?: string;
  targetDose?: number;
  earliest?: Day;
  recommended?: Day;
  pastDue?: Day;
  latest?: Day;
  vaccines: string[];
  outcomes: AntigenOutcome[];
  /** Date of the patient's last dose of the group, if any. */
  lastDose?: Day;
  /** Observation codes behind the status (see `AntigenOutcome.because`); shared and empty for most patients. */
  because: readonly string[];
}

function seriesRelevant(s: Series, ctx: PatientContext): boolean {
  if (s.genders.size > 0 && !s.genders.has(ctx.gender)) return false;
  if (s.type !== 'Risk') return true;
  for (const ind of s.indications) {
    if (!ctx.observations.has(ind.code)) continue;
    if (ind.beginAge && ctx.assessment < ctx.ageDate(ind.beginAge)) continue;
    if (ind.endAge && ctx.assessment >= ctx.ageDate(ind.endAge)) continue;
    return true;
  }
  return false;
}

/** A series run with its forecast once computed; a complete entry is a selection candidate. */
interface RunEntry {
  run: SeriesRun;
  forecast?: SeriesForecast;
}

const IN_PROGRESS = 1;

export class PatientRun implements EvaluationHooks {
  /** By `Antigen.index`: the patient's doses of the antigen, its outcome once selected. */
  private readonly antigenDoses: (AdministeredDose[] | undefined)[];
  private readonly outcomes: (AntigenOutcome | undefined)[];
  private readonly runs: (RunEntry | typeof IN_PROGRESS | undefined)[];
  /** Caller dose index → 1 valid / -1 not valid in the best series of an antigen already selected. */
  private readonly validity: Int8Array;

  constructor(
    readonly model: Model,
    readonly ctx: PatientContext,
    doseCount: number,
  ) {
    this.runs = new Array(model.seriesCount);
    this.antigenDoses = new Array(model.antigenList.length);
    this.outcomes = new Array(model.antigenList.length);
    this.validity = new Int8Array(doseCount);
    for (const d of ctx.doses) {
      const assoc = model.cvxAntigens.get(d.cvx);
      if (!assoc) continue;
      for (const a of assoc) {
        if (a.begin && d.date < ctx.ageDate(a.begin)) continue;
        if (a.end && d.date >= ctx.ageDate(a.end)) continue;
        const list = this.antigenDoses[a.index];
        if (list) list.push(d);
        else this.antigenDoses[a.index] = [d];
      }
    }
  }

  dosesOf(antigen: string): readonly AdministeredDose[] {
    const a = this.model.antigens.get(antigen);
    return a ? this.dosesAt(a.index) : NO_DOSES;
  }

  /** The patient's doses of an antigen, by `Antigen.index`. */
  private dosesAt(index: number): readonly AdministeredDose[] {
    return this.antigenDoses[index] ?? NO_DOSES;
  }

  isValid(idx: number): boolean {
    return this.validity[idx] !== -1;
  }

  completedSeriesGroup(antigen: string, groups: readonly string[]): boolean {
    const a = this.model.antigens.get(antigen);
    if (!a) return false;
    for (const s of a.series) {
      if (!groups.includes(s.seriesGroup) || !seriesRelevant(s, this.ctx)) continue;
      const r = this.runSeries(s);
      if (r?.run.complete) return true;
    }
    return false;
  }

  private runSeries(s: Series): RunEntry | undefined {
    const hit = this.runs[s.index];
    if (hit === IN_PROGRESS) return undefined; // a Completed Series condition that refers back
    if (hit) return hit;
    this.runs[s.index] = IN_PROGRESS;
    // `forecast` is named from the start so adding it later does not reshape the object.
    const entry = this.fromTwin(s) ?? { run: evaluateSeries(this.model, s, this.dosesAt(s.antigenIndex), this.ctx, this), forecast: undefined };
    this.runs[s.index] = entry;
    return entry;
  }

  /** Reuses the evaluation of a twin series when nothing in this patient's history tells them apart. */
  private fromTwin(s: Series): RunEntry | undefined {
    const twin = s.twin;
    if (!twin) return undefined;
    const mine = this.dosesAt(s.antigenIndex);
    const theirs = this.dosesAt(twin.of.antigenIndex);
    if (mine.length !== theirs.length) return undefined;
    for (let i = 0; i < mine.length; i++) if (mine[i] !== theirs[i]) return undefined;
    // Live vaccines bring in other antigens' results (conflict windows): evaluate separately.
    if (this.ctx.liveDoses.length > 0 && (s.hasLiveConflicts || twin.of.hasLiveConflicts || mine.some(isLive))) return undefined;
    for (const d of this.ctx.doses) if (twin.differingCvx.has(d.cvx)) return undefined;
    const t = this.runSeries(twin.of);
    if (!t) return undefined;
    t.forecast ??= forecastSeries(t.run, this.ctx, this);
    const f = t.forecast;
    return { run: { ...t.run, series: s }, forecast: f.targetDose ? { ...f, targetDose: s.doses[f.target] } : f };
  }

  antigen(name: string): AntigenOutcome | undefined {
    const antigen = this.model.antigens.get(name);
    return antigen ? this.antigenOutcome(antigen) : undefined;
  }

  private antigenOutcome(antigen: Antigen): AntigenOutcome {
    const hit = this.outcomes[antigen.index];
    if (hit) return hit;
    const candidates: Candidate[] = [];
    const doses = this.dosesAt(antigen.index);
    const hasObservations = this.ctx.observations.size > 0;
    for (const group of antigen.seriesGroups) {
      // Of a group's relevant risk series only those of its highest priority are scorable
      // (CDSi 8.1): a dialysis patient's dialysis series, not the general risk series.
      const topRisk = hasObservations ? topRiskPriority(group.series, this.ctx) : undefined;
      for (const s of group.series) {
        // Risk series need an indication.
        if (s.type === 'Risk' && (topRisk === undefined || s.priority !== topRisk)) continue;
        if (!seriesRelevant(s, this.ctx)) continue;
        // A product series (one brand throughout) cannot matter to a patient who never had that brand.
        if (s.prunable && !doses.some(acceptedBy, s)) continue;
        // With no dose that can count (none given, all given before dose 1's youngest or after
        // its oldest age), only the default series, the first by preference, or one completed
        // by skips can be chosen. A relevant risk series is scorable without doses (CDSi 8.1):
        // its indication is what starts it.
        if (s.type !== 'Risk' && !s.defaultSeries && !s.mayCompleteWithoutDoses && (s !== group.series[0] || group.hasDefault)) {
          if (doses.length === 0) continue;
          if (s.firstValidAge && this.ctx.assessment < this.ctx.ageDate(s.firstValidAge)) continue;
          if (s.lastValidAge && (doses[0] as AdministeredDose).date >= this.ctx.ageDate(s.lastValidAge)) continue;
        }
        const r = this.runSeries(s);
        if (!r) continue;
        r.forecast ??= forecastSeries(r.run, this.ctx, this);
        const c = r as Candidate;
        candidates.push(c);
        // A complete series that counted every dose, started in range, wins its group outright
        // (the list is in tie-break order), so the rest of the group need not be evaluated.
        if (doses.length > 0 && c.forecast.status === 'complete' && c.run.validCount === doses.length && startedInRange(c, this.ctx)) break;
      }
    }
    const bests = candidates.some(isRisk) ? selectBestWithRisk(candidates, this.ctx) : undefined;
    const best = bests ? bests[0] : selectBestSeries(candidates, this.ctx);
    if (best) {
      const { doses, outcomes } = best.run;
      for (let i = 0; i < doses.length; i++) this.validity[(doses[i] as AdministeredDose).idx] = outcomes[i]?.status === 'valid' ? 1 : -1;
    }
    // A dose that counts in any best series counts (a childhood polio series and the adult
    // lab worker's booster are both the patient's).
    const others = bests && bests.length > 1 ? bests.slice(1) : undefined;
    if (others) {
      for (const o of others) {
        const { doses, outcomes } = o.run;
        for (let i = 0; i < doses.length; i++) if (outcomes[i]?.status === 'valid') this.validity[(doses[i] as AdministeredDose).idx] = 1;
      }
    }
    const outcome = this.classify(antigen, best);
    if (others) outcome.otherBest = others;
    if (best && best.run.series.type === 'Risk' && outcome.because === undefined && outcome.status !== 'immune') {
      outcome.because = indicationsMet(best.run.series, this.ctx);
    }
    this.outcomes[antigen.index] = outcome;
    return outcome;
  }

  private classify(antigen: Antigen, best: Candidate | undefined): AntigenOutcome {
    const ctx = this.ctx;
    // A contraindication matters where a series would be followed: a travel vaccine nobody
    // recommends this patient stays "not recommended", not "contraindicated".
    if (ctx.observations.size > 0 && best) {
      for (const c of antigen.contraindications) {
        if (!ctx.observations.has(c.code)) continue;
        if (c.beginAge && ctx.assessment < ctx.ageDate(c.beginAge)) continue;
        if (c.endAge && ctx.assessment >= ctx.ageDate(c.endAge)) continue;
        const title = this.model.data.observations[c.code]?.title ?? c.code;
        return { antigen, status: 'contraindicated', best, reason: `Contraindicated: ${title}`, vaccines: NO_VACCINES, because: [c.code] };
      }
    }
    if (hasImmunity(antigen, ctx)) return { antigen, status: 'immune', best, reason: 'Evidence of immunity', vaccines: NO_VACCINES };
    if (!best) return { antigen, status: 'not_recommended', reason: 'No routine recommendation for this patient', vaccines: NO_VACCINES };
    const f = best.forecast;
    if (f.status === 'complete') return { antigen, status: 'complete', best, reason: 'Series complete', vaccines: NO_VACCINES };
    if (f.status === 'aged_out') return { antigen, status: 'aged_out', best, reason: 'Past the maximum age for this series', vaccines: NO_VACCINES };
    const vaccines = f.targetDose ? forecastVaccines(f.targetDose, ctx) : [];
    return { antigen, status: 'not_complete', best, vaccines: this.allowedVaccines(antigen, vaccines) };
  }

  /** Drops vaccine types the patient has a contraindication to. */
  private allowedVaccines(antigen: Antigen, vaccines: string[]): string[] {
    if (this.ctx.observations.size === 0 || antigen.vaccineContraindications.size === 0) return vaccines;
    const blocked = new Set<string>();
    for (const code of this.ctx.observations) {
      for (const v of antigen.vaccineContraindications.get(code) ?? []) {
        if (v.beginAge && this.ctx.assessment < this.ctx.ageDate(v.beginAge)) continue;
        if (v.endAge && this.ctx.assessment >= this.ctx.ageDate(v.endAge)) continue;
        blocked.add(v.cvx);
      }
    }
    return vaccines.filter((v) => !blocked.has(v));
  }

  /** Rolls the group's antigens up to one forecast (CDSi chapter 9). */
  group(group: VaccineGroup): RawGroupForecast {
    const antigens = group.antigenList;
    const outcomes = new Array<AntigenOutcome>(antigens.length);
    let lastDose: Day | undefined;
    for (let i = 0; i < antigens.length; i++) {
      const antigen = antigens[i] as Antigen;
      outcomes[i] = this.antigenOutcome(antigen);
      const d = this.dosesAt(antigen.index);
      const last = d[d.length - 1];
      if (last && (lastDose === undefined || last.date > lastDose)) lastDose = last.date;
    }
    const status = groupStatus(outcomes);
    // Most patients have no observations: no array for them.
    let because: string[] | undefined;
    for (const o of outcomes) {
      if (o.status !== status || !o.because) continue;
      for (const c of o.because) if (!because?.includes(c)) (because ??= []).push(c);
    }
    // Every field named up front: one object shape for all groups, no property store added later.
    const raw: RawGroupForecast = {
      group,
      status,
      reason: undefined,
      targetDose: undefined,
      earliest: undefined,
      recommended: undefined,
      pastDue: undefined,
      latest: undefined,
      vaccines: [],
      outcomes,
      lastDose,
      because: because ?? NO_VACCINES,
    };
    if (status !== 'not_complete') {
      for (const o of outcomes) if (o.status === status) raw.reason ??= o.reason;
      return raw;
    }
    // MMR-like groups are given whole: the dose can be given once every antigen allows it,
    // and is recommended / overdue as soon as one antigen's dose is.
    let earliest: Day | undefined;
    let recommended: Day | undefined;
    let pastDue: Day | undefined;
    let latest: Day | undefined;
    for (const o of outcomes) {
      if (o.status !== 'not_complete' || !o.best) continue;
      const f = o.best.forecast;
      raw.targetDose ??= f.target + 1;
      if (f.earliest !== undefined) earliest = earliest === undefined ? f.earliest : group.administerFull ? Math.max(earliest, f.earliest) : Math.min(earliest, f.earliest);
      if (f.recommended !== undefined) recommended = Math.min(recommended ?? MAX_DAY, f.recommended);
      if (f.pastDue !== undefined) pastDue = Math.min(pastDue ?? MAX_DAY, f.pastDue);
      if (f.latest !== undefined) latest = Math.min(latest ?? MAX_DAY, f.latest);
      for (const cvx of o.vaccines) if (!raw.vaccines.includes(cvx)) raw.vaccines.push(cvx);
    }
    // Never before the last dose of the group (a DT given for DTaP leaves pertussis due at once).
    if (earliest !== undefined && lastDose !== undefined && lastDose > earliest) earliest = lastDose;
    if (earliest !== undefined) {
      if (recommended !== undefined && recommended < earliest) recommended = earliest;
      if (pastDue !== undefined && pastDue < earliest) pastDue = earliest;
    }
    raw.earliest = earliest;
    raw.recommended = recommended;
    raw.pastDue = pastDue;
    raw.latest = latest;
    return raw;
  }
}

const NO_DOSES: readonly AdministeredDose[] = [];

/** The series' indications the patient has, in force at their age. */
function indicationsMet(s: Series, ctx: PatientContext): string[] {
  const out: string[] = [];
  for (const ind of s.indications) {
    if (!ctx.observations.has(ind.code)) continue;
    if (ind.beginAge && ctx.assessment < ctx.ageDate(ind.beginAge)) continue;
    if (ind.endAge && ctx.assessment >= ctx.ageDate(ind.endAge)) continue;
    if (!out.includes(ind.code)) out.push(ind.code);
  }
  return out;
}

function isRisk(c: Candidate): boolean {
  return c.run.series.type === 'Risk';
}

/** The highest priority ("A" before "B") among a series group's relevant risk series. */
function topRiskPriority(series: readonly Series[], ctx: PatientContext): string | undefined {
  let top: string | undefined;
  for (const s of series) {
    if (s.type !== 'Risk' || !seriesRelevant(s, ctx)) continue;
    if (top === undefined || s.priority < top) top = s.priority;
  }
  return top;
}

function hasImmunity(antigen: Antigen, ctx: PatientContext): boolean {
  for (const code of antigen.immunityCodes) if (ctx.observations.has(code)) return true;
  for (const b of antigen.immunityBirthDates) {
    if (ctx.dob >= b.before) continue;
    let excluded = false;
    for (const code of b.exclusions) if (ctx.observations.has(code)) excluded = true;
    if (!excluded) return true;
  }
  return false;
}

/** Precedence when antigens of one group disagree. */
const STATUS_ORDER: readonly ForecastStatus[] = ['contraindicated', 'not_complete', 'aged_out', 'not_recommended', 'complete', 'immune'];

function groupStatus(outcomes: readonly AntigenOutcome[]): ForecastStatus {
  if (outcomes.length === 0) return 'not_recommended';
  let allImmune = true;
  let allDone = true;
  for (const o of outcomes) {
    if (o.status !== 'immune') allImmune = false;
    if (o.status !== 'immune' && o.status !== 'complete') allDone = false;
  }
  if (allImmune) return 'immune';
  if (allDone) return 'complete';
  for (const s of STATUS_ORDER) for (const o of outcomes) if (o.status === s) return s;
  return 'not_recommended';
}

/** CVX codes are compared as CDC writes them: at least two digits ("3" → "03"). */
export function normalizeCvx(cvx: string): string {
  const t = cvx.trim();
  return t.length === 1 ? `0${t}` : t;
}

const NO_OBSERVATIONS: ReadonlySet<string> = new Set();
const NO_OBSERVATION_DATES: ReadonlyMap<string, Day> = new Map();

/** The observations in force on the assessment date, with the date each began when known. */
function observationsInForce(list: ForecastPatient['observations'], assessment: Day): { codes: ReadonlySet<string>; dates: ReadonlyMap<string, Day> } {
  if (!list || list.length === 0) return { codes: NO_OBSERVATIONS, dates: NO_OBSERVATION_DATES };
  const codes = new Set<string>();
  const dates = new Map<string, Day>();
  for (const o of list) {
    if (typeof o === 'string') {
      codes.add(o);
      continue;
    }
    const begin = o.date ? parseDay(o.date) : undefined;
    const end = o.endDate ? parseDay(o.endDate) : undefined;
    if (begin !== undefined && begin > assessment) continue;
    if (end !== undefined && end < assessment) continue;
    codes.add(o.code);
    // The latest start wins: a second transplant restarts the schedule.
    if (begin !== undefined && !(begin <= (dates.get(o.code) ?? -Infinity))) dates.set(o.code, begin);
  }
  return { codes, dates: dates.size > 0 ? dates : NO_OBSERVATION_DATES };
}

export function patientContext(model: Model, patient: ForecastPatient, assessment: Day): PatientContext {
  const dob = parseDay(patient.dob);
  if (dob > assessment) {
    throw new Error(`Date of birth ${patient.dob} is after the assessment date ${formatDay(assessment)}: check the birth date.`);
  }
  const doses: AdministeredDose[] = [];
  for (let idx = 0; idx < patient.doses.length; idx++) {
    const d = patient.doses[idx] as ForecastPatient['doses'][number];
    const date = parseDay(d.date);
    // Doses after the assessment date are not history yet; doses before birth are data errors.
    if (date > assessment || date < dob) continue;
    const cvx = normalizeCvx(d.cvx);
    doses.push({ idx, cvx, mvx: d.mvx, date, liveRules: model.liveVirusConflicts.get(cvx) ?? null });
  }
  // Histories usually arrive in date order (the store keeps them so); sorting costs a scratch
  // copy per patient, so only sort what is out of order.
  if (!inOrder(doses)) doses.sort(byDateThenIndex);
  const gender = patient.gender === 'X' ? 'U' : patient.gender;
  const { codes, dates } = observationsInForce(patient.observations, assessment);
  const live = doses.filter(isLiveIn, model.liveVirusCvx);
  return new PatientContext(dob, gender, assessment, codes, doses, live, dates);
}

function isLive(d: AdministeredDose): boolean {
  return d.liveRules !== null && d.liveRules !== undefined;
}

function acceptedBy(this: Series, d: AdministeredDose): boolean {
  return this.acceptedCvx.has(d.cvx);
}

function isLiveIn(this: ReadonlySet<string>, d: AdministeredDose): boolean {
  return this.has(d.cvx);
}

function byDateThenIndex(a: AdministeredDose, b: AdministeredDose): number {
  return a.date - b.date || a.idx - b.idx;
}

function inOrder(doses: readonly AdministeredDose[]): boolean {
  for (let i = 1; i < doses.length; i++) if (byDateThenIndex(doses[i - 1] as AdministeredDose, doses[i] as AdministeredDose) > 0) return false;
  return true;
}
