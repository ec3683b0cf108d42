import { METHOD_NAMES, accessAllows, contract, type MethodName } from '../../../electron/api';
import { ROLES, type Role } from '../../../electron/domain/user';
import { PASSWORD, makeApp, patientInput, snapshot, type TestApp } from '../fixtures/app';
import { ALWAYS_BAD, BAD, GOOD, clinicWithDose, type Clinic } from './payloads';

// The handler table with a real store in a temporary folder: every method's validation,
// role checks, audit rows and the behaviours the UI depends on.

let app: TestApp;
let clinic: Clinic;

async function freshClinic() {
  app = makeApp();
  clinic = await clinicWithDose(app);
}

describe('validation of every method', () => {
  // One app for the block: each test proves it left the files unchanged.
  beforeAll(freshClinic);
  afterAll(() => app.done());

  it.each(METHOD_NAMES)('%s: bad payloads get a validation error and change nothing', async (method) => {
    const payloads = [...ALWAYS_BAD, ...BAD[method](clinic)];
    const before = snapshot(app.path);
    for (const payload of payloads) {
      const r = await app.call(method, payload);
      expect(r.ok, `${method} accepted ${JSON.stringify(payload)}`).toBe(false);
      if (r.ok) continue;
      expect(r.error.kind).toBe('validation');
      expect(r.error.issues?.length).toBeGreaterThan(0);
      expect(r.error.message.length).toBeGreaterThan(0);
    }
    expect(snapshot(app.path)).toBe(before);
  });

  it('names the form field of a nested problem', async () => {
    const r = await app.call('patients.create', { patient: patientInput({ dob: '2020-02-30' }) });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.issues?.map((i) => i.path)).toContain('patient.dob');
  });

  it('accepts a missing payload for methods without input', async () => {
    expect((await app.call('app.info', undefined)).ok).toBe(true);
  });

  it('every method has a valid sample that passes validation', async () => {
    for (const method of METHOD_NAMES) {
      const r = await app.call(method, GOOD[method](clinic), 'nobody');
      if (!r.ok) expect(r.error.kind, `${method}: ${r.error.message}`).not.toBe('validation');
    }
  });
});

describe('access', () => {
  beforeEach(freshClinic);
  afterEach(() => app.done());

  const sessionOf: Record<Role, string> = { administrator: 's1', clinician: 'clin', front_desk: 'desk' };
  const guarded = METHOD_NAMES.filter((m) => contract[m].access !== 'public' && !m.startsWith('auth.'));

  it.each(ROLES)('%s: each method is allowed or refused exactly as the contract says', async (role) => {
    for (const method of guarded) {
      const beforeData = snapshot(app.path, { exceptAudit: true });
      const auditBefore = app.auditCount();
      const r = await app.call(method, GOOD[method](clinic), sessionOf[role]);
      const allowed = accessAllows(contract[method].access, role);
      if (allowed) {
        if (!r.ok) expect(r.error.kind, `${role} ${method}: ${r.error.message}`).not.toBe('forbidden');
      } else {
        expect(r.ok, `${role} may not call ${method}`).toBe(false);
        if (!r.ok) expect(r.error.kind).toBe('forbidden');
        expect(snapshot(app.path, { exceptAudit: true })).toBe(beforeData);
        expect(app.auditCount()).toBe(auditBefore + 1);
        const [last] = app.store.audit.list({ limit: 1 });
        expect(last).toMatchObject({ action: 'access.denied', detail: { method } });
      }
    }
  });

  it('front desk cannot record doses or manage users, clinicians cannot manage users', async () => {
    const denied: [string, MethodName][] = [
      ['desk', 'doses.record'],
      ['desk', 'lots.receive'],
      ['desk', 'users.create'],
      ['clin', 'users.create'],
      ['clin', 'registry.switchToProduction'],
      ['clin', 'audit.list'],
    ];
    for (const [session, method] of denied) {
      const r = await app.call(method, GOOD[method](clinic), session);
      expect(r.ok ? 'ok' : r.error.kind, `${session} ${method}`).toBe('forbidden');
    }
  });

  it('a signed-out window gets unauthorized for everything but the public methods', async () => {
    for (const method of METHOD_NAMES) {
      const r = await app.call(method, GOOD[method](clinic), 'stranger');
      if (method === 'auth.unlock') {
        expect(r.ok ? 'ok' : r.error.code).toBe('auth.signed_out');
      } else if (contract[method].access === 'public') {
        if (!r.ok) expect(r.error.kind).not.toBe('unauthorized');
      } else {
        expect(r.ok ? 'ok' : r.error.kind, method).toBe('unauthorized');
      }
    }
  });

  it('a role change takes effect on the very next call', async () => {
    expect((await app.call('doses.listForPatient', { patientId: clinic.patient.id }, 'clin')).ok).toBe(true);
    await app.ok('users.setRole', { id: clinic.clinicianId, role: 'front_desk' });
    const r = await app.call('doses.record', GOOD['doses.record'](clinic), 'clin');
    expect(r.ok ? 'ok' : r.error.kind).toBe('forbidden');
  });

  it('a deactivated user is signed out at the next call', async () => {
    await app.ok('users.setActive', { id: clinic.deskId, active: false });
    const r = await app.call('patients.search', { text: 'Moreau' }, 'desk');
    expect(r.ok ? 'ok' : r.error.code).toBe('auth.account_disabled');
    expect((await app.ok('auth.status', {}, 'desk')).state).toBe('signed_out');
  });

  it('the last active administrator can neither be demoted nor turned off', async () => {
    for (const [method, payload] of [
      ['users.setRole', { id: clinic.adminId, role: 'clinician' }],
      ['users.setActive', { id: clinic.adminId, active: false }],
    ] as const) {
      const r = await app.call(method, payload);
      expect(r.ok ? 'ok' : r.error.code).toBe('users.last_admin');
    }
    await app.ok('users.setRole', { id: clinic.clinicianId, role: 'administrator' });
    expect((await app.ok('users.setRole', { id: clinic.adminId, role: 'clinician' })).role).toBe('clinician');
  });
});

