// Conditions on the chart through the handler table, on a real store: the picker's search, a
// recorded condition changing the chart's forecast with the reason shown, its removal, the
// recall list filtered by condition, and the audit trail of each step.
import type { PatientInput } from '../../../electron/domain/patient';
import { makeApp, patientInput, withStaff, type TestApp } from '../fixtures/app';

let app: TestApp;

beforeEach(async () => {
  app = makeApp();
  await withStaff(app);
});
afterEach(() => app.done());

async function register(over: Partial<PatientInput>) {
  const r = await app.ok('patients.create', { patient: patientInput(over), confirmDuplicate: true });
  if (!r.created) throw new Error('not created');
  return r.patient;
}

describe('conditions', () => {
  it('the picker finds CDSi observations by words and says what they do', async () => {
    const found = await app.ok('conditions.search', { text: 'asplenia' }, 'desk');
    expect(found[0]).toMatchObject({ code: '160', title: 'Anatomical or functional asplenia', needsDate: false });
    expect(found[0]!.indicationFor).toEqual(expect.arrayContaining(['Hib', 'Meningococcal']));
    expect(await app.ok('conditions.search', { text: 'no such thing at all' })).toEqual([]);
  });

  it("a diabetic adult's HepB is due from the risk series with the reason, and from birth again once the condition is removed", async () => {
    const p = await register({ mrn: 'ADU-1', firstName: 'Dia', dob: '1964-03-10' });
    const due = (f: Awaited<ReturnType<typeof forecast>>) => [...f.overdue, ...f.dueToday, ...f.dueSoon].find((i) => i.vaccineGroup === 'HepB');
    const forecast = () => app.ok('forecast.forPatient', { patientId: p.id }, 'clin');
    expect(due(await forecast())).toMatchObject({ earliest: '1964-03-10' });
    expect(due(await forecast())?.because).toBeUndefined();

    const o = await app.ok('conditions.record', { patientId: p.id, observation: { code: '14', startDate: '2019-05-02' } }, 'clin');
    expect(o).toMatchObject({ code: '014', title: 'Diabetes', startDate: '2019-05-02' });
    expect(due(await forecast())).toMatchObject({ targetDose: 1, earliest: '2024-03-10', because: [{ code: '014', title: 'Diabetes', since: '2019-05-02' }] });
    expect((await app.ok('conditions.listForPatient', { patientId: p.id }, 'desk')).map((x) => x.code)).toEqual(['014']);

    await app.ok('conditions.remove', { id: o.id, reason: 'Recorded on the wrong chart' }, 'clin');
    expect(due(await forecast())).toMatchObject({ earliest: '1964-03-10' });
    const actions = app.store.audit.list({ entityId: p.id }).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['observation.record', 'observation.read', 'observation.remove']));
  });

  it('a contraindication shows with its recording date', async () => {
    const p = await register({ mrn: 'INF-9', firstName: 'Ana', dob: '2026-01-10' });
    await app.ok('doses.record', { dose: { patientId: p.id, kind: 'historical', cvx: '107', administeredOn: '2026-03-10', historicalSource: '01' } });
    await app.ok('conditions.record', { patientId: p.id, observation: { code: '080' } }, 'clin');
    const f = await app.ok('forecast.forPatient', { patientId: p.id }, 'clin');
    expect(f.notDue.find((n) => n.vaccineGroup === 'DTaP/Tdap/Td')).toMatchObject({
      status: 'contraindicated',
      because: [{ code: '080', title: 'Adverse reaction to vaccine component', since: '2026-11-25' }],
    });
  });

  it('front desk may read and search conditions but not record them', async () => {
    const p = await register({ mrn: 'ADU-2', dob: '1970-01-01' });
    const r = await app.call('conditions.record', { patientId: p.id, observation: { code: '014' } }, 'desk');
    expect(r.ok ? 'ok' : r.error.kind).toBe('forbidden');
  });

  it('refuses a date the condition needs, a future start, and an unknown code, naming the field', async () => {
    const p = await register({ mrn: 'ADU-3', dob: '1970-01-01' });
    const paths = async (observation: Record<string, unknown>) => {
      const r = await app.call('conditions.record', { patientId: p.id, observation }, 'clin');
      return r.ok ? [] : (r.error.issues ?? []).map((i) => i.path);
    };
    expect(await paths({ code: '171' })).toEqual(['observation.startDate']);
    expect(await paths({ code: '007', startDate: '2027-01-01' })).toEqual(['observation.startDate']);
    expect(await paths({ code: '998' })).toEqual(['observation.code']);
  });

  it('the recall list can be filtered to the patients with a condition', async () => {
    const dia = await register({ mrn: 'ADU-4', lastName: 'Sugar', firstName: 'Sam', dob: '1964-03-10' });
    await register({ mrn: 'ADU-5', lastName: 'Plain', firstName: 'Pat', dob: '1964-03-10' });
    await app.ok('conditions.record', { patientId: dia.id, observation: { code: '014' } }, 'clin');
    const list = await app.ok('forecast.recallList', { condition: '014' }, 'clin');
    expect(list.entries.length).toBeGreaterThan(0);
    expect(new Set(list.entries.map((e) => e.patientId))).toEqual(new Set([dia.id]));
    expect(list.patientsScanned).toBe(1);
    const everyone = await app.ok('forecast.recallList', {}, 'clin');
    expect(new Set(everyone.entries.map((e) => e.patientId)).size).toBe(2);
    expect(everyone.patientsScanned).toBe(2);
    const runs = app.store.audit.list({ limit: 1000 }).filter((a) => a.action === 'patient.recall_list');
    expect(runs.map((a) => a.detail?.condition).sort()).toEqual(['014', undefined]);
    const bad = await app.call('forecast.recallList', { condition: '999' }, 'clin');
    expect(bad.ok ? 'ok' : bad.error.issues?.[0]?.path).toBe('condition');
  });
});
