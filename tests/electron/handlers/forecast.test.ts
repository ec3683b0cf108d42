import type { DoseInput } from '../../../electron/domain/dose';
import type { PatientInput } from '../../../electron/domain/patient';
import { makeApp, patientInput, withStaff, type TestApp } from '../fixtures/app';

// forecast.forPatient and forecast.recallList through the handler table, on a real store: the
// chart's due list from the stored doses, the recall run over every chart, and their audit rows.
// The fixture clock reads 2026-11-25, the clinic's today.

let app: TestApp;
let staff: Awaited<ReturnType<typeof withStaff>>;

beforeEach(async () => {
  app = makeApp();
  staff = await withStaff(app);
});
afterEach(() => app.done());

async function register(over: Partial<PatientInput>) {
  const r = await app.ok('patients.create', { patient: patientInput(over), confirmDuplicate: true });
  if (!r.created) throw new Error('not created');
  return r.patient;
}

const historical = (patientId: string, cvx: string, administeredOn: string, over: Partial<DoseInput> = {}) => ({
  dose: { patientId, kind: 'historical', cvx, administeredOn, historicalSource: '01', ...over },
});

const groupsOf = (items: { vaccineGroup: string }[]) => items.map((i) => i.vaccineGroup);

describe('forecast.forPatient', () => {
  it('lists what is overdue, due and not due for an infant with a birth dose, as of the clinic\'s today', async () => {
    const baby = await register({ mrn: 'INF-1', firstName: 'Baby', dob: '2026-07-25' });
    await app.ok('doses.record', historical(baby.id, '08', '2026-07-25'));
    const f = await app.ok('forecast.forPatient', { patientId: baby.id }, 'clin');
    expect(f.assessmentDate).toBe('2026-11-25');
    expect(f.dataVersion).toMatch(/^\d+\.\d+/);
    const hepB = f.overdue.find((i) => i.vaccineGroup === 'HepB');
    expect(hepB).toMatchObject({ targetDose: 2, canGiveToday: true, vaccines: expect.arrayContaining([expect.objectContaining({ cvx: '08' })]) });
    expect(hepB!.pastDue! <= '2026-11-25').toBe(true);
    expect(groupsOf(f.overdue)).toEqual(expect.arrayContaining(['DTaP/Tdap/Td', 'Polio', 'Hib']));
    expect(f.notDue).toContainEqual(expect.objectContaining({ vaccineGroup: 'MMR', recommended: '2027-07-25' }));
    expect(f.notDue).toContainEqual(expect.objectContaining({ vaccineGroup: 'Rotavirus', status: 'aged_out', reason: expect.any(String) }));
    // The vaccines due now come first for the dose form, overdue ones before the rest.
    expect(f.overdue[0]!.vaccines.map((v) => v.cvx)).toContain(f.dueVaccines[0]);
    expect(f.dueVaccines).toContain('08');
    expect(new Set(f.dueVaccines).size).toBe(f.dueVaccines.length);
  });

  it('tells how many valid doses each due group has, so an adult is not told "DTaP dose 8"', async () => {
    const adult = await register({ mrn: 'ADU-1', firstName: 'Ana', dob: '1988-03-14' });
    const none = await app.ok('forecast.forPatient', { patientId: adult.id });
    const tdBefore = [...none.overdue, ...none.dueToday, ...none.dueSoon].find((i) => i.vaccineGroup === 'DTaP/Tdap/Td');
    expect(tdBefore).toMatchObject({ dosesCounted: 0 });
    expect(tdBefore!.targetDose).toBeGreaterThan(1);
    await app.ok('doses.record', historical(adult.id, '115', '2026-11-01'));
    const after = await app.ok('forecast.forPatient', { patientId: adult.id });
    const td = [...after.overdue, ...after.dueToday, ...after.dueSoon].find((i) => i.vaccineGroup === 'DTaP/Tdap/Td');
    // Tdap is one dose for the group, though CDSi evaluates it for three antigens.
    expect(td).toMatchObject({ dosesCounted: 1 });
    expect([...after.overdue, ...after.dueToday].find((i) => i.vaccineGroup === 'HepB')).toMatchObject({ dosesCounted: 0 });
  });

  it('counts historical and given doses, but not refusals or deleted doses', async () => {
    const baby = await register({ mrn: 'INF-2', dob: '2026-07-25' });
    await app.ok('doses.record', historical(baby.id, '08', '2026-07-25'));
    const hepBDose = async () => (await app.ok('forecast.forPatient', { patientId: baby.id })).overdue.find((i) => i.vaccineGroup === 'HepB')?.targetDose;
    expect(await hepBDose()).toBe(2);
    await app.ok('doses.record', { dose: { patientId: baby.id, kind: 'refusal', cvx: '08', administeredOn: '2026-09-01', refusalReason: '03', completionStatus: 'RE' } });
    const wrong = await app.ok('doses.record', historical(baby.id, '08', '2026-09-01'));
    await app.ok('doses.remove', { id: wrong.dose.id, reason: 'Belongs to the twin' });
    expect(await hepBDose()).toBe(2);
    await app.ok('doses.record', historical(baby.id, '08', '2026-09-01'));
    const f = await app.ok('forecast.forPatient', { patientId: baby.id });
    expect(groupsOf(f.overdue)).not.toContain('HepB');
  });

  it('names a dose that does not count, with CDC\'s reason', async () => {
    const baby = await register({ mrn: 'INF-3', dob: '2026-07-25' });
    await app.ok('doses.record', historical(baby.id, '08', '2026-07-25'));
    const early = await app.ok('doses.record', historical(baby.id, '08', '2026-08-01'));
    const f = await app.ok('forecast.forPatient', { patientId: baby.id });
    expect(f.notCounted).toEqual([expect.objectContaining({ doseId: early.dose.id, cvx: '08', date: '2026-08-01', vaccineGroup: 'HepB', reason: 'Age: Too Young' })]);
  });

  it('takes an assessment date and a due-soon window', async () => {
    const baby = await register({ mrn: 'INF-4', dob: '2026-07-25' });
    const early = await app.ok('forecast.forPatient', { patientId: baby.id, assessmentDate: '2026-08-20', soonDays: 45 });
    expect(early.assessmentDate).toBe('2026-08-20');
    expect(groupsOf(early.overdue)).not.toContain('DTaP/Tdap/Td');
    expect(groupsOf(early.dueSoon)).toContain('DTaP/Tdap/Td');
    const narrow = await app.ok('forecast.forPatient', { patientId: baby.id, assessmentDate: '2026-08-20', soonDays: 0 });
    expect(groupsOf(narrow.dueSoon)).not.toContain('DTaP/Tdap/Td');
  });

  it('writes one audit row per chart read, with the user', async () => {
    const baby = await register({ mrn: 'INF-5', dob: '2026-07-25' });
    const before = app.auditCount();
    await app.ok('forecast.forPatient', { patientId: baby.id }, 'desk');
    expect(app.auditCount()).toBe(before + 1);
    expect(app.store.audit.list({ limit: 1 })[0]).toMatchObject({ action: 'patient.forecast', userId: staff.deskId, entityId: baby.id });
  });

  it('an unknown patient is not_found', async () => {
    const r = await app.call('forecast.forPatient', { patientId: 'no-such-patient' });
    expect(r.ok ? 'ok' : r.error.code).toBe('patient.not_found');
  });
});

