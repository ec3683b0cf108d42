// Reads what a keyboard-wedge scanner types from the GS1 DataMatrix on a vaccine vial, syringe
// or carton: (01) GTIN-14, (17) expiry, (10) lot, (21) serial, (11) production date. Accepts the
// raw element string with or without a symbology prefix (`]d2`), the group separator as the GS
// control character or a wedge substitute (`<GS>`, `^]`, `{GS}`, `[GS]`, `␝`), the human-readable
// form `(01)…(17)…(10)…`, and a bare GTIN-14 or 12-digit UPC-A (the linear NDC barcode).
// Pure: no clock unless the caller leaves `referenceYear` out.
import { ndcByGtin, visByEncodedString } from '../codes/index';
import type { NdcProduct } from '../codes/types';
import { gs1CheckDigit, isGtin14 } from './gtin';
import { visEncodedString } from './vis';
import { GS, normaliseWedgeInput, withoutGs } from './wedge';

export interface Gs1Scan {
  ok: true;
  gtin: string;
  /** 5-4-2 NDC with hyphens, when the GTIN is in CDC's NDC table. */
  ndc?: string;
  cvx?: string;
  /** Every CVX CDC gives for the NDC (usually one; Engerix-B has two). */
  cvxOptions?: string[];
  mvx?: string;
  product?: NdcProduct;
  lot?: string;
  /** ISO `YYYY-MM-DD`; a `00` day in the barcode means the last day of the month. */
  expiration?: string;
  productionDate?: string;
  serial?: string;
  /** Things to tell the user that do not make the scan unusable. */
  warnings: string[];
}

export interface Gs1Failure {
  ok: false;
  error: string;
}

export type Gs1Result = Gs1Scan | Gs1Failure;

export interface Gs1Options {
  /** Year used to resolve two-digit years (GS1 General Specifications §7.12). Default: this year. */
  referenceYear?: number;
}


interface AiSpec {
  name: string;
  /** Fixed data length, or undefined for variable length up to `max`. */
  fixed?: number;
  max: number;
  numeric?: boolean;
}

// The AIs found on US vaccine packaging, plus the common ones a carton may add. Unknown AIs stop
// the parse: their length is unknown, so nothing after them can be trusted.
const AIS: Record<string, AiSpec> = {
  '00': { name: 'SSCC', fixed: 18, max: 18, numeric: true },
  '01': { name: 'product number (GTIN)', fixed: 14, max: 14, numeric: true },
  '02': { name: 'contained product number', fixed: 14, max: 14, numeric: true },
  '10': { name: 'lot number', max: 20 },
  '11': { name: 'production date', fixed: 6, max: 6, numeric: true },
  '12': { name: 'due date', fixed: 6, max: 6, numeric: true },
  '13': { name: 'packaging date', fixed: 6, max: 6, numeric: true },
  '15': { name: 'best-before date', fixed: 6, max: 6, numeric: true },
  '16': { name: 'sell-by date', fixed: 6, max: 6, numeric: true },
  '17': { name: 'expiry date', fixed: 6, max: 6, numeric: true },
  '20': { name: 'variant', fixed: 2, max: 2, numeric: true },
  '21': { name: 'serial number', max: 20 },
  '22': { name: 'consumer product variant', max: 20 },
  '30': { name: 'count', max: 8, numeric: true },
  '37': { name: 'count of units', max: 8, numeric: true },
  '240': { name: 'additional product id', max: 30 },
  '241': { name: 'customer part number', max: 30 },
  '710': { name: 'national healthcare reimbursement number (DE)', max: 20 },
  '711': { name: 'national healthcare reimbursement number (FR)', max: 20 },
  '712': { name: 'national healthcare reimbursement number (ES)', max: 20 },
  '713': { name: 'national healthcare reimbursement number (BR)', max: 20 },
  '714': { name: 'national healthcare reimbursement number (PT)', max: 20 },
};
for (let n = 90; n <= 99; n++) AIS[String(n)] = { name: 'company internal information', max: n === 90 ? 30 : 90 };

// GS1 AI encodable character set 82.
const CSET82 = /^[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]*$/;

const RESCAN = 'Scan the barcode again, or type the lot and expiry from the label.';

class ScanError extends Error {}

function lookupAi(data: string, at: number): [string, AiSpec] | undefined {
  for (const len of [2, 3, 4]) {
    const ai = data.slice(at, at + len);
    const spec = AIS[ai];
    if (spec) return [ai, spec];
  }
  return undefined;
}

