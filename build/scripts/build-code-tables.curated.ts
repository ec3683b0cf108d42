// ─────────────────────────────────────────────────────────────────────────────────────────────
// HAND-MAINTAINED CODE TABLES
//
// CDC publishes no machine-readable file in build/sources/ for these value sets, so they are typed
// in here and copied verbatim into assets/code-tables/curated.json by build-code-tables.ts.
// Every table names its source. Primary source: docs/domain.md §1.5–1.6 (CDC HL7 2.5.1 IG
// for Immunization Messaging R1.5 + NIST VXU-Z22 profile), cross-checked against AIRA's curated
// value sets in GitHub immregistries/codebase `base/sets/*.xml` (Apache-2.0).
//
// A reviewer changing anything here should cite the source in the same commit. The CDC-derived
// tables (CVX, MVX, NDC, VIS…) are NOT in this file: they come from the CDC files in build/sources.
// ─────────────────────────────────────────────────────────────────────────────────────────────

/** `Valid`: send it. `Deprecated`: accept when read, never offer. `Unconfirmed`: listed by AIRA but
 * not yet confirmed with MIIS — offered only when a caller asks for it. */
export type CuratedStatus = 'Valid' | 'Deprecated' | 'Unconfirmed';

export interface CuratedCode {
  code: string;
  label: string;
  status: CuratedStatus;
  note?: string;
}

export interface CuratedTable<Row extends CuratedCode = CuratedCode> {
  /** HL7 coding-system name as sent in CE.3 / CWE.3. */
  codeSystem: string;
  source: string;
  rows: Row[];
}

export interface RouteCode extends CuratedCode {
  /** The HL7 table 0162 code for the same route (legacy, sent in the alternate triplet). */
  hl70162?: string;
  /** Other spellings read from older systems or CDC's NDC route column, mapped to this route. */
  aliases: string[];
}

const valid = (code: string, label: string, note?: string): CuratedCode =>
  note === undefined ? { code, label, status: 'Valid' } : { code, label, status: 'Valid', note };

export const routes: CuratedTable<RouteCode> = {
  codeSystem: 'NCIT',
  source:
    'docs/domain.md §1.5 RXR-1 (CDC IG R1.5: NCIT preferred, HL70162 legacy); immregistries/codebase base/sets/Body Route.xml',
  rows: [
    { code: 'C28161', label: 'Intramuscular', status: 'Valid', hl70162: 'IM', aliases: ['IM', 'INTRAMUSCULAR', 'INTRAMUSCULAR INJECTION'] },
    { code: 'C38299', label: 'Subcutaneous', status: 'Valid', hl70162: 'SC', aliases: ['SC', 'SQ', 'SUBCUTANEOUS', 'SUBCU'] },
    { code: 'C38238', label: 'Intradermal', status: 'Valid', hl70162: 'ID', aliases: ['ID', 'INTRADERMAL'] },
    {
      code: 'C38284',
      label: 'Nasal',
      status: 'Valid',
      hl70162: 'NS',
      // AIRA marks HL70162 `IN` deprecated in favour of `NS`; still accepted when read.
      aliases: ['NS', 'IN', 'NASAL', 'INTRANASAL', 'NASAL SPRAY', 'INTRANASAL (HCP)', 'INTRANASAL (SELF/CAREGIVER)'],
    },
    { code: 'C38288', label: 'Oral', status: 'Valid', hl70162: 'PO', aliases: ['PO', 'ORAL'] },
    { code: 'C38276', label: 'Intravenous', status: 'Valid', hl70162: 'IV', aliases: ['IV', 'INTRAVENOUS'] },
    { code: 'C38305', label: 'Transdermal', status: 'Valid', hl70162: 'TD', aliases: ['TD', 'TRANSDERMAL'] },
    // No HL70162 code exists for percutaneous (smallpox/mpox bifurcated needle).
    { code: 'C38676', label: 'Percutaneous', status: 'Valid', aliases: ['PERCUTANEOUS'] },
  ],
};

