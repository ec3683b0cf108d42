import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { createSyncController } from '../../sync/engine/controller';
import { startRegistrySimulator } from '../../sync/sim/simulator';
import { createHandlers, type HandlerTable } from '../handlers';
import { openStore, type LocalStore } from '../store';
import { createAppServices, type AppServices, type AppServicesOptions } from './app-services';
import type { MachineConfig } from './config';
import type { SafeStorageLike } from './credentials';
import { checkEndpoint } from './registry';
import { Reporting } from './reporting';

// Everything main.ts starts, minus Electron: the store, the services, the handler table and
// reporting (training simulator or MIIS). main.ts calls this with Electron's safeStorage; the
// end-to-end harness calls it the same way with `ephemeralSafeStorage()`, so the browser tests
// drive the very same main-process code.

export interface StartAppOptions extends Omit<AppServicesOptions, 'store' | 'config' | 'onModeChange'> {
  /** The SQLite file (created if missing). */
  dbPath: string;
  config: MachineConfig;
  /** Default true: start the training simulator or the MIIS transport and the sync engine. */
  reporting?: boolean;
  /** See OpenStoreOptions.nativeBinding. */
  nativeBinding?: string;
}

export interface StartedApp {
  store: LocalStore;
  services: AppServices;
  table: HandlerTable;
  reporting?: Reporting;
  /** Waits for calls in flight, stops reporting, closes the store. */
  stop(): Promise<void>;
}

export async function startApp(options: StartAppOptions): Promise<StartedApp> {
  const { dbPath, config, reporting: withReporting = true, nativeBinding, ...rest } = options;
  const store = openStore(dbPath, { now: rest.now, nativeBinding });
  let reporting: Reporting | undefined;
  const services = createAppServices({
    ...rest,
    store,
    config,
    checkConnection: rest.checkConnection ?? checkEndpoint,
    onModeChange: (mode) => reporting?.start(mode) ?? Promise.resolve(),
  });
  try {
    if (withReporting) {
      reporting = new Reporting({
        services,
        startSimulator: (simOptions) => startRegistrySimulator(simOptions),
        createController: (parts) => createSyncController(parts),
      });
      await reporting.start(services.settings.mode());
    }
  } catch (err) {
    store.close();
    throw err;
  }
  let stopped = false;
  return {
    store,
    services,
    table: createHandlers(services),
    reporting,
    async stop() {
      if (stopped) return;
      stopped = true;
      services.inFlight.close();
      await services.inFlight.idle();
      await (reporting ? reporting.stop() : services.sync.stop());
      store.close();
    },
  };
}

/**
 * A safeStorage stand-in for headless runs (tests, the end-to-end harness): AES-256-GCM with a
 * key that lives only in this process, so nothing is stored in plain text and nothing survives
 * a restart. Never used by the desktop app, which passes Electron's safeStorage.
 */
export function ephemeralSafeStorage(): SafeStorageLike {
  const key = randomBytes(32);
  return {
    isEncryptionAvailable: () => true,
    encryptString(plainText) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plainText, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    decryptString(encrypted) {
      const decipher = createDecipheriv('aes-256-gcm', key, encrypted.subarray(0, 12));
      decipher.setAuthTag(encrypted.subarray(12, 28));
      return Buffer.concat([decipher.update(encrypted.subarray(28)), decipher.final()]).toString('utf8');
    },
    getSelectedStorageBackend: () => 'ephemeral',
  };
}
