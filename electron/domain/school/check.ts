import type { DoseEvaluation, ForecastStatus } from '../forecast/types';
import { MA_SCHOOL_REQUIREMENTS } from './ma-requirements';
import type { DoseOption, EvidenceKind, GradeBand, LastDoseCondition, SchoolGrade, SchoolRequirement, SchoolRequirementSet } from './types';

// Checks a CDSi-evaluated history against a school's entry requirements. Pure: the caller
// passes the evaluation (electron/domain/forecast), the group forecasts and the evidence of
// immunity staff recorded; nothing reads the clock or the store. Only doses CDSi found valid
// count: a dose given too early or too soon after the previous one does not.

export interface SchoolCheckInput {
  dob: string;
  /** The day the check is made for (YYYY-MM-DD), usually today. */
  assessmentDate: string;
  grade: SchoolGrade;
  evaluations: readonly Pick<DoseEvaluation, 'doseIndex' | 'antigen' | 'status' | 'date' | 'cvx'>[];
  /** CDSi group forecasts: "age-appropriate" rules and CDSi's own immunity status read them. */
  groups?: readonly { vaccineGroup: string; status: ForecastStatus; pastDue?: string }[];
  /** Evidence of immunity on the chart, by CDSi antigen (Varicella, Measles, HepB…). */
  evidence?: readonly { antigen: string; kind: EvidenceKind }[];
  requirements?: SchoolRequirementSet;
}

export type RequirementStatus = 'met' | 'missing' | 'not_yet';
export type MetBy = 'doses' | 'evidence' | 'age_appropriate' | 'immune';

export interface RequirementResult {
  id: string;
  vaccine: string;
  status: RequirementStatus;
  metBy?: MetBy;
  evidence?: EvidenceKind;
  /** Valid doses that count toward the first option. */
  validDoses: number;
  /** Doses the first option asks for. */
  requiredDoses: number;
  /** The next dose needed (1-based), when missing. */
  missingDose?: number;
  /** What that dose must satisfy (age, months after the previous one). */
  missingCondition?: LastDoseCondition;
  text: string;
  uncertain?: string;
}

export interface SchoolCheckResult {
  jurisdiction: string;
  schoolYear: string;
  source: SchoolRequirementSet['source'];
  grade: SchoolGrade;
  band: GradeBand;
  assessmentDate: string;
  meets: boolean;
  requirements: RequirementResult[];
}

export function gradeBand(grade: SchoolGrade): GradeBand {
  if (grade === 'childcare' || grade === 'college') return grade;
  if (grade === 'K') return 'k6';
  return Number(grade) <= 6 ? 'k6' : '7-12';
}

/** Whole months from `dob` to `on` (a month counts on the same day of the month). */
export function ageInMonthsOn(dob: string, on: string): number {
  const [by, bm, bd] = dob.split('-').map(Number) as [number, number, number];
  const [y, m, d] = on.split('-').map(Number) as [number, number, number];
  return (y - by) * 12 + (m - bm) - (d < bd ? 1 : 0);
}

/**
 * The grade a child of this age is usually in during the school year of `on` (age on
 * September 1: 5 → K, 6 → 1 …, 18 → 12); under 5 child care, 19 and over college.
 */
export function usualGrade(dob: string, on: string): SchoolGrade {
  const year = Number(on.slice(0, 4)) - (Number(on.slice(5, 7)) < 9 ? 1 : 0);
  const age = Math.floor(ageInMonthsOn(dob, `${year}-09-01`) / 12);
  if (age < 5) return 'childcare';
  if (age === 5) return 'K';
  if (age >= 18) return 'college';
  return String(age - 5) as SchoolGrade;
}

interface CountedDose {
  date: string;
  cvx: string;
  ageMonths: number;
}

