// MVX (HL7 table 0227) and CDC product (trade) names per CVX.
import mvxTable from '../../../assets/code-tables/mvx.json';
import productTable from '../../../assets/code-tables/products.json';
import { deepFreeze, normalizeCvxCode, once } from './internal';
import type { ManufacturerForCvx, Mvx, MvxStatus } from './types';

const mvxIndex = once(() => {
  const all = mvxTable.rows.map((r) =>
    deepFreeze<Mvx>({ code: r.code, name: r.name, status: r.status as MvxStatus, notes: r.notes }),
  );
  const manufacturersByCvx = new Map<string, ManufacturerForCvx[]>();
  const byCode = new Map(all.map((m) => [m.code, m]));
  for (const p of productTable.rows) {
    if (!p.mvx) continue;
    const list = manufacturersByCvx.get(p.cvx) ?? [];
    let m = list.find((x) => x.mvx === p.mvx);
    if (!m) {
      const known = byCode.get(p.mvx);
      m = {
        mvx: p.mvx,
        name: known?.name ?? p.manufacturer,
        status: known?.status ?? (p.mvxStatus as MvxStatus),
        tradeNames: [],
        productActive: false,
      };
      list.push(m);
    }
    const active = p.productStatus === 'Active';
    if (!m.tradeNames.includes(p.productName)) {
      if (active) m.tradeNames.unshift(p.productName);
      else m.tradeNames.push(p.productName);
    }
    m.productActive ||= active;
    manufacturersByCvx.set(p.cvx, list);
  }
  for (const [key, list] of manufacturersByCvx) {
    list.sort((a, b) => Number(b.productActive) - Number(a.productActive) || a.name.localeCompare(b.name));
    manufacturersByCvx.set(key, deepFreeze(list));
  }
  return { all: Object.freeze(all) as Mvx[], byCode, manufacturersByCvx };
});

export function mvx(code: string): Mvx | undefined {
  return mvxIndex().byCode.get(code.trim().toUpperCase());
}

export function allMvx(): readonly Mvx[] {
  return mvxIndex().all;
}

/** Manufacturers CDC lists for a CVX with their trade names; active products first. */
export function manufacturersForCvx(code: string): readonly ManufacturerForCvx[] {
  return mvxIndex().manufacturersByCvx.get(normalizeCvxCode(code)) ?? [];
}
