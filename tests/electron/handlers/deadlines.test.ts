import { PASSWORD, makeApp, type TestApp } from '../fixtures/app';
import { clinicWithDose, type Clinic } from './payloads';

// The doses behind a deadline warning through the handler table, on a real store: named (a read
// audited for the person who asked), with the registry help desk from the settings.

const HOUR = 3_600_000;
let app: TestApp;
let clinic: Clinic;

/** Hours go by; the screen locked meanwhile, and the person unlocks it. */
async function later(hours: number, session: string) {
  app.clock.advance(hours * HOUR);
  await app.ok('auth.unlock', { password: PASSWORD }, session);
}

describe('sync.deadlines', () => {
  beforeEach(async () => {
    app = makeApp();
    clinic = await clinicWithDose(app);
  });
  afterEach(() => app.done());

  it('names nothing while the deadline is more than a day away, then the dose and its patient, audited', async () => {
    const quiet = await app.ok('sync.deadlines', {}, 'clin');
    expect(quiet).toMatchObject({ items: [], total: 0, helpDesk: 'MIIS Help Desk: miishelpdesk@mass.gov, 617-983-4335' });

    await later(60, 'clin');
    const lastRow = app.store.audit.list({ limit: 1 })[0]!.id;
    const soon = await app.ok('sync.deadlines', {}, 'clin');
    expect(soon.items).toEqual([
      {
        seq: expect.any(Number),
        doseId: clinic.dose.id,
        patientId: clinic.patient.id,
        patientName: 'Amélie Moreau',
        cvx: clinic.dose.cvx,
        administeredOn: clinic.dose.administeredOn,
        state: 'waiting',
        deadlineAt: expect.any(String),
      },
    ]);
    const rows = app.store.audit.list({ limit: 100 }).filter((a) => a.id > lastRow);
    expect(rows.map((a) => [a.action, a.userId]).sort()).toEqual([
      ['dose.read', clinic.clinicianId],
      ['patient.read', clinic.clinicianId],
    ]);

    // Past the deadline it stays on the list until MIIS accepts it.
    await later(30, 'clin');
    expect((await app.ok('sync.deadlines', {}, 'clin')).items.map((i) => i.doseId)).toEqual([clinic.dose.id]);
  });

  it('names the help desk the administrator set, in the list and in every status', async () => {
    await app.ok('settings.update', { scope: 'site', values: { 'registry.helpDesk': 'Clinic IT desk, ext. 4400' } });
    expect((await app.ok('sync.deadlines', {}, 'clin')).helpDesk).toBe('Clinic IT desk, ext. 4400');
    expect((await app.ok('sync.status', {}, 'clin')).helpDesk).toBe('Clinic IT desk, ext. 4400');
  });

  it('refuses a front desk nothing, and a signed-out caller everything', async () => {
    await later(60, 'desk');
    expect((await app.ok('sync.deadlines', {}, 'desk')).total).toBe(1);
    const out = await app.call('sync.deadlines', {}, 'nobody');
    expect(out.ok).toBe(false);
  });
});
