// Identifiers the IZ guide fixes (message types, profiles, coding systems, LOINC codes of the
// OBX a dose carries). Site-specific values live in config.ts, never here.

export const PROFILE = {
  vxu: 'Z22',
  ack: 'Z23',
  rspCandidates: 'Z31',
  rspHistory: 'Z32',
  rspNoMatch: 'Z33',
  qbpHistory: 'Z34',
  qbpForecast: 'Z44',
  rspForecast: 'Z42',
} as const;

export const CODING_SYSTEM = {
  cvx: 'CVX',
  mvx: 'MVX',
  ndc: 'NDC',
  ncit: 'NCIT',
  hl70162: 'HL70162',
  hl70163: 'HL70163',
  loinc: 'LN',
  ucum: 'UCUM',
  cdcrec: 'CDCREC',
  cdcphinvs: 'CDCPHINVS',
  nip001: 'NIP001',
  nip002: 'NIP002',
  hl70064: 'HL70064',
  hl70063: 'HL70063',
  hl70215: 'HL70215',
  hl70296: 'HL70296',
  hl70357: 'HL70357',
  hl70533: 'HL70533',
  visBarcode: 'cdcgs1vis',
  nullFlavor: 'NULLFL',
} as const;

export const LOINC = {
  vfcEligibility: '64994-7',
  fundingSource: '30963-3',
  vaccineType: '30956-7',
  visBarcode: '69764-9',
  visPublished: '29768-9',
  visPresented: '29769-7',
  genderIdentity: '76691-5',
} as const;

export const LOINC_TEXT: Record<string, string> = {
  [LOINC.vfcEligibility]: 'Vaccine funding program eligibility category',
  [LOINC.fundingSource]: 'Vaccine funding source',
  [LOINC.vaccineType]: 'Vaccine type',
  [LOINC.visBarcode]: 'Document type',
  [LOINC.visPublished]: 'Date vaccine information statement published',
  [LOINC.visPresented]: 'Date vaccine information statement presented',
  [LOINC.genderIdentity]: 'Gender identity',
};
