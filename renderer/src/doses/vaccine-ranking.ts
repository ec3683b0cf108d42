import type { Lot, VaccineOption } from '../../../electron/api';

// The order of the vaccine search: what is in the fridge and due for this patient first, then
// what is in the fridge, then what is due, then the rest. Formulations a counter rarely gives
// (dialysis, Southern Hemisphere, avian/pandemic) go last unless the person typed what sets them
// apart. Pure, so the table of cases in tests/renderer/doses/vaccine-ranking.test.ts pins it.

export interface RankContext {
  /** What the person typed. */
  query: string;
  /** CVX codes with a usable lot on hand (see usableLotsByCvx). */
  stocked: ReadonlySet<string>;
  /** CVX codes due for this patient now, forecast order. */
  due: readonly string[];
  /** The patient's age in years, when a patient is known. */
  ageYears?: number;
}

/** Words that mark a formulation for a special population or another season, and how to ask for it. */
const SPECIAL: readonly { marks: RegExp; askedBy: RegExp }[] = [
  { marks: /dialysis/i, askedBy: /dial/i },
  { marks: /southern hemisphere/i, askedBy: /south|hemis/i },
  { marks: /avian|h5n\d|pandemic/i, askedBy: /avian|h5|pandemic/i },
  { marks: /self\/caregiver/i, askedBy: /self|caregiver/i },
];

const PEDIATRIC = /pediatric/i;

function isSpecial(o: VaccineOption, query: string): boolean {
  const name = `${o.shortName} ${o.fullName}`;
  return SPECIAL.some((s) => s.marks.test(name) && !s.askedBy.test(query));
}

/** A lot that can be given today: active, doses on hand, not expired. */
export function isUsableLot(lot: Pick<Lot, 'active' | 'dosesOnHand' | 'expirationDate'>, today: string): boolean {
  return lot.active && lot.dosesOnHand > 0 && lot.expirationDate >= today;
}

/** Per CVX, its usable lots soonest-expiring first (the one to use first is [0]). */
export function usableLotsByCvx<L extends Pick<Lot, 'cvx' | 'active' | 'dosesOnHand' | 'expirationDate'>>(lots: readonly L[], today: string): Map<string, L[]> {
  const out = new Map<string, L[]>();
  for (const lot of lots) {
    if (!isUsableLot(lot, today)) continue;
    out.set(lot.cvx, [...(out.get(lot.cvx) ?? []), lot]);
  }
  for (const list of out.values()) list.sort((a, b) => a.expirationDate.localeCompare(b.expirationDate));
  return out;
}

/** The lot to pick for a vaccine: its soonest-expiring usable one. */
export function soonestUsableLot<L extends Pick<Lot, 'cvx' | 'active' | 'dosesOnHand' | 'expirationDate'>>(lots: readonly L[], cvx: string, today: string): L | undefined {
  return usableLotsByCvx(lots, today).get(cvx)?.[0];
}

/**
 * Ranks search results (given in the search's text order). A typed CVX code keeps its exact
 * match on top: the person asked for that code.
 */
export function rankVaccines(options: readonly VaccineOption[], ctx: RankContext): VaccineOption[] {
  const query = ctx.query.trim();
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const codeTyped = /^\d+$/.test(query);
  const adult = ctx.ageYears !== undefined && ctx.ageYears >= 19;
  const dueIndex = (cvx: string) => {
    const i = ctx.due.indexOf(cvx);
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  const key = (o: VaccineOption, index: number): number[] => {
    const exactCode = codeTyped && o.cvx.replace(/^0+/, '') === query.replace(/^0+/, '');
    const stocked = ctx.stocked.has(o.cvx);
    const due = ctx.due.includes(o.cvx);
    const tier = isSpecial(o, query) ? 4 : stocked && due ? 0 : stocked ? 1 : due ? 2 : 3;
    // The name a nurse reads says what was typed (not only the full name, e.g. "flu" in Haemophilus influenzae).
    const inShortName = words.every((w) => o.shortName.toLowerCase().includes(w)) ? 0 : 1;
    const childFormForAdult = adult && PEDIATRIC.test(o.shortName) && !/ped/i.test(query) ? 1 : 0;
    return [exactCode ? 0 : 1, tier, childFormForAdult, dueIndex(o.cvx), inShortName, index];
  };
  return options
    .map((o, i) => ({ o, k: key(o, i) }))
    .sort((a, b) => {
      for (let i = 0; i < a.k.length; i++) {
        const d = a.k[i]! - b.k[i]!;
        if (d !== 0) return d;
      }
      return 0;
    })
    .map((x) => x.o);
}
