// `dosedesk --check-config` (and `npm run check-config` for the same check under Node): tells
// an IT script whether this machine is set up right, in three steps, and exits non-zero with
// the first reason it is not.
//   0  configuration, database and registry are fine (or training mode: no registry needed)
//   2  the machine-wide configuration file is invalid
//   3  a database is unreadable, corrupt (full integrity_check), or from a newer DoseDesk, or the mode files disagree
//   4  the network between here and the registry (proxy, firewall, Wi-Fi login, TLS), or it is down
//   5  the registry refused the credentials, or production lacks them
//   6  the endpoint settings are wrong (URL, preset, payload encoding): see registry-exit.ts
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import type Database from 'better-sqlite3';
import { openDatabase } from '../store/driver';
import type { RunMode, SettingsValues } from '../api';
import { ConfigError, defaultConfigPath, loadConfig, type MachineConfig } from '../services/config';
import { CREDENTIALS_KEY, CredentialStore, type RegistryCredentials, type SafeStorageLike } from '../services/credentials';
import { ApiFailure } from '../services/errors';
import { modeFiles } from '../services/mode-files';
import { describeModeFiles } from '../services/mode-start';
import { checkEndpoint, productionEndpoint, type CheckConnection } from '../services/registry';
import { SettingsService } from '../services/settings';
import { hasTable, openSideConnection } from '../services/side-connection';
import { StoreError } from '../store/errors';
import { MIGRATIONS } from '../store/migrations';
import { checkStoreFile } from '../store/store-file';
import { damagedLine, fullIntegrityCheck, storeReport } from './store-report';
import { MISSING_ENDPOINT_FIX, REGISTRY_EXIT, registryExit } from './registry-exit';
import type { SettingsRepo } from '../store/types';
import type { EndpointSettings } from '../../sync/transport/settings';

export const EXIT = { ok: 0, config: 2, database: 3, registry_unreachable: REGISTRY_EXIT.network, registry_credentials: REGISTRY_EXIT.credentials, registry_endpoint: REGISTRY_EXIT.endpoint } as const;

export interface CheckConfigOptions {
  configPath?: string;
  /**
   * The user-data folder with the databases and the mode record (the app's userData); absent
   * means "not checked". A folder without databases is a new machine, which is fine.
   */
  dataDir?: string;
  /** Registry credentials given directly (under Node: from the environment); they win over the stored ones. */
  credentials?: RegistryCredentials;
  /**
   * Inside Electron: safeStorage, so the credentials the app stored are decrypted by the app's
   * own credential store and the check uses exactly what the app will send.
   */
  safeStorage?: SafeStorageLike;
  platform?: NodeJS.Platform;
  /** See OpenStoreOptions.nativeBinding (Electron in development). */
  nativeBinding?: string;
  /** Skip the network step (e.g. imaging a machine before it is on the clinic network). */
  skipRegistry?: boolean;
  /** Replace the connection check (tests use the real transport against a loopback simulator). */
  checkConnection?: CheckConnection;
  print: (line: string) => void;
}

/** The stored MIIS credentials as the app's credential store sees them. */
type StoredCredentialState =
  | { state: 'none' }
  /** Stored, but this check has no safeStorage to decrypt them (run under Node). */
  | { state: 'sealed' }
  | { state: 'readable'; credentials: RegistryCredentials }
  | { state: 'unreadable'; message: string };

/** What the app will work with, read through its own services. */
interface AppView {
  mode: RunMode;
  values: SettingsValues;
  stored: StoredCredentialState;
}