describe('audit trail', () => {
  beforeEach(freshClinic);
  afterEach(() => app.done());

  it('every read and change of patient data writes a row with the user', async () => {
    const nurse = clinic.clinicianId;
    await app.ok('patients.search', { text: 'Moreau' }, 'clin');
    await app.ok('patients.get', { id: clinic.patient.id }, 'clin');
    await app.ok('doses.listForPatient', { patientId: clinic.patient.id }, 'clin');
    const recorded = await app.ok('doses.record', GOOD['doses.record'](clinic), 'clin');
    await app.ok('doses.get', { id: recorded.dose.id }, 'clin');
    const actions = app.store.audit.list({ userId: nurse, limit: 100 }).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['patient.search', 'patient.read', 'dose.list', 'dose.record', 'dose.read']));
  });

  it('sign-in, failed sign-in and sign-out are in the trail', async () => {
    await app.call('auth.signIn', { username: 'desk', password: 'wrong password!' }, 'w2');
    await app.ok('auth.signIn', { username: 'desk', password: PASSWORD }, 'w2');
    await app.ok('auth.signOut', {}, 'w2');
    const actions = app.store.audit.list({ userId: clinic.deskId, limit: 50 }).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['user.sign_in_failed', 'user.sign_in', 'user.sign_out']));
  });

  it('the work queue audits the charts whose names it shows', async () => {
    const [entry] = app.store.outbox.claimDue(new Date('2030-01-01T00:00:00Z'), 1, 60_000);
    app.store.outbox.markRejected(entry!.seq, { code: 'AE', text: 'Lot number is missing', messages: [{ severity: 'error', text: 'RXA-15 required', field: 'dose.lotNumber' }] });
    const auditBefore = app.auditCount();
    const queue = (await app.ok('sync.workQueue', {}, 'clin')).items;
    expect(queue).toHaveLength(1);
    expect(queue[0]).toMatchObject({ patientId: clinic.patient.id, patientName: 'Amélie Moreau', state: 'rejected', messages: [{ field: 'dose.lotNumber' }] });
    expect(app.auditCount()).toBeGreaterThan(auditBefore);
  });
});

describe('patients', () => {
  beforeEach(freshClinic);
  afterEach(() => app.done());

  it('create returns likely duplicates first, then creates when confirmed', async () => {
    const again = patientInput({ mrn: 'MRN-9999' });
    const first = await app.ok('patients.create', { patient: again });
    expect(first.created).toBe(false);
    if (!first.created) expect(first.duplicates.map((d) => d.id)).toContain(clinic.patient.id);
    const confirmed = await app.ok('patients.create', { patient: again, confirmDuplicate: true });
    expect(confirmed.created).toBe(true);
  });

  it('an update from a stale version is a conflict', async () => {
    await app.ok('patients.update', GOOD['patients.update'](clinic));
    const r = await app.call('patients.update', GOOD['patients.update'](clinic));
    expect(r.ok ? 'ok' : r.error.kind).toBe('conflict');
  });

  it('an unknown id is not_found', async () => {
    const r = await app.call('patients.get', { id: 'no-such-patient' });
    expect(r.ok ? 'ok' : r.error.kind).toBe('not_found');
  });
});

