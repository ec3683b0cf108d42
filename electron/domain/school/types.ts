// The shape of a school-entry requirement set: data (one file per jurisdiction and school
// year), read by check.ts. Counts are of doses the CDSi evaluation found valid; the extra
// conditions here are the ones school rules add on top of the ACIP schedule (a dose on or
// after the 4th birthday, a MenACWY dose on or after the 16th birthday…).

/** Child care / preschool / pre-K, kindergarten to grade 12, and college. */
export const SCHOOL_GRADES = ['childcare', 'K', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12', 'college'] as const;
export type SchoolGrade = (typeof SCHOOL_GRADES)[number];

export const GRADE_BANDS = ['childcare', 'k6', '7-12', 'college'] as const;
export type GradeBand = (typeof GRADE_BANDS)[number];

/** What a school accepts in place of doses: lab evidence of immunity, or a documented history of the disease. */
export const EVIDENCE_KINDS = ['serology', 'disease_history'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

export interface LastDoseCondition {
  /** Age (whole months) on the day of the dose that completes the option; 48 = on or after the 4th birthday. */
  minAgeMonths?: number;
  /** Whole months since the valid dose before it. */
  minMonthsAfterPrevious?: number;
}

/** One way of meeting a requirement; a requirement is met when any of its options is. */
export interface DoseOption {
  doses: number;
  /** Only these CVX codes count for this option (e.g. Tdap only, or the 2-dose adolescent hep B product). */
  cvx?: readonly string[];
  /** Only doses given at this age (months) or older count. */
  countFromAgeMonths?: number;
  /** Only doses given before this age (months) count. */
  countBeforeAgeMonths?: number;
  /** Conditions on the dose that reaches `doses` (or any later valid dose). */
  lastDose?: LastDoseCondition;
}

export interface SchoolRequirement {
  id: string;
  /** The grades it applies to. */
  grades: readonly SchoolGrade[];
  /** The name on the certificate (DTaP, Tdap, Polio, Hep B, MMR, Varicella, MenACWY, Hib). */
  vaccine: string;
  /** CDSi antigen whose valid doses count (a dose counts once, whatever else it carries). */
  antigen: string;
  /** CDSi vaccine group, for "age-appropriate" rules and CDSi immunity. */
  vaccineGroup: string;
  options: readonly DoseOption[];
  /** Met when the CDSi forecast has nothing past due for the group (child care: "age-appropriate"). */
  ageAppropriate?: boolean;
  /** Not checked below this age (months); the child is reported as not yet due. */
  appliesFromAgeMonths?: number;
  /** Not checked from this age (months) on. */
  appliesBeforeAgeMonths?: number;
  /** Accepted instead of doses. */
  evidence: readonly EvidenceKind[];
  /** The rule as the source words it, for the certificate's footnotes. */
  text: string;
  /** Where the encoding of this rule may not match the state's chart exactly: say so. */
  uncertain?: string;
}

export interface RequirementSource {
  title: string;
  publisher: string;
  regulation: string;
  url: string;
  /** How the data got here and what to do with it each school year. */
  provenance: string;
}

export interface SchoolRequirementSet {
  jurisdiction: string;
  /** e.g. 2025-2026; the certificate prints it. */
  schoolYear: string;
  source: RequirementSource;
  requirements: readonly SchoolRequirement[];
}
