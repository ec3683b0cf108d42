import type { VaccineOption } from '../../../electron/api';
import { searchVaccines } from '../../../electron/domain/codes';
import { rankVaccines, soonestUsableLot, usableLotsByCvx } from '../../../renderer/src/doses/vaccine-ranking';

// The vaccine search as a counter uses it: the fridge first. Results come from the real CVX
// search (what codes.searchVaccines answers), ranked with a stock, a due list and an age.

const search = (text: string): VaccineOption[] =>
  searchVaccines(text, 60, { statuses: ['Active'] }).map((c) => ({ cvx: c.code, shortName: c.shortName, fullName: c.fullName, status: c.status, manufacturers: [] }));

const top = (text: string, ctx: { stocked?: string[]; due?: string[]; ageYears?: number }, n = 1): string[] =>
  rankVaccines(search(text), { query: text, stocked: new Set(ctx.stocked ?? []), due: ctx.due ?? [], ageYears: ctx.ageYears }).slice(0, n).map((o) => o.cvx);

const rank = (text: string, ctx: { stocked?: string[]; due?: string[]; ageYears?: number }): string[] => top(text, ctx, 1000);

/** Flu vaccines a 2026 adult forecast offers (CDSi order) and the site's fridge. */
const ADULT_FLU_DUE = ['150', '171', '197', '205', '185', '158', '186', '149'];

describe('rankVaccines: the table', () => {
  it.each([
    // [what is typed, stock, due, age, expected first]
    ['flu at a pharmacy that stocks Flucelvax (MDCK) only', 'flu', ['171'], [], 40, '171'],
    ['flu, Flucelvax stocked and flu due: still Flucelvax, not FluMist', 'flu', ['171'], ADULT_FLU_DUE, 40, '171'],
    ['flu, nothing stocked: the forecast\'s first due vaccine', 'flu', [], ADULT_FLU_DUE, 40, '150'],
    ['high for a 75-year-old with high-dose flu stocked', 'high', ['197'], ADULT_FLU_DUE, 75, '197'],
    ['high for a 75-year-old, nothing stocked: high-dose flu, not dialysis Hep B', 'high', [], ADULT_FLU_DUE, 75, '197'],
    ['high with nothing known: still not the dialysis formulation', 'high', [], [], undefined, '135'],
    ['dialysis typed: the dialysis formulation is what was asked for', 'hep b dialysis', [], [], 60, '44'],
    ['hep b for an adult: the adult formulation before the pediatric one', 'hep b', [], [], 45, '43'],
    ['hep b for an adult with the pediatric lot in stock: the stock wins', 'hep b', ['08'], [], 45, '08'],
    ['a typed CVX code keeps its exact match on top, whatever is stocked', '115', ['171'], ADULT_FLU_DUE, 40, '115'],
    ['tdap with Tdap stocked', 'tdap', ['115'], ['115'], 30, '115'],
  ] as const)('%s', (_name, text, stocked, due, ageYears, first) => {
    expect(top(text, { stocked: [...stocked], due: [...due], ageYears })).toEqual([first]);
  });

  it('orders the tiers: stocked and due, stocked, due, then the rest', () => {
    // 171 stocked+due, 153 stocked only, 150 due only, 140 neither.
    const order = rank('flu', { stocked: ['171', '153'], due: ['150', '171'], ageYears: 40 });
    const pos = (cvx: string) => order.indexOf(cvx);
    expect(pos('171')).toBe(0);
    expect(pos('153')).toBe(1);
    expect(pos('150')).toBe(2);
    expect(pos('140')).toBeGreaterThan(pos('150'));
  });

  it('puts Southern Hemisphere and avian flu last unless asked for', () => {
    const order = rank('flu', { due: ADULT_FLU_DUE, ageYears: 40 });
    const special = ['160', '200', '201', '202', '231', '321', '322', '331', '333'];
    const firstSpecial = Math.min(...special.map((c) => order.indexOf(c)).filter((i) => i >= 0));
    expect(order.slice(firstSpecial).every((c) => special.includes(c))).toBe(true);
    expect(order.slice(firstSpecial)).toEqual(expect.arrayContaining(['201', '231', '331', '321']));
    expect(top('flu southern', { ageYears: 40 })[0]).toMatch(/^(200|201|202|231|331)$/);
  });

  it('a stocked special formulation still goes last when it was not typed', () => {
    expect(rank('hep b', { stocked: ['44'], ageYears: 75 }).at(-1)).toBe('44');
  });

  it('does not rank Hib first for "flu" (influenzae is only in its full name)', () => {
    expect(top('flu', {}, 3)).not.toContain('48');
  });
});

describe('the lot Enter picks: the soonest-expiring usable one', () => {
  const lot = (id: string, cvx: string, expirationDate: string, dosesOnHand = 5, active = true) => ({ id, cvx, expirationDate, dosesOnHand, active });
  const lots = [
    lot('later', '171', '2027-09-30'),
    lot('expired', '171', '2026-01-31'),
    lot('empty', '171', '2026-12-31', 0),
    lot('inactive', '171', '2026-12-15', 5, false),
    lot('soonest', '171', '2027-02-28'),
    lot('tdap', '115', '2026-06-30'),
  ];

  it('skips expired, empty and inactive lots and takes the next to expire', () => {
    expect(soonestUsableLot(lots, '171', '2026-03-01')?.id).toBe('soonest');
  });

  it('a lot expiring today can still be given today', () => {
    expect(soonestUsableLot(lots, '115', '2026-06-30')?.id).toBe('tdap');
    expect(soonestUsableLot(lots, '115', '2026-07-01')).toBeUndefined();
  });

  it('knows which vaccines are in stock', () => {
    expect([...usableLotsByCvx(lots, '2026-03-01').keys()].sort()).toEqual(['115', '171']);
  });
});