export async function checkConfig(opts: CheckConfigOptions): Promise<number> {
  const path = opts.configPath ?? defaultConfigPath();
  let config: MachineConfig;
  try {
    config = loadConfig(path);
  } catch (err) {
    if (err instanceof ConfigError) {
      opts.print(`FAIL configuration: ${err.message}`);
      return EXIT.config;
    }
    throw err;
  }
  opts.print(config.found ? `ok   configuration: ${path}` : `ok   configuration: no file at ${path}; defaults apply (training mode)`);

  let mode: RunMode = config.mode ?? 'training';
  let settingsFrom: string | undefined;
  if (!opts.dataDir) {
    opts.print('ok   database: not checked (no data folder given)');
  } else {
    // The same decision the app makes at start: which mode, so which of the two files.
    const files = describeModeFiles(modeFiles(opts.dataDir), config, opts.nativeBinding);
    if (files.problem) {
      opts.print(`FAIL database: ${files.problem}`);
      return EXIT.database;
    }
    mode = files.mode;
    opts.print(`ok   mode: ${mode}${config.mode ? ` (fixed in ${path})` : ''}${files.note ? `; ${files.note}` : ''}`);
    const db = checkDatabase(files.database, opts.print, opts.nativeBinding);
    if (db.code !== EXIT.ok) return db.code;
    if (files.other) {
      const other = checkDatabase(files.other, opts.print, opts.nativeBinding);
      if (other.code !== EXIT.ok) return other.code;
    }
    if (db.schema > 0) settingsFrom = files.database;
  }

  const view = readAppView(config, mode, settingsFrom, opts);
  if (view.mode !== 'production') {
    opts.print('ok   registry: training mode; reports go to the built-in simulator and nothing reaches MIIS');
    return EXIT.ok;
  }
  if (opts.skipRegistry) {
    opts.print('skip registry: not checked (--skip-registry)');
    return EXIT.ok;
  }
  let credentials = opts.credentials;
  if (!credentials && view.stored.state === 'sealed') {
    opts.print('FAIL registry: the stored MIIS credentials can only be decrypted by DoseDesk itself; run "dosedesk --check-config", or pass DOSEDESK_REGISTRY_USERNAME/DOSEDESK_REGISTRY_PASSWORD to this check.');
    return EXIT.registry_credentials;
  }
  if (!credentials && view.stored.state === 'unreadable') {
    opts.print(`FAIL registry: ${view.stored.message}`);
    return EXIT.registry_credentials;
  }
  if (!credentials && view.stored.state === 'readable') credentials = view.stored.credentials;
  if (!credentials) {
    opts.print('FAIL registry: production mode needs the MIIS web-service credentials; an administrator enters them in Settings (or pass DOSEDESK_REGISTRY_USERNAME/DOSEDESK_REGISTRY_PASSWORD to this check).');
    return EXIT.registry_credentials;
  }
  let endpoint: EndpointSettings;
  try {
    // The very function reporting uses: MIIS identifies the site by its Vaccine PIN.
    endpoint = productionEndpoint(view.values, credentials);
  } catch (err) {
    if (!(err instanceof ApiFailure)) throw err;
    opts.print(`FAIL registry: ${err.message}`);
    // Credentials are known by now: what is missing or wrong is the endpoint setting itself.
    opts.print(MISSING_ENDPOINT_FIX);
    return EXIT.registry_endpoint;
  }
  const check = await (opts.checkConnection ?? checkEndpoint)(endpoint);
  if (check.ok) {
    opts.print(`ok   registry: ${check.detail} (facilityID ${endpoint.facilityId})`);
    return EXIT.ok;
  }
  opts.print(`FAIL registry: ${check.reason} (facilityID ${endpoint.facilityId})`);
  const exit = registryExit(check);
  opts.print(exit.fix);
  return exit.code;
}

function readAppView(config: MachineConfig, mode: RunMode, dbPath: string | undefined, opts: Pick<CheckConfigOptions, 'safeStorage' | 'nativeBinding' | 'platform'>): AppView {
  if (!dbPath) {
    const settings = new SettingsService(emptySettings, config, () => mode);
    return { mode: settings.mode(), values: settings.effective().values, stored: { state: 'none' } };
  }
  // Read-only: a check must never migrate, repair or create anything.
  const side = openSideConnection(dbPath, { readonly: true, nativeBinding: opts.nativeBinding });
  try {
    const settings = new SettingsService(side.settings, config, () => mode);
    return { mode: settings.mode(), values: settings.effective().values, stored: storedCredentials(side.settings, opts) };
  } finally {
    side.close();
  }
}

