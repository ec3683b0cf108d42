// NDC and GTIN → product (CDC NDC unit-of-use / unit-of-sale crosswalk).
import ndcTable from '../../../assets/code-tables/ndc.json';
import { isGtin14, ndc10DigitsFromGtin } from '../barcode/gtin';
import { deepFreeze, normalizeCvxCode, once } from './internal';
import type { NdcProduct } from './types';

const ndcIndex = once(() => {
  const byNdc11 = new Map<string, NdcProduct>();
  const byNdc10 = new Map<string, NdcProduct | null>();
  const byGtin = new Map<string, NdcProduct>();
  const byCvx = new Map<string, NdcProduct[]>();
  // Rows are sorted so that a unit-of-use row precedes the unit-of-sale row of the same NDC:
  // the first one seen wins, so a lookup prefers what CDC asks to record (the vial/syringe).
  for (const r of ndcTable.rows) {
    const entry: NdcProduct = {
      ndc11: r.ndc11.replace(/-/g, ''),
      ndcFormatted: r.ndc11,
      ndc10: r.ndc10,
      cvx: r.cvx[0]!,
      cvxOptions: [...r.cvx],
      proprietaryName: r.proprietaryName,
      genericName: r.genericName,
      labeler: r.labeler,
      packageDescription: r.packageDescription,
      unitOfUse: r.unitOfUse,
      linkedNdc11: r.linkedNdc11.map((n) => n.replace(/-/g, '')),
    };
    if (r.gtin) entry.gtin = r.gtin;
    if (r.mvx) entry.mvx = r.mvx;
    if (r.route) entry.route = r.route;
    if (r.startDate) entry.startDate = r.startDate;
    if (r.endDate) entry.endDate = r.endDate;
    deepFreeze(entry);
    if (!byNdc11.has(entry.ndc11)) byNdc11.set(entry.ndc11, entry);
    // Two NDCs split differently (4-4-2 vs 5-3-2) can share 10 digits: such digits resolve to
    // nothing rather than to a guess. (None do in the Dec 2025 tables; a test watches.)
    const digits10 = entry.ndc10.replace(/-/g, '');
    const seen = byNdc10.get(digits10);
    if (seen === undefined) byNdc10.set(digits10, entry);
    else if (seen !== null && seen.ndc11 !== entry.ndc11) byNdc10.set(digits10, null);
    if (entry.gtin && !byGtin.has(entry.gtin)) byGtin.set(entry.gtin, entry);
    for (const c of entry.cvxOptions) byCvx.set(c, [...(byCvx.get(c) ?? []), entry]);
  }
  for (const list of byCvx.values()) list.sort((a, b) => Number(b.unitOfUse) - Number(a.unitOfUse) || a.ndc11.localeCompare(b.ndc11));
  const ambiguousNdc10 = [...byNdc10.entries()].filter(([, v]) => v === null).map(([k]) => k);
  return { byNdc11, byNdc10, byGtin, byCvx, ambiguousNdc10 };
});

/**
 * Normalises an NDC to its 11 digits: `49281-421-50` / `0006-4047-41` / `50090-4958-1` (10-digit
 * with hyphens, any 4-4-2 / 5-3-2 / 5-4-1 split), `49281-0421-50` (5-4-2) or `49281042150`
 * (11 digits). Ten bare digits are ambiguous and return undefined here (see `ndc()`).
 */
export function normalizeNdc11(input: string): string | undefined {
  const text = input.trim();
  const parts = text.split('-');
  if (parts.length === 3 && parts.every((p) => /^\d+$/.test(p))) {
    const [labeler, product, pkg] = parts as [string, string, string];
    const len = labeler.length + product.length + pkg.length;
    if (len !== 10 && len !== 11) return undefined;
    if (labeler.length > 5 || product.length > 4 || pkg.length > 2) return undefined;
    return labeler.padStart(5, '0') + product.padStart(4, '0') + pkg.padStart(2, '0');
  }
  return /^\d{11}$/.test(text) ? text : undefined;
}

/** NDC product by NDC in any usual form (10-digit hyphenated, 5-4-2, 11 or 10 bare digits). */
export function ndc(input: string): NdcProduct | undefined {
  const { byNdc11, byNdc10 } = ndcIndex();
  const ndc11 = normalizeNdc11(input);
  if (ndc11 !== undefined) return byNdc11.get(ndc11);
  const bare = input.trim();
  return /^\d{10}$/.test(bare) ? (byNdc10.get(bare) ?? undefined) : undefined;
}

/**
 * NDC product by the GTIN-14 of a 2D barcode. Looks the GTIN up in CDC's table first; if CDC
 * lists no GTIN for that package, falls back to the 10 NDC digits the GTIN carries, matched
 * against the package's own 10-digit NDC (never by padding arithmetic).
 */
export function ndcByGtin(gtin14: string): NdcProduct | undefined {
  const gtin = gtin14.trim();
  if (!isGtin14(gtin)) return undefined;
  const { byGtin, byNdc10 } = ndcIndex();
  const exact = byGtin.get(gtin);
  if (exact) return exact;
  const digits = ndc10DigitsFromGtin(gtin);
  return digits === undefined ? undefined : (byNdc10.get(digits) ?? undefined);
}

/** NDC products CDC maps to a CVX (unit of use first, then by NDC). */
export function ndcsForCvx(code: string): readonly NdcProduct[] {
  return ndcIndex().byCvx.get(normalizeCvxCode(code)) ?? [];
}

/** 10-digit NDC digit strings shared by two differently split NDCs (lookups by them fail). */
export function ambiguousNdc10Digits(): readonly string[] {
  return ndcIndex().ambiguousNdc10;
}

/** What the CDC table says about an NDC typed or scanned for a dose or a lot of a given CVX. */
export type NdcCheck =
  /** Not an NDC at all: wrong digit count or groups (`1234-123-1`). */
  | { kind: 'malformed'; digits: number }
  /** A well-formed NDC CDC has not listed (yet): its 11-digit 5-4-2 form. */
  | { kind: 'unknown'; ndcFormatted: string }
  /** CDC lists the NDC for other vaccines than the one chosen. */
  | { kind: 'cvx_mismatch'; product: NdcProduct }
  | { kind: 'ok'; product: NdcProduct };

/**
 * Checks an NDC against CDC's crosswalk. A known NDC must be a package of the chosen vaccine
 * (any CVX CDC gives it counts: Engerix-B is 43 or 44). `cvx` omitted: only format and table.
 */
export function checkNdc(input: string, cvx?: string): NdcCheck {
  const ndc11 = normalizeNdc11(input);
  if (ndc11 === undefined) return { kind: 'malformed', digits: input.replace(/\D/g, '').length };
  const product = ndcIndex().byNdc11.get(ndc11);
  if (!product) return { kind: 'unknown', ndcFormatted: `${ndc11.slice(0, 5)}-${ndc11.slice(5, 9)}-${ndc11.slice(9)}` };
  if (cvx !== undefined && !product.cvxOptions.includes(normalizeCvxCode(cvx))) return { kind: 'cvx_mismatch', product };
  return { kind: 'ok', product };
}
