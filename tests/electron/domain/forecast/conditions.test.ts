// The CDSi rules for patients with conditions, each on a patient built for it (CDC's own cases
// run in cdc-conditions-cases.test.ts): risk series without doses, risk series beside a complete
// standard series, intervals counted from an observation's date, observations in force only
// between their dates, and the observation codes the chart explains a status with.
import { describe, expect, it } from 'vitest';
import { dueSummary, evaluateAndForecast, type ForecastPatient } from '../../../../electron/domain/forecast';

const group = (p: ForecastPatient, on: string, name: string) => evaluateAndForecast(p, on).forecasts.find((f) => f.vaccineGroup === name);

describe('risk series', () => {
  it('a bat handler with no rabies dose gets a rabies forecast; without the occupation, none', () => {
    const handler: ForecastPatient = { dob: '1980-05-01', gender: 'F', doses: [], observations: ['219'] };
    expect(group(handler, '2026-11-25', 'Rabies')).toMatchObject({ status: 'not_complete', targetDose: 1, because: ['219'] });
    expect(group({ ...handler, observations: [] }, '2026-11-25', 'Rabies')).toBeUndefined();
  });

  it("a 62-year-old diabetic's HepB dose is due from the risk series, not from birth", () => {
    const f = group({ dob: '1964-03-10', gender: 'M', doses: [], observations: ['014'] }, '2026-11-25', 'HepB');
    expect(f).toMatchObject({ status: 'not_complete', targetDose: 1, because: ['014'] });
    expect(f!.earliest! >= '2024-03-10').toBe(true);
  });

  it('a 2-year-old with asplenia and one Hib dose at 2 is not complete (the standard series alone would be)', () => {
    const p: ForecastPatient = { dob: '2024-07-15', gender: 'F', doses: [{ cvx: '48', date: '2026-08-15' }] };
    expect(group(p, '2026-11-25', 'Hib')?.status).toBe('complete');
    const risk = group({ ...p, observations: ['160'] }, '2026-11-25', 'Hib');
    expect(risk).toMatchObject({ status: 'not_complete', targetDose: 2, earliest: '2026-10-10', because: ['160'] });
    // The dose counts in both series: the chart shows it valid.
    const evals = evaluateAndForecast({ ...p, observations: ['160'] }, '2026-11-25').evaluations.filter((e) => e.vaccineGroup === 'Hib');
    expect(evals.map((e) => e.status)).toEqual(['valid']);
  });

  it('a lab worker who completed the childhood polio series is due the adult booster, and every childhood dose stays valid', () => {
    const p: ForecastPatient = {
      dob: '1990-01-10',
      gender: 'M',
      doses: ['1990-03-10', '1990-05-10', '1990-11-10', '1994-02-10'].map((date) => ({ cvx: '10', date })),
      observations: ['054'],
    };
    const r = evaluateAndForecast(p, '2026-11-25');
    expect(r.forecasts.find((f) => f.vaccineGroup === 'Polio')).toMatchObject({ status: 'not_complete', because: ['054'] });
    expect(r.evaluations.filter((e) => e.antigen === 'Polio').map((e) => e.status)).toEqual(['valid', 'valid', 'valid', 'valid']);
  });

  it('an indication outside its age range opens nothing (161 opens pneumococcal risk series from 2 to 18 years only)', () => {
    const p = (dob: string): ForecastPatient => ({ dob, gender: 'F', doses: [], observations: ['161'] });
    expect(group(p('2016-01-01'), '2026-11-25', 'Pneumococcal')?.because).toEqual(['161']);
    expect(group(p('1996-01-01'), '2026-11-25', 'Pneumococcal')?.because).toBeUndefined();
  });
});

describe('observation dates', () => {
  const hsct = (date?: string): ForecastPatient => ({ dob: '2015-02-01', gender: 'M', doses: [], observations: ['004', date ? { code: '171', date } : '171'] });

  it('counts the HSCT series from the transplant date when it is given', () => {
    const f = group(hsct('2026-06-01'), '2026-11-25', 'Hib');
    expect(f).toMatchObject({ status: 'not_complete', targetDose: 1, earliest: '2026-12-01', because: ['004'] });
  });

  it('without the transplant date the interval cannot apply, so the dose is not held back by it', () => {
    const f = group(hsct(), '2026-11-25', 'Hib');
    expect(f?.status).toBe('not_complete');
    expect(f!.earliest! < '2026-12-01').toBe(true);
  });

  it('an observation applies only between its start and end dates (a pregnancy contraindicates MMR while it lasts)', () => {
    const adult = (obs: ForecastPatient['observations']): ForecastPatient => ({ dob: '1995-04-01', gender: 'F', doses: [], observations: obs });
    expect(group(adult([{ code: '007', date: '2026-06-01' }]), '2026-11-25', 'MMR')).toMatchObject({ status: 'contraindicated', because: ['007'] });
    expect(group(adult([{ code: '007', date: '2026-01-01', endDate: '2026-09-30' }]), '2026-11-25', 'MMR')?.status).not.toBe('contraindicated');
    expect(group(adult([{ code: '007', date: '2026-12-20' }]), '2026-11-25', 'MMR')?.status).not.toBe('contraindicated');
  });

  it('refuses an unreadable observation date with the date in the message', () => {
    expect(() => evaluateAndForecast({ dob: '1995-04-01', gender: 'F', doses: [], observations: [{ code: '007', date: '2026-13-01' }] }, '2026-11-25')).toThrow(/2026-13-01/);
  });
});

describe('explanations for the chart', () => {
  it('a contraindication names its observation, and the due summary carries the codes', () => {
    const p: ForecastPatient = { dob: '2026-01-10', gender: 'F', doses: [{ cvx: '107', date: '2026-03-10' }], observations: ['080'] };
    const r = evaluateAndForecast(p, '2026-11-25');
    expect(r.forecasts.find((f) => f.vaccineGroup === 'DTaP/Tdap/Td')).toMatchObject({ status: 'contraindicated', because: ['080'] });
    const s = dueSummary(r, '2026-11-25');
    expect(s.notDue.find((n) => n.vaccineGroup === 'DTaP/Tdap/Td')).toMatchObject({ status: 'contraindicated', because: ['080'] });
  });

  it('a healthy patient has no explanation codes anywhere', () => {
    const r = evaluateAndForecast({ dob: '2026-01-10', gender: 'F', doses: [{ cvx: '08', date: '2026-01-10' }] }, '2026-11-25');
    expect(r.forecasts.every((f) => f.because === undefined)).toBe(true);
  });
});
