// Picks the best patient series for an antigen (CDSi chapter 8): per series group a
// prioritized series (complete beats in-process beats not started; in-process series are
// scored), then one series across groups.
import type { SeriesRun } from './evaluate-series';
import type { SeriesForecast } from './forecast-series';
import type { PatientContext } from './patient-context';

export interface Candidate {
  run: SeriesRun;
  forecast: SeriesForecast;
}

const byPreference = (a: Candidate, b: Candidate): number => a.run.series.preference - b.run.series.preference;

/**
 * The element a stable sort by `order` would put first, found in one pass: selection runs for
 * every antigen of every patient, and sorting a copy only to read element 0 was a measurable
 * share of the recall's allocation.
 */
function firstBy<T>(list: readonly T[], order: (a: T, b: T) => number): T | undefined {
  let best = list[0];
  for (let i = 1; i < list.length; i++) {
    const c = list[i] as T;
    if (order(c, best as T) < 0) best = c;
  }
  return best;
}

const byMostValidThenProductThenPreference = (a: Candidate, b: Candidate): number =>
  b.run.validCount - a.run.validCount || Number(b.run.series.productPath) - Number(a.run.series.productPath) || byPreference(a, b);

function canStart(c: Candidate, ctx: PatientContext): boolean {
  const s = c.run.series;
  if (s.minAgeToStart && ctx.assessment < ctx.ageDate(s.minAgeToStart)) return false;
  if (s.maxAgeToStart && ctx.assessment >= ctx.ageDate(s.maxAgeToStart)) return false;
  return true;
}

function bestInGroup(list: Candidate[], ctx: PatientContext): Candidate | undefined {
  if (list.length <= 1) return list[0];
  const withValid = list.filter((c) => c.run.validCount > 0);
  if (withValid.length === 0) {
    const done = list.find((c) => c.forecast.status === 'complete');
    if (done) return done;
    const fresh = list.filter((c) => c.run.series.type !== 'Evaluation Only');
    return fresh.find((c) => c.run.series.defaultSeries) ?? firstBy(fresh, byPreference);
  }
  // A series whose first valid dose came outside its start ages was never started.
  const inRange = withValid.filter((c) => startedInRange(c, ctx));
  const pool = inRange.length > 0 ? inRange : withValid;
  const complete = pool.filter((c) => c.forecast.status === 'complete');
  if (complete.length > 0) return firstBy(complete, byMostValidThenProductThenPreference);
  return scoreInProcess(pool, ctx);
}

export function startedInRange(c: Candidate, ctx: PatientContext): boolean {
  const s = c.run.series;
  const first = c.run.outcomes.findIndex((o) => o.status === 'valid');
  const date = c.run.doses[first]?.date;
  if (date === undefined) return false;
  // Only the upper bound: CDC's cases keep a series started early (HPV 3-dose begun at 9) valid.
  return !s.maxAgeToStart || date < ctx.ageDate(s.maxAgeToStart);
}

function remaining(c: Candidate): number {
  return c.run.series.doses.length - c.forecast.target;
}

function earliestOf(c: Candidate): number {
  return c.forecast.earliest ?? Number.MAX_SAFE_INTEGER;
}

function agedOut(c: Candidate): boolean {
  return c.forecast.status === 'aged_out';
}

/**
 * In-process scoring: most valid doses, closest to completion, can finish earliest. Series
 * that aged out only count when every one has. Ties go to the preferred series (then list
 * order), as if the pool were stably sorted by preference; done in passes over the list
 * rather than on filtered and sorted copies, for the same reason as `firstBy`.
 */
function scoreInProcess(list: Candidate[], ctx: PatientContext): Candidate | undefined {
  let alive = 0;
  let lastAlive: Candidate | undefined;
  for (const c of list) {
    if (!agedOut(c)) {
      alive++;
      lastAlive = c;
    }
  }
  if (alive === 1) return lastAlive;
  if (alive === 0 && list.length === 1) return list[0];
  const inPool = (c: Candidate): boolean => alive === 0 || !agedOut(c);
  let maxValid = -Infinity;
  let minRemaining = Infinity;
  let minEarliest = Infinity;
  for (const c of list) {
    if (!inPool(c)) continue;
    maxValid = Math.max(maxValid, c.run.validCount);
    minRemaining = Math.min(minRemaining, remaining(c));
    minEarliest = Math.min(minEarliest, earliestOf(c));
  }
  let best: Candidate | undefined;
  let bestScore = -Infinity;
  for (const c of list) {
    if (!inPool(c)) continue;
    let score = 0;
    if (c.run.validCount === maxValid) score++;
    if (remaining(c) === minRemaining) score += 2;
    if (earliestOf(c) === minEarliest) score++;
    if (c.run.series.productPath && c.run.validCount === c.run.doses.length) score++;
    if (!canStart(c, ctx) && c.run.validCount === 0) score--;
    if (score > bestScore || (score === bestScore && best !== undefined && byPreference(c, best) < 0)) {
      best = c;
      bestScore = score;
    }
  }
  return best;
}

