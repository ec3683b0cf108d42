// Shapes returned by the code-table lookups (electron/domain/codes/index.ts).

export type CvxStatus = 'Active' | 'Inactive' | 'Non-US' | 'Never Active';
export type MvxStatus = 'Active' | 'Inactive';
export type VisStatus = 'Current' | 'Historic';
/** Status of a hand-maintained code: `Deprecated` is accepted when read but never offered;
 * `Unconfirmed` (e.g. HL70064 V22–V25) is listed by AIRA but not confirmed with MIIS. */
export type CodeStatus = 'Valid' | 'Deprecated' | 'Unconfirmed';

export interface Cvx {
  code: string;
  shortName: string;
  fullName: string;
  status: CvxStatus;
  notes: string;
  /** CDC vaccine groups (a combination vaccine has several, e.g. 110 → DTAP, HepB, POLIO). */
  vaccineGroups: string[];
  /** ISO date CDC last changed the row. */
  lastUpdated: string;
}

export interface Mvx {
  code: string;
  name: string;
  status: MvxStatus;
  notes: string;
}

export interface ManufacturerForCvx {
  mvx: string;
  name: string;
  /** Status of the manufacturer code (MVX). */
  status: MvxStatus;
  /** CDC product (trade) names for this CVX from this manufacturer, active first. */
  tradeNames: string[];
  /** Whether any of those trade names is still active. */
  productActive: boolean;
}

/** One code of a small value set (route, body site, VFC eligibility, funding source, …). */
export interface CodedValue {
  code: string;
  label: string;
  /** HL7 coding-system name for CE.3/CWE.3, e.g. `HL70163`, `CDCPHINVS`. */
  codeSystem: string;
  status: CodeStatus;
  note?: string;
}

export interface Route extends CodedValue {
  codeSystem: 'NCIT';
  /** HL7 table 0162 code for the same route, sent in the alternate triplet of RXR-1. */
  hl70162?: string;
}

export interface VisEdition {
  documentType: string;
  /** ISO `YYYY-MM-DD`. */
  editionDate: string;
  /** 24-digit GS1 string sent as OBX-5 of LOINC 69764-9 (coding system `cdcgs1vis`). */
  encodedString: string;
  status: VisStatus;
  /** cdc.gov PDF of the current edition, when CDC lists one. */
  pdfUrl?: string;
}

export interface NdcProduct {
  /** 11 digits, no hyphens. */
  ndc11: string;
  /** 11-digit 5-4-2 form with hyphens, as sent in HL7 (`49281-0421-50`). */
  ndcFormatted: string;
  /** 10-digit form as printed on the package (`49281-421-50`). */
  ndc10: string;
  gtin?: string;
  /** CVX for this NDC. When CDC lists several (Engerix-B: 43 adult, 44 dialysis), the lowest code;
   * see `cvxOptions` and let the user choose. */
  cvx: string;
  cvxOptions: string[];
  mvx?: string;
  proprietaryName: string;
  genericName: string;
  labeler: string;
  packageDescription: string;
  /** NCIT route code (from CDC's NDC route column), when it names exactly one route. */
  route?: string;
  /** true: the vial/syringe NDC (what CDC asks to record); false: the carton NDC. */
  unitOfUse: boolean;
  /** ISO start/end of marketing; an `endDate` in the past means the NDC is discontinued. */
  startDate?: string;
  endDate?: string;
  /** The unit-of-sale NDCs (for a unit of use) or unit-of-use NDCs (for a unit of sale), 11 digits. */
  linkedNdc11: string[];
}
