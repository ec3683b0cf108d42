// `dosedesk --check-config` (and `npm run check-config` for the same check under Node): tells
// an IT script whether this machine is set up right, in three steps, and exits non-zero with
// the first reason it is not.
//   0  configuration, database and registry are fine (or training mode: no registry needed)
//   2  the machine-wide configuration file is invalid
//   3  the database is unreadable, corrupt, or from a newer DoseDesk
//   4  the network between here and the registry (proxy, firewall, Wi-Fi login, TLS), or it is down
//   5  the registry refused the credentials, or production lacks them
//   6  the endpoint settings are wrong (URL, preset, payload encoding): see registry-exit.ts
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { ConfigError, defaultConfigPath, loadConfig, type MachineConfig } from '../services/config';
import { CREDENTIALS_KEY, type StoredCredentials } from '../services/credentials';
import { MODE_KEY, SITE_KEY } from '../services/settings';
import { MIGRATIONS } from '../store/migrations';
import { createSoapTransport, massachusettsPreset, cdcStandardPreset, type ConnectionCheck } from '../../sync/transport';
import { MISSING_ENDPOINT_FIX, REGISTRY_EXIT, registryExit } from './registry-exit';

export const EXIT = { ok: 0, config: 2, database: 3, registry_unreachable: REGISTRY_EXIT.network, registry_credentials: REGISTRY_EXIT.credentials, registry_endpoint: REGISTRY_EXIT.endpoint } as const;

export interface EffectiveEndpoint {
  preset: 'massachusetts' | 'cdc_standard';
  url: string;
  facilityId: string;
}

/** What the app saved in its own settings table (read-only), for the parts IT's file leaves open. */
interface SavedAppSettings {
  mode?: 'training' | 'production';
  site: { 'registry.preset'?: EffectiveEndpoint['preset']; 'registry.endpointUrl'?: string; 'registry.facilityId'?: string };
  credentialsCipher?: string;
}

export interface CheckConfigOptions {
  configPath?: string;
  /** The database file; absent means "not created yet", which is fine on a new machine. */
  dbPath?: string;
  /** Registry credentials given directly (under Node: from the environment). */
  credentials?: { username: string; password: string };
  /**
   * Inside Electron: decrypts the credentials the app stored (safeStorage ciphertext, base64),
   * so the check uses exactly what the app will send.
   */
  decryptStoredCredentials?: (cipherBase64: string) => { username: string; password: string };
  /** See OpenStoreOptions.nativeBinding (Electron in development). */
  nativeBinding?: string;
  /** Skip the network step (e.g. imaging a machine before it is on the clinic network). */
  skipRegistry?: boolean;
  /** Replace the connection check (tests use the real transport against a loopback simulator). */
  checkConnection?: (endpoint: EffectiveEndpoint, credentials: { username: string; password: string }) => Promise<ConnectionCheck>;
  print: (line: string) => void;
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

  const db = checkDatabase(opts.dbPath, opts.print, opts.nativeBinding);
  if (db.code !== EXIT.ok) return db.code;

  // What the app will use: IT's file wins, then what an administrator set in the app.
  const mode = config.mode ?? db.saved.mode ?? 'training';
  const endpoint: EffectiveEndpoint = {
    preset: config.fixed['registry.preset'] ?? db.saved.site['registry.preset'] ?? 'massachusetts',
    url: config.fixed['registry.endpointUrl'] ?? db.saved.site['registry.endpointUrl'] ?? '',
    facilityId: config.fixed['registry.facilityId'] ?? db.saved.site['registry.facilityId'] ?? '',
  };
  if (mode !== 'production') {
    opts.print('ok   registry: training mode; reports go to the built-in simulator and nothing reaches MIIS');
    return EXIT.ok;
  }
  if (opts.skipRegistry) {
    opts.print('skip registry: not checked (--skip-registry)');
    return EXIT.ok;
  }
  let credentials = opts.credentials;
  if (!credentials && db.saved.credentialsCipher && opts.decryptStoredCredentials) {
    try {
      credentials = opts.decryptStoredCredentials(db.saved.credentialsCipher);
    } catch (err) {
      opts.print(`FAIL registry: the stored MIIS credentials cannot be decrypted on this machine (${(err as Error).message}); an administrator must enter them again in Settings.`);
      return EXIT.registry_credentials;
    }
  }
  if (!endpoint.url) {
    opts.print('FAIL registry: production mode but no registry endpoint URL is set (registry.endpointUrl in the configuration file, or Settings in the app).');
    opts.print(MISSING_ENDPOINT_FIX);
    return EXIT.registry_endpoint;
  }
  if (!credentials) {
    opts.print('FAIL registry: production mode needs the MIIS web-service credentials; an administrator enters them in Settings (or pass DOSEDESK_REGISTRY_USERNAME/DOSEDESK_REGISTRY_PASSWORD to this check).');
    return EXIT.registry_credentials;
  }
  const check = await (opts.checkConnection ?? defaultConnectionCheck)(endpoint, credentials);
  if (check.ok) {
    opts.print(`ok   registry: ${check.detail}`);
    return EXIT.ok;
  }
  opts.print(`FAIL registry: ${check.reason}`);
  const exit = registryExit(check);
  opts.print(exit.fix);
  return exit.code;
}

