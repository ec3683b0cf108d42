import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DoseInput } from '../../../../electron/domain/dose';
import type { PatientInput } from '../../../../electron/domain/patient';
import { openStore, type LocalStore } from '../../../../electron/store';
import type { Actor, OutboxStats } from '../../../../electron/store/types';
import { createSyncEngine } from '../../../../sync/engine';
import type { SyncEngine, SyncEngineOptions, SyncEvent } from '../../../../sync/engine/types';
import { hl7ConfigForSite, type Hl7SiteConfig } from '../../../../sync/hl7/config';
import { startRegistrySimulator, type RegistrySimulator, type SimulatorOptions } from '../../../../sync/sim';
import { DEFAULT_SIMULATOR_USER } from '../../../../sync/sim/simulator';
import { massachusettsPreset } from '../../../../sync/transport/settings';
import { SoapTransport } from '../../../../sync/transport/soap-transport';

// Real parts for the engine's integration tests, crash child and benchmark: a SQLite store in a
// temp folder, the registry simulator on 127.0.0.1, the SOAP transport, the real VXU builder.

export const TODAY = '2026-11-20';
export const NURSE: Actor = { userId: 'nurse-1' };
export const SITE = {
  name: 'Harbor Pharmacy',
  vaccinePin: 'PIN1001',
  facilityId: 'PIN1001',
  address: { street1: '10 Harbor St', city: 'Boston', state: 'MA', zip: '02110', country: 'USA' },
};

export function siteHl7Config(): Hl7SiteConfig {
  return hl7ConfigForSite(SITE, { processingId: 'P' });
}

export function transportFor(url: string, timeoutMs = 2_000): SoapTransport {
  return new SoapTransport(massachusettsPreset({ url, facilityId: SITE.facilityId, ...DEFAULT_SIMULATOR_USER }, { timeoutMs }));
}

export function patientInput(i: number, over: Partial<PatientInput> = {}): PatientInput {
  return {
    mrn: `MRN-${i}`,
    lastName: `Tester${i}`,
    firstName: 'Alex',
    dob: '1990-03-14',
    sex: 'F',
    genderIdentity: 'female',
    races: ['2106-3'],
    ethnicity: '2186-5',
    preferredLanguage: 'eng',
    address: { street1: `${i} Main St`, city: 'Boston', state: 'MA', zip: '02118' },
    ...over,
  };
}

export interface Seeded {
  lotId: string;
  clinicianId: string;
  patientIds: string[];
}

/** One clinician, one big lot, and `patients` patients (bulk import: one transaction). */
export function seed(store: LocalStore, patients: number): Seeded {
  const clinician = store.clinicians.create({ lastName: 'Nightingale', firstName: 'Flo', credential: 'RPH', npi: '1234567893' }, NURSE);
  const lot = store.lots.receive({ lotNumber: 'FLU2026A', cvx: '150', mvx: 'SKB', expirationDate: '2027-06-30', dosesOnHand: 100_000, fundingSource: 'PHC70' }, NURSE);
  store.patients.importMany(
    Array.from({ length: patients }, (_, i) => patientInput(i)),
    NURSE,
  );
  const patientIds = store.patients.search({ text: 'Tester', limit: patients + 10 }, NURSE).map((p) => p.id);
  if (patientIds.length !== patients) {
    // Search may cap its results; fall back to MRNs.
    patientIds.length = 0;
    for (let i = 0; i < patients; i++) {
      const p = store.patients.search({ mrn: `MRN-${i}`, limit: 1 }, NURSE)[0];
      if (!p) throw new Error(`seed: patient MRN-${i} not found`);
      patientIds.push(p.id);
    }
  }
  return { lotId: lot.id, clinicianId: clinician.id, patientIds };
}

export function doseInput(s: Seeded, patientId: string, over: Partial<DoseInput> = {}): DoseInput {
  return {
    patientId,
    kind: 'administered',
    cvx: '150',
    lotId: s.lotId,
    administeredOn: TODAY,
    administeredTime: '10:30',
    amountMl: 0.5,
    route: 'C28161',
    site: 'LD',
    administeringClinicianId: s.clinicianId,
    vfcEligibility: 'V01',
    vis: [{ documentType: 'Influenza VIS', editionDate: '2023-08-06', presentedOn: TODAY }],
    ...over,
  };
}

