import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { DoseInput } from '../../../electron/domain/dose';
import type { LotInput } from '../../../electron/domain/lot';
import type { PatientInput } from '../../../electron/domain/patient';
import { openStore, type LocalStore, type OpenStoreOptions } from '../../../electron/store';
import type { Actor } from '../../../electron/store/types';

import { TODAY, clinicianInput, doseInput, lotInput, patientInput } from '../../fixtures/records';

export { TODAY, clinicianInput, doseInput, lotInput, patientInput };
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
