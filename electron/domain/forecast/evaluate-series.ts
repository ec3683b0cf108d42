// Evaluates one antigen's dose history against one patient series (CDSi chapter 6): for each
// dose in date order, find the current target dose (after conditional skips), then check
// inadvertent vaccine, age, intervals (preferable, then allowable), live virus conflicts and
// preferable/allowable vaccine type. A valid dose satisfies the target dose.
import { type Day, type Duration, MAX_DAY, MIN_DAY, addDuration } from './dates';
import type { AgeRule, ConditionalSkip, Model, Series, SkipCondition, TargetDose, VaccineRule, Window } from './model';
import type { AdministeredDose, PatientContext } from './patient-context';
import type { DoseReason, DoseStatus } from './types';

export interface DoseOutcome {
  readonly status: DoseStatus;
  readonly reason?: DoseReason;
}

// Outcomes are shared constants: a series run holds one per dose, allocation-free.
const VALID: DoseOutcome = Object.freeze({ status: 'valid' });
const VALID_GRACE: DoseOutcome = Object.freeze({ status: 'valid', reason: 'Grace Period' });
const TOO_YOUNG: DoseOutcome = Object.freeze({ status: 'not_valid', reason: 'Age: Too Young' });
const TOO_OLD: DoseOutcome = Object.freeze({ status: 'extraneous', reason: 'Age: Too Old' });
const TOO_SOON: DoseOutcome = Object.freeze({ status: 'not_valid', reason: 'Interval: Too Soon' });
const LIVE_CONFLICT: DoseOutcome = Object.freeze({ status: 'not_valid', reason: 'Live Virus Conflict' });
const WRONG_VACCINE: DoseOutcome = Object.freeze({ status: 'not_valid', reason: 'Not a preferable or allowable vaccine' });
const INADVERTENT: DoseOutcome = Object.freeze({ status: 'not_valid', reason: 'Inadvertent Vaccine' });
const COMPLETE_ALREADY: DoseOutcome = Object.freeze({ status: 'extraneous', reason: 'Series Already Complete' });

export interface SeriesRun {
  series: Series;
  doses: readonly AdministeredDose[];
  outcomes: DoseOutcome[];
  /** Per dose: index of the target dose it was evaluated against (-1 when none). */
  targetOf: number[];
  /** Per target dose: index (in `doses`) of the dose that satisfied it, -2 when skipped, absent when open. */
  satisfiedBy: number[];
  /** Index of the next unsatisfied target dose; `series.doses.length` when complete. */
  next: number;
  validCount: number;
  complete: boolean;
}

/** Chooses the rule row in force on a date (rows carry effective/cessation dates). */
export function inForce<T extends Window>(rows: readonly T[], on: Day): T | undefined {
  if (rows.length === 1) {
    const r = rows[0] as T;
    return r.effective <= on && on <= r.cessation ? r : undefined;
  }
  for (const r of rows) if (r.effective <= on && on <= r.cessation) return r;
  return undefined;
}

export function vaccineAllowedAt(rules: readonly VaccineRule[] | undefined, ctx: PatientContext, date: Day, mvx?: string): boolean {
  if (!rules) return false;
  for (const v of rules) {
    if (v.begin && date < ctx.ageDate(v.begin)) continue;
    if (v.end && date >= ctx.ageDate(v.end)) continue;
    if (v.mvx && mvx && v.mvx !== mvx) continue;
    return true;
  }
  return false;
}

function add(day: Day, d: Duration | undefined): Day {
  return d ? addDuration(day, d) : day;
}

export interface SkipState {
  run: SeriesRun;
  /** Doses of the antigen considered (before the dose being evaluated, or all for a forecast). */
  upTo: number;
  hooks: EvaluationHooks;
}

