import type { CodeLists, CodeOption, VaccineOption, VisDocument } from '../api';
import type { CREDENTIALS } from '../domain/clinician';
import * as codes from '../domain/codes';
import type { CodedValue } from '../domain/codes';
import type { ETHNICITY_CODES, RACE_CODES, RELATIONSHIP_CODES } from '../domain/patient';

// The code tables as the forms need them: dropdown lists and the vaccine picker. A small
// interface so handler tests can run without the generated tables if needed.

export interface CodeCatalog {
  searchVaccines(text: string, limit: number, includeInactive: boolean): VaccineOption[];
  lists(): CodeLists;
  currentVis(cvx: string): VisDocument[];
}

const RACE_LABELS: Record<(typeof RACE_CODES)[number], string> = {
  '1002-5': 'American Indian or Alaska Native',
  '2028-9': 'Asian',
  '2054-5': 'Black or African American',
  '2076-8': 'Native Hawaiian or Other Pacific Islander',
  '2106-3': 'White',
  '2131-1': 'Other race',
  ASKU: 'Asked, declined to answer',
  UNK: 'Unknown',
};
const ETHNICITY_LABELS: Record<(typeof ETHNICITY_CODES)[number], string> = {
  '2135-2': 'Hispanic or Latino',
  '2186-5': 'Not Hispanic or Latino',
  ASKU: 'Asked, declined to answer',
  UNK: 'Unknown',
};
const RELATIONSHIP_LABELS: Record<(typeof RELATIONSHIP_CODES)[number], string> = {
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
const CREDENTIAL_LABELS: Record<(typeof CREDENTIALS)[number], string> = {
  MD: 'Doctor of Medicine (MD)',
  DO: 'Doctor of Osteopathy (DO)',
  NP: 'Nurse Practitioner (NP)',
  PA: 'Physician Assistant (PA)',
  RN: 'Registered Nurse (RN)',
  LPN: 'Licensed Practical Nurse (LPN)',
  MA: 'Medical Assistant (MA)',
  RPH: 'Registered Pharmacist (RPh)',
  PHARMD: 'Doctor of Pharmacy (PharmD)',
  CPHT: 'Certified Pharmacy Technician (CPhT)',
  EMT: 'Emergency Medical Technician (EMT)',
  OTH: 'Other',
};
/** ISO 639-2 codes (PID-15) of the languages most spoken in Massachusetts homes, English first. */
const LANGUAGES: [string, string][] = [
  ['eng', 'English'],
  ['spa', 'Spanish'],
  ['por', 'Portuguese'],
  ['zho', 'Chinese'],
  ['hat', 'Haitian Creole'],
  ['vie', 'Vietnamese'],
  ['rus', 'Russian'],
  ['ara', 'Arabic'],
  ['khm', 'Khmer'],
  ['fra', 'French'],
  ['ita', 'Italian'],
  ['kor', 'Korean'],
  ['cpe', 'Cape Verdean Creole'],
  ['pol', 'Polish'],
  ['ell', 'Greek'],
  ['hin', 'Hindi'],
  ['nep', 'Nepali'],
  ['som', 'Somali'],
  ['sgn', 'Sign language'],
  ['und', 'Other / undetermined'],
];

const fromCoded = (rows: readonly CodedValue[]): CodeOption[] =>
  rows.map((r) => (r.note ? { code: r.code, label: r.label, detail: r.note } : { code: r.code, label: r.label }));
const fromLabels = (labels: Record<string, string>): CodeOption[] => Object.entries(labels).map(([code, label]) => ({ code, label }));

export function createCodeCatalog(): CodeCatalog {
  let cachedLists: CodeLists | undefined;
  return {
    searchVaccines(text, limit, includeInactive) {
      const found = codes.searchVaccines(text, limit, includeInactive ? {} : { statuses: ['Active'] });
      return found.map((c) => ({
        cvx: c.code,
        shortName: c.shortName,
        fullName: c.fullName,
        status: c.status,
        manufacturers: codes.manufacturersForCvx(c.code).map((m) => ({ code: m.mvx, label: m.name, detail: m.tradeNames.join(', ') || undefined })),
      }));
    },
    lists() {
      cachedLists ??= {
        routes: fromCoded(codes.listRoutes()),
        sites: fromCoded(codes.listBodySites()),
        manufacturers: codes
          .allMvx()
          .filter((m) => m.status === 'Active')
          .map((m) => ({ code: m.code, label: m.name })),
        fundingSources: fromCoded(codes.listFundingSources()),
        vfcEligibility: fromCoded(codes.listVfcEligibility()),
        refusalReasons: fromCoded(codes.listRefusalReasons()),
        historicalSources: fromCoded(codes.listHistoricalSources()),
        completionStatuses: fromCoded(codes.listCompletionStatuses()),
        credentials: fromLabels(CREDENTIAL_LABELS),
        races: fromLabels(RACE_LABELS),
        ethnicities: fromLabels(ETHNICITY_LABELS),
        relationships: fromLabels(RELATIONSHIP_LABELS),
        languages: LANGUAGES.map(([code, label]) => ({ code, label })),
      };
      return cachedLists;
    },
    currentVis(cvx) {
      return codes.currentVisForCvx(cvx).map((v) => ({ documentType: v.documentType, editionDate: v.editionDate, encodedString: v.encodedString }));
    },
  };
}
