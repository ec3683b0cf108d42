// The hand-maintained value sets (assets/code-tables/curated.json, written from
// build/scripts/build-code-tables.curated.ts): routes, body sites, VFC eligibility, funding source,
// completion status, refusal reasons, historical sources, action codes, units.
import curatedTables from '../../../assets/code-tables/curated.json';
import { deepFreeze, once } from './internal';
import type { CodeStatus, CodedValue, Route } from './types';

type CuratedName = keyof typeof curatedTables.tables;

interface ValueSet<T extends CodedValue> {
  all: T[];
  byCode: Map<string, T>;
}

function valueSet<T extends CodedValue>(name: CuratedName, extraKeys: (row: T) => string[] = () => []): () => ValueSet<T> {
  return once(() => {
    const table = curatedTables.tables[name];
    const all = table.rows.map((r) => {
      const row: Record<string, unknown> = { ...r, codeSystem: table.codeSystem };
      delete row.aliases;
      return deepFreeze(row as unknown as T);
    });
    const byCode = new Map<string, T>();
    for (const [i, row] of all.entries()) {
      const raw = table.rows[i] as { aliases?: string[] };
      for (const key of [row.code, ...(raw.aliases ?? []), ...extraKeys(row)]) {
        if (!byCode.has(key.toUpperCase())) byCode.set(key.toUpperCase(), row);
      }
    }
    return { all: Object.freeze(all) as T[], byCode };
  });
}

export interface ListOptions {
  /** Include codes AIRA lists but MIIS has not confirmed (e.g. HL70064 V22–V25). */
  includeUnconfirmed?: boolean;
}

function listed<T extends CodedValue>(set: ValueSet<T>, options: ListOptions = {}): T[] {
  const allowed: CodeStatus[] = options.includeUnconfirmed ? ['Valid', 'Unconfirmed'] : ['Valid'];
  return set.all.filter((row) => allowed.includes(row.status));
}

const lookup = <T extends CodedValue>(set: () => ValueSet<T>) => (code: string): T | undefined =>
  set().byCode.get(code.trim().toUpperCase());

const routes = valueSet<Route>('routes', (r) => (r.hl70162 ? [r.hl70162] : []));
const bodySites = valueSet<CodedValue>('bodySites');
const vfc = valueSet<CodedValue>('vfcEligibility');
const funding = valueSet<CodedValue>('fundingSources');
const completion = valueSet<CodedValue>('completionStatuses');
const refusal = valueSet<CodedValue>('refusalReasons');
const historical = valueSet<CodedValue>('historicalSources');
const actions = valueSet<CodedValue>('actionCodes');
const units = valueSet<CodedValue>('administeredUnits');
const captureMethods = valueSet<CodedValue>('eligibilityCaptureMethods');

/** Route by NCIT code (`C28161`), HL70162 legacy code (`IM`, `SC`, `ID`, `PO`, `IN`/`NS`, `TD`,
 * `IV`) or CDC NDC route text (`INTRAMUSCULAR`); always returns the NCIT entry. */
export const route = lookup(routes);
export const bodySite = lookup(bodySites);
export const vfcEligibility = lookup(vfc);
export const fundingSource = lookup(funding);
export const completionStatus = lookup(completion);
export const refusalReason = lookup(refusal);
export const historicalSource = lookup(historical);
export const actionCode = lookup(actions);
export const administeredUnit = (code: string): CodedValue | undefined =>
  units().all.find((u) => u.code.toLowerCase() === code.trim().toLowerCase());
export const eligibilityCaptureMethod = lookup(captureMethods);

export const listRoutes = (): Route[] => listed(routes());
export const listBodySites = (): CodedValue[] => listed(bodySites());
export const listVfcEligibility = (options?: ListOptions): CodedValue[] => listed(vfc(), options);
export const listFundingSources = (): CodedValue[] => listed(funding());
export const listCompletionStatuses = (): CodedValue[] => listed(completion());
export const listRefusalReasons = (): CodedValue[] => listed(refusal());
export const listHistoricalSources = (): CodedValue[] => listed(historical());
export const listActionCodes = (): CodedValue[] => listed(actions());
export const listAdministeredUnits = (): CodedValue[] => listed(units());
export const listEligibilityCaptureMethods = (): CodedValue[] => listed(captureMethods());

/**
 * Suggested site (left side; the form lets staff switch): IM → thigh under 3 years, deltoid from
 * 3; SC → thigh under 1 year, upper arm from 1; ID/percutaneous → upper arm. Nasal and oral
 * vaccines have no injection site: undefined. (CDC General Best Practice Guidelines, Table 6-2.)
 */
export function defaultBodySiteForRoute(routeCode: string, ageYears: number): CodedValue | undefined {
  const r = route(routeCode);
  if (!r || !Number.isFinite(ageYears) || ageYears < 0) return undefined;
  switch (r.hl70162 ?? r.code) {
    case 'IM':
      return bodySite(ageYears < 3 ? 'LT' : 'LD');
    case 'SC':
      return bodySite(ageYears < 1 ? 'LT' : 'LA');
    case 'ID':
    case 'C38676':
      return bodySite('LA');
    default:
      return undefined;
  }
}