/** Splits a raw element string (GS already normalised to `\u001d`) into AI → value pairs. */
function splitElementString(data: string): [string, string][] {
  const out: [string, string][] = [];
  let i = 0;
  let guard = 0;
  while (i < data.length && guard++ < 64) {
    if (data[i] === GS) {
      i++;
      continue;
    }
    const found = lookupAi(data, i);
    if (!found) {
      const digits = data.slice(i, i + 4);
      throw new ScanError(
        /^\d/.test(digits)
          ? `The barcode contains a field this app cannot read (it starts "${digits}…"). ${RESCAN}`
          : `The scanned text is not a GS1 barcode (unexpected "${data.slice(i, i + 6)}" at position ${i + 1}). Scan the 2D barcode on the vial or carton.`,
      );
    }
    const [ai, spec] = found;
    i += ai.length;
    let value: string;
    if (spec.fixed !== undefined) {
      value = data.slice(i, i + spec.fixed);
      if (value.length < spec.fixed || value.includes(GS)) {
        throw new ScanError(`The barcode was cut off in the ${spec.name} (AI ${ai}). ${RESCAN}`);
      }
      i += spec.fixed;
    } else {
      const end = data.indexOf(GS, i);
      value = data.slice(i, end === -1 ? data.length : end);
      i = end === -1 ? data.length : end + 1;
      if (value.length === 0) throw new ScanError(`The barcode's ${spec.name} (AI ${ai}) is empty. ${RESCAN}`);
      if (value.length > spec.max) {
        throw new ScanError(
          `The ${spec.name} read from the barcode is ${value.length} characters, more than the ${spec.max} GS1 allows: ` +
            'the scanner is probably dropping the separator between fields. Set the scanner to send GS (or <GS>), or type the lot and expiry from the label.',
        );
      }
    }
    out.push([ai, value]);
  }
  return out;
}

