// Twin series: antigens of one vaccine group whose series are the same rules except for the
// CVX codes they list (diphtheria and tetanus, for one). For a patient whose doses of the two
// antigens are the same and who has none of the CVX codes on which the two series differ, the
// two evaluations are identical, so the engine evaluates one and reuses it for the other.
import type { Antigen, Series } from './model';
import type { CdsiSupportingData, SeriesData } from './supporting-data';

export interface Twin {
  /** The series (of an earlier antigen) whose evaluation can stand in for this one. */
  of: Series;
  /** CVX codes that the two series treat differently (listed by one, or with other rules). */
  differingCvx: ReadonlySet<string>;
}

const CVX_LISTS = new Set(['preferable', 'allowable', 'inadvertent', 'vaccineTypes', 'fromMostRecent']);
const NAMES = new Set(['name', 'vaccineGroup']);

/** The series as JSON with every CVX list replaced by what it says about `cvx` (or a mask). */
function projection(s: SeriesData, cvx: string | null): string {
  return JSON.stringify(s, (key, value: unknown) => {
    if (NAMES.has(key)) return undefined;
    if (!CVX_LISTS.has(key) || !Array.isArray(value)) return value;
    if (cvx === null) return 'CVX';
    return value.filter((v: unknown) => (typeof v === 'string' ? v === cvx : (v as { cvx?: string }).cvx === cvx));
  });
}

function cvxCodes(s: SeriesData): Set<string> {
  const out = new Set<string>();
  JSON.stringify(s, (key, value: unknown) => {
    if (CVX_LISTS.has(key) && Array.isArray(value)) {
      for (const v of value) out.add(typeof v === 'string' ? v : String((v as { cvx?: string }).cvx));
    }
    return value;
  });
  return out;
}

export function linkTwinSeries(data: CdsiSupportingData, antigens: Map<string, Antigen>): Map<Series, Twin> {
  const twins = new Map<Series, Twin>();
  for (const group of data.vaccineGroups) {
    for (let j = 1; j < group.antigens.length; j++) {
      const b = antigens.get(group.antigens[j] as string);
      const rawB = data.antigens[group.antigens[j] as string]?.series;
      if (!b || !rawB) continue;
      b.series.forEach((sb, k) => {
        const sdB = rawB[k] as SeriesData;
        for (let i = 0; i < j && !twins.has(sb); i++) {
          const a = antigens.get(group.antigens[i] as string);
          const rawA = data.antigens[group.antigens[i] as string]?.series;
          if (!a || !rawA) continue;
          a.series.forEach((sa, m) => {
            const sdA = rawA[m] as SeriesData;
            if (twins.has(sb) || twins.has(sa) || projection(sdA, null) !== projection(sdB, null)) return;
            const differing = new Set<string>();
            for (const cvx of new Set([...cvxCodes(sdA), ...cvxCodes(sdB)])) {
              if (projection(sdA, cvx) !== projection(sdB, cvx)) differing.add(cvx);
            }
            twins.set(sb, { of: sa, differingCvx: differing });
          });
        }
      });
    }
  }
  return twins;
}