function validDoses(input: SchoolCheckInput, antigen: string): CountedDose[] {
  const seen = new Set<number>();
  const out: CountedDose[] = [];
  for (const e of input.evaluations) {
    if (e.antigen !== antigen || e.status !== 'valid' || seen.has(e.doseIndex)) continue;
    seen.add(e.doseIndex);
    out.push({ date: e.date, cvx: e.cvx, ageMonths: ageInMonthsOn(input.dob, e.date) });
  }
  return out.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

function countsFor(option: DoseOption, doses: readonly CountedDose[]): CountedDose[] {
  return doses.filter(
    (d) =>
      (!option.cvx || option.cvx.includes(d.cvx)) &&
      (option.countFromAgeMonths === undefined || d.ageMonths >= option.countFromAgeMonths) &&
      (option.countBeforeAgeMonths === undefined || d.ageMonths < option.countBeforeAgeMonths),
  );
}

function meetsCondition(condition: LastDoseCondition | undefined, dose: CountedDose, previous: CountedDose | undefined): boolean {
  if (!condition) return true;
  if (condition.minAgeMonths !== undefined && dose.ageMonths < condition.minAgeMonths) return false;
  // Whole months between the two doses, on the same day-of-month rule as ages.
  if (condition.minMonthsAfterPrevious !== undefined && previous && ageInMonthsOn(previous.date, dose.date) < condition.minMonthsAfterPrevious) return false;
  return true;
}

/** The option is met when a counted dose at position ≥ `doses` satisfies the last-dose conditions. */
function optionMet(option: DoseOption, doses: readonly CountedDose[]): boolean {
  const counted = countsFor(option, doses);
  for (let i = option.doses - 1; i < counted.length; i += 1) {
    if (meetsCondition(option.lastDose, counted[i]!, counted[i - 1])) return true;
  }
  return false;
}

function checkOne(req: SchoolRequirement, input: SchoolCheckInput, ageNow: number): RequirementResult {
  const doses = validDoses(input, req.antigen);
  const first = req.options[0]!;
  const counted = countsFor(first, doses).length;
  const base: RequirementResult = { id: req.id, vaccine: req.vaccine, status: 'missing', validDoses: counted, requiredDoses: first.doses, text: req.text };
  if (req.uncertain) base.uncertain = req.uncertain;

  if ((req.appliesFromAgeMonths !== undefined && ageNow < req.appliesFromAgeMonths) || (req.appliesBeforeAgeMonths !== undefined && ageNow >= req.appliesBeforeAgeMonths)) {
    return { ...base, status: 'not_yet' };
  }
  if (req.options.some((o) => optionMet(o, doses))) return { ...base, status: 'met', metBy: 'doses' };
  const evidence = input.evidence?.find((e) => e.antigen === req.antigen && req.evidence.includes(e.kind));
  if (evidence) return { ...base, status: 'met', metBy: 'evidence', evidence: evidence.kind };
  const group = input.groups?.find((g) => g.vaccineGroup === req.vaccineGroup);
  // CDSi's own immunity (from conditions recorded on the chart) stands for serology only where the school takes serology.
  if (group?.status === 'immune' && req.evidence.length > 0) return { ...base, status: 'met', metBy: 'immune' };
  if (req.ageAppropriate && group) {
    const onSchedule = group.status === 'complete' || group.status === 'aged_out' || group.status === 'immune' || (group.status === 'not_complete' && (!group.pastDue || group.pastDue > input.assessmentDate));
    if (onSchedule) return { ...base, status: 'met', metBy: 'age_appropriate' };
  }
  const missing: RequirementResult = { ...base, missingDose: counted + 1 };
  if (counted + 1 >= first.doses && first.lastDose) missing.missingCondition = first.lastDose;
  else if (first.countFromAgeMonths !== undefined) missing.missingCondition = { minAgeMonths: first.countFromAgeMonths };
  return missing;
}

/** Every requirement of the grade, met or missing, and whether the student meets them all. */
export function checkSchoolRequirements(input: SchoolCheckInput): SchoolCheckResult {
  const set = input.requirements ?? MA_SCHOOL_REQUIREMENTS;
  const ageNow = ageInMonthsOn(input.dob, input.assessmentDate);
  const requirements = set.requirements.filter((r) => r.grades.includes(input.grade)).map((r) => checkOne(r, input, ageNow));
  return {
    jurisdiction: set.jurisdiction,
    schoolYear: set.schoolYear,
    source: set.source,
    grade: input.grade,
    band: gradeBand(input.grade),
    assessmentDate: input.assessmentDate,
    meets: requirements.every((r) => r.status !== 'missing'),
    requirements,
  };
}
