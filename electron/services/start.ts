import { randomBytes } from 'node:crypto';
import { keyedSafeStorage } from './keyed-safe-storage';
import { existsSync } from 'node:fs';
import type { RunMode } from '../api';
import type { LocalStore } from '../store';
import { installStoreKey, type StoreKey } from '../store/driver';
import { createSyncController } from './engine-controller';
import { startRegistrySimulator } from '../../sync/sim/simulator';
import { createHandlers, type HandlerTable } from '../handlers';
import { InFlight, createAppServices, type AppServices, type AppServicesOptions } from './app-services';
import { carryOverShared } from './carry-over';
import type { MachineConfig } from './config';
import type { SafeStorageLike } from './credentials';
import { databaseFor, modeFiles, type ModeFiles } from './mode-files';
import { openModeStore, prepareStartMode } from './mode-start';
import { ModeSwitcher } from './mode-switch';
import type { DisposableTransport } from './production-transport';
import { checkEndpoint } from './registry';
import { Reporting, type ControllerParts } from './reporting';
import { SwitchableStore } from './switchable-store';
import type { SyncController } from './sync-controller';
import type { StartSimulator } from './training';
import type { EndpointSettings } from '../../sync/transport/settings';

// Everything main.ts starts, minus Electron: the mode's database, the services, the handler
// table, reporting (training simulator or MIIS) and the switch between the two databases.
// main.ts calls this with Electron's safeStorage; the end-to-end harness and the tests call
// it the same way, so they drive the very same main-process code.

export interface StartAppOptions extends Omit<AppServicesOptions, 'store' | 'config' | 'modes' | 'inFlight'> {
  /** The user-data folder holding both databases and the mode record (see mode-files.ts). */
  dataDir: string;
  config: MachineConfig;
  /** Default true: start the training simulator or the MIIS transport and the sync engine. */
  reporting?: boolean;
  /** See OpenStoreOptions.nativeBinding. */
  nativeBinding?: string;
  /**
   * The database key from store-key.ts (main unwraps it with safeStorage). Without it the files
   * stay plaintext: only tests of code that does not care start that way.
   */
  storeKey?: StoreKey;
  /** Tests: the training simulator, the engine and the transport (defaults are the real ones). */
  startSimulator?: StartSimulator;
  createController?: (parts: ControllerParts) => SyncController;
  makeTransport?: (endpoint: EndpointSettings) => DisposableTransport;
}

export interface StartedApp {
  /** The database of the mode in use (it changes with a switch; `.active` is the file open now). */
  store: SwitchableStore;
  services: AppServices;
  table: HandlerTable;
  reporting?: Reporting;
  files: ModeFiles;
  /** Waits for calls in flight, stops reporting, closes the database. */
  stop(): Promise<void>;
}

export async function startApp(options: StartAppOptions): Promise<StartedApp> {
  const files = modeFiles(options.dataDir);
  // Every connection to either mode's file (side connections, carry-over, backups) uses it.
  const uninstallKey = installStoreKey(options.storeKey);
  try {
    return await startWithKey(options, files, uninstallKey);
  } catch (err) {
    uninstallKey();
    throw err;
  }
}

async function startWithKey(options: StartAppOptions, files: ModeFiles, uninstallKey: () => void): Promise<StartedApp> {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- the folder and key were used above; the rest goes to the services
  const { dataDir, storeKey, config, reporting: withReporting = true, nativeBinding, startSimulator, createController, makeTransport, ...rest } = options;
  const storeOptions = { now: rest.now, nativeBinding };
  const mode = prepareStartMode(files, config, storeOptions);
  const store = new SwitchableStore(openWithAccounts(files, mode, config, storeOptions));
  const inFlight = new InFlight();
  let reporting: Reporting | undefined;
  const logError = rest.logError ?? ((context: string, err: unknown) => console.error(`[dosedesk] ${context}:`, err));
  const modes = new ModeSwitcher(
    {
      files,
      config,
      store,
      inFlight,
      open: (target) => openModeStore(files, target, config, storeOptions),
      carryOver: (from, to, fromMode, toMode, request) => carryOverShared(from.path, to.path, { from: fromMode, to: toMode, by: request.by, nativeBinding, now: rest.now }),
      stopReporting: async () => {
        await reporting?.stop();
      },
      startReporting: async (target, database) => {
        await reporting?.start(target, database);
      },
      now: rest.now ?? (() => new Date()),
      logError,
    },
    mode,
  );
  const services = createAppServices({ ...rest, logError, store, config, modes, inFlight, checkConnection: rest.checkConnection ?? checkEndpoint });
  try {
    if (withReporting) {
      reporting = new Reporting({
        services,
        startSimulator: startSimulator ?? ((simOptions) => startRegistrySimulator(simOptions)),
        createController: createController ?? ((parts) => createSyncController(parts)),
        makeTransport,
      });
      await reporting.start(mode, store.active);
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
    files,
    async stop() {
      if (stopped) return;
      stopped = true;
      services.inFlight.close();
      await services.inFlight.idle();
      await (reporting ? reporting.stop() : services.sync.stop());
      store.close();
      uninstallKey();
    },
  };
}

/**
 * Opens the mode's database; one without any account yet, beside the other mode's database,
 * gets the accounts and settings from it: the training file an upgrade starts fresh, the
 * production file on the first start after IT fixed production mode, or either one after an
 * interrupted first start (the copy is an upsert, so doing it again is harmless).
 */
function openWithAccounts(files: ModeFiles, mode: RunMode, config: MachineConfig, options: { now?: () => Date; nativeBinding?: string }): LocalStore {
  const other: RunMode = mode === 'production' ? 'training' : 'production';
  const store = openModeStore(files, mode, config, options);
  try {
    if (store.users.count() === 0 && existsSync(databaseFor(files, other))) {
      carryOverShared(databaseFor(files, other), store.path, { from: other, to: mode, by: null, nativeBinding: options.nativeBinding, now: options.now });
    }
    return store;
  } catch (err) {
    store.close();
    throw err;
  }
}

/**
 * A safeStorage stand-in for headless runs (tests, the end-to-end harness): AES-256-GCM with a
 * key that lives only in this process, so nothing is stored in plain text and nothing survives
 * a restart. Never used by the desktop app, which passes Electron's safeStorage.
 */
export function ephemeralSafeStorage(): SafeStorageLike {
  return keyedSafeStorage(randomBytes(32), { available: true, backend: 'ephemeral' });
}