function conditionMet(c: SkipCondition, ctx: PatientContext, ref: Day, state: SkipState): boolean {
  switch (c.type) {
    case 'Age':
      return (!c.beginAge || ref >= ctx.ageDate(c.beginAge)) && (!c.endAge || ref < ctx.ageDate(c.endAge));
    case 'Interval': {
      const prev = previousDose(state.run, state.upTo);
      return prev !== undefined && c.interval !== undefined && ref >= addDuration(prev.date, c.interval);
    }
    case 'Completed Series':
      return c.seriesGroups ? state.hooks.completedSeriesGroup(state.run.series.antigen, c.seriesGroups) : false;
    default: {
      const begin = c.beginAge ? ctx.ageDate(c.beginAge) : MIN_DAY;
      const end = c.endAge ? ctx.ageDate(c.endAge) : MAX_DAY;
      const start = c.start ?? MIN_DAY;
      const stop = c.end ?? MAX_DAY;
      let count = 0;
      const { doses, outcomes } = state.run;
      const from = begin > start ? begin : start;
      // Doses are in date order: start at the first dose on or after `from`, stop past the bounds.
      let lo = 0;
      let hi = state.upTo;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((doses[mid] as AdministeredDose).date < from) lo = mid + 1;
        else hi = mid;
      }
      for (let i = lo; i < state.upTo; i++) {
        const d = doses[i] as AdministeredDose;
        if (d.date >= end || d.date > stop) break; // age bound exclusive, date bound inclusive
        if (c.vaccineTypes && !c.vaccineTypes.has(d.cvx)) continue;
        if (c.countValidOnly && outcomes[i]?.status !== 'valid') continue;
        count++;
      }
      return c.logic === 'greater than' ? count > c.doseCount : c.logic === 'equal to' ? count === c.doseCount : count < c.doseCount;
    }
  }
}

/** Whether any of the conditional skips (already filtered to the context) is met on `ref`. */
export function skipMet(skips: readonly ConditionalSkip[], ctx: PatientContext, ref: Day, state: SkipState): boolean {
  for (const s of skips) {
    let met = s.all;
    for (const set of s.sets) {
      const setMet = ref >= set.effective && ref <= set.cessation && setConditionsMet(set.all, set.conditions, ctx, ref, state);
      if (s.all && !setMet) {
        met = false;
        break;
      }
      if (!s.all && setMet) {
        met = true;
        break;
      }
    }
    if (met) return true;
  }
  return false;
}

function setConditionsMet(all: boolean, conditions: readonly SkipCondition[], ctx: PatientContext, ref: Day, state: SkipState): boolean {
  for (const c of conditions) {
    const m = conditionMet(c, ctx, ref, state);
    if (all && !m) return false;
    if (!all && m) return true;
  }
  return all;
}

/** The immediate previous dose (not an inadvertent one) before position `upTo`. */
export function previousDose(run: SeriesRun, upTo: number): AdministeredDose | undefined {
  for (let i = upTo - 1; i >= 0; i--) {
    if (run.outcomes[i]?.reason === 'Inadvertent Vaccine') continue;
    return run.doses[i];
  }
  return undefined;
}

/** Reference date an interval counts from, or undefined when it does not apply. */
export function intervalReference(
  i: { fromPrevious: boolean; fromTargetDose?: number; fromMostRecent?: ReadonlySet<string>; fromRelevantObs?: string },
  run: SeriesRun,
  upTo: number,
  ctx: PatientContext,
  before: Day,
): Day | undefined {
  if (i.fromPrevious) return previousDose(run, upTo)?.date;
  if (i.fromTargetDose !== undefined) {
    const by = run.satisfiedBy[i.fromTargetDose - 1];
    return by !== undefined && by >= 0 ? run.doses[by]?.date : undefined;
  }
  // Counted from the day the observation began (a transplant); without that date it cannot apply.
  if (i.fromRelevantObs !== undefined) return ctx.observationDates.get(i.fromRelevantObs);
  if (i.fromMostRecent) {
    for (let k = ctx.doses.length - 1; k >= 0; k--) {
      const d = ctx.doses[k] as AdministeredDose;
      if (d.date < before && i.fromMostRecent.has(d.cvx)) return d.date;
    }
  }
  return undefined;
}

// The 4-day grace period is part of the data: absolute minimum ages and intervals are the
// minimum less four days, so a dose is early only before the absolute minimum.
function evaluateIntervals(td: TargetDose, ctx: PatientContext, dose: AdministeredDose, run: SeriesRun, upTo: number): boolean {
  let ok = true;
  for (const i of td.intervals) {
    if (dose.date < i.effective || dose.date > i.cessation) continue;
    const ref = intervalReference(i, run, upTo, ctx, dose.date);
    if (ref === undefined) continue;
    if (dose.date < add(ref, i.absMin ?? i.min)) {
      ok = false;
      break;
    }
  }
  if (ok) return true;
  // A preferable interval that is not met may still be met by an allowable interval.
  if (td.allowableIntervals.length === 0) return false;
  for (const a of td.allowableIntervals) {
    if (dose.date < a.effective || dose.date > a.cessation) continue;
    const ref = intervalReference(a, run, upTo, ctx, dose.date);
    if (ref === undefined) continue;
    if (dose.date < add(ref, a.absMin)) return false;
  }
  return true;
}