/** `(01)0034…(17)261231(10)AB12` → pairs. */
function splitHumanReadable(text: string): [string, string][] {
  const out: [string, string][] = [];
  const pattern = /\((\d{2,4})\)([^(]*)/g;
  let consumed = 0;
  for (const m of text.matchAll(pattern)) {
    if (m.index !== consumed) break;
    consumed += m[0].length;
    const ai = m[1]!;
    const spec = AIS[ai];
    if (!spec) throw new ScanError(`The barcode text contains a field this app cannot read (AI ${ai}). ${RESCAN}`);
    const value = withoutGs(m[2]!).trim();
    if (value.length === 0) throw new ScanError(`The barcode's ${spec.name} (AI ${ai}) is empty. ${RESCAN}`);
    if (spec.fixed !== undefined && value.length !== spec.fixed) {
      throw new ScanError(
        value.length < spec.fixed
          ? `The barcode was cut off in the ${spec.name} (AI ${ai}). ${RESCAN}`
          : `The ${spec.name} (AI ${ai}) should be ${spec.fixed} digits but is ${value.length}. ${RESCAN}`,
      );
    }
    if (value.length > spec.max) throw new ScanError(`The ${spec.name} (AI ${ai}) is longer than GS1 allows. ${RESCAN}`);
    out.push([ai, value]);
  }
  if (consumed !== text.length) {
    throw new ScanError(`The barcode text could not be read after "${text.slice(0, consumed)}". ${RESCAN}`);
  }
  return out;
}

/** GS1 YYMMDD → ISO date; day `00` = last day of the month. */
function gs1Date(value: string, what: string, referenceYear: number): string {
  const yy = Number(value.slice(0, 2));
  const mm = Number(value.slice(2, 4));
  const dd = Number(value.slice(4, 6));
  // GS1 General Specifications §7.12: a two-digit year within 49 years before or 50 years after
  // the reference year.
  const refCentury = Math.floor(referenceYear / 100) * 100;
  const diff = yy - (referenceYear % 100);
  const year = refCentury + yy + (diff >= 51 ? -100 : diff <= -50 ? 100 : 0);
  if (mm < 1 || mm > 12) throw new ScanError(`The ${what} in the barcode (${value}) has no valid month. ${RESCAN}`);
  const lastDay = new Date(Date.UTC(year, mm, 0)).getUTCDate();
  if (dd > lastDay) throw new ScanError(`The ${what} in the barcode (${value}) is not a real date. ${RESCAN}`);
  const day = dd === 0 ? lastDay : dd;
  return `${String(year).padStart(4, '0')}-${String(mm).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function parsePairs(text: string): [string, string][] {
  if (text.startsWith('(')) return splitHumanReadable(text);
  if (/^\d{14}$/.test(text)) return [['01', text]];
  // UPC-A on the carton: `3` + 10-digit NDC + check digit is GTIN `00` + those 12 digits.
  if (/^3\d{11}$/.test(text)) return [['01', `00${text}`]];
  return splitElementString(text);
}

export function parseGs1(input: string, options: Gs1Options = {}): Gs1Result {
  const text = normaliseWedgeInput(input);
  if (withoutGs(text) === '') {
    return { ok: false, error: 'Nothing was scanned. Put the cursor in the scan field and scan the 2D barcode on the vial or carton.' };
  }
  const vis = visEncodedString(text);
  if (vis !== undefined) {
    const edition = visByEncodedString(vis);
    const which = edition ? ` (${edition.documentType}, edition ${edition.editionDate})` : '';
    return {
      ok: false,
      error: `This is the barcode of a Vaccine Information Statement${which}, not of a vaccine: scan it in the VIS field, then scan the vial or carton.`,
    };
  }
  const referenceYear = options.referenceYear ?? new Date().getFullYear();
  try {
    const fields = new Map<string, string>();
    for (const [ai, value] of parsePairs(text)) {
      const spec = AIS[ai]!;
      if (spec.numeric && !/^\d+$/.test(value)) {
        throw new ScanError(`The ${spec.name} (AI ${ai}) in the barcode should be digits only but reads "${value}". ${RESCAN}`);
      }
      if (!CSET82.test(value)) {
        throw new ScanError(`The ${spec.name} (AI ${ai}) contains characters a GS1 barcode cannot hold. ${RESCAN}`);
      }
      const previous = fields.get(ai);
      if (previous !== undefined && previous !== value) {
        throw new ScanError(`The barcode gives two different values for the ${spec.name} (AI ${ai}). ${RESCAN}`);
      }
      fields.set(ai, value);
    }
    const gtin = fields.get('01');
    if (gtin === undefined) {
      throw new ScanError(
        'This barcode has no product number (GTIN, AI 01): it is probably a shipping or VIS barcode. Scan the 2D barcode on the vial, syringe or carton.',
      );
    }
    if (!isGtin14(gtin)) {
      const expected = gs1CheckDigit(gtin.slice(0, 13));
      throw new ScanError(
        `The product number ${gtin} fails its check digit (last digit should be ${expected}): the scan was misread. Scan again or type the NDC from the label.`,
      );
    }
    const result: Gs1Scan = { ok: true, gtin, warnings: [] };
    const lot = fields.get('10');
    if (lot !== undefined) result.lot = lot;
    const serial = fields.get('21');
    if (serial !== undefined) result.serial = serial;
    const expiry = fields.get('17');
    if (expiry !== undefined) result.expiration = gs1Date(expiry, 'expiry date', referenceYear);
    const production = fields.get('11');
    if (production !== undefined) result.productionDate = gs1Date(production, 'production date', referenceYear);
    const product = ndcByGtin(gtin);
    if (product) {
      result.product = product;
      result.ndc = product.ndcFormatted;
      result.cvx = product.cvx;
      result.cvxOptions = [...product.cvxOptions];
      if (product.mvx) result.mvx = product.mvx;
      if (product.cvxOptions.length > 1) {
        result.warnings.push(
          `CDC maps NDC ${product.ndcFormatted} to more than one vaccine code (CVX ${product.cvxOptions.join(', ')}): choose the one that matches the dose given.`,
        );
      }
    } else {
      result.warnings.push(
        `The product ${gtin} is not in the CDC NDC table this version of DoseDesk ships: choose the vaccine by hand and check for an app update.`,
      );
    }
    // Without a separator after the lot, the expiry that follows reads as part of the lot.
    if (lot !== undefined && expiry === undefined && /17\d{6}/.test(lot)) {
      result.warnings.push(
        `The lot number "${lot}" may include the expiry date because the scanner dropped the separator: check the lot against the label and set the scanner to send GS.`,
      );
    }
    if (lot === undefined) result.warnings.push('The barcode has no lot number: type it from the label.');
    if (expiry === undefined) result.warnings.push('The barcode has no expiry date: type it from the label.');
    return result;
  } catch (err) {
    if (err instanceof ScanError) return { ok: false, error: err.message };
    throw err;
  }
}
