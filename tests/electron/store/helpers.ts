import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { ClinicianInput } from '../../../electron/domain/clinician';
import type { DoseInput } from '../../../electron/domain/dose';
import type { LotInput } from '../../../electron/domain/lot';
import type { PatientInput } from '../../../electron/domain/patient';
import { openStore, type LocalStore, type OpenStoreOptions } from '../../../electron/store';
import type { Actor } from '../../../electron/store/types';

export const TODAY = '2026-11-25';
export const NURSE: Actor = { userId: 'nurse-1' };

/** A clock the test moves by hand (never the wall clock). */
export function testClock(start = '2026-11-25T15:00:00.000Z') {
  let t = new Date(start).getTime();
  return {
    now: () => new Date(t),
    advance(ms: number) {
      t += ms;
    },
  };
}

export function tempDir(prefix = 'dosedesk-store-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A store on a real file in a fresh temp folder, on a fixed clock in UTC-5 (Boston in winter). */
export function testStore(options: OpenStoreOptions = {}) {
  const tmp = tempDir();
  const clock = testClock();
  const path = join(tmp.dir, 'dosedesk.sqlite');
  const store = openStore(path, { now: clock.now, utcOffsetMinutes: () => -300, ...options });
  return {
    store,
    path,
    dir: tmp.dir,
    clock,
    done() {
      store.close();
      tmp.cleanup();
    },
  };
}

export function patientInput(over: Partial<PatientInput> = {}): PatientInput {
  return {
    mrn: 'MRN-1001',
    lastName: 'Moreau',
    firstName: 'Amélie',
    dob: '2020-03-14',
    sex: 'F',
    genderIdentity: 'female',
    races: ['2106-3'],
    ethnicity: '2186-5',
    preferredLanguage: 'eng',
    address: { street1: '1 Main St', city: 'Boston', state: 'MA', zip: '02118' },
    ...over,
  };
}

export const clinicianInput = (over: Partial<ClinicianInput> = {}): ClinicianInput => ({ lastName: 'Nightingale', firstName: 'Flo', credential: 'RN', ...over });

export const lotInput = (over: Partial<LotInput> = {}): LotInput => ({
  lotNumber: 'HB123',
  cvx: '08',
  mvx: 'MSD',
  expirationDate: '2027-06-30',
  dosesOnHand: 10,
  fundingSource: 'VXC50',
  ...over,
});

export function doseInput(patientId: string, lotId: string, clinicianId: string, over: Partial<DoseInput> = {}): DoseInput {
  return {
    patientId,
    kind: 'administered',
    cvx: '08',
    lotId,
    administeredOn: TODAY,
    administeredTime: '10:30',
    amountMl: 0.5,
    route: 'C28161',
    site: 'LD',
    administeringClinicianId: clinicianId,
    vfcEligibility: 'V01',
    vis: [{ documentType: 'Hepatitis B VIS', editionDate: '2023-05-12', presentedOn: TODAY }],
    ...over,
  };
}

/** A patient, a clinician and a lot: what recording a dose needs. */
export function seed(store: LocalStore, over: { patient?: Partial<PatientInput>; lot?: Partial<LotInput> } = {}) {
  const patient = store.patients.create(patientInput(over.patient), NURSE);
  const clinician = store.clinicians.create(clinicianInput(), NURSE);
  const lot = store.lots.receive(lotInput(over.lot), NURSE);
  return { patient, clinician, lot, dose: (o: Partial<DoseInput> = {}) => doseInput(patient.id, lot.id, clinician.id, o) };
}

/** Row counts straight from the file, through a second connection (what is really on disk). */
export function countRows(path: string): { doses: number; outbox: number; audit: number; patients: number } {
  const db = new Database(path, { readonly: true });
  try {
    const n = (t: string) => (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
    return { doses: n('doses'), outbox: n('outbox'), audit: n('audit'), patients: n('patients') };
  } finally {
    db.close();
  }
}
