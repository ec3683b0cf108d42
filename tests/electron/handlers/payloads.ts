import type { MethodName } from '../../../electron/api';
import { PASSWORD, lotInput, patientInput, type TestApp, seedClinic, withStaff } from '../fixtures/app';

// One valid payload and several invalid ones for every contract method. Typed as records over
// MethodName: adding a method to the contract without test payloads fails the typecheck.

export async function clinicWithDose(app: TestApp) {
  const staff = await withStaff(app);
  const clinic = await seedClinic(app);
  const recorded = await app.ok('doses.record', { dose: clinic.dose() });
  return { ...staff, ...clinic, dose: recorded.dose, doseInput: clinic.dose };
}

export type Clinic = Awaited<ReturnType<typeof clinicWithDose>>;

export const GOOD: Record<MethodName, (c: Clinic) => unknown> = {
  'auth.status': () => ({}),
  'auth.createFirstAdmin': () => ({ username: 'second-admin', displayName: 'Second', password: 'a long enough password' }),
  'auth.signIn': () => ({ username: 'nurse', password: PASSWORD }),
  'auth.signOut': () => ({}),
  'auth.lock': () => ({}),
  'auth.unlock': () => ({ password: PASSWORD }),
  'auth.touch': () => ({}),
  'auth.changePassword': () => ({ currentPassword: PASSWORD, newPassword: 'another long password' }),
  'patients.search': () => ({ text: 'Moreau' }),
  'patients.get': (c) => ({ id: c.patient.id }),
  'patients.create': () => ({ patient: patientInput({ mrn: 'MRN-2002', lastName: 'Okafor', firstName: 'Chidi' }) }),
  'patients.update': (c) => ({ id: c.patient.id, patient: patientInput({ phone: '617-555-0100' }), expectedVersion: c.patient.version }),
  'doses.record': (c) => ({ dose: c.doseInput({ administeredTime: '11:00' }) }),
  'doses.edit': (c) => ({ id: c.dose.id, dose: c.doseInput({ site: 'RD' }), expectedVersion: c.dose.version }),
  'doses.remove': (c) => ({ id: c.dose.id, reason: 'Entered for the wrong patient' }),
  'doses.get': (c) => ({ id: c.dose.id }),
  'doses.listForPatient': (c) => ({ patientId: c.patient.id }),
  'forecast.forPatient': (c) => ({ patientId: c.patient.id }),
  'forecast.recallList': () => ({ vaccineGroup: 'HepB', limit: 10 }),
  'lots.list': () => ({}),
  'lots.receive': () => ({ lot: lotInput({ lotNumber: 'NEW-LOT-1' }) }),
  'lots.adjust': (c) => ({ id: c.lot.id, delta: -1, reason: 'Dropped vial' }),
  'lots.setActive': (c) => ({ id: c.lot.id, active: true }),
  'clinicians.list': () => ({}),
  'clinicians.create': () => ({ clinician: { lastName: 'Seacole', firstName: 'Mary', credential: 'RN' } }),
  'clinicians.update': (c) => ({ id: c.clinician.id, clinician: { lastName: 'Nightingale', firstName: 'Florence', credential: 'RN' } }),
  'clinicians.setActive': (c) => ({ id: c.clinician.id, active: true }),
  'users.list': () => ({}),
  'users.create': () => ({ user: { username: 'newbie', displayName: 'New Person', role: 'front_desk' }, password: PASSWORD }),
  'users.setRole': (c) => ({ id: c.deskId, role: 'front_desk' }),
  'users.setActive': (c) => ({ id: c.deskId, active: true }),
  'users.resetPassword': (c) => ({ id: c.deskId, newPassword: PASSWORD }),
  'audit.list': () => ({ limit: 5 }),
  'codes.searchVaccines': () => ({ text: 'hep b' }),
  'codes.lists': () => ({}),
  'codes.lotDefaults': (c) => ({ lotId: c.lot.id }),
  'sync.status': () => ({}),
  'sync.workQueue': () => ({}),
  'sync.acknowledge': () => ({ seqs: [1] }),
  'sync.dismiss': () => ({ seq: 1, reason: 'Keyed in the MIIS web site' }),
  'sync.resubmitRejected': () => ({}),
  'sync.retryDelete': () => ({ seq: 1 }),
  'sync.retryNow': () => ({}),
  'settings.get': () => ({}),
  'settings.update': () => ({ scope: 'user', values: {} }),
  'registry.testConnection': () => ({}),
  'registry.saveCredentials': () => ({ username: 'miis-user', password: 'miis-secret' }),
  'registry.switchToProduction': () => ({}),
  'registry.switchToTraining': () => ({}),
  'app.info': () => ({}),
};

/** Wrong for every method: not an object, or an object with a field the contract does not know. */
export const ALWAYS_BAD: unknown[] = [null, 'patients', 42, [], { bogus: true }];

