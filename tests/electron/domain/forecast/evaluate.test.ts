// One test per CDSi rule the engine implements, on the hand-written data in mini-data.ts.
// Patient born 2025-01-01: 6 weeks = 2025-02-12 (absolute minimum 2025-02-08), 2 months =
// 2025-03-01, 10 weeks = 2025-03-12, 5 years = 2030-01-01.
import { describe, expect, it } from 'vitest';
import { evaluateAndForecast } from '../../../../electron/domain/forecast';
import type { DoseEvaluation, ForecastPatient, VaccineGroupForecast } from '../../../../electron/domain/forecast';
import { dose, miniData, series } from './mini-data';

const DOB = '2025-01-01';
const data = miniData();

function run(doses: [string, string][], assessment: string, extra: Partial<ForecastPatient> = {}, d = data) {
  const patient: ForecastPatient = { dob: DOB, gender: 'F', doses: doses.map(([date, cvx], i) => ({ id: `d${i + 1}`, date, cvx })), ...extra };
  return evaluateAndForecast(patient, assessment, d);
}

function evals(doses: [string, string][], assessment: string, extra: Partial<ForecastPatient> = {}, d = data): Pick<DoseEvaluation, 'status' | 'reason'>[] {
  return run(doses, assessment, extra, d)
    .evaluations.filter((e) => e.antigen === 'Testitis')
    .map((e) => (e.reason ? { status: e.status, reason: e.reason } : { status: e.status }));
}

function group(doses: [string, string][], assessment: string, extra: Partial<ForecastPatient> = {}, d = data): VaccineGroupForecast {
  const f = run(doses, assessment, extra, d).forecasts.find((x) => x.vaccineGroup === 'Testgroup');
  if (!f) throw new Error('no Testgroup forecast');
  return f;
}

describe('evaluation: age', () => {
  it('rejects a dose before the absolute minimum age as too young', () => {
    expect(evals([['2025-02-07', '901']], '2025-03-01')).toEqual([{ status: 'not_valid', reason: 'Age: Too Young' }]);
  });
  it('accepts a dose within the 4-day grace period before the minimum age', () => {
    expect(evals([['2025-02-08', '901']], '2025-03-01')).toEqual([{ status: 'valid', reason: 'Grace Period' }]);
  });
  it('accepts a dose at the minimum age without remark', () => {
    expect(evals([['2025-02-12', '901']], '2025-03-01')).toEqual([{ status: 'valid' }]);
  });
  it('marks a dose at or after the maximum age extraneous (too old)', () => {
    expect(evals([['2030-01-01', '901']], '2030-02-01')).toEqual([{ status: 'extraneous', reason: 'Age: Too Old' }]);
  });
});

describe('evaluation: interval', () => {
  it('rejects a dose given before the absolute minimum interval from the previous dose', () => {
    expect(evals([['2025-03-01', '901'], ['2025-03-20', '901']], '2025-04-01')).toEqual([
      { status: 'valid' },
      { status: 'not_valid', reason: 'Interval: Too Soon' },
    ]);
  });
  it('accepts a dose within the grace period of the minimum interval', () => {
    expect(evals([['2025-03-01', '901'], ['2025-03-25', '901']], '2025-04-01')).toEqual([{ status: 'valid' }, { status: 'valid' }]);
  });
  it('falls back to an allowable interval when the preferable one is not met', () => {
    const d = miniData([
      series('with allowable interval', [
        dose(1),
        dose(2, {
          intervals: [{ fromPrevious: true, absMinInt: '8 weeks', minInt: '8 weeks' }],
          allowableIntervals: [{ fromPrevious: true, absMinInt: '4 weeks' }],
        }),
      ]),
    ]);
    expect(evals([['2025-03-01', '901'], ['2025-03-29', '901']], '2025-04-01', {}, d).map((e) => e.status)).toEqual(['valid', 'valid']);
    expect(evals([['2025-03-01', '901'], ['2025-03-28', '901']], '2025-04-01', {}, d)[1]).toEqual({ status: 'not_valid', reason: 'Interval: Too Soon' });
  });
});

