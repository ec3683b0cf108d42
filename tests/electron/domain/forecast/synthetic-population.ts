// A generated patient population with realistic histories, for the forecast benchmark and
// recall tests: ages 0-95 (more children than elders, like a practice), the US childhood
// schedule with misses and delays, yearly flu, adult boosters, zoster, PCV, RSV, COVID-19.
import type { RecallPatient } from '../../../../electron/domain/forecast';
import { formatDay } from '../../../../electron/domain/forecast/dates';
import { mulberry32 } from '../../../../sync/sim/prng';

export const POPULATION_ASSESSMENT = '2025-11-10';

/** Deterministic, so every run sees the same population. */
const rng = mulberry32;

const DAY_MS = 86_400_000;
const ASSESSMENT_MS = Date.parse(`${POPULATION_ASSESSMENT}T00:00:00Z`);
function iso(ms: number): string {
  return formatDay(Math.floor(ms / DAY_MS));
}

// The US childhood schedule as clinics give it (age in days, CVX), then adult routine doses.
const CHILD_SCHEDULE: readonly [number, string][] = [
  [0, '08'], [61, '110'], [61, '49'], [61, '215'], [61, '116'],
  [122, '110'], [122, '49'], [122, '215'], [122, '116'],
  [183, '110'], [183, '215'], [183, '116'],
  [365, '03'], [365, '21'], [365, '83'], [365, '49'], [456, '215'], [456, '20'], [548, '83'],
  [1461, '130'], [1461, '94'],
  [4018, '115'], [4018, '165'], [4018, '136'], [4200, '165'], [5844, '136'],
];

/** One synthetic patient: age 0–95, the childhood schedule with misses and delays, yearly flu, adult boosters. */
export function syntheticPatient(i: number): RecallPatient {
  const r = rng(i * 2654435761);
  const ageDays = Math.floor(r() * r() * 95 * 365.25) + 1; // more children than elders, like a practice
  const dobMs = ASSESSMENT_MS - ageDays * DAY_MS;
  const doses: RecallPatient['doses'] = [];
  const give = (atDays: number, cvx: string): void => {
    if (atDays <= ageDays) doses.push({ cvx, date: iso(dobMs + atDays * DAY_MS) });
  };
  const diligence = r(); // some families keep every appointment, some miss many
  for (const [at, cvx] of CHILD_SCHEDULE) {
    if (ageDays > 60 * 365 && at > 4000) continue; // older adults predate the adolescent vaccines
    if (r() < 0.6 + 0.38 * diligence) give(at + Math.floor(r() * r() * 90), cvx);
  }
  const fluRate = 0.25 + 0.5 * diligence;
  for (let y = 0; y * 365 < ageDays; y++) {
    if (y === 0) continue;
    if (r() < fluRate) give(y * 365 + Math.floor(r() * 60), y < 3 ? '150' : '197');
  }
  if (ageDays > 19 * 365) {
    for (let y = 28; y * 365 < ageDays; y += 10) if (r() < 0.5) give(y * 365 + Math.floor(r() * 200), r() < 0.5 ? '115' : '113');
    if (ageDays > 50 * 365 && r() < 0.5) {
      give(50 * 365 + 100, '187');
      if (r() < 0.8) give(50 * 365 + 100 + 70 + Math.floor(r() * 100), '187');
    }
    if (ageDays > 65 * 365 && r() < 0.6) give(65 * 365 + Math.floor(r() * 300), '216');
    if (ageDays > 75 * 365 && r() < 0.3) give(75 * 365 + Math.floor(r() * 300), '303');
    if (r() < 0.4) give(ageDays - Math.floor(r() * 700), '309');
  }
  // Same-shape ISO dates sort by code unit; localeCompare gave the same order at several
  // times the cost, which the benchmark's with-generation figure paid per dose.
  doses.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return { id: `P${i}`, dob: iso(dobMs), gender: r() < 0.5 ? 'F' : 'M', doses };
}