function storedCredentials(repo: SettingsRepo, opts: Pick<CheckConfigOptions, 'safeStorage' | 'platform'>): StoredCredentialState {
  if (repo.get(CREDENTIALS_KEY) === undefined) return { state: 'none' };
  if (!opts.safeStorage) return { state: 'sealed' };
  try {
    const credentials = new CredentialStore(opts.safeStorage, repo, opts.platform ?? process.platform).load();
    return credentials ? { state: 'readable', credentials } : { state: 'none' };
  } catch (err) {
    return { state: 'unreadable', message: (err as Error).message };
  }
}

/** No database yet: nothing saved, so IT's file and the defaults are all there is. */
const emptySettings: SettingsRepo = {
  get: () => undefined,
  set: () => {
    throw new Error('The check writes nothing.');
  },
};

function checkDatabase(dbPath: string, print: (line: string) => void, nativeBinding?: string): { code: number; schema: number } {
  if (existsSync(dirname(dbPath))) {
    // The same refusals as the app's start: an empty file, a journal or backups without their file.
    try {
      checkStoreFile(dbPath, { nativeBinding });
    } catch (err) {
      if (!(err instanceof StoreError)) throw err;
      print(`FAIL database: ${err.message}`);
      return { code: EXIT.database, schema: 0 };
    }
  }
  if (!existsSync(dbPath)) {
    print(`ok   database: ${dbPath} does not exist yet; it is created on first start`);
    return { code: EXIT.ok, schema: 0 };
  }
  const latest = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;
  let db: Database.Database | undefined;
  try {
    // Read-only: a check must never migrate, repair or create anything.
    db = openDatabase(dbPath, { readonly: true, fileMustExist: true, nativeBinding });
    const version = Number(db.pragma('user_version', { simple: true }));
    const problems = fullIntegrityCheck(db);
    if (problems.length) {
      print(damagedLine(dbPath, problems, nativeBinding));
      return { code: EXIT.database, schema: version };
    }
    if (version > latest) {
      print(`FAIL database: ${dbPath} was written by a newer DoseDesk (schema ${version}); this version understands up to ${latest}. Install the newer version.`);
      return { code: EXIT.database, schema: version };
    }
    const pending = MIGRATIONS.filter((m) => m.version > version).length;
    print(`ok   database: ${dbPath} (schema ${version}${pending ? `, ${pending} migration(s) will run at next start after a backup` : ''})`);
    for (const line of storeReport(db, dbPath, version, nativeBinding)) print(line);
    return { code: EXIT.ok, schema: version > 0 && hasTable(db, 'settings') ? version : 0 };
  } catch (err) {
    print(`FAIL database: ${dbPath} cannot be opened (${(err as Error).message}). Check the file's permissions and that the disk is healthy; do not delete it.`);
    return { code: EXIT.database, schema: 0 };
  } finally {
    db?.close();
  }
}

function argValue(argv: string[], flag: string): string | undefined {
  const i = argv.indexOf(flag);
  return i >= 0 ? argv[i + 1] : undefined;
}

/**
 * Command-line entry: `npm run check-config -- [--config FILE] [--data-dir DIR] [--skip-registry]`.
 * `--db FILE` (the production database, as earlier versions documented) names its folder.
 */
export async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const username = env.DOSEDESK_REGISTRY_USERNAME;
  const password = env.DOSEDESK_REGISTRY_PASSWORD;
  const db = argValue(argv, '--db');
  return checkConfig({
    configPath: argValue(argv, '--config'),
    dataDir: argValue(argv, '--data-dir') ?? (db ? dirname(db) : undefined),
    skipRegistry: argv.includes('--skip-registry'),
    credentials: username && password ? { username, password } : undefined,
    print: (line) => console.log(line),
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2), process.env).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(`FAIL check-config: ${(err as Error).message}`);
      process.exit(1);
    },
  );
}
