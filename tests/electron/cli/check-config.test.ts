import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkConfig, EXIT } from '../../../electron/cli/check-config';
import { patientInput } from '../../fixtures/records';
import { hideFromIndex } from '../store/corruption';
import { parseConfig } from '../../../electron/services/config';
import { CredentialStore } from '../../../electron/services/credentials';
import { modeFiles, writeModeRecord, type ModeFiles } from '../../../electron/services/mode-files';
import { openModeStore } from '../../../electron/services/mode-start';
import { LEGACY_MODE_KEY, SITE_KEY } from '../../../electron/services/settings';
import { openStore } from '../../../electron/store';
import { ephemeralSafeStorage, startApp } from '../../../electron/services/start';
import type { SafeStorageLike } from '../../../electron/services/credentials';
import { FAST_SCRYPT, fakeSafeStorage, snapshot } from '../../electron/fixtures/app';
import { startRegistrySimulator, type RegistrySimulator } from '../../../sync/sim';
import { buildPreviousSchemaDatabase } from '../store/fixtures/older-database';

const run = promisify(execFile);
let dir: string;
let sim: RegistrySimulator;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dosedesk-check-config-'));
  sim = await startRegistrySimulator({ users: [{ username: 'clinic', password: 'right-password' }], connectivityTestSupported: false, credentialPlacement: 'wsse' });
});
afterAll(async () => {
  await sim.stop();
  rmSync(dir, { recursive: true, force: true });
});

function writeConfig(name: string, value: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
  return path;
}

function production(url: string) {
  return { mode: 'production', registry: { preset: 'massachusetts', endpointUrl: url, vaccinePin: 'PIN123', facilityId: '10144' } };
}

/** A fresh user-data folder. */
function dataDir(name: string): ModeFiles {
  const path = join(dir, name);
  mkdirSync(path);
  return modeFiles(path);
}

/** A mode's database as the app leaves it, with the site settings and credentials an administrator saved. */
function saveSite(files: ModeFiles, mode: 'training' | 'production', site: Record<string, string>, safeStorage: SafeStorageLike, credentials?: { username: string; password: string }) {
  const store = openModeStore(files, mode, parseConfig(join(dir, 'absent.json'), undefined));
  try {
    // What the settings screen saves (it takes only https; the loopback simulator speaks http).
    store.settings.set(SITE_KEY, site, null);
    if (credentials) new CredentialStore(safeStorage, store.settings, 'linux').save(credentials, { userId: 'u-admin' });
  } finally {
    store.close();
  }
}

async function check(opts: Partial<Parameters<typeof checkConfig>[0]>) {
  const lines: string[] = [];
  const code = await checkConfig({ print: (l) => lines.push(l), ...opts });
  return { code, out: lines.join('\n') };
}

