import { cvx as cvxInfo } from './codes';

// MIIS's history beside ours: which registry dose is one we already hold, which is new to us
// (importable as a historical dose from MIIS), and which is close enough that a person should
// decide. Pure: the same inputs give the same table.
//
// A registry dose is the SAME as a local one when, in this order of confidence:
//   1. it carries our own dose id (ORC-3: we reported it, the registry echoes it);
//   2. we imported it before (its registry key is on one of our imported doses);
//   3. same vaccine group on the same day (a combination vaccine recorded by brand elsewhere);
//   4. same CVX within 3 days (a date typed from a card, or a midnight time-zone slip).
// It is a NEAR match when a local dose of the same vaccine group lies within 14 days: perhaps
// the same shot with a wrong date, perhaps two doses; a person confirms. Otherwise it is new.

export const SAME_CVX_DAYS = 3;
export const NEAR_MATCH_DAYS = 14;

export interface LocalDoseForMatch {
  id: string;
  cvx: string;
  /** ISO date. */
  date: string;
  /** The registry key this dose was imported under, when it came from MIIS. */
  registryKey?: string;
}

export interface RegistryDoseForMatch {
  cvx?: string;
  administeredOn?: string;
  orderId?: { id: string; namespace: string };
  reportingFacility?: string;
}

export type MatchReason = 'own_id' | 'imported' | 'same_group_same_day' | 'same_cvx_near_date';

export type ReconciledRow =
  | { kind: 'matched'; registryIndex: number; key: string; localId: string; reason: MatchReason }
  | { kind: 'near'; registryIndex: number; key: string; localId: string; daysApart: number }
  | { kind: 'registry_only'; registryIndex: number; key: string }
  | { kind: 'local_only'; localId: string };

/** A stable identity of a registry dose across queries (re-query must not import it twice). */
export function registryDoseKey(d: RegistryDoseForMatch): string {
  return [d.cvx ?? '', d.administeredOn ?? '', d.reportingFacility ?? '', d.orderId?.id ?? '', d.orderId?.namespace ?? ''].join('|');
}

const DAY_MS = 86_400_000;
function daysBetween(a: string, b: string): number {
  return Math.round(Math.abs(Date.parse(`${a}T00:00:00Z`) - Date.parse(`${b}T00:00:00Z`)) / DAY_MS);
}

const groupCache = new Map<string, readonly string[]>();
function groups(code: string): readonly string[] {
  let g = groupCache.get(code);
  if (!g) {
    g = cvxInfo(code)?.vaccineGroups ?? [];
    groupCache.set(code, g);
  }
  return g;
}

function shareGroup(a: string, b: string): boolean {
  if (a === b) return true;
  const gb = groups(b);
  return groups(a).some((g) => gb.includes(g));
}

export function reconcile(registry: readonly RegistryDoseForMatch[], local: readonly LocalDoseForMatch[]): ReconciledRow[] {
  const free = new Set(local.map((l) => l.id));
  const byId = new Map(local.map((l) => [l.id, l]));
  const byKey = new Map(local.filter((l) => l.registryKey).map((l) => [l.registryKey as string, l]));
  const rows: ReconciledRow[] = [];
  const pending: { index: number; key: string; d: RegistryDoseForMatch }[] = [];

  // Certain matches first, so a fuzzy rule never takes a local dose another registry dose names.
  registry.forEach((d, index) => {
    const key = registryDoseKey(d);
    const own = d.orderId ? byId.get(d.orderId.id) : undefined;
    const imported = byKey.get(key);
    const hit = own && free.has(own.id) ? { l: own, reason: 'own_id' as const } : imported && free.has(imported.id) ? { l: imported, reason: 'imported' as const } : undefined;
    if (hit) {
      free.delete(hit.l.id);
      rows.push({ kind: 'matched', registryIndex: index, key, localId: hit.l.id, reason: hit.reason });
    } else pending.push({ index, key, d });
  });

  const fuzzy = (test: (l: LocalDoseForMatch) => boolean): LocalDoseForMatch | undefined => {
    for (const id of free) {
      const l = byId.get(id) as LocalDoseForMatch;
      if (test(l)) return l;
    }
    return undefined;
  };
  const later: typeof pending = [];
  for (const p of pending) {
    const { d } = p;
    if (!d.cvx || !d.administeredOn) {
      later.push(p);
      continue;
    }
    const on = d.administeredOn;
    const cvx = d.cvx;
    const sameDay = fuzzy((l) => l.date === on && shareGroup(l.cvx, cvx));
    const sameCvx = sameDay ? undefined : fuzzy((l) => l.cvx === cvx && daysBetween(l.date, on) <= SAME_CVX_DAYS);
    const hit = sameDay ? { l: sameDay, reason: 'same_group_same_day' as const } : sameCvx ? { l: sameCvx, reason: 'same_cvx_near_date' as const } : undefined;
    if (hit) {
      free.delete(hit.l.id);
      rows.push({ kind: 'matched', registryIndex: p.index, key: p.key, localId: hit.l.id, reason: hit.reason });
    } else later.push(p);
  }
  for (const p of later) {
    const { d } = p;
    // Any local dose, matched or not: a second registry record of a dose we hold may be a
    // duplicate at the registry, and importing it would count one shot twice.
    const near = d.cvx && d.administeredOn ? local.find((l) => shareGroup(l.cvx, d.cvx as string) && daysBetween(l.date, d.administeredOn as string) <= NEAR_MATCH_DAYS) : undefined;
    if (near) {
      rows.push({ kind: 'near', registryIndex: p.index, key: p.key, localId: near.id, daysApart: daysBetween(near.date, d.administeredOn as string) });
    } else rows.push({ kind: 'registry_only', registryIndex: p.index, key: p.key });
  }
  const nearIds = new Set(rows.flatMap((r) => (r.kind === 'near' ? [r.localId] : [])));
  for (const l of local) if (free.has(l.id) && !nearIds.has(l.id)) rows.push({ kind: 'local_only', localId: l.id });
  return rows.sort((a, b) => ('registryIndex' in a ? a.registryIndex : 1e9) - ('registryIndex' in b ? b.registryIndex : 1e9));
}
