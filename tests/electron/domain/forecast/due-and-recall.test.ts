import { describe, expect, it } from 'vitest';
import { buildRecallList, dueSummary, dueVaccinesFirst, evaluateAndForecast } from '../../../../electron/domain/forecast';
import type { ForecastPatient, RecallEntry, RecallPatient } from '../../../../electron/domain/forecast';
import { miniData } from './mini-data';
import { POPULATION_ASSESSMENT, syntheticPatient } from './synthetic-population';

// Testitis (mini data): dose 1 earliest 6 weeks, recommended 2 months, past due after 3 months.
const data = miniData();
const born = (dob: string, doses: [string, string][] = []): ForecastPatient => ({ dob, gender: 'F', doses: doses.map(([date, cvx]) => ({ date, cvx })) });

describe('dueSummary (patient chart)', () => {
  it('is due today from the recommended date, due soon within the window, overdue from the past-due date', () => {
    const at = (assessment: string) => dueSummary(evaluateAndForecast(born('2025-01-01'), assessment, data), assessment, 30);
    expect(at('2025-02-10').dueSoon.map((i) => i.vaccineGroup)).toContain('Testgroup');
    expect(at('2025-03-01').dueToday.map((i) => i.vaccineGroup)).toContain('Testgroup');
    const late = at('2025-04-11');
    expect(late.overdue).toEqual([expect.objectContaining({ vaccineGroup: 'Testgroup', pastDue: '2025-04-01', daysOverdue: 10, canGiveToday: true })]);
    expect(at('2025-01-05').notDue).toContainEqual(expect.objectContaining({ vaccineGroup: 'Testgroup', recommended: '2025-03-01' }));
  });

  it('lists complete and contraindicated groups as not due, with the reason', () => {
    const r = evaluateAndForecast({ ...born('2025-01-01', [['2025-03-01', '901'], ['2025-05-01', '901']]), observations: [] }, '2025-06-01', data);
    expect(dueSummary(r).notDue).toContainEqual({ vaccineGroup: 'Testgroup', status: 'complete', reason: 'Series complete' });
  });

  it('offers the due vaccines first when recording a dose', () => {
    const s = dueSummary(evaluateAndForecast(born('2025-01-01'), '2025-03-01', data));
    expect(dueVaccinesFirst(s, ['03', '904', '20', '901'])).toEqual(['901', '904', '03', '20']);
  });

  it('buckets a real infant at two months on CDC data: the two-month vaccines are due today', () => {
    const s = dueSummary(evaluateAndForecast(born('2025-09-10'), '2025-11-10'));
    const today = s.dueToday.map((i) => i.vaccineGroup);
    for (const g of ['DTaP/Tdap/Td', 'Hib', 'Pneumococcal', 'Polio', 'Rotavirus']) expect(today).toContain(g);
    expect(s.overdue.map((i) => i.vaccineGroup)).toContain('HepB');
    expect(s.notDue.map((i) => i.vaccineGroup)).toContain('MMR');
  });
});

describe('buildRecallList', () => {
  const patients: RecallPatient[] = [
    { id: 'overdue-infant', ...born('2025-01-01') },
    { id: 'on-time-infant', ...born('2025-04-01') },
    { id: 'done', ...born('2024-01-01', [['2024-03-01', '901'], ['2024-05-01', '901']]) },
    { id: 'overdue-adult', dob: '1980-05-05', gender: 'M', doses: [] },
    { id: 'broken', dob: '1980-02-31', gender: 'F', doses: [] },
    { id: 'unborn', dob: '2025-07-01', gender: 'F', doses: [] },
  ];
  const d = miniData();
  // Adults fall past the 5-year maximum age of Testitis: only Othergroup (no ages) applies to them.

  it('lists each patient overdue for a vaccine group with an age band, and counts them per band', () => {
    const list = buildRecallList(patients, '2025-06-01', { data: d });
    expect(list.patientsScanned).toBe(6);
    expect(list.skipped).toEqual([
      { patientId: 'broken', reason: expect.stringMatching(/1980-02-31/) },
      { patientId: 'unborn', reason: expect.stringMatching(/after the assessment date/) },
    ]);
    const test = list.entries.filter((e) => e.vaccineGroup === 'Testgroup');
    expect(test.map((e) => e.patientId)).toEqual(['overdue-infant']);
    expect(test[0]).toMatchObject({ ageBand: '0-23 months', ageMonths: 5, pastDue: '2025-04-01', daysOverdue: 61, targetDose: 1, vaccines: ['901', '904'] });
    expect(list.counts.Testgroup).toEqual({ '0-23 months': 1, '2-6 years': 0, '7-18 years': 0, '19-64 years': 0, '65+ years': 0 });
  });

  it('filters by vaccine group and minimum days overdue, and can stream entries', () => {
    const seen: RecallEntry[] = [];
    const list = buildRecallList(patients, '2025-06-01', { data: d, vaccineGroups: ['Testgroup'], minDaysOverdue: 60, onEntry: (e) => seen.push(e) });
    expect(list.entries).toEqual([]);
    expect(seen.map((e) => e.patientId)).toEqual(['overdue-infant']);
    expect(buildRecallList(patients, '2025-06-01', { data: d, vaccineGroups: ['Testgroup'], minDaysOverdue: 62 }).entries).toEqual([]);
  });

  it('works over a lazily generated population without holding it in memory', () => {
    function* many(): Generator<RecallPatient> {
      for (let i = 0; i < 500; i++) yield { id: `p${i}`, ...born(i % 2 === 0 ? '2025-01-01' : '2025-05-01') };
    }
    const list = buildRecallList(many(), '2025-06-01', { data: d, vaccineGroups: ['Testgroup'] });
    expect(list.patientsScanned).toBe(500);
    expect(list.entries).toHaveLength(250);
  });
});

describe('recall and chart agree on a generated population (CDC data)', () => {
  it('lists a patient for exactly the groups the chart shows as overdue', () => {
    const patients = Array.from({ length: 300 }, (_, i) => syntheticPatient(i));
    const list = buildRecallList(patients, POPULATION_ASSESSMENT);
    expect(list.skipped).toEqual([]);
    expect(list.entries.length).toBeGreaterThan(0);
    for (const p of patients) {
      const chart = dueSummary(evaluateAndForecast(p, POPULATION_ASSESSMENT), POPULATION_ASSESSMENT);
      const fromChart = chart.overdue.map((i) => i.vaccineGroup).sort();
      const fromRecall = list.entries.filter((e) => e.patientId === p.id).map((e) => e.vaccineGroup).sort();
      expect(fromRecall, p.id).toEqual(fromChart);
    }
  });
});