export const BAD: Record<MethodName, (c: Clinic) => unknown[]> = {
  'auth.status': () => [],
  'auth.createFirstAdmin': () => [{ username: 'A!', displayName: '', password: 'short' }, { username: 'okname', displayName: 'Ok' }],
  'auth.signIn': () => [{ username: '', password: '' }, { username: 'nurse' }],
  'auth.signOut': () => [],
  'auth.lock': () => [],
  'auth.unlock': () => [{ password: '' }, { password: 12345678901 }],
  'auth.touch': () => [],
  'auth.changePassword': () => [{ currentPassword: PASSWORD, newPassword: 'short' }],
  'patients.search': () => [{ limit: 0 }, { text: 5 }, { limit: 10_000 }],
  'patients.get': () => [{ id: '' }, {}],
  'patients.create': () => [{ patient: patientInput({ dob: '2020-02-30' }) }, { patient: { ...patientInput(), lastName: undefined } }, { patient: patientInput(), confirmDuplicate: 'yes' }],
  'patients.update': (c) => [
    { id: c.patient.id, patient: patientInput({ sex: 'X' as 'F' }), expectedVersion: c.patient.version },
    { id: c.patient.id, patient: patientInput(), expectedVersion: -1 },
  ],
  'doses.record': (c) => [{ dose: c.doseInput({ cvx: 'abc' }) }, { dose: c.doseInput({ administeredOn: 'yesterday' }) }, { dose: c.doseInput({ administeredTime: '25:00' }) }],
  'doses.edit': (c) => [{ id: c.dose.id, dose: c.doseInput({ ndc: '123' }), expectedVersion: c.dose.version }, { id: c.dose.id, dose: c.doseInput() }],
  'doses.remove': (c) => [{ id: c.dose.id, reason: '' }, { id: c.dose.id }],
  'doses.get': () => [{ id: 5 }],
  'doses.listForPatient': () => [{}, { patientId: '' }],
  'forecast.forPatient': (c) => [{}, { patientId: '' }, { patientId: c.patient.id, assessmentDate: '2026-02-30' }, { patientId: c.patient.id, soonDays: -1 }],
  'forecast.recallList': () => [{ limit: 0 }, { assessmentDate: 'today' }, { vaccineGroup: 'Smallpox-ish' }, { ageBand: '3-4 weeks' }, { vaccineGroup: 7 }],
  'lots.list': () => [{ cvx: 1234 }, { includeInactive: 'no' }],
  'lots.receive': () => [{ lot: lotInput({ dosesOnHand: -1 }) }, { lot: lotInput({ expirationDate: '2027-13-01' }) }],
  'lots.adjust': (c) => [{ id: c.lot.id, delta: 0, reason: 'nothing' }, { id: c.lot.id, delta: 1.5, reason: 'half' }, { id: c.lot.id, delta: 1, reason: '' }],
  'lots.setActive': (c) => [{ id: c.lot.id, active: 'yes' }],
  'clinicians.list': () => [{ includeInactive: 'no' }],
  'clinicians.create': () => [{ clinician: { lastName: 'A', firstName: 'B', credential: 'WIZARD' } }, { clinician: { lastName: 'A', firstName: 'B', credential: 'RN', npi: '12' } }],
  'clinicians.update': (c) => [{ id: c.clinician.id, clinician: {} }],
  'clinicians.setActive': (c) => [{ id: c.clinician.id }],
  'users.list': () => [],
  'users.create': () => [
    { user: { username: 'has spaces', displayName: 'X', role: 'clinician' }, password: PASSWORD },
    { user: { username: 'okname', displayName: 'X', role: 'clinician' }, password: 'short' },
    { user: { username: 'okname', displayName: 'X', role: 'superuser' }, password: PASSWORD },
  ],
  'users.setRole': (c) => [{ id: c.deskId, role: 'superuser' }],
  'users.setActive': (c) => [{ id: c.deskId, active: 1 }],
  'users.resetPassword': (c) => [{ id: c.deskId, newPassword: 'short' }],
  'audit.list': () => [{ limit: 100_000 }, { limit: 0 }],
  'codes.searchVaccines': () => [{ text: 'x'.repeat(81) }, {}],
  'codes.lists': () => [],
  'codes.lotDefaults': () => [{ lotId: '' }],
  'sync.status': () => [],
  'sync.workQueue': () => [{ limit: 0 }, { limit: 201 }, { view: 'everything' }, { cursor: 'not a cursor!' }, { cursor: 'x'.repeat(401) }],
  'sync.acknowledge': () => [{}, { seqs: [] }, { seqs: [0] }, { seqs: [1.5] }, { seqs: Array.from({ length: 201 }, (_, i) => i + 1) }],
  'sync.dismiss': () => [{ seq: 1 }, { seq: 1, reason: '  ' }, { seq: -1, reason: 'Keyed in MIIS' }, { seq: 1, reason: 'x'.repeat(501) }],
  'sync.resubmitRejected': () => [{ seqs: [] }, { seqs: ['1'] }],
  'sync.retryDelete': () => [{}, { seq: 0 }, { seq: '7' }, { seq: 1.5 }],
  'sync.retryNow': () => [],
  'settings.get': () => [],
  'settings.update': () => [
    { scope: 'machine', values: {} },
    { scope: 'user', values: { autoLockMinutes: -1 } },
    { scope: 'site', values: { favouriteColour: 'blue' } },
  ],
  'registry.testConnection': () => [],
  'registry.saveCredentials': () => [{ username: '', password: 'x' }, { username: 'u' }],
  'registry.switchToProduction': () => [],
  'registry.switchToTraining': () => [],
  'app.info': () => [],
};
