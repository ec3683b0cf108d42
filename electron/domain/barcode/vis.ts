// Reads the GS1 barcode printed on a Vaccine Information Statement: AI (253) GDTI = 13-digit
// document type (GS1 prefix 0886983 + document + check digit) followed by the serial `11` +
// edition date YYMMDD. The 24 digits are exactly what OBX-5 of LOINC 69764-9 carries.
import { visByEncodedString } from '../codes/index';
import type { VisEdition } from '../codes/types';
import { gs1CheckDigit } from './gtin';
import { normaliseWedgeInput, withoutGs } from './wedge';

export type VisScanResult = { ok: true; edition: VisEdition } | { ok: false; error: string };

/** The 24-digit VIS string in a scan (raw, prefixed or parenthesised), or undefined. */
export function visEncodedString(input: string): string | undefined {
  const digits = withoutGs(normaliseWedgeInput(input)).replace(/[()\s]/g, '');
  return /^253\d{21}$/.test(digits) ? digits : undefined;
}

export function parseVisBarcode(input: string): VisScanResult {
  const encoded = visEncodedString(input);
  if (encoded === undefined) {
    return { ok: false, error: 'This is not a VIS barcode. Scan the barcode printed at the bottom of the Vaccine Information Statement.' };
  }
  const gdti = encoded.slice(3, 16);
  if (gs1CheckDigit(gdti.slice(0, 12)) !== Number(gdti[12])) {
    return { ok: false, error: 'The VIS barcode was misread (its check digit does not match). Scan it again or pick the VIS from the list.' };
  }
  const edition = visByEncodedString(encoded);
  if (!edition) {
    return {
      ok: false,
      error: `This VIS edition (${encoded}) is not in the CDC VIS table this version of DoseDesk ships: pick the VIS from the list and check for an app update.`,
    };
  }
  return { ok: true, edition };
}