describe('doses and lots', () => {
  beforeEach(freshClinic);
  afterEach(() => app.done());

  it('record returns the dose with its outbox entry and deadline, and takes one from the lot', async () => {
    const before = (await app.ok('lots.list', {})).find((l) => l.id === clinic.lot.id)!.dosesOnHand;
    const r = await app.ok('doses.record', GOOD['doses.record'](clinic), 'clin');
    expect(r.outbox).toMatchObject({ action: 'A', state: 'pending' });
    expect(r.outbox?.deadlineAt).toBeTruthy();
    expect(r.dose.recordedBy).toBe(clinic.clinicianId);
    const after = (await app.ok('lots.list', {})).find((l) => l.id === clinic.lot.id)!.dosesOnHand;
    expect(after).toBe(before - 1);
  });

  it('domain rules come back as field issues', async () => {
    const r = await app.call('doses.record', { dose: clinic.doseInput({ administeredOn: '2030-01-01' }) }, 'clin');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.kind).toBe('validation');
      expect(r.error.issues?.map((i) => i.code)).toContain('dose.date_in_future');
    }
  });

  it('lotDefaults fills manufacturer, expiry, funding and the current VIS', async () => {
    const d = await app.ok('codes.lotDefaults', { lotId: clinic.lot.id });
    expect(d).toMatchObject({ lotNumber: 'HB123', cvx: '08', mvx: 'MSD', expirationDate: '2027-06-30', expired: false, fundingSource: 'VXC50' });
    expect(d.vis.length).toBeGreaterThan(0);
    expect(d.vis[0]!.documentType).toMatch(/hep/i);
  });

  it('code lists and the vaccine search serve the forms', async () => {
    const lists = await app.ok('codes.lists', {});
    expect(lists.routes.length).toBeGreaterThan(3);
    expect(lists.races.map((r) => r.code)).toContain('2106-3');
    const found = await app.ok('codes.searchVaccines', { text: '08' });
    expect(found[0]).toMatchObject({ cvx: '08' });
  });
});

describe('sessions through the table', () => {
  beforeEach(freshClinic);
  afterEach(() => app.done());

  it('an idle session locks; calls get `locked` until unlock with the same password', async () => {
    const minutes = app.services.settings.effective().values.autoLockMinutes;
    app.clock.advance(minutes * 60_000);
    const r = await app.call('patients.search', { text: 'Moreau' }, 'clin');
    expect(r.ok ? 'ok' : r.error.kind).toBe('locked');
    const wrong = await app.call('auth.unlock', { password: 'not the password' }, 'clin');
    expect(wrong.ok ? 'ok' : wrong.error.code).toBe('auth.bad_credentials');
    expect((await app.ok('auth.unlock', { password: PASSWORD }, 'clin')).state).toBe('signed_in');
    expect((await app.call('patients.search', { text: 'Moreau' }, 'clin')).ok).toBe(true);
  });

  it('auth.touch keeps a working session open', async () => {
    const minutes = app.services.settings.effective().values.autoLockMinutes;
    for (let i = 0; i < 3; i++) {
      app.clock.advance((minutes - 1) * 60_000);
      expect((await app.ok('auth.touch', {}, 'clin')).state).toBe('signed_in');
    }
  });

  it('first-run admin creation only works once', async () => {
    const r = await app.call('auth.createFirstAdmin', GOOD['auth.createFirstAdmin'](clinic), 'x');
    expect(r.ok ? 'ok' : r.error.code).toBe('auth.already_initialized');
  });
});

describe('errors never leak internals', () => {
  beforeEach(freshClinic);
  afterEach(() => app.done());

  it('an unexpected exception becomes a generic internal error and is logged', async () => {
    const logged: string[] = [];
    app.services.logError = (context) => logged.push(context);
    const { createHandlers } = await import('../../../electron/handlers');
    const original = app.store.lots.list;
    (app.store.lots as { list: unknown }).list = () => {
      throw new Error('SELECT secret FROM somewhere');
    };
    try {
      const r = await createHandlers(app.services)['lots.list']({}, { sessionId: 's1' });
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.kind).toBe('internal');
        expect(r.error.message).not.toMatch(/SELECT/);
      }
      expect(logged).toEqual(['lots.list']);
    } finally {
      (app.store.lots as { list: unknown }).list = original;
    }
  });
});
