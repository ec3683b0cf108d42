import Database from 'better-sqlite3';
import type { DoseInput } from '../../../electron/domain/dose';
import { NURSE, clinicianInput, lotInput, patientInput, testStore } from './helpers';

// The forecast's view of the store: each patient's DOB, sex and the doses that count, for one
// chart (audited) and for the whole store in one ordered join (the recall run).

const historical = (patientId: string, cvx: string, administeredOn: string, over: Partial<DoseInput> = {}): DoseInput => ({
  patientId,
  kind: 'historical',
  cvx,
  administeredOn,
  historicalSource: '01',
  ...over,
});

describe('forecast rows', () => {
  let t: ReturnType<typeof testStore>;
  beforeEach(() => {
    t = testStore();
  });
  afterEach(() => t.done());

  function clinic() {
    const clinician = t.store.clinicians.create(clinicianInput(), NURSE);
    const lot = t.store.lots.receive(lotInput(), NURSE);
    const add = (over: Partial<Parameters<typeof patientInput>[0]>) => t.store.patients.create(patientInput(over), NURSE);
    return { clinician, lot, add };
  }

  it('reads one chart: doses oldest first, historical and given here, without refusals or deleted doses', () => {
    const { clinician, lot, add } = clinic();
    const p = add({ dob: '2026-07-01', sex: 'M' });
    t.store.doses.record(historical(p.id, '20', '2026-09-02', { mvx: 'SKB' }), NURSE, '2026-11-25');
    t.store.doses.record(historical(p.id, '08', '2026-07-01'), NURSE, '2026-11-25');
    const given = t.store.doses.record(
      { patientId: p.id, kind: 'administered', cvx: '08', lotId: lot.id, administeredOn: '2026-11-25', administeredTime: '10:00', amountMl: 0.5, route: 'C28161', site: 'LD', administeringClinicianId: clinician.id, vfcEligibility: 'V01', vis: [{ documentType: 'Hepatitis B VIS', editionDate: '2023-05-12', presentedOn: '2026-11-25' }] },
      NURSE,
      '2026-11-25',
    );
    t.store.doses.record({ patientId: p.id, kind: 'refusal', cvx: '116', administeredOn: '2026-09-02', refusalReason: '03', completionStatus: 'RE' }, NURSE, '2026-11-25');
    const wrong = t.store.doses.record(historical(p.id, '10', '2026-09-02'), NURSE, '2026-11-25');
    t.store.doses.remove(wrong.dose.id, 'Entered on the wrong chart', NURSE);

    const row = t.store.patients.forecastInput(p.id, { userId: 'clin-7' });
    expect(row).toMatchObject({ id: p.id, mrn: p.mrn, lastName: 'Moreau', firstName: 'Amélie', dob: '2026-07-01', sex: 'M' });
    expect(row!.doses.map((d) => [d.cvx, d.date, d.mvx])).toEqual([
      ['08', '2026-07-01', undefined],
      ['20', '2026-09-02', 'SKB'],
      ['08', '2026-11-25', 'MSD'],
    ]);
    expect(row!.doses[2]!.id).toBe(given.dose.id);
    const [last] = t.store.audit.list({ limit: 1 });
    expect(last).toMatchObject({ action: 'patient.forecast', userId: 'clin-7', entityId: p.id, detail: { doses: 3 } });
  });

  it('an unknown chart reads as undefined and audits nothing', () => {
    const before = t.store.audit.list({ limit: 1 })[0]!.id;
    expect(t.store.patients.forecastInput('nobody', NURSE)).toBeUndefined();
    expect(t.store.audit.list({ limit: 1 })[0]!.id).toBe(before);
  });

  it('streams every patient once, with their own doses, including patients without any', () => {
    const { add } = clinic();
    const a = add({ mrn: 'A', dob: '2025-01-01' });
    const b = add({ mrn: 'B', dob: '2024-01-01', sex: 'U' });
    const c = add({ mrn: 'C', dob: '2023-01-01' });
    t.store.doses.record(historical(c.id, '08', '2023-01-01'), NURSE, '2026-11-25');
    t.store.doses.record(historical(a.id, '08', '2025-03-01'), NURSE, '2026-11-25');
    t.store.doses.record(historical(a.id, '08', '2025-01-01'), NURSE, '2026-11-25');
    const auditBefore = t.store.audit.list({ limit: 1 })[0]!.id;

    const rows = [...t.store.patients.forecastRows()];
    expect(rows.map((r) => [r.mrn, r.sex, r.doses.map((d) => d.date)])).toEqual([
      ['A', 'F', ['2025-01-01', '2025-03-01']],
      ['B', 'U', []],
      ['C', 'F', ['2023-01-01']],
    ]);
    expect(rows.map((r) => r.id)).toEqual([a.id, b.id, c.id]);
    // The caller writes the run's audit row, not the iterator.
    expect(t.store.audit.list({ limit: 1 })[0]!.id).toBe(auditBefore);
  });

  it('reads page by page: every patient once, in order, and the store is free between pages', () => {
    const { add } = clinic();
    const made = Array.from({ length: 5 }, (_, i) => add({ mrn: `M${i}` }));
    const seen: string[] = [];
    for (const row of t.store.patients.forecastRows(2)) {
      seen.push(row.mrn);
      // Nothing holds the connection between rows: a write in the middle of the scan works.
      if (row.mrn === 'M2') t.store.doses.record(historical(made[4]!.id, '08', '2020-03-14'), NURSE, '2026-11-25');
    }
    expect(seen).toEqual(['M0', 'M1', 'M2', 'M3', 'M4']);
    const [, , , , last] = [...t.store.patients.forecastRows(2)];
    expect(last!.doses).toHaveLength(1);
    expect([...t.store.patients.forecastRows(5)]).toHaveLength(5);
    expect([...t.store.patients.forecastRows(1000)]).toHaveLength(5);
  });

  it('an empty store yields nothing', () => {
    expect([...t.store.patients.forecastRows()]).toEqual([]);
  });

  it('each page is one ordered join over a rowid range, served by the indexes: no sort, no query per patient', () => {
    const db = new Database(t.path, { readonly: true });
    try {
      const plan = (
        db
          .prepare(
            `EXPLAIN QUERY PLAN SELECT p.id, d.id FROM patients p LEFT JOIN doses d ON d.patient_id = p.id AND d.deleted_at IS NULL
             AND d.kind IN ('administered', 'historical') WHERE p.rid > 0 AND p.rid <= 100 ORDER BY p.rid, d.administered_on, d.rid`,
          )
          .all() as { detail: string }[]
      ).map((r) => r.detail);
      expect(plan.join(' | ')).toMatch(/SEARCH p USING INTEGER PRIMARY KEY \(rowid>\? AND rowid<\?\)/);
      expect(plan.join(' | ')).toMatch(/SEARCH d USING INDEX doses_patient/);
      expect(plan.join(' | ')).not.toMatch(/TEMP B-TREE/);
    } finally {
      db.close();
    }
  });
});
