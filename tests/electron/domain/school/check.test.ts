import { describe, expect, it } from 'vitest';
import { evaluateAndForecast } from '../../../../electron/domain/forecast';
import { checkSchoolRequirements, usualGrade, type EvidenceKind, type SchoolCheckResult, type SchoolGrade } from '../../../../electron/domain/school';

// The school check against cases written from the requirement text (electron/domain/school/
// ma-requirements.ts): each requirement met, one dose short, a dose given too early (invalid
// under CDSi, so it does not count), and a history of disease. Histories are evaluated by the
// real CDSi engine and supporting data, as the chart does.

const DOB = '2012-03-10';
type Dose = [cvx: string, date: string];

/** Everything a student needs through grade 12 except the 16-year MenACWY booster. */
const FULL: Dose[] = [
  ['08', '2012-03-10'], ['08', '2012-05-10'], ['08', '2012-09-10'],
  ['20', '2012-05-10'], ['20', '2012-07-10'], ['20', '2012-09-10'], ['20', '2013-06-10'], ['20', '2016-03-15'],
  ['10', '2012-05-10'], ['10', '2012-07-10'], ['10', '2012-09-10'], ['10', '2016-03-15'],
  ['49', '2012-05-10'], ['49', '2012-07-10'], ['49', '2013-03-10'],
  ['03', '2013-03-10'], ['03', '2016-03-15'],
  ['21', '2013-03-10'], ['21', '2016-03-15'],
  ['115', '2023-03-15'], ['114', '2023-03-15'],
];

function check(grade: SchoolGrade, doses: Dose[], on = '2025-09-02', evidence: { antigen: string; kind: EvidenceKind }[] = [], dob = DOB): SchoolCheckResult {
  const result = evaluateAndForecast({ dob, gender: 'F', doses: doses.map(([cvx, date], i) => ({ id: `d${i}`, cvx, date })) }, on);
  return checkSchoolRequirements({ dob, assessmentDate: on, grade, evaluations: result.evaluations, groups: result.forecasts, evidence });
}

const without = (doses: Dose[], cvx: string, date?: string): Dose[] => doses.filter(([c, d]) => !(c === cvx && (date === undefined || d === date)));
const req = (r: SchoolCheckResult, id: string) => {
  const found = r.requirements.find((x) => x.id === id);
  if (!found) throw new Error(`no requirement ${id} for grade ${r.grade}`);
  return found;
};