describe('dosedesk --check-config', () => {
  it('passes a new machine in training mode with no file and no database yet', async () => {
    const r = await check({ configPath: join(dir, 'absent.json'), dataDir: join(dir, 'no-such-folder') });
    expect(r.code).toBe(EXIT.ok);
    expect(r.out).toMatch(/training mode/);
  });

  it('exits 2 naming the file and the field when the configuration is wrong', async () => {
    const path = writeConfig('bad.json', { registry: { endpointUrl: 'http://miis.example.org/soap' }, autoLockMinutes: 'ten' });
    const r = await check({ configPath: path });
    expect(r.code).toBe(EXIT.config);
    expect(r.out).toContain(path);
    expect(r.out).toMatch(/registry\.endpointUrl/);
    expect(r.out).toMatch(/autoLockMinutes/);
  });

  it('exits 3 for a damaged database and says not to delete it', async () => {
    const files = dataDir('garbage');
    writeFileSync(files.production, Buffer.alloc(8192, 0x41));
    const r = await check({ configPath: join(dir, 'absent.json'), dataDir: files.dir });
    expect(r.code).toBe(EXIT.database);
    expect(r.out).toMatch(/do not delete it/i);
  });

  it('exits 3 for a database from a newer DoseDesk, naming both schema versions', async () => {
    const files = dataDir('newer');
    const db = new Database(files.production);
    db.pragma('user_version = 9990');
    db.close();
    const r = await check({ configPath: join(dir, 'absent.json'), dataDir: files.dir });
    expect(r.code).toBe(EXIT.database);
    expect(r.out).toMatch(/schema 9990.*up to \d+/);
  });

  it('accepts the databases the app created, without changing them', async () => {
    const files = dataDir('real');
    const started = await startApp({ dataDir: files.dir, config: parseConfig(join(dir, 'absent.json'), undefined), safeStorage: ephemeralSafeStorage(), info: { name: 'DoseDesk', version: 'test', platform: 'linux' }, scrypt: FAST_SCRYPT, reporting: false, logError: () => {} });
    await started.stop();
    const before = snapshot(files.training);
    const r = await check({ configPath: join(dir, 'absent.json'), dataDir: files.dir });
    expect(r.code).toBe(EXIT.ok);
    expect(r.out).toMatch(/ok {3}mode: training/);
    expect(r.out).toContain(`ok   database: ${files.training} (schema `);
    expect(snapshot(files.training)).toBe(before);
  });

  it('exits 5 in production without credentials', async () => {
    const r = await check({ configPath: writeConfig('prod-nocreds.json', production(sim.url)) });
    expect(r.code).toBe(EXIT.registry_credentials);
  });

  it('proves the registry answers and accepts the credentials (MIIS has no connectivityTest)', async () => {
    const path = writeConfig('prod.json', production(sim.url));
    const before = sim.accepted().length;
    expect((await check({ configPath: path, credentials: { username: 'clinic', password: 'right-password' } })).code).toBe(EXIT.ok);
    expect(sim.accepted().length).toBe(before);
    expect((await check({ configPath: path, credentials: { username: 'clinic', password: 'wrong' } })).code).toBe(EXIT.registry_credentials);
  });

  it('sends the facilityID the app sends: the Vaccine PIN, not the facility id', async () => {
    // An MIIS account is tied to the site's Vaccine PIN; any other facilityID is a SecurityFault.
    const pinned = await startRegistrySimulator({ users: [{ username: 'clinic', password: 'right-password', facilityIds: ['PIN123'] }], connectivityTestSupported: false, credentialPlacement: 'wsse' });
    try {
      const path = writeConfig('prod-pin.json', production(pinned.url));
      const r = await check({ configPath: path, credentials: { username: 'clinic', password: 'right-password' } });
      expect(r.out).toMatch(/ok {3}registry:/);
      expect(r.code).toBe(EXIT.ok);
      expect(pinned.received().map((m) => m.facilityId)).toEqual(['PIN123']);
    } finally {
      await pinned.stop();
    }
  });

  it('reads what an administrator saved through the app\'s own settings and credential services', async () => {
    const pinned = await startRegistrySimulator({ users: [{ username: 'clinic', password: 'right-password', facilityIds: ['PIN-77'] }], connectivityTestSupported: false, credentialPlacement: 'wsse' });
    const files = dataDir('app-saved');
    const safeStorage = fakeSafeStorage();
    saveSite(files, 'production', { 'registry.endpointUrl': pinned.url, 'registry.vaccinePin': 'PIN-77', 'registry.facilityId': 'ORG-9' }, safeStorage, { username: 'clinic', password: 'right-password' });
    writeModeRecord(files, { mode: 'production', since: '2026-12-01T09:00:00.000Z' });
    try {
      const r = await check({ configPath: join(dir, 'absent.json'), dataDir: files.dir, safeStorage });
      expect(r.out).toMatch(/ok {3}registry:/);
      expect(r.code).toBe(EXIT.ok);
      expect(pinned.received().map((m) => m.facilityId)).toEqual(['PIN-77']);
      const undecryptable = await check({ configPath: join(dir, 'absent.json'), dataDir: files.dir, safeStorage: { ...safeStorage, decryptString: () => { throw new Error('key unavailable'); } } });
      expect(undecryptable.code).toBe(EXIT.registry_credentials);
      expect(undecryptable.out).toMatch(/enter them again/);
      const underNode = await check({ configPath: join(dir, 'absent.json'), dataDir: files.dir });
      expect(underNode.code).toBe(EXIT.registry_credentials);
      expect(underNode.out).toMatch(/dosedesk --check-config/);
    } finally {
      await pinned.stop();
    }
  });

  it('looks at the database of the mode the app is in', async () => {
    const pinned = await startRegistrySimulator({ users: [{ username: 'clinic', password: 'right-password', facilityIds: ['PIN-77'] }], connectivityTestSupported: false, credentialPlacement: 'wsse' });
    const files = dataDir('two-files');
    const safeStorage = fakeSafeStorage();
    // The training file still holds what was copied at the last switch; production has the fix since.
    saveSite(files, 'training', { 'registry.endpointUrl': pinned.url, 'registry.vaccinePin': 'OLD-PIN' }, safeStorage, { username: 'clinic', password: 'old-password' });
    saveSite(files, 'production', { 'registry.endpointUrl': pinned.url, 'registry.vaccinePin': 'PIN-77' }, safeStorage, { username: 'clinic', password: 'right-password' });
    try {
      writeModeRecord(files, { mode: 'production', since: '2026-12-01T09:00:00.000Z' });
      const production = await check({ configPath: join(dir, 'absent.json'), dataDir: files.dir, safeStorage });
      expect(production.out).toMatch(/ok {3}mode: production/);
      expect(production.code).toBe(EXIT.ok);
      expect(production.out).toContain(`ok   database: ${files.production}`);
      expect(production.out).toContain(`ok   database: ${files.training}`);
      expect(pinned.received().map((m) => m.facilityId)).toEqual(['PIN-77']);

      writeModeRecord(files, { mode: 'training', since: '2026-12-02T09:00:00.000Z' });
      const training = await check({ configPath: join(dir, 'absent.json'), dataDir: files.dir, safeStorage });
      expect(training.code).toBe(EXIT.ok);
      expect(training.out).toMatch(/ok {3}registry: training mode/);
      expect(pinned.received()).toHaveLength(1);

      // Both files and no record: the app would refuse to guess, and so does the check.
      rmSync(files.record);
      const unknown = await check({ configPath: join(dir, 'absent.json'), dataDir: files.dir, safeStorage });
      expect(unknown.code).toBe(EXIT.database);
      expect(unknown.out).toContain(files.record);
    } finally {
      await pinned.stop();
    }
  });

  it('on a database from the shared-database versions: reads it as the app will, and leaves it as it is', async () => {
    const files = dataDir('shared');
    const safeStorage = fakeSafeStorage();
    const store = openStore(files.production);
    store.settings.set(LEGACY_MODE_KEY, 'production', null);
    store.settings.set(SITE_KEY, { 'registry.endpointUrl': sim.url, 'registry.vaccinePin': 'PIN123' }, null);
    new CredentialStore(safeStorage, store.settings, 'linux').save({ username: 'clinic', password: 'right-password' }, { userId: 'u-admin' });
    store.close();
    const before = snapshot(files.production);
    const r = await check({ configPath: join(dir, 'absent.json'), dataDir: files.dir, safeStorage });
    expect(r.code).toBe(EXIT.ok);
    expect(r.out).toMatch(/ok {3}mode: production; .*stays the production file/);
    expect(r.out).toMatch(/ok {3}registry: .*facilityID PIN123/);
    expect(snapshot(files.production)).toBe(before);
    expect(existsSync(files.training)).toBe(false);
    expect(existsSync(files.record)).toBe(false);
  });

  it('exits 4 when nothing answers at the endpoint', async () => {
    const closed = await startRegistrySimulator();
    const url = closed.url;
    await closed.stop();
    const r = await check({ configPath: writeConfig('prod-down.json', production(url)), credentials: { username: 'clinic', password: 'x' } });
    expect(r.code).toBe(EXIT.registry_unreachable);
  });

  it('returns its exit code to the shell for IT scripts', async () => {
    const bad = writeConfig('bad-json.json', '{ "mode": ');
    const failed = await run('npx', ['tsx', 'electron/cli/check-config.ts', '--config', bad]).catch((e: { code: number; stdout: string }) => e);
    expect('code' in failed ? failed.code : 0).toBe(EXIT.config);
    expect(failed.stdout).toMatch(/is not valid JSON/);
    const ok = await run('npx', ['tsx', 'electron/cli/check-config.ts', '--config', join(dir, 'absent.json'), '--data-dir', join(dir, 'no-such-folder')]);
    expect(ok.stdout).toMatch(/ok {3}registry: training mode/);
  });
});