function checkDatabase(dbPath: string | undefined, print: (line: string) => void, nativeBinding?: string): { code: number; saved: SavedAppSettings } {
  const none: SavedAppSettings = { site: {} };
  if (!dbPath || !existsSync(dbPath)) {
    print(`ok   database: ${dbPath ? `${dbPath} does not exist yet; it is created on first start` : 'not checked (no path given)'}`);
    return { code: EXIT.ok, saved: none };
  }
  const latest = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;
  let db: Database.Database | undefined;
  try {
    // Read-only: a check must never migrate, repair or create anything.
    db = new Database(dbPath, { readonly: true, fileMustExist: true, nativeBinding });
    const version = Number(db.pragma('user_version', { simple: true }));
    const quick = String(db.pragma('quick_check', { simple: true }));
    if (quick !== 'ok') {
      print(`FAIL database: ${dbPath} is damaged (quick_check: ${quick}). Do not delete it; restore the latest backup (see the IT guide) or contact support.`);
      return { code: EXIT.database, saved: none };
    }
    if (version > latest) {
      print(`FAIL database: ${dbPath} was written by a newer DoseDesk (schema ${version}); this version understands up to ${latest}. Install the newer version.`);
      return { code: EXIT.database, saved: none };
    }
    const pending = MIGRATIONS.filter((m) => m.version > version).length;
    print(`ok   database: ${dbPath} (schema ${version}${pending ? `, ${pending} migration(s) will run at next start after a backup` : ''})`);
    return { code: EXIT.ok, saved: version > 0 ? readSavedSettings(db) : none };
  } catch (err) {
    print(`FAIL database: ${dbPath} cannot be opened (${(err as Error).message}). Check the file's permissions and that the disk is healthy; do not delete it.`);
    return { code: EXIT.database, saved: none };
  } finally {
    db?.close();
  }
}

function readSavedSettings(db: Database.Database): SavedAppSettings {
  const get = db.prepare('SELECT value FROM settings WHERE key = ?');
  const read = <T>(key: string): T | undefined => {
    const row = get.get(key) as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as T) : undefined;
  };
  return {
    mode: read<'training' | 'production'>(MODE_KEY),
    site: read<SavedAppSettings['site']>(SITE_KEY) ?? {},
    credentialsCipher: read<StoredCredentials>(CREDENTIALS_KEY)?.cipher,
  };
}

async function defaultConnectionCheck(endpoint: EffectiveEndpoint, credentials: { username: string; password: string }): Promise<ConnectionCheck> {
  const site = { url: endpoint.url, facilityId: endpoint.facilityId, ...credentials };
  const settings = endpoint.preset === 'cdc_standard' ? cdcStandardPreset(site) : massachusettsPreset(site);
  return createSoapTransport(settings).checkConnection();
}

function argValue(argv: string[], flag: string): string | undefined {
  const i = argv.indexOf(flag);
  return i >= 0 ? argv[i + 1] : undefined;
}

/** Command-line entry: `npm run check-config -- [--config FILE] [--db FILE] [--skip-registry]`. */
export async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const username = env.DOSEDESK_REGISTRY_USERNAME;
  const password = env.DOSEDESK_REGISTRY_PASSWORD;
  return checkConfig({
    configPath: argValue(argv, '--config'),
    dbPath: argValue(argv, '--db'),
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