describe('evaluation: vaccine type', () => {
  it('accepts an allowable vaccine', () => {
    expect(evals([['2025-03-01', '902']], '2025-04-01')).toEqual([{ status: 'valid' }]);
  });
  it('rejects a vaccine that is neither preferable nor allowable for the target dose', () => {
    expect(evals([['2025-03-01', '907']], '2025-04-01')).toEqual([{ status: 'not_valid', reason: 'Not a preferable or allowable vaccine' }]);
  });
  it('rejects an inadvertent vaccine and forecasts the repeat from that day on', () => {
    expect(evals([['2025-03-01', '901'], ['2025-04-10', '903']], '2025-04-10')).toEqual([
      { status: 'valid' },
      { status: 'not_valid', reason: 'Inadvertent Vaccine' },
    ]);
    expect(group([['2025-03-01', '901'], ['2025-04-10', '903']], '2025-04-10').earliest).toBe('2025-04-10');
  });
  it('reports a CVX the supporting data does not know', () => {
    const r = run([['2025-03-01', '999']], '2025-04-01');
    expect(r.evaluations).toEqual([expect.objectContaining({ cvx: '999', status: 'not_valid', reason: 'Unknown vaccine (CVX not in supporting data)' })]);
  });
});

describe('evaluation: live virus conflict', () => {
  it('rejects a live vaccine within 24 days (28 less grace) of another live vaccine', () => {
    expect(evals([['2025-03-01', '905'], ['2025-03-20', '904']], '2025-04-01')).toEqual([{ status: 'not_valid', reason: 'Live Virus Conflict' }]);
  });
  it('accepts it once the conflict window has closed', () => {
    expect(evals([['2025-03-01', '905'], ['2025-03-26', '904']], '2025-04-01')).toEqual([{ status: 'valid' }]);
  });
  it('does not forecast a live vaccine dose inside the 28-day window', () => {
    expect(group([['2025-03-01', '905']], '2025-03-05').earliest).toBe('2025-03-29');
  });
});

describe('evaluation: series completion and skips', () => {
  it('marks doses after the series is complete extraneous', () => {
    expect(evals([['2025-03-01', '901'], ['2025-05-01', '901'], ['2025-07-01', '901']], '2025-08-01')[2]).toEqual({
      status: 'extraneous',
      reason: 'Series Already Complete',
    });
  });
  it('skips a target dose whose conditional skip is met (evaluation and forecast)', () => {
    const d = miniData([
      series('3 doses, dose 2 not needed from 12 months', [
        dose(1),
        dose(2, { skips: [{ context: 'Both', logic: 'OR', sets: [{ logic: 'AND', conditions: [{ type: 'Age', beginAge: '12 months' }] }] }] }),
        dose(3, { intervals: [{ fromPrevious: true, absMinInt: '8 weeks', minInt: '8 weeks' }] }),
      ]),
    ]);
    // Dose at 13 months is evaluated against target dose 3 and completes the series.
    const r = run([['2025-03-01', '901'], ['2026-02-01', '901']], '2026-03-01', {}, d);
    expect(r.evaluations.filter((e) => e.antigen === 'Testitis').map((e) => e.targetDose)).toEqual([1, 3]);
    expect(r.forecasts.find((f) => f.vaccineGroup === 'Testgroup')?.status).toBe('complete');
    // With one dose and 13 months old, the forecast moves past dose 2 to dose 3.
    const f = group([['2025-03-01', '901']], '2026-02-01', {}, d);
    expect(f.targetDose).toBe(3);
    expect(f.earliest).toBe('2025-04-26');
  });
  it('skips a target dose by counting earlier valid doses by age (Vaccine Count by Age)', () => {
    const d = miniData([
      series('dose 2 not needed after a valid dose from 12 months', [
        dose(1),
        dose(2, {
          intervals: [{ fromPrevious: true, absMinInt: '4 weeks', minInt: '4 weeks' }],
          skips: [
            {
              context: 'Both',
              logic: 'OR',
              sets: [{ logic: 'AND', conditions: [{ type: 'Vaccine Count by Age', beginAge: '12 months', doseCount: 0, doseType: 'Valid', doseCountLogic: 'greater than' }] }],
            },
          ],
        }),
      ]),
    ]);
    expect(group([['2026-02-01', '901']], '2026-03-01', {}, d).status).toBe('complete');
    expect(group([['2025-11-01', '901']], '2026-03-01', {}, d)).toMatchObject({ status: 'not_complete', targetDose: 2, earliest: '2025-11-29' });
  });
  it('skips a target dose once enough time has passed since the previous dose (Interval condition)', () => {
    const d = miniData([
      series('dose 2 not needed 1 year after dose 1', [
        dose(1),
        dose(2, { skips: [{ context: 'Forecast', logic: 'OR', sets: [{ logic: 'AND', conditions: [{ type: 'Interval', interval: '1 year' }] }] }] }),
      ]),
    ]);
    expect(group([['2025-03-01', '901']], '2026-02-28', {}, d).status).toBe('not_complete');
    expect(group([['2025-03-01', '901']], '2026-03-01', {}, d).status).toBe('complete');
  });
  it('keeps a recurring target dose open after each valid dose', () => {
    const d = miniData([series('yearly', [dose(1, { recurring: true, intervals: [{ fromPrevious: true, absMinInt: '11 months', minInt: '11 months' }] })])]);
    const r = run([['2025-03-01', '901'], ['2026-03-01', '901']], '2026-04-01', {}, d);
    expect(r.evaluations.map((e) => e.targetDose)).toEqual([1, 1]);
    const f = r.forecasts.find((x) => x.vaccineGroup === 'Testgroup');
    expect(f?.status).toBe('not_complete');
    expect(f?.earliest).toBe('2027-02-01');
  });
});