export const bodySites: CuratedTable = {
  codeSystem: 'HL70163',
  source: 'docs/domain.md §1.5 RXR-2 (CDC IG R1.5 HL70163); BN/LN/RN/MO from immregistries/codebase base/sets/Body Site.xml',
  rows: [
    valid('LA', 'Left Arm'),
    valid('LD', 'Left Deltoid'),
    valid('LG', 'Left Gluteus Medius'),
    valid('LLFA', 'Left Lower Forearm'),
    valid('LT', 'Left Thigh'),
    valid('LVL', 'Left Vastus Lateralis'),
    valid('RA', 'Right Arm'),
    valid('RD', 'Right Deltoid'),
    valid('RG', 'Right Gluteus Medius'),
    valid('RLFA', 'Right Lower Forearm'),
    valid('RT', 'Right Thigh'),
    valid('RVL', 'Right Vastus Lateralis'),
    valid('BN', 'Bilateral Nares', 'AIRA codebase; not in the IG R1.5 list'),
    valid('LN', 'Left Naris', 'AIRA codebase; not in the IG R1.5 list'),
    valid('RN', 'Right Naris', 'AIRA codebase; not in the IG R1.5 list'),
    valid('MO', 'Mouth', 'AIRA codebase; not in the IG R1.5 list'),
  ],
};

export const vfcEligibility: CuratedTable = {
  codeSystem: 'HL70064',
  source:
    'docs/domain.md §1.6 OBX 64994-7 (CDC IG R1.5 HL70064, CDC-recommended values); immregistries/codebase base/sets/Financial Status Code.xml',
  rows: [
    { code: 'V00', label: 'VFC eligibility not determined/unknown', status: 'Deprecated', note: 'AIRA codebase: Invalid; do not send' },
    valid('V01', 'Not VFC eligible'),
    valid('V02', 'VFC eligible - Medicaid/Medicaid managed care'),
    valid('V03', 'VFC eligible - Uninsured'),
    valid('V04', 'VFC eligible - American Indian/Alaska Native'),
    valid('V05', 'VFC eligible - Federally Qualified Health Center patient (under-insured)'),
    valid('V06', 'VFC eligible - State-specific eligibility (e.g. S-CHIP plan)'),
    valid('V07', 'Local-specific eligibility'),
    { code: 'V22', label: 'CHIP', status: 'Unconfirmed', note: 'AIRA codebase lists it; confirm with MIIS before use' },
    { code: 'V23', label: '317', status: 'Unconfirmed', note: 'AIRA codebase lists it; confirm with MIIS before use' },
    { code: 'V24', label: 'Medicare', status: 'Unconfirmed', note: 'AIRA codebase lists it; confirm with MIIS before use' },
    { code: 'V25', label: 'State program eligibility', status: 'Unconfirmed', note: 'AIRA codebase lists it; confirm with MIIS before use' },
  ],
};

export const fundingSources: CuratedTable = {
  codeSystem: 'CDCPHINVS',
  source: 'docs/domain.md §1.6 OBX 30963-3 (CDC IG R1.5); immregistries/codebase base/sets/Vaccination Funding Source.xml',
  rows: [
    valid('VXC1', 'Federal funds'),
    valid('VXC2', 'State funds'),
    valid('VXC3', 'Tribal funds'),
    valid('PHC68', 'Military funds'),
    valid('PHC70', 'Private funds'),
    valid('VXC50', 'Public'),
    valid('VXC51', 'Public VFC'),
    valid('VXC52', 'Public non-VFC'),
    valid('OTH', 'Other'),
    valid('UNK', 'Unspecified'),
  ],
};