export function tempDir(prefix = 'dosedesk-sync-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface World {
  store: LocalStore;
  path: string;
  sim: RegistrySimulator;
  seeded: Seeded;
  events: SyncEvent[];
  engine(options?: Partial<SyncEngineOptions>): SyncEngine;
  transport: SoapTransport;
  /** Records `count` doses, spread round-robin over the patients. */
  record(count: number, over?: Partial<DoseInput>): string[];
  /**
   * Polls until `predicate` holds. Gives up after `timeoutMs` without it, or, with `progress`,
   * after `timeoutMs` in which the progress value did not change: a loaded machine slows the
   * work down but a wait only fails when the work stops.
   */
  waitFor(predicate: () => boolean, what: string, timeoutMs?: number, progress?: () => unknown): Promise<void>;
  /** Until no entry is pending or sending; fails only when no entry settled for `stallMs`. */
  settled(stallMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** `dir`: where the database goes (e.g. a small file system); by default a fresh temp folder, removed on close. */
export async function world(options: { patients?: number; sim?: SimulatorOptions; timeoutMs?: number; dir?: string } = {}): Promise<World> {
  const tmp = options.dir ? { dir: options.dir, cleanup: () => undefined } : tempDir();
  const path = join(tmp.dir, 'dosedesk.sqlite');
  const store = openStore(path, { utcOffsetMinutes: () => -300 });
  const seeded = seed(store, options.patients ?? 20);
  const sim = await startRegistrySimulator(options.sim ?? {});
  const transport = transportFor(sim.url, options.timeoutMs ?? 2_000);
  const events: SyncEvent[] = [];
  const engines: SyncEngine[] = [];
  let next = 0;
  let closed = false;
  const w: World = {
    store,
    path,
    sim,
    seeded,
    events,
    transport,
    engine(over = {}) {
      const e = createSyncEngine({
        store,
        transport,
        hl7Config: siteHl7Config(),
        concurrency: 8,
        backoff: { baseMs: 20, capMs: 400 },
        idleMaxSleepMs: 200,
        stopGraceMs: 2_000,
        onEvent: (ev) => events.push(ev),
        ...over,
      });
      engines.push(e);
      return e;
    },
    record(count, over = {}) {
      const ids: string[] = [];
      for (let i = 0; i < count; i++) {
        const patientId = seeded.patientIds[next++ % seeded.patientIds.length] as string;
        ids.push(store.doses.record(doseInput(seeded, patientId, over), NURSE, TODAY).dose.id);
      }
      return ids;
    },
    async waitFor(predicate, what, timeoutMs = 30_000, progress) {
      let seen = progress?.();
      let deadline = Date.now() + timeoutMs;
      while (!predicate()) {
        const now = progress?.();
        if (progress && now !== seen) {
          seen = now;
          deadline = Date.now() + timeoutMs;
        }
        if (Date.now() > deadline) {
          const why = progress ? `no progress for ${timeoutMs} ms` : `timed out after ${timeoutMs} ms`;
          throw new Error(`${why} waiting for ${what}; outbox ${JSON.stringify(store.outbox.stats())}`);
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async settled(stallMs = 30_000) {
      const settledCount = () => {
        const s = store.outbox.stats();
        return s.accepted + s.warning + s.rejected;
      };
      await w.waitFor(() => unsettled(store.outbox.stats()) === 0, 'every outbox entry to settle', stallMs, settledCount);
    },
    async close() {
      // Idempotent: a test on a small disk closes before unmounting, and afterEach closes again.
      if (closed) return;
      closed = true;
      await Promise.all(engines.map((e) => e.stop()));
      transport.dispose();
      await sim.stop();
      store.close();
      tmp.cleanup();
    },
  };
  return w;
}

export const unsettled = (s: OutboxStats): number => s.pending + s.sending;
