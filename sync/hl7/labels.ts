// Display texts for coded values (CE.2), from the shared code tables when they know the code.
// A missing label never stops a message: the code alone is valid HL7 (CE.2 is RE).
import * as codes from '../../electron/domain/codes';

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

const RACE: Record<string, string> = {
  '1002-5': 'American Indian or Alaska Native',
  '2028-9': 'Asian',
  '2054-5': 'Black or African-American',
  '2076-8': 'Native Hawaiian or Other Pacific Islander',
  '2106-3': 'White',
  '2131-1': 'Other Race',
  ASKU: 'Asked but unknown',
  UNK: 'Unknown',
};
const ETHNICITY: Record<string, string> = {
  '2135-2': 'Hispanic or Latino',
  '2186-5': 'Not Hispanic or Latino',
  ASKU: 'Asked but unknown',
  UNK: 'Unknown',
};
export const raceLabel = (code: string): string => RACE[code] ?? '';
export const ethnicityLabel = (code: string): string => ETHNICITY[code] ?? '';

const RELATIONSHIP: Record<string, string> = {
  MTH: 'Mother',
  FTH: 'Father',
  GRD: 'Guardian',
  PAR: 'Parent',
  SPO: 'Spouse',
  SIB: 'Sibling',
  GRP: 'Grandparent',
  CHD: 'Child',
  FCH: 'Foster child',
  CGV: 'Care giver',
  OTH: 'Other',
};
export const relationshipLabel = (code: string): string => RELATIONSHIP[code] ?? '';

const PUBLICITY: Record<string, string> = {
  '01': 'No reminder/recall',
  '02': 'Reminder/recall - any method',
  '03': 'Reminder/recall - no calls',
  '04': 'Reminder only - any method',
  '05': 'Reminder only - no calls',
  '06': 'Recall only - any method',
  '07': 'Recall only - no calls',
  '08': 'Reminder/recall - to provider',
  '09': 'Reminder to provider',
  '10': 'Only reminder to provider, no recall',
  '11': 'Recall to provider',
  '12': 'Only recall to provider, no reminder',
};
export const publicityLabel = (code: string): string => PUBLICITY[code] ?? '';

// ISO 639-2 names of the languages most spoken in Massachusetts homes (ACS); others go code-only.
const LANGUAGE: Record<string, string> = {
  eng: 'English',
  spa: 'Spanish',
  por: 'Portuguese',
  zho: 'Chinese',
  chi: 'Chinese',
  hat: 'Haitian; Haitian Creole',
  vie: 'Vietnamese',
  rus: 'Russian',
  ara: 'Arabic',
  khm: 'Central Khmer',
  fra: 'French',
  fre: 'French',
  ita: 'Italian',
  kor: 'Korean',
  pol: 'Polish',
  hin: 'Hindi',
  ell: 'Greek',
  gre: 'Greek',
  cpp: 'Creoles and pidgins, Portuguese-based',
  som: 'Somali',
  nep: 'Nepali',
  alb: 'Albanian',
  sqi: 'Albanian',
  ben: 'Bengali',
  jpn: 'Japanese',
  tgl: 'Tagalog',
  ukr: 'Ukrainian',
  sgn: 'Sign languages',
};
export const languageLabel = (code: string): string => LANGUAGE[code] ?? '';
