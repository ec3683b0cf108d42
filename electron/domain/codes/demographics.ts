import type { CREDENTIALS } from '../clinician';
import type { ETHNICITY_CODES, PUBLICITY_CODES, RACE_CODES, RELATIONSHIP_CODES } from '../patient';

// Labels for the small demographic value sets the patient and clinician forms use and the
// HL7 builder sends as display text (CE.2). One table per value set; `hl7` is the official
// display name where the form's wording differs (a null flavour reads better as a choice).

interface DemographicLabel {
  label: string;
  hl7?: string;
}

export const RACE_LABELS: Record<(typeof RACE_CODES)[number], DemographicLabel> = {
  '1002-5': { label: 'American Indian or Alaska Native' },
  '2028-9': { label: 'Asian' },
  '2054-5': { label: 'Black or African American', hl7: 'Black or African-American' },
  '2076-8': { label: 'Native Hawaiian or Other Pacific Islander' },
  '2106-3': { label: 'White' },
  '2131-1': { label: 'Other race', hl7: 'Other Race' },
  ASKU: { label: 'Asked, declined to answer', hl7: 'Asked but unknown' },
  UNK: { label: 'Unknown' },
};

export const ETHNICITY_LABELS: Record<(typeof ETHNICITY_CODES)[number], DemographicLabel> = {
  '2135-2': { label: 'Hispanic or Latino' },
  '2186-5': { label: 'Not Hispanic or Latino' },
  ASKU: { label: 'Asked, declined to answer', hl7: 'Asked but unknown' },
  UNK: { label: 'Unknown' },
};

/** HL7 0063. */
export const RELATIONSHIP_LABELS: Record<(typeof RELATIONSHIP_CODES)[number], DemographicLabel> = {
  MTH: { label: 'Mother' },
  FTH: { label: 'Father' },
  GRD: { label: 'Guardian' },
  PAR: { label: 'Parent' },
  SPO: { label: 'Spouse' },
  SIB: { label: 'Sibling' },
  GRP: { label: 'Grandparent' },
  CHD: { label: 'Child' },
  FCH: { label: 'Foster child' },
  CGV: { label: 'Care giver' },
  OTH: { label: 'Other' },
};

/** HL7 0215 (PD1-11). */
export const PUBLICITY_LABELS: Record<(typeof PUBLICITY_CODES)[number], DemographicLabel> = {
  '01': { label: 'No reminder/recall' },
  '02': { label: 'Reminder/recall - any method' },
  '03': { label: 'Reminder/recall - no calls' },
  '04': { label: 'Reminder only - any method' },
  '05': { label: 'Reminder only - no calls' },
  '06': { label: 'Recall only - any method' },
  '07': { label: 'Recall only - no calls' },
  '08': { label: 'Reminder/recall - to provider' },
  '09': { label: 'Reminder to provider' },
  '10': { label: 'Only reminder to provider, no recall' },
  '11': { label: 'Recall to provider' },
  '12': { label: 'Only recall to provider, no reminder' },
};

/** HL7 0360 credentials offered for vaccinators. */
export const CREDENTIAL_LABELS: Record<(typeof CREDENTIALS)[number], DemographicLabel> = {
  MD: { label: 'Doctor of Medicine (MD)' },
  DO: { label: 'Doctor of Osteopathy (DO)' },
  NP: { label: 'Nurse Practitioner (NP)' },
  PA: { label: 'Physician Assistant (PA)' },
  RN: { label: 'Registered Nurse (RN)' },
  LPN: { label: 'Licensed Practical Nurse (LPN)' },
  MA: { label: 'Medical Assistant (MA)' },
  RPH: { label: 'Registered Pharmacist (RPh)' },
  PHARMD: { label: 'Doctor of Pharmacy (PharmD)' },
  CPHT: { label: 'Certified Pharmacy Technician (CPhT)' },
  EMT: { label: 'Emergency Medical Technician (EMT)' },
  OTH: { label: 'Other' },
};

/**
 * ISO 639-2 (PID-15): the languages most spoken in Massachusetts homes (ACS), English first,
 * offered in the form in this order. `aliases` are the bibliographic codes other systems send.
 */
export const LANGUAGES: readonly { code: string; label: string; hl7?: string; aliases?: string[]; offered: boolean }[] = [
  { code: 'eng', label: 'English', offered: true },
  { code: 'spa', label: 'Spanish', offered: true },
  { code: 'por', label: 'Portuguese', offered: true },
  { code: 'zho', label: 'Chinese', aliases: ['chi'], offered: true },
  { code: 'hat', label: 'Haitian Creole', hl7: 'Haitian; Haitian Creole', offered: true },
  { code: 'vie', label: 'Vietnamese', offered: true },
  { code: 'rus', label: 'Russian', offered: true },
  { code: 'ara', label: 'Arabic', offered: true },
  { code: 'khm', label: 'Khmer', hl7: 'Central Khmer', offered: true },
  { code: 'fra', label: 'French', aliases: ['fre'], offered: true },
  { code: 'ita', label: 'Italian', offered: true },
  { code: 'kor', label: 'Korean', offered: true },
  // Kabuverdianu is Portuguese-based: ISO 639-2 files it under cpp (not cpe, English-based).
  { code: 'cpp', label: 'Cape Verdean Creole', hl7: 'Creoles and pidgins, Portuguese-based', offered: true },
  { code: 'pol', label: 'Polish', offered: true },
  { code: 'ell', label: 'Greek', aliases: ['gre'], offered: true },
  { code: 'hin', label: 'Hindi', offered: true },
  { code: 'nep', label: 'Nepali', offered: true },
  { code: 'som', label: 'Somali', offered: true },
  { code: 'sqi', label: 'Albanian', aliases: ['alb'], offered: false },
  { code: 'ben', label: 'Bengali', offered: false },
  { code: 'jpn', label: 'Japanese', offered: false },
  { code: 'tgl', label: 'Tagalog', offered: false },
  { code: 'ukr', label: 'Ukrainian', offered: false },
  { code: 'sgn', label: 'Sign language', hl7: 'Sign languages', offered: true },
  { code: 'und', label: 'Other / undetermined', hl7: 'Undetermined', offered: true },
];

const languageByCode = new Map(LANGUAGES.flatMap((l) => [l.code, ...(l.aliases ?? [])].map((c) => [c, l] as const)));

type Table = Record<string, DemographicLabel>;
const hl7Of = (table: Table) => (code: string): string => {
  const row = table[code];
  return row ? (row.hl7 ?? row.label) : '';
};

/** Official display names for HL7 CE.2; '' for a code the table does not know (CE.2 is optional). */
export const hl7Display = {
  race: hl7Of(RACE_LABELS),
  ethnicity: hl7Of(ETHNICITY_LABELS),
  relationship: hl7Of(RELATIONSHIP_LABELS),
  publicity: hl7Of(PUBLICITY_LABELS),
  language: (code: string): string => {
    const row = languageByCode.get(code);
    return row ? (row.hl7 ?? row.label) : '';
  },
};

/** `{code, label}` options for a form's dropdown, in the table's order. */
export function demographicOptions(table: Table): { code: string; label: string }[] {
  return Object.entries(table).map(([code, row]) => ({ code, label: row.label }));
}
