import type { DueItemView, Lot } from '../../../electron/api';
import { allCvx, cvx as cvxInfo } from '../../../electron/domain/codes';
import type { MessageKey } from '../../i18n';

// How the Due panel words a CDSi forecast for the person at the counter. CDSi numbers doses
// along the child schedule, so an adult with no record "needs DTaP dose 7" and after one Tdap
// "dose 8"; flu and COVID-19 are a dose each season, not "dose 2"; and a group CDSi lists no
// product for still has vaccines in the fridge. These functions turn that into what a nurse
// expects, from the forecast item, the patient's age and the lots in stock.

export interface Wording {
  key: MessageKey;
  params?: Record<string, string | number>;
}

/** CDSi group name → the CVX table's vaccine groups of the products that serve it. */
const CVX_GROUPS: Record<string, readonly string[]> = {
  'DTaP/Tdap/Td': ['DTAP', 'TDAP', 'Td'],
  Influenza: ['FLU'],
  Pneumococcal: ['PneumoPCV', 'PneumoPPV'],
  Meningococcal: ['MENING'],
  'Meningococcal B': ['MeningB'],
  Hib: ['HIB'],
  Polio: ['POLIO'],
  Rotavirus: ['ROTAVIRUS'],
  Varicella: ['VARICELLA'],
  Zoster: ['ZOSTER'],
  'Yellow Fever': ['YELLOWFEVER'],
  Rabies: ['RABIES'],
  Typhoid: ['TYPHOID'],
  Cholera: ['cholera'],
  Dengue: ['DENGUE'],
  'Japanese Encephalitis': ['Japanese encephalitis'],
  TBE: ['Tick-borne encephalitis'],
};

function cvxGroupsFor(group: string): readonly string[] {
  return CVX_GROUPS[group] ?? [group];
}

/** Whether a CVX code is a product for the CDSi vaccine group (by the CVX table). */
export function cvxServesGroup(code: string, group: string): boolean {
  const groups = cvxInfo(code)?.vaccineGroups ?? [];
  return cvxGroupsFor(group).some((g) => groups.includes(g));
}

/** One dose a season for anyone past the first-season two-dose series. */
const SEASONAL_FROM_AGE: Record<string, number> = { Influenza: 9, 'COVID-19': 12 };
/** From this age CDC's catch-up for tetanus/diphtheria/pertussis is Tdap, then Td or Tdap: no DTaP. */
const TDAP_AGE = 7;
const TDAP_PRIMARY_DOSES = 3;

/** The group's name as a nurse says it for this patient ("Tdap/Td" for an adult, not "DTaP/Tdap/Td"). */
export function groupName(group: string, ageYears: number | undefined): string {
  if (group === 'DTaP/Tdap/Td' && ageYears !== undefined && ageYears >= TDAP_AGE) return 'Tdap/Td';
  return group;
}

/** The "Dose" column: a season's dose, a booster, or the dose number counted from the chart. */
export function doseWording(item: DueItemView, ageYears: number | undefined): Wording | undefined {
  const seasonalFrom = SEASONAL_FROM_AGE[item.vaccineGroup];
  if (seasonalFrom !== undefined && ageYears !== undefined && ageYears >= seasonalFrom) return { key: 'due.dose.season' };
  const given = item.dosesCounted;
  if (item.vaccineGroup === 'DTaP/Tdap/Td' && ageYears !== undefined && ageYears >= TDAP_AGE && given !== undefined) {
    if (given >= TDAP_PRIMARY_DOSES) return { key: 'due.dose.booster' };
    return { key: 'due.dose.catchUp', params: { n: given + 1, of: TDAP_PRIMARY_DOSES } };
  }
  if (item.targetDose === undefined) return undefined;
  // CDSi skips target doses a late starter no longer needs; the nurse counts doses given.
  const n = given !== undefined && item.targetDose > given + 1 ? given + 1 : item.targetDose;
  return { key: 'due.doseNumber', params: { n } };
}

/** The badge: "Overdue 4 days" is useful; "Overdue 24,912 days" for a never-given adult dose is not. */
export function whenWording(bucket: 'overdue' | 'today' | 'soon', item: DueItemView): Wording {
  if (bucket === 'today') return { key: 'due.today' };
  if (bucket === 'soon') return { key: 'due.soon' };
  const days = item.daysOverdue ?? 0;
  if (item.dosesCounted === 0 && days > 365) return { key: 'due.overdue.noRecord' };
  if (days >= 730) return { key: 'due.overdue.years', params: { count: Math.floor(days / 365.25) } };
  if (days >= 60) return { key: 'due.overdue.months', params: { count: Math.floor(days / 30.44) } };
  return { key: 'due.overdue', params: { count: days } };
}

export interface VaccineChoice {
  cvx: string;
  /** A usable lot of it is in the fridge. */
  inStock: boolean;
}

/** A lot the dose form would offer today: active, not expired, doses left. */
export function usableLot(lot: Lot, today: string): boolean {
  return lot.active && lot.dosesOnHand > 0 && lot.expirationDate >= today;
}

/**
 * The vaccines listed for a due group, stocked ones first; "Give" starts with the first. When
 * CDSi names none (its COVID-19 products lag the season's codes), the group's active CVX codes
 * stand in, so a due row always says what to give.
 */
export function vaccineChoices(item: DueItemView, stock: readonly Lot[], today: string): VaccineChoice[] {
  const stockedCvx = [...new Set(stock.filter((l) => usableLot(l, today) && cvxServesGroup(l.cvx, item.vaccineGroup)).map((l) => l.cvx))];
  const listed = item.vaccines.length
    ? item.vaccines.map((v) => v.cvx)
    : allCvx()
        .filter((c) => c.status === 'Active' && cvxServesGroup(c.code, item.vaccineGroup))
        .map((c) => c.code);
  const active = listed.filter((c) => cvxInfo(c)?.status === 'Active');
  // CDC: the first tetanus dose after age 7 is Tdap (pertussis), Td only after that.
  const tdapFirst = (c: string) => (item.vaccineGroup === 'DTaP/Tdap/Td' && cvxInfo(c)?.vaccineGroups.includes('TDAP') ? 0 : 1);
  const rest = (active.length ? active : listed).filter((c) => !stockedCvx.includes(c)).sort((a, b) => tdapFirst(a) - tdapFirst(b));
  // A stocked product CDSi did not list for this dose is still offered only when CDSi listed none.
  const stocked = item.vaccines.length ? stockedCvx.filter((c) => listed.includes(c)) : stockedCvx;
  return [...stocked.map((cvx) => ({ cvx, inStock: true })), ...rest.map((cvx) => ({ cvx, inStock: false }))];
}
