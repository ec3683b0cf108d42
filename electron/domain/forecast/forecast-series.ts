// Forecasts the next target dose of an evaluated patient series (CDSi chapter 7): forecast-
// context skips, aged out, then earliest / recommended / past-due / latest dates from the
// target dose's ages and intervals, live virus conflicts and the season.
import { type Day, type Duration, MAX_DAY, addDuration } from './dates';
import { type EvaluationHooks, type SeriesRun, type SkipState, intervalReference, pickAge, skipMet } from './evaluate-series';
import type { TargetDose } from './model';
import type { PatientContext } from './patient-context';

export type SeriesStatus = 'not_complete' | 'complete' | 'aged_out';

export interface SeriesForecast {
  status: SeriesStatus;
  /** Index of the forecast target dose. */
  target: number;
  earliest?: Day;
  recommended?: Day;
  pastDue?: Day;
  latest?: Day;
  /** The forecast target dose (not complete only). */
  targetDose?: TargetDose;
}

export function forecastSeries(run: SeriesRun, ctx: PatientContext, hooks: EvaluationHooks): SeriesForecast {
  const targets = run.series.doses;
  const state: SkipState = { run, upTo: run.doses.length, hooks };
  for (let t = run.next; t < targets.length; t++) {
    const td = targets[t] as TargetDose;
    const skips = td.forecastSkips;
    if (skips.length > 0 && skipMet(skips, ctx, ctx.assessment, state)) continue;
    const f = forecastTarget(run, ctx, td, t);
    // A dose that could only be given once a skip condition holds (e.g. after the 7th
    // birthday, when the schedule moves to Tdap) is not forecast either.
    if (f.earliest !== undefined && f.earliest > ctx.assessment && skips.length > 0 && skipMet(skips, ctx, f.earliest, state)) continue;
    return f;
  }
  return { status: 'complete', target: targets.length };
}

function forecastTarget(run: SeriesRun, ctx: PatientContext, td: TargetDose, t: number): SeriesForecast {
  const age = pickAge(td, ctx.assessment);
  const maxDate = age?.max ? ctx.ageDate(age.max) : MAX_DAY;
  if (ctx.assessment >= maxDate) return { status: 'aged_out', target: t };

  let earliest: Day = age?.min ? ctx.ageDate(age.min) : age?.absMin ? ctx.ageDate(age.absMin) : ctx.dob;
  let recInterval: Day | undefined;
  let pastDueInterval: Day | undefined;
  for (const i of td.intervals) {
    if (ctx.assessment < i.effective || ctx.assessment > i.cessation) continue;
    const ref = intervalReference(i, run, run.doses.length, ctx, MAX_DAY);
    if (ref === undefined) continue;
    const min = i.min ?? i.absMin;
    if (min) earliest = Math.max(earliest, addDuration(ref, min));
    if (i.earliestRec) recInterval = Math.max(recInterval ?? 0, addDuration(ref, i.earliestRec));
    if (i.latestRec) pastDueInterval = Math.max(pastDueInterval ?? 0, addDuration(ref, i.latestRec) - 1);
  }
  // Never before a dose already given (a repeat of an inadvertent dose is due at once).
  const last = run.doses[run.doses.length - 1];
  if (last && last.date > earliest) earliest = last.date;
  if (td.forecastConflicts && ctx.liveDoses.length > 0) earliest = Math.max(earliest, forecastConflictEnd(td.forecastConflicts, ctx));
  if (td.seasonStart !== undefined && earliest < td.seasonStart) earliest = td.seasonStart;

  let recommended = age?.earliestRec ? ctx.ageDate(age.earliestRec) : recInterval ?? earliest;
  if (recommended < earliest) recommended = earliest;
  let pastDue = age?.latestRec ? ctx.ageDate(age.latestRec) - 1 : pastDueInterval;
  if (pastDue !== undefined && pastDue < earliest) pastDue = earliest;
  const latest = age?.max ? maxDate - 1 : undefined;
  return { status: 'not_complete', target: t, targetDose: td, earliest, recommended, pastDue, latest };
}

/** Vaccine types to offer: those CDC flags for forecasting, else every preferable type fit for the patient's age. */
export function forecastVaccines(td: TargetDose, ctx: PatientContext): string[] {
  const flagged: string[] = [];
  const fitting: string[] = [];
  for (const v of td.preferableList) {
    if (v.forecast && !flagged.includes(v.cvx)) flagged.push(v.cvx);
    if (v.begin && ctx.assessment < ctx.ageDate(v.begin)) continue;
    if (v.end && ctx.assessment >= ctx.ageDate(v.end)) continue;
    if (!fitting.includes(v.cvx)) fitting.push(v.cvx);
  }
  return flagged.length > 0 ? flagged : fitting;
}

/** A live vaccine cannot be given until the conflict window of an earlier live dose has closed. */
function forecastConflictEnd(conflicts: Map<string, Duration[]>, ctx: PatientContext): Day {
  let end = 0;
  for (const prev of ctx.liveDoses) {
    const ends = conflicts.get(prev.cvx);
    if (!ends) continue;
    for (const e of ends) end = Math.max(end, addDuration(prev.date, e));
  }
  return end;
}