describe('forecast dates and statuses', () => {
  it('forecasts dose 1 from the ages: earliest, recommended, past due, latest', () => {
    expect(group([], '2025-01-10')).toMatchObject({
      status: 'not_complete',
      targetDose: 1,
      earliest: '2025-02-12',
      recommended: '2025-03-01',
      pastDue: '2025-04-01',
      latest: '2029-12-31',
      vaccines: [
        { cvx: '901', name: 'Test vaccine' },
        { cvx: '904', name: 'Test vaccine, live' },
      ],
    });
  });
  it('forecasts dose 2 from the later of its minimum age and interval, recommended and past due from intervals', () => {
    expect(group([['2025-03-01', '901']], '2025-03-10')).toMatchObject({ targetDose: 2, earliest: '2025-03-29', recommended: '2025-04-26', pastDue: '2025-05-24' });
  });
  it('ignores doses dated after the assessment date', () => {
    expect(group([['2025-03-01', '901'], ['2025-05-01', '901']], '2025-03-10').targetDose).toBe(2);
  });
  it('reports complete, aged out, immune and contraindicated with the reason', () => {
    expect(group([['2025-03-01', '901'], ['2025-05-01', '901']], '2025-06-01')).toMatchObject({ status: 'complete', reason: 'Series complete' });
    expect(group([], '2030-01-02')).toMatchObject({ status: 'aged_out' });
    expect(group([], '2025-06-01', { observations: ['500'] })).toMatchObject({ status: 'immune', reason: 'Evidence of immunity' });
    expect(group([], '2025-06-01', { observations: ['600'] })).toMatchObject({
      status: 'contraindicated',
      reason: 'Contraindicated: Severe allergic reaction to Testitis vaccine',
    });
  });
  it('treats a birth before the immunity birth date as immune unless an exclusion applies', () => {
    const old: ForecastPatient = { dob: '1950-06-01', gender: 'M', doses: [] };
    expect(evaluateAndForecast(old, '2025-06-01', data).forecasts.find((f) => f.vaccineGroup === 'Testgroup')?.status).toBe('immune');
    const nurse = { ...old, observations: ['055'] };
    expect(evaluateAndForecast(nurse, '2025-06-01', data).forecasts.find((f) => f.vaccineGroup === 'Testgroup')?.status).not.toBe('immune');
  });
  it('leaves out a vaccine type the patient has a contraindication to', () => {
    expect(group([], '2025-01-10', { observations: ['601'] }).vaccines.map((v) => v.cvx)).toEqual(['901']);
  });
});