describe('Massachusetts school-entry check', () => {
  it('a student with the full schedule meets grade 7 (and says which school year and source)', () => {
    const r = check('7', FULL);
    expect(r.requirements.filter((x) => x.status !== 'met').map((x) => x.id)).toEqual([]);
    expect(r.meets).toBe(true);
    expect(r.schoolYear).toBe('2025-2026');
    expect(r.source.regulation).toContain('105 CMR 220');
    expect(r.requirements.map((x) => x.vaccine).sort()).toEqual(['DTaP primary series', 'Hep B', 'MMR', 'MenACWY', 'Polio', 'Tdap', 'Varicella']);
  });

  it('grade 7 without MenACWY: missing MenACWY dose 1', () => {
    const r = check('7', without(FULL, '114'));
    expect(r.meets).toBe(false);
    expect(req(r, '7-10.menacwy')).toMatchObject({ status: 'missing', validDoses: 0, missingDose: 1 });
    expect(r.requirements.filter((x) => x.status === 'missing')).toHaveLength(1);
  });

  it('grade 11 with one MenACWY at 11: dose 2 is missing, on or after the 16th birthday; a dose at 16 meets it', () => {
    const r = check('11', FULL, '2028-09-05');
    expect(req(r, '11-12.menacwy')).toMatchObject({ status: 'missing', validDoses: 1, missingDose: 2, missingCondition: { minAgeMonths: 192 } });
    const boosted = check('11', [...FULL, ['114', '2028-03-20']], '2028-09-05');
    expect(req(boosted, '11-12.menacwy').status).toBe('met');
    expect(boosted.meets).toBe(true);
  });

  it('kindergarten: 4 DTaP meet the rule only when the 4th was on or after the 4th birthday', () => {
    const fourEarly = without(FULL, '20', '2016-03-15');
    const r = check('K', fourEarly, '2017-09-05');
    expect(req(r, 'k6.dtap')).toMatchObject({ status: 'missing', validDoses: 4, missingDose: 5 });
    const fourLate: Dose[] = [...without(fourEarly, '20', '2013-06-10'), ['20', '2016-03-15']];
    expect(req(check('K', fourLate, '2017-09-05'), 'k6.dtap').status).toBe('met');
  });

  it('polio: 3 doses are enough when the 3rd was on or after the 4th birthday and 6 months after the 2nd', () => {
    const three: Dose[] = [...without(FULL, '10'), ['10', '2012-05-10'], ['10', '2012-07-10'], ['10', '2016-03-15']];
    expect(req(check('1', three, '2018-09-04'), 'k12.polio').status).toBe('met');
    const fourEarly: Dose[] = [...without(FULL, '10'), ['10', '2012-05-10'], ['10', '2012-07-10'], ['10', '2012-09-10'], ['10', '2015-09-10']];
    const r = req(check('1', fourEarly, '2018-09-04'), 'k12.polio');
    expect(r).toMatchObject({ status: 'missing', validDoses: 4, missingDose: 5 });
  });

  it('an MMR given before the 1st birthday is not valid, so the student is one dose short', () => {
    const early: Dose[] = [...without(FULL, '03', '2013-03-10'), ['03', '2013-02-01']];
    const r = req(check('K', early, '2017-09-05'), 'k12.mmr');
    expect(r).toMatchObject({ status: 'missing', validDoses: 1, missingDose: 2 });
  });

  it('varicella: one dose short, unless a history of chickenpox or lab evidence is on the chart', () => {
    const oneVar = without(FULL, '21', '2016-03-15');
    expect(req(check('7', oneVar), 'k12.varicella')).toMatchObject({ status: 'missing', validDoses: 1, missingDose: 2 });
    expect(req(check('7', oneVar, undefined, [{ antigen: 'Varicella', kind: 'disease_history' }]), 'k12.varicella')).toMatchObject({ status: 'met', metBy: 'evidence', evidence: 'disease_history' });
    expect(req(check('7', without(FULL, '21'), undefined, [{ antigen: 'Varicella', kind: 'serology' }]), 'k12.varicella').status).toBe('met');
  });

  it('a disease history does not stand in where the school only takes doses (DTaP) or serology (MMR)', () => {
    const r = check('K', without(FULL, '03'), '2017-09-05', [{ antigen: 'Measles', kind: 'disease_history' }]);
    expect(req(r, 'k12.mmr').status).toBe('missing');
    expect(req(check('K', without(FULL, '03'), '2017-09-05', [{ antigen: 'Measles', kind: 'serology' }]), 'k12.mmr').status).toBe('met');
  });

  it('hep B: two doses of the adult formulation between 11 and 15 meet grade 9; two pediatric doses do not', () => {
    const adult: Dose[] = [...without(FULL, '08'), ['43', '2023-04-01'], ['43', '2023-10-02']];
    expect(req(check('9', adult, '2026-09-08'), 'k12.hepb').status).toBe('met');
    const two = without(FULL, '08', '2012-09-10');
    expect(req(check('9', two, '2026-09-08'), 'k12.hepb')).toMatchObject({ status: 'missing', validDoses: 2, missingDose: 3 });
  });

  it('grade 7: a Td instead of Tdap does not count as the Tdap dose', () => {
    const td: Dose[] = [...without(FULL, '115'), ['113', '2023-03-15']];
    expect(req(check('7', td), '7-12.tdap')).toMatchObject({ status: 'missing', missingDose: 1 });
  });

  it('child care: a 7-month-old on schedule meets the rules; one who missed the 6-month doses does not', () => {
    const dob = '2025-02-01';
    const onSchedule: Dose[] = [['08', '2025-02-01'], ['08', '2025-04-01'], ['20', '2025-04-01'], ['20', '2025-06-02'], ['10', '2025-04-01'], ['10', '2025-06-02'], ['49', '2025-04-01'], ['49', '2025-06-02']];
    const r = check('childcare', onSchedule, '2025-09-02', [], dob);
    expect(r.meets).toBe(true);
    expect(req(r, 'childcare.mmr').status).toBe('not_yet');
    expect(req(r, 'childcare.dtap').metBy).toBe('age_appropriate');
    const late = check('childcare', [['08', '2025-02-01']], '2026-03-02', [], dob);
    expect(late.meets).toBe(false);
    expect(req(late, 'childcare.dtap')).toMatchObject({ status: 'missing', validDoses: 0, missingDose: 1 });
  });

  it('college: MenACWY is not checked from the 22nd birthday on', () => {
    const r = check('college', FULL, '2034-09-05');
    expect(req(r, 'college.menacwy').status).toBe('not_yet');
    expect(req(check('college', FULL, '2030-09-03'), 'college.menacwy')).toMatchObject({ status: 'missing', validDoses: 1, missingDose: 2, missingCondition: { minAgeMonths: 192 } });
  });

  it('guesses the usual grade from the age on September 1', () => {
    expect(usualGrade(DOB, '2025-10-01')).toBe('8');
    expect(usualGrade(DOB, '2025-06-01')).toBe('7');
    expect(usualGrade('2023-01-01', '2025-10-01')).toBe('childcare');
    expect(usualGrade('2000-01-01', '2025-10-01')).toBe('college');
  });

  it('garbage-free: an empty history with no groups is missing everything and never throws', () => {
    const r = checkSchoolRequirements({ dob: DOB, assessmentDate: '2025-09-02', grade: '12', evaluations: [] });
    expect(r.meets).toBe(false);
    expect(r.requirements.every((x) => x.status === 'missing' && x.missingDose === 1)).toBe(true);
  });
});