describe('forecast.recallList', () => {
  async function population() {
    const infant = await register({ mrn: 'R-INF', lastName: 'Infant', firstName: 'Ivy', dob: '2026-07-25' });
    const toddler = await register({ mrn: 'R-TOD', lastName: 'Toddler', firstName: 'Theo', dob: '2025-09-01' });
    const upToDate = await register({ mrn: 'R-OK', lastName: 'Current', firstName: 'Cleo', dob: '2026-09-20' });
    const child = await register({ mrn: 'R-CHI', lastName: 'Child', firstName: 'Cal', dob: '2021-05-05' });
    return { infant, toddler, upToDate, child };
  }

  it('lists patients overdue for a vaccine group by age band, most overdue first, with names to open the chart', async () => {
    const p = await population();
    const list = await app.ok('forecast.recallList', { vaccineGroup: 'DTaP/Tdap/Td' }, 'clin');
    expect(list.assessmentDate).toBe('2026-11-25');
    expect(list.patientsScanned).toBe(4);
    expect(list.entries.every((e) => e.vaccineGroup === 'DTaP/Tdap/Td')).toBe(true);
    const ids = list.entries.map((e) => e.patientId);
    expect(ids).toEqual([p.toddler.id, p.infant.id, p.child.id]);
    expect(list.entries[0]).toMatchObject({ lastName: 'Toddler', firstName: 'Theo', mrn: 'R-TOD', dob: '2025-09-01', ageBand: '0-23 months', targetDose: 1 });
    expect(list.entries[0]!.daysOverdue).toBeGreaterThan(list.entries[1]!.daysOverdue);
    expect(list.entries[2]).toMatchObject({ ageBand: '2-6 years' });
    expect(list.counts['DTaP/Tdap/Td']).toMatchObject({ '0-23 months': 2, '2-6 years': 1, '65+ years': 0 });
    expect(Object.keys(list.counts)).toEqual(['DTaP/Tdap/Td']);
    expect(list.truncated).toBe(false);
    expect(list.vaccineGroups).toContain('MMR');
    expect(list.ageBands[0]).toBe('0-23 months');
  });

  it('filters by age band (the counts still cover every band) and stops at the limit', async () => {
    const p = await population();
    const babies = await app.ok('forecast.recallList', { vaccineGroup: 'DTaP/Tdap/Td', ageBand: '0-23 months' });
    expect(babies.entries.map((e) => e.patientId).sort()).toEqual([p.infant.id, p.toddler.id].sort());
    expect(babies.counts['DTaP/Tdap/Td']!['2-6 years']).toBe(1);
    const one = await app.ok('forecast.recallList', { vaccineGroup: 'DTaP/Tdap/Td', limit: 1 });
    expect(one.entries).toHaveLength(1);
    expect(one.truncated).toBe(true);
    const all = await app.ok('forecast.recallList', {});
    expect(new Set(all.entries.map((e) => e.vaccineGroup)).size).toBeGreaterThan(1);
    expect(all.entries.some((e) => e.patientId === p.upToDate.id && e.vaccineGroup === 'DTaP/Tdap/Td')).toBe(false);
  });

  it('writes one audit row for the run, naming the charts listed', async () => {
    const p = await population();
    const before = app.auditCount();
    const list = await app.ok('forecast.recallList', { vaccineGroup: 'DTaP/Tdap/Td' }, 'clin');
    expect(app.auditCount()).toBe(before + 1);
    const [row] = app.store.audit.list({ limit: 1 });
    expect(row).toMatchObject({ action: 'patient.recall_list', userId: staff.clinicianId, detail: { vaccineGroup: 'DTaP/Tdap/Td', scanned: 4, matched: 3 } });
    expect((row!.detail as { patientIds: string[] }).patientIds.sort()).toEqual([p.infant.id, p.toddler.id, p.child.id].sort());
    expect(list.entries).toHaveLength(3);
  });

  it('refuses unknown filters as field problems, and the front desk', async () => {
    await population();
    const group = await app.call('forecast.recallList', { vaccineGroup: 'Smallpox' });
    expect(group.ok ? 'ok' : group.error.issues?.[0]?.path).toBe('vaccineGroup');
    const band = await app.call('forecast.recallList', { ageBand: 'teenagers' });
    expect(band.ok ? 'ok' : band.error.issues?.[0]?.path).toBe('ageBand');
    const desk = await app.call('forecast.recallList', {}, 'desk');
    expect(desk.ok ? 'ok' : desk.error.kind).toBe('forbidden');
  });

  it('an empty store gives an empty list, with every band counted from zero', async () => {
    const list = await app.ok('forecast.recallList', { vaccineGroup: 'MMR' });
    expect(list).toMatchObject({ patientsScanned: 0, entries: [], skipped: [], truncated: false });
    expect(list.counts).toEqual({ MMR: { '0-23 months': 0, '2-6 years': 0, '7-18 years': 0, '19-64 years': 0, '65+ years': 0 } });
  });

  it('covers a store bigger than one step, adding up the counts, and lets other calls in between steps', async () => {
    // 1,200 charts: toddlers born 2025-01-01 with nothing given are overdue for MMR's first dose.
    const toddlers = Array.from({ length: 1_200 }, (_, i) => patientInput({ mrn: `BULK-${i}`, lastName: `Bulk${i}`, dob: '2025-01-01' }));
    app.store.patients.importMany(toddlers, { userId: staff.adminId });
    const order: string[] = [];
    const recall = app.ok('forecast.recallList', { vaccineGroup: 'MMR', limit: 10 }).then((r) => {
      order.push('recall');
      return r;
    });
    const search = app.ok('patients.search', { text: 'bulk1' }).then(() => order.push('search'));
    const [list] = await Promise.all([recall, search]);
    expect(order).toEqual(['search', 'recall']);
    expect(list.patientsScanned).toBe(1_200);
    expect(list.counts.MMR!['0-23 months']).toBe(1_200);
    expect(list.entries).toHaveLength(10);
    expect(list.truncated).toBe(true);
    expect(list.entries[0]).toMatchObject({ vaccineGroup: 'MMR', targetDose: 1, lastName: expect.stringMatching(/^Bulk\d+$/), dob: '2025-01-01' });
  });
});
