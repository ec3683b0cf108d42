// CVX (HL7 table 0292): lookups, vaccine groups and the vaccine-picker search.
import cvxTable from '../../../assets/code-tables/cvx.json';
import productTable from '../../../assets/code-tables/products.json';
import { deepFreeze, normalizeCvxCode, once } from './internal';
import type { Cvx, CvxStatus, Route } from './types';
import { route } from './value-sets';

interface CvxIndex {
  all: Cvx[];
  byCode: Map<string, Cvx>;
  defaultRoute: Map<string, string>;
  groupCvx: Map<string, string>;
  /** lower-cased search text per CVX: names, groups and CDC trade names. */
  haystack: Map<string, string>;
}

const cvxIndex = once((): CvxIndex => {
  const tradeNames = new Map<string, string[]>();
  for (const p of productTable.rows) tradeNames.set(p.cvx, [...(tradeNames.get(p.cvx) ?? []), p.productName]);
  const all: Cvx[] = [];
  const byCode = new Map<string, Cvx>();
  const defaultRoute = new Map<string, string>();
  const haystack = new Map<string, string>();
  for (const r of cvxTable.rows) {
    const entry = deepFreeze<Cvx>({
      code: r.code,
      shortName: r.shortName,
      fullName: r.fullName,
      status: r.status as CvxStatus,
      notes: r.notes,
      vaccineGroups: [...r.vaccineGroups],
      lastUpdated: r.lastUpdated,
    });
    all.push(entry);
    byCode.set(entry.code, entry);
    if (r.defaultRoute) defaultRoute.set(entry.code, r.defaultRoute);
    haystack.set(
      entry.code,
      [entry.shortName, entry.fullName, ...entry.vaccineGroups, ...(tradeNames.get(entry.code) ?? [])].join(' | ').toLowerCase(),
    );
  }
  const groupCvx = new Map(cvxTable.groups.map((g) => [g.name.toLowerCase(), g.cvx]));
  return { all: Object.freeze(all) as Cvx[], byCode, defaultRoute, groupCvx, haystack };
});

export function cvx(code: string): Cvx | undefined {
  return cvxIndex().byCode.get(normalizeCvxCode(code));
}

/** Every CVX in CDC's order (by code), all statuses. */
export function allCvx(): readonly Cvx[] {
  return cvxIndex().all;
}

/** The "unspecified formulation" CVX CDC assigns to a vaccine group (`HepB` → `45`). */
export function cvxForVaccineGroup(group: string): string | undefined {
  return cvxIndex().groupCvx.get(group.trim().toLowerCase());
}

export interface SearchOptions {
  /** Only these statuses (e.g. `['Active']` for a new dose); default: all, active first. */
  statuses?: readonly CvxStatus[];
}

const STATUS_RANK: Record<CvxStatus, number> = { Active: 0, Inactive: 1, 'Non-US': 2, 'Never Active': 3 };

/**
 * Vaccine picker search: by CVX code, short/full name, vaccine group or CDC trade name (e.g.
 * "fluzone", "hep b", "208"). Every word must match. Active vaccines first, then by how well the
 * text matches (exact code, name prefix, anywhere), then by code.
 */
export function searchVaccines(text: string, limit = 20, options: SearchOptions = {}): Cvx[] {
  const query = text.trim().toLowerCase();
  if (query === '' || limit <= 0) return [];
  const statuses = options.statuses === undefined ? undefined : new Set(options.statuses);
  const words = query.split(/\s+/);
  const { all, haystack } = cvxIndex();
  const codeQuery = /^\d+$/.test(query) ? normalizeCvxCode(query) : undefined;
  const scored: { entry: Cvx; score: number }[] = [];
  for (const entry of all) {
    if (statuses && !statuses.has(entry.status)) continue;
    let score: number;
    const hay = haystack.get(entry.code) ?? '';
    if (codeQuery !== undefined && entry.code === codeQuery) score = 0;
    else if (codeQuery !== undefined && entry.code.startsWith(query)) score = 1;
    else if (words.every((w) => hay.includes(w))) {
      score = entry.shortName.toLowerCase().startsWith(words[0]!) ? 2 : 3;
    } else continue;
    scored.push({ entry, score });
  }
  scored.sort(
    (a, b) =>
      // An exact code match outranks status: typing "88" must show CVX 88 first.
      Number(b.score === 0) - Number(a.score === 0) ||
      STATUS_RANK[a.entry.status] - STATUS_RANK[b.entry.status] ||
      a.score - b.score ||
      a.entry.code.length - b.entry.code.length ||
      a.entry.code.localeCompare(b.entry.code),
  );
  return scored.slice(0, limit).map((s) => s.entry);
}

/** Suggested route for a vaccine: curated (MMR/varicella/IPV SC, rotavirus PO, LAIV nasal…) or
 * the route CDC's NDC table gives most often for the CVX. Undefined when neither knows. */
export function defaultRouteForCvx(code: string): Route | undefined {
  const ncit = cvxIndex().defaultRoute.get(normalizeCvxCode(code));
  return ncit === undefined ? undefined : route(ncit);
}