describe('dosedesk --check-config: the database file for IT', () => {
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'dosedesk-check-db-'));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));
  const absent = () => join(folder, 'absent.json');

  /** A database upgraded from the schema before the latest, so a verified backup sits beside it. */
  function upgraded(): string {
    const dbPath = join(folder, 'dosedesk.sqlite3');
    buildPreviousSchemaDatabase(dbPath, (older) => {
      older.patients.importMany(Array.from({ length: 40 }, (_, i) => patientInput({ mrn: `CC-${i}` })), { userId: 'it' });
    });
    openStore(dbPath).close();
    return dbPath;
  }

  it('prints the size, the durability DoseDesk read back at its last start, its last checks and the backups', async () => {
    upgraded();
    const r = await check({ configPath: absent(), dataDir: folder });
    expect(r.code).toBe(EXIT.ok);
    expect(r.out).toMatch(/ok {3}size: \d+ KB/);
    expect(r.out).toMatch(/ok {3}integrity: integrity_check ok .*just now/);
    expect(r.out).toMatch(/ok {3}integrity at start: last full check 20\d\d-/);
    expect(r.out).toMatch(/ok {3}durability: .*journal_mode wal, synchronous FULL/);
    const [backup] = readdirSync(folder).filter((n) => n.endsWith('.bak'));
    expect(r.out).toContain(`ok   backups: 1 of 1 checked whole just now; newest: ${join(folder, backup!)}`);
  });

  it('warns about a cut-off backup instead of listing it as one to restore', async () => {
    upgraded();
    const [backup] = readdirSync(folder).filter((n) => n.endsWith('.bak'));
    const copy = join(folder, backup!.replace(/\.bak$/, '-2.bak'));
    copyFileSync(join(folder, backup!), copy);
    truncateSync(copy, 1024);
    const r = await check({ configPath: absent(), dataDir: folder });
    expect(r.code).toBe(EXIT.ok);
    expect(r.out).toMatch(new RegExp(`warn backup: ${copy.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} .* is NOT a whole copy: .*Do not restore it`));
    expect(r.out).toContain('backups: 1 of 2 checked whole just now');
  });

  it('exits 3 when an index disagrees with its table (which quick_check misses), naming the backup to restore', async () => {
    const dbPath = upgraded();
    const [backup] = readdirSync(folder).filter((n) => n.endsWith('.bak'));
    hideFromIndex(dbPath, 'sqlite_autoindex_patients_2', 'CC-39');
    const r = await check({ configPath: absent(), dataDir: folder });
    expect(r.code).toBe(EXIT.database);
    expect(r.out).toMatch(/FAIL database: .* is damaged \(integrity_check: /);
    expect(r.out).toContain(join(folder, backup!));
    expect(r.out).toMatch(/Do not delete it/);
  });

  it('exits 3 for an empty (0-byte) database file, which DoseDesk refuses to start on', async () => {
    const dbPath = join(folder, 'dosedesk.sqlite3');
    writeFileSync(dbPath, '');
    const r = await check({ configPath: absent(), dataDir: folder });
    expect(r.code).toBe(EXIT.database);
    expect(r.out).toMatch(/empty \(0 bytes\)/);
  });
});

