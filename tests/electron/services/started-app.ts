import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MethodName, MethodOutput, Result, RunMode } from '../../../electron/api';
import type { DoseInput } from '../../../electron/domain/dose';
import { parseConfig, type MachineConfig } from '../../../electron/services/config';
import type { CheckConnection } from '../../../electron/services/registry';
import type { ControllerParts } from '../../../electron/services/reporting';
import { startApp, type StartAppOptions, type StartedApp } from '../../../electron/services/start';
import type { SyncController } from '../../../electron/services/sync-controller';
import type { RunningRegistry } from '../../../electron/services/training';
import { createSyncController } from '../../../electron/services/engine-controller';
import { startRegistrySimulator, type RegistrySimulator } from '../../../sync/sim';
import type { SimulatorOptions } from '../../../sync/sim/simulator';
import { ADMIN_PASSWORD, FAST_SCRYPT, doseInput, fakeSafeStorage, lotInput, patientInput } from '../fixtures/app';

// The whole app as main.ts starts it (startApp on a user-data folder, both databases, the real
// engine, the real training simulator), for the suites about modes. Reporting engines write
// what they do to `log` (`start:training`, `stop-begun:training`, `stopped:training`, …) so a
// test can check what ran when.

export const MIIS_USER = { username: 'clinic-user', password: 'right-secret' };

export function startMiis(options: SimulatorOptions = {}): Promise<RegistrySimulator> {
  // Stands in for MIIS: WS-Security credentials, no connectivityTest.
  return startRegistrySimulator({ users: [MIIS_USER], credentialPlacement: 'wsse', connectivityTestSupported: false, ...options });
}

export function miisConfigText(miis: Pick<RegistrySimulator, 'url'>, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ registry: { preset: 'massachusetts', endpointUrl: miis.url, vaccinePin: 'PIN-123', facilityId: 'FAC-1' }, ...extra });
}

export interface BootOptions extends Partial<Omit<StartAppOptions, 'config'>> {
  dir?: string;
  configText?: string;
  config?: MachineConfig;
  checkConnection?: CheckConnection;
}

export interface Booted {
  started: StartedApp;
  dir: string;
  log: string[];
  /** Every training simulator this app started, newest last. */
  simulators: RegistrySimulator[];
  mode(): RunMode;
  call<K extends MethodName>(method: K, payload: unknown, sessionId?: string): Promise<Result<MethodOutput<K>>>;
  ok<K extends MethodName>(method: K, payload: unknown, sessionId?: string): Promise<MethodOutput<K>>;
  stop(): Promise<void>;
}

/** One safeStorage per test file run: like the OS keychain, it survives an app restart. */
const safeStorage = fakeSafeStorage();

export async function boot(options: BootOptions = {}): Promise<Booted> {
  const { dir = mkdtempSync(join(tmpdir(), 'dosedesk-modes-')), configText, config, ...rest } = options;
  const log: string[] = [];
  const simulators: RegistrySimulator[] = [];
  const started = await startApp({
    dataDir: dir,
    config: config ?? parseConfig(join(dir, 'config.json'), configText),
    safeStorage,
    info: { name: 'DoseDesk', version: '0.0.0-test', platform: 'linux' },
    platform: 'linux',
    scrypt: FAST_SCRYPT,
    logError: () => {},
    startSimulator: async (simOptions): Promise<RunningRegistry> => {
      const sim = await startRegistrySimulator(simOptions);
      simulators.push(sim);
      return sim;
    },
    createController: (parts) => loggedController(parts, log),
    ...rest,
  });
  const call = <K extends MethodName>(method: K, payload: unknown, sessionId = 's1') => started.table[method](payload, { sessionId });
  return {
    started,
    dir,
    log,
    simulators,
    mode: () => started.services.settings.mode(),
    call,
    async ok(method, payload, sessionId) {
      const r = await call(method, payload, sessionId);
      if (!r.ok) throw new Error(`${method} failed: ${JSON.stringify(r.error)}`);
      return r.value;
    },
    stop: () => started.stop(),
  };
}

/** The real engine, quick to stop (in-flight sends are aborted after 200 ms), logging its life. */
export function loggedController(parts: ControllerParts, log: string[], extra: { stopGraceMs?: number } = {}): SyncController {
  const mode = parts.mode();
  log.push(`start:${mode}`);
  const controller = createSyncController({ ...parts, stopGraceMs: extra.stopGraceMs ?? 200, backoff: { baseMs: 100, capMs: 1_000 }, statusIntervalMs: 20, maxAttemptsPerHour: 10_000 });
  return {
    status: () => controller.status(),
    kick: (reason) => controller.kick(reason),
    onStatus: (listener) => controller.onStatus(listener),
    async stop() {
      log.push(`stop-begun:${mode}`);
      await controller.stop();
      log.push(`stopped:${mode}`);
    },
  };
}

export async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 20));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

/** A promise the test resolves by hand. */
export function latch(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

export async function firstAdmin(app: Booted): Promise<string> {
  const status = await app.ok('auth.createFirstAdmin', { username: 'admin', displayName: 'Ada Admin', password: ADMIN_PASSWORD });
  return status.user!.id;
}

/** A patient, a clinician record and a lot, made through the API by the admin session. */
export async function seed(app: Booted, patient: { mrn: string; lastName: string }) {
  const created = await app.ok('patients.create', { patient: patientInput(patient), confirmDuplicate: true });
  if (!created.created) throw new Error('unexpected duplicate');
  const [existing] = await app.ok('clinicians.list', {});
  const clinician = existing ?? (await app.ok('clinicians.create', { clinician: { lastName: 'Nightingale', firstName: 'Flo', credential: 'RN' } }));
  const [lot] = await app.ok('lots.list', {});
  const useLot = lot ?? (await app.ok('lots.receive', { lot: lotInput() }));
  return { patient: created.patient, clinician, lot: useLot, dose: (o: Partial<DoseInput> = {}) => doseInput(created.patient.id, useLot.id, clinician.id, o) };
}

/** Outbox counts of the database in use. */
export function settled(app: Booted): number {
  const s = app.started.store.outbox.stats();
  return s.accepted + s.warning;
}
