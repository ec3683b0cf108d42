// Display texts for coded values (CE.2), from the shared code tables when they know the code.
// A missing label never stops a message: the code alone is valid HL7 (CE.2 is RE).
import * as codes from '../../electron/domain/codes';
import { hl7Display } from '../../electron/domain/codes/demographics';

function safe(lookup: () => string | undefined): string {
  try {
    return lookup() ?? '';
  } catch {
    return '';
  }
}

/** The code tables are immutable for the life of the process, so answers can be kept. */
function memo(f: (code: string) => string): (code: string) => string {
  const cache = new Map<string, string>();
  return (code) => {
    let v = cache.get(code);
    if (v === undefined) {
      v = f(code);
      if (cache.size < 10_000) cache.set(code, v);
    }
    return v;
  };
}

export const cvxLabel = memo((code: string): string => safe(() => codes.cvx(code)?.shortName));
export const mvxLabel = memo((code: string): string => safe(() => codes.mvx(code)?.name));
export const ndcLabel = memo((code: string): string => safe(() => codes.ndc(code)?.proprietaryName));
/** The NDC as HL7 wants it (11 digits, 5-4-2 with hyphens), or the input when unknown. */
export const ndcFormatted = memo((code: string): string => safe(() => codes.ndc(code)?.ndcFormatted) || code);
export const routeLabel = memo((code: string): string => safe(() => codes.route(code)?.label));
export const routeHl70162 = memo((code: string): string => safe(() => codes.route(code)?.hl70162));
/** NCIT code for a route given as NCIT or legacy HL70162 code. */
export const routeNcit = memo((code: string): string => safe(() => codes.route(code)?.code) || code);
export const defaultRouteFor = (cvx: string): string => safe(() => codes.defaultRouteForCvx(cvx)?.code);
export const bodySiteLabel = memo((code: string): string => safe(() => codes.bodySite(code)?.label));
export const vfcLabel = memo((code: string): string => safe(() => codes.vfcEligibility(code)?.label));
export const vfcCodeSystem = memo((code: string): string => safe(() => codes.vfcEligibility(code)?.codeSystem));
export const fundingLabel = memo((code: string): string => safe(() => codes.fundingSource(code)?.label));
export const fundingCodeSystem = memo((code: string): string => safe(() => codes.fundingSource(code)?.codeSystem));
export const refusalLabel = memo((code: string): string => safe(() => codes.refusalReason(code)?.label));
export const historicalSourceLabel = memo((code: string): string => safe(() => codes.historicalSource(code)?.label));
export const visDocumentType = memo((encoded: string): string => safe(() => codes.visByEncodedString(encoded)?.documentType));

// Demographic value sets (CDCREC race/ethnicity, HL7 0063, 0215, ISO 639-2) live with the
// domain's code tables, shared with the forms.
export const raceLabel = hl7Display.race;
export const ethnicityLabel = hl7Display.ethnicity;
export const relationshipLabel = hl7Display.relationship;
export const publicityLabel = hl7Display.publicity;
export const languageLabel = hl7Display.language;