describe('a failed registry check says which part to fix, by exit code (network 4, credentials 5, endpoint 6)', () => {
  const creds = { username: 'clinic', password: 'right-password' };

  it.each([
    ['http407', /proxy/],
    ['http400', /firewall/],
    ['http406', /firewall/],
    ['captivePortalRedirect', /sign in to the network/],
    ['captivePortalPage', /sign in to the network/],
  ] as const)('%s (a proxy, firewall or Wi-Fi login in between) → exit 4, the network, and the credentials were not checked', async (fault, said) => {
    sim.failNext(1, fault);
    const r = await check({ configPath: writeConfig(`prod-${fault}.json`, production(sim.url)), credentials: creds });
    expect(r.code).toBe(EXIT.registry_unreachable);
    expect(r.out).toMatch(said);
    expect(r.out).toMatch(/^fix {2}the network between this computer and the registry/m);
    expect(r.out).toMatch(/credentials were not checked/);
  });

  it('a refused password → exit 5, the credentials', async () => {
    const r = await check({ configPath: writeConfig('prod-badpass.json', production(sim.url)), credentials: { ...creds, password: 'wrong' } });
    expect(r.code).toBe(EXIT.registry_credentials);
    expect(r.out).toMatch(/^fix {2}the MIIS web-service username and password/m);
  });

  it.each([
    ['a URL that is not the web service (HTTP 404)', () => ({ url: `${sim.url}-old`, fault: undefined })],
    ['a service without that operation (UnsupportedOperationFault)', () => ({ url: sim.url, fault: 'unsupportedOperationFault' as const })],
  ])('%s → exit 6, the endpoint settings', async (_what, setup) => {
    const { url, fault } = setup();
    if (fault) sim.failNext(1, fault);
    const r = await check({ configPath: writeConfig(`prod-endpoint-${fault ?? '404'}.json`, production(url)), credentials: creds });
    expect(r.code).toBe(EXIT.registry_endpoint);
    expect(r.out).toMatch(/^fix {2}the registry endpoint settings/m);
  });

  it('a registry answering in Base64 while the settings say plain text → exit 6, the connection options', async () => {
    const base64 = await startRegistrySimulator({ users: [{ username: 'clinic', password: 'right-password' }], connectivityTestSupported: false, credentialPlacement: 'wsse', payloadEncoding: 'base64' });
    try {
      const r = await check({ configPath: writeConfig('prod-base64.json', production(base64.url)), credentials: creds });
      expect(r.code).toBe(EXIT.registry_endpoint);
      expect(r.out).toMatch(/payload encoding/);
    } finally {
      await base64.stop();
    }
  });

  it('production without an endpoint URL → exit 6, not "unreachable"', async () => {
    // IT's file would refuse this; an administrator's settings in the app can leave it empty.
    const files = dataDir('production-nourl');
    saveSite(files, 'production', { 'registry.preset': 'massachusetts', 'registry.facilityId': '10144' }, fakeSafeStorage());
    writeModeRecord(files, { mode: 'production', since: '2026-12-01T09:00:00.000Z' });
    const r = await check({ configPath: join(dir, 'absent.json'), dataDir: files.dir, credentials: creds });
    expect(r.code).toBe(EXIT.registry_endpoint);
    expect(r.out).toMatch(/registry address \(registry\.endpointUrl\)/);
  });
});