export const completionStatuses: CuratedTable = {
  codeSystem: 'HL70322',
  source: 'docs/domain.md §1.5 RXA-20 (CDC IG R1.5 HL70322)',
  rows: [
    valid('CP', 'Complete'),
    valid('RE', 'Refused'),
    valid('NA', 'Not administered'),
    valid('PA', 'Partially administered'),
  ],
};

// docs/domain.md and AIRA both list 00–03 only; no 04–06 was found in any source we hold.
export const refusalReasons: CuratedTable = {
  codeSystem: 'NIP002',
  source: 'docs/domain.md §1.5 RXA-18 (CDC IG R1.5 NIP002); immregistries/codebase base/sets/Vaccination Refusal.xml',
  rows: [
    valid('00', 'Parental decision'),
    valid('01', 'Religious exemption'),
    valid('02', 'Other', 'send a free-text explanation with it'),
    valid('03', 'Patient decision'),
  ],
};

export const historicalSources: CuratedTable = {
  codeSystem: 'NIP001',
  source: 'docs/domain.md §1.5 RXA-9 (CDC IG R1.5 NIP001)',
  rows: [
    valid('00', 'New immunization record'),
    valid('01', 'Historical information - source unspecified'),
    valid('02', 'Historical information - from other provider'),
    valid('03', "Historical information - from parent's written record"),
    valid('04', "Historical information - from parent's recall"),
    valid('05', 'Historical information - from other registry'),
    valid('06', 'Historical information - from birth certificate'),
    valid('07', 'Historical information - from school record'),
    valid('08', 'Historical information - from public agency'),
  ],
};

export const actionCodes: CuratedTable = {
  codeSystem: 'HL70323',
  source: 'docs/domain.md §1.5 RXA-21 (CDC IG R1.5 HL70323)',
  rows: [valid('A', 'Add'), valid('U', 'Update'), valid('D', 'Delete')],
};

export const administeredUnits: CuratedTable = {
  codeSystem: 'UCUM',
  source: 'docs/domain.md §1.5 RXA-7 (CDC IG R1.5: UCUM mL)',
  rows: [valid('mL', 'milliliter')],
};

export const eligibilityCaptureMethods: CuratedTable = {
  codeSystem: 'CDCPHINVS',
  source: 'docs/domain.md §1.5 OBX-17 (CDC IG R1.5, required with OBX 64994-7)',
  rows: [
    valid('VXC40', 'Eligibility captured at the immunization level'),
    valid('VXC41', 'Eligibility captured at the visit level'),
  ],
};

/**
 * Default route by CVX where CDC's NDC route column is missing, mixed ("INTRAMUSCULAR;
 * SUBCUTANEOUS") or not what clinics use. Value: HL70162 code. Source: brief from the foundation
 * issue, following CDC "General Best Practice Guidelines for Immunization" (routes by vaccine):
 * MMR, varicella, MMRV, IPV given alone and yellow fever subcutaneous; rotavirus, oral typhoid,
 * cholera and adenovirus oral; live attenuated influenza nasal.
 */
export const defaultRouteOverrides: { source: string; byCvx: Record<string, string> } = {
  source: 'Foundation issue brief + CDC General Best Practice Guidelines for Immunization (vaccine administration)',
  byCvx: {
    '03': 'SC', // MMR
    '21': 'SC', // varicella
    '94': 'SC', // MMRV
    '10': 'SC', // IPV given alone (IM also licensed)
    '37': 'SC', // yellow fever
    '183': 'SC', // yellow fever (Stamaril)
    '33': 'IM', // PPSV23 (IM or SC; IM is the usual choice)
    '116': 'PO', // rotavirus, pentavalent
    '119': 'PO', // rotavirus, monovalent
    '122': 'PO', // rotavirus, unspecified
    '25': 'PO', // typhoid, oral
    '174': 'PO', // cholera, live
    '143': 'PO', // adenovirus 4 and 7
    '111': 'NS', // LAIV trivalent
    '149': 'NS', // LAIV quadrivalent
  },
};