/**
 * A live vaccine given within the conflict window after another live vaccine does not count.
 * The window ends at the minimum conflict end (with the grace period) after a valid previous
 * dose, at the full conflict end after one that did not count.
 */
function inLiveVirusConflict(model: Model, ctx: PatientContext, dose: AdministeredDose, hooks: EvaluationHooks): boolean {
  const rules = dose.liveRules === undefined ? model.liveVirusConflicts.get(dose.cvx) : dose.liveRules;
  if (!rules) return false;
  for (const prev of ctx.liveDoses) {
    if (prev.date >= dose.date) break;
    for (const r of rules) {
      if (r.previousCvx !== prev.cvx) continue;
      if (dose.date < addDuration(prev.date, r.begin)) continue;
      if (dose.date < addDuration(prev.date, hooks.isValid(prev.idx) ? r.minEnd : r.end)) return true;
    }
  }
  return false;
}

export interface EvaluationHooks {
  /** For the Completed Series skip condition: is a series of these groups complete? */
  completedSeriesGroup(antigen: string, groups: readonly string[]): boolean;
  /** Whether another dose (by caller index) was valid, for the live virus conflict end date. */
  isValid(idx: number): boolean;
}

export function evaluateSeries(model: Model, series: Series, doses: readonly AdministeredDose[], ctx: PatientContext, hooks: EvaluationHooks): SeriesRun {
  const targets = series.doses;
  // Sized up front: a series run is the recall's most frequent allocation, and arrays grown by
  // push reserve room for 17 elements on the first push whatever the history's length.
  const run: SeriesRun = {
    series,
    doses,
    outcomes: new Array<DoseOutcome>(doses.length),
    targetOf: new Array<number>(doses.length),
    satisfiedBy: new Array<number>(targets.length),
    next: 0,
    validCount: 0,
    complete: false,
  };
  const state: SkipState = { run, upTo: 0, hooks };
  for (let k = 0; k < doses.length; k++) {
    const dose = doses[k] as AdministeredDose;
    state.upTo = k;
    // Conditional skips (evaluation context) move past target doses that are not needed.
    while (run.next < targets.length) {
      const td = targets[run.next] as TargetDose;
      if (td.evaluationSkips.length === 0 || !skipMet(td.evaluationSkips, ctx, dose.date, state)) break;
      run.satisfiedBy[run.next] = -2;
      run.next++;
    }
    if (run.next >= targets.length) {
      run.outcomes[k] = COMPLETE_ALREADY;
      run.targetOf[k] = -1;
      continue;
    }
    const td = targets[run.next] as TargetDose;
    const outcome = evaluateDose(model, td, ctx, dose, run, k, hooks);
    run.outcomes[k] = outcome;
    run.targetOf[k] = run.next;
    if (outcome.status === 'valid') {
      run.validCount++;
      run.satisfiedBy[run.next] = k;
      if (!td.recurring) run.next++;
    }
  }
  // Trailing skips are settled by the forecast (it knows the assessment date).
  run.complete = run.next >= targets.length;
  return run;
}

function evaluateDose(model: Model, td: TargetDose, ctx: PatientContext, dose: AdministeredDose, run: SeriesRun, k: number, hooks: EvaluationHooks): DoseOutcome {
  if (td.inadvertent.size > 0 && td.inadvertent.has(dose.cvx)) return INADVERTENT;
  const age = pickAge(td, dose.date);
  if (age) {
    if (dose.date < (age.absMin ? ctx.ageDate(age.absMin) : ctx.dob)) return TOO_YOUNG;
    if (age.max && dose.date >= ctx.ageDate(age.max)) return TOO_OLD;
  }
  if (td.intervals.length > 0 && !evaluateIntervals(td, ctx, dose, run, k)) return TOO_SOON;
  if (inLiveVirusConflict(model, ctx, dose, hooks)) return LIVE_CONFLICT;
  if (!vaccineAllowedAt(td.preferable.get(dose.cvx), ctx, dose.date, dose.mvx) && !vaccineAllowedAt(td.allowable.get(dose.cvx), ctx, dose.date)) {
    return WRONG_VACCINE;
  }
  return age?.min !== undefined && dose.date < ctx.ageDate(age.min) ? VALID_GRACE : VALID;
}

export function pickAge(td: TargetDose, on: Day): AgeRule | undefined {
  return td.onlyAge ?? inForce(td.ages, on) ?? td.ages[0];
}