export function selectBestSeries(all: Candidate[], ctx: PatientContext): Candidate | undefined {
  // Evaluation-only series count only when they are complete.
  let candidates = all;
  let oneGroup = true;
  for (const c of all) {
    if (c.run.series.type === 'Evaluation Only' && c.forecast.status !== 'complete') {
      candidates = all.filter((x) => x.run.series.type !== 'Evaluation Only' || x.forecast.status === 'complete');
      break;
    }
    if (c.run.series.seriesGroup !== (all[0] as Candidate).run.series.seriesGroup) oneGroup = false;
  }
  if (candidates.length <= 1) return candidates[0];
  if (oneGroup && candidates === all) return bestInGroup(candidates, ctx);
  const groups = new Map<string, Candidate[]>();
  for (const c of candidates) {
    const g = groups.get(c.run.series.seriesGroup);
    if (g) g.push(c);
    else groups.set(c.run.series.seriesGroup, [c]);
  }
  const prioritized: Candidate[] = [];
  for (const list of groups.values()) {
    const b = bestInGroup(list, ctx);
    if (b) prioritized.push(b);
  }
  if (prioritized.length <= 1) return prioritized[0];
  // A group the patient has not started and is not yet old enough to start is not a choice.
  const applicable = prioritized.filter((c) => c.run.validCount > 0 || c.forecast.status === 'complete' || canStart(c, ctx));
  const pool = applicable.length > 0 ? applicable : prioritized;
  const complete = pool.find((c) => c.forecast.status === 'complete');
  if (complete) return complete;
  const due = pool.filter((c) => c.forecast.status === 'not_complete');
  if (due.length > 0) {
    return firstBy(due, (a, b) => (a.forecast.earliest ?? 0) - (b.forecast.earliest ?? 0) || a.run.series.priority.localeCompare(b.run.series.priority));
  }
  return pool[0];
}

/**
 * Best series when risk series are in play (CDSi 8.8, table 8-14). Standard series are chosen
 * among themselves as for a healthy patient; each risk series group gives its own prioritized
 * series. A complete series is a best series; an unfinished risk series is one unless a series
 * of an equivalent group is complete; an unfinished standard series is one unless a risk series
 * of an equivalent group is in play. Returns every best series, the one to forecast from first:
 * the risk series' need decides (a completed childhood Hib series does not close an asplenia
 * series, a completed travel dose of HepA at 9 months closes the forecast until the routine
 * series can start), then the standard series'.
 */
export function selectBestWithRisk(all: Candidate[], ctx: PatientContext): Candidate[] {
  const standard = all.filter((c) => c.run.series.type !== 'Risk');
  const prioritized: Candidate[] = [];
  const stdBest = selectBestSeries(standard, ctx);
  if (stdBest) prioritized.push(stdBest);
  const riskGroups = new Map<string, Candidate[]>();
  for (const c of all) {
    if (c.run.series.type !== 'Risk') continue;
    const g = riskGroups.get(c.run.series.seriesGroup);
    if (g) g.push(c);
    else riskGroups.set(c.run.series.seriesGroup, [c]);
  }
  for (const list of riskGroups.values()) {
    const b = bestInGroup(list, ctx);
    if (b) prioritized.push(b);
  }
  const inGroup = (group: string | undefined, test: (c: Candidate) => boolean): boolean =>
    group !== undefined && prioritized.some((p) => p.run.series.seriesGroup === group && test(p));
  const best = prioritized.filter((c) => {
    const s = c.run.series;
    if (c.forecast.status === 'complete') return true;
    if (s.type === 'Evaluation Only' || inGroup(s.equivalentGroup, isComplete)) return false;
    return s.type === 'Risk' || !inGroup(s.equivalentGroup, isRiskSeries);
  });
  if (best.length === 0) return stdBest ? [stdBest] : [];
  const lead = forecastFrom(best.filter(isRiskSeries)) ?? forecastFrom(best) ?? (best[0] as Candidate);
  return [lead, ...best.filter((c) => c !== lead)];
}

/** The series to forecast from: the unfinished one that can be given first, else a complete one. */
function forecastFrom(list: readonly Candidate[]): Candidate | undefined {
  const due = list.filter((c) => c.forecast.status === 'not_complete');
  if (due.length > 0) return firstBy(due, (a, b) => earliestOf(a) - earliestOf(b));
  return list.find(isComplete);
}

function isComplete(c: Candidate): boolean {
  return c.forecast.status === 'complete';
}

function isRiskSeries(c: Candidate): boolean {
  return c.run.series.type === 'Risk';
}