describe('series relevance and selection', () => {
  it('uses only series for the patient’s gender', () => {
    const d = miniData([
      series('for females', [dose(1, { ages: [{ minAge: '9 years' }] })], { genders: ['F'], preference: 1 }),
      series('for males', [dose(1, { ages: [{ minAge: '11 years' }] })], { genders: ['M'], preference: 1 }),
    ]);
    expect(run([], '2025-06-01', { gender: 'M' }, d).forecasts.find((f) => f.vaccineGroup === 'Testgroup')?.earliest).toBe('2036-01-01');
    expect(run([], '2025-06-01', { gender: 'F' }, d).forecasts.find((f) => f.vaccineGroup === 'Testgroup')?.earliest).toBe('2034-01-01');
  });
  it('uses a risk series only with its indication', () => {
    const d = miniData([
      series('standard', [dose(1, { ages: [{ minAge: '11 years' }] })]),
      series('risk', [dose(1, { ages: [{ minAge: '2 years' }] })], { type: 'Risk', seriesGroup: '2', defaultSeries: false, indications: [{ code: '601' }] }),
    ]);
    expect(run([], '2025-06-01', {}, d).forecasts.find((f) => f.vaccineGroup === 'Testgroup')?.earliest).toBe('2036-01-01');
    expect(run([], '2025-06-01', { observations: ['601'] }, d).forecasts.find((f) => f.vaccineGroup === 'Testgroup')?.earliest).toBe('2027-01-01');
  });
  it('prefers the default series when no series has a valid dose, the complete one when one is complete', () => {
    const d = miniData([
      series('long', [dose(1), dose(2, { intervals: [{ fromPrevious: true, absMinInt: '4 weeks', minInt: '4 weeks' }] }), dose(3)], { preference: 1 }),
      series('short', [dose(1)], { preference: 2, defaultSeries: false }),
    ]);
    expect(run([], '2025-06-01', {}, d).forecasts.find((f) => f.vaccineGroup === 'Testgroup')?.antigens[0]?.seriesName).toBe('long');
    const done = run([['2025-03-01', '901']], '2025-06-01', {}, d).forecasts.find((f) => f.vaccineGroup === 'Testgroup');
    expect(done?.status).toBe('complete');
    expect(done?.antigens[0]?.seriesName).toBe('short');
  });
  it('leaves out vaccine groups without any relevant series or dose', () => {
    const d = miniData([series('males only', [dose(1)], { genders: ['M'] })]);
    expect(run([], '2025-06-01', {}, d).forecasts.map((f) => f.vaccineGroup)).toEqual(['Othergroup']);
  });
});

describe('inputs', () => {
  it('rejects an unreadable date with the offending text', () => {
    expect(() => run([['2025-02-30', '901']], '2025-04-01')).toThrow(/2025-02-30/);
    expect(() => run([], 'today')).toThrow(/"today"/);
  });
  it('refuses a birth date after the assessment date', () => {
    expect(() => run([], '2024-12-31')).toThrow(/Date of birth 2025-01-01 is after the assessment date 2024-12-31/);
  });
  it('limits the work to the requested vaccine groups and names unknown ones', () => {
    const p: ForecastPatient = { dob: DOB, gender: 'F', doses: [] };
    expect(evaluateAndForecast(p, '2025-06-01', data, { vaccineGroups: ['Othergroup'] }).forecasts.map((f) => f.vaccineGroup)).toEqual(['Othergroup']);
    expect(() => evaluateAndForecast(p, '2025-06-01', data, { vaccineGroups: ['Nope'] })).toThrow(/Unknown CDSi vaccine group "Nope"/);
  });
});
