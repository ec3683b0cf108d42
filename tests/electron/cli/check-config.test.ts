import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkConfig, EXIT } from '../../../electron/cli/check-config';
import { CREDENTIALS_KEY } from '../../../electron/services/credentials';
import { MODE_KEY, SITE_KEY } from '../../../electron/services/settings';
import { openStore } from '../../../electron/store';
import { MIGRATIONS } from '../../../electron/store/migrations';
import { patientInput } from '../../fixtures/records';
import { hideFromIndex } from '../store/corruption';
import { startRegistrySimulator, type RegistrySimulator } from '../../../sync/sim';

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

async function check(opts: Partial<Parameters<typeof checkConfig>[0]>) {
  const lines: string[] = [];
  const code = await checkConfig({ print: (l) => lines.push(l), ...opts });
  return { code, out: lines.join('\n') };
}

describe('dosedesk --check-config', () => {
  it('passes a new machine in training mode with no file and no database yet', async () => {
    const r = await check({ configPath: join(dir, 'absent.json'), dbPath: join(dir, 'absent.sqlite3') });
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
    const db = join(dir, 'garbage.sqlite3');
    writeFileSync(db, Buffer.alloc(8192, 0x41));
    const r = await check({ configPath: join(dir, 'absent.json'), dbPath: db });
    expect(r.code).toBe(EXIT.database);
    expect(r.out).toMatch(/do not delete it/i);
  });

  it('exits 3 for a database from a newer DoseDesk, naming both schema versions', async () => {
    const dbPath = join(dir, 'newer.sqlite3');
    const db = new Database(dbPath);
    db.pragma('user_version = 9990');
    db.close();
    const r = await check({ configPath: join(dir, 'absent.json'), dbPath });
    expect(r.code).toBe(EXIT.database);
    expect(r.out).toMatch(/schema 9990.*up to \d+/);
  });

  it('accepts a database the app created, without changing it', async () => {
    const dbPath = join(dir, 'real.sqlite3');
    openStore(dbPath).close();
    const r = await check({ configPath: join(dir, 'absent.json'), dbPath });
    expect(r.code).toBe(EXIT.ok);
    expect(r.out).toMatch(/ok {3}database: .*schema \d+/);
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

  it("uses what an administrator set in the app when IT's file leaves it open, with the stored credentials", async () => {
    const dbPath = join(dir, 'app-production.sqlite3');
    const store = openStore(dbPath);
    store.settings.set(MODE_KEY, 'production', null);
    store.settings.set(SITE_KEY, { 'registry.preset': 'massachusetts', 'registry.endpointUrl': sim.url, 'registry.facilityId': '10144' }, null);
    store.settings.set(CREDENTIALS_KEY, { username: 'clinic', cipher: Buffer.from('clinic:right-password').toString('base64') }, null);
    store.close();
    const decrypt = (cipher: string) => {
      const [username, password] = Buffer.from(cipher, 'base64').toString('utf8').split(':') as [string, string];
      return { username, password };
    };
    const r = await check({ configPath: join(dir, 'absent.json'), dbPath, decryptStoredCredentials: decrypt });
    expect(r.code).toBe(EXIT.ok);
    expect(r.out).toMatch(/ok {3}registry:/);
    const broken = await check({ configPath: join(dir, 'absent.json'), dbPath, decryptStoredCredentials: () => { throw new Error('key unavailable'); } });
    expect(broken.code).toBe(EXIT.registry_credentials);
    expect(broken.out).toMatch(/enter them again/);
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
    const ok = await run('npx', ['tsx', 'electron/cli/check-config.ts', '--config', join(dir, 'absent.json')]);
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
    const older = openStore(dbPath, { migrations: MIGRATIONS.slice(0, -1) });
    older.patients.importMany(Array.from({ length: 40 }, (_, i) => patientInput({ mrn: `CC-${i}` })), { userId: 'it' });
    older.close();
    openStore(dbPath).close();
    return dbPath;
  }

  it('prints the size, the durability DoseDesk read back at its last start, its last checks and the backups', async () => {
    const dbPath = upgraded();
    const r = await check({ configPath: absent(), dbPath });
    expect(r.code).toBe(EXIT.ok);
    expect(r.out).toMatch(/ok {3}size: \d+ KB/);
    expect(r.out).toMatch(/ok {3}integrity: integrity_check ok .*just now/);
    expect(r.out).toMatch(/ok {3}integrity at start: last full check 20\d\d-/);
    expect(r.out).toMatch(/ok {3}durability: .*journal_mode wal, synchronous FULL/);
    const [backup] = readdirSync(folder).filter((n) => n.endsWith('.bak'));
    expect(r.out).toContain(`ok   backups: 1 of 1 checked whole just now; newest: ${join(folder, backup!)}`);
  });

  it('warns about a cut-off backup instead of listing it as one to restore', async () => {
    const dbPath = upgraded();
    const [backup] = readdirSync(folder).filter((n) => n.endsWith('.bak'));
    const copy = join(folder, backup!.replace(/\.bak$/, '-2.bak'));
    copyFileSync(join(folder, backup!), copy);
    truncateSync(copy, 1024);
    const r = await check({ configPath: absent(), dbPath });
    expect(r.code).toBe(EXIT.ok);
    expect(r.out).toMatch(new RegExp(`warn backup: ${copy.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} .* is NOT a whole copy: .*Do not restore it`));
    expect(r.out).toContain('backups: 1 of 2 checked whole just now');
  });

  it('exits 3 when an index disagrees with its table (which quick_check misses), naming the backup to restore', async () => {
    const dbPath = upgraded();
    const [backup] = readdirSync(folder).filter((n) => n.endsWith('.bak'));
    hideFromIndex(dbPath, 'sqlite_autoindex_patients_2', 'CC-39');
    const r = await check({ configPath: absent(), dbPath });
    expect(r.code).toBe(EXIT.database);
    expect(r.out).toMatch(/FAIL database: .* is damaged \(integrity_check: /);
    expect(r.out).toContain(join(folder, backup!));
    expect(r.out).toMatch(/Do not delete it/);
  });

  it('exits 3 for an empty (0-byte) database file, which DoseDesk refuses to start on', async () => {
    const dbPath = join(folder, 'dosedesk.sqlite3');
    writeFileSync(dbPath, '');
    const r = await check({ configPath: absent(), dbPath });
    expect(r.code).toBe(EXIT.database);
    expect(r.out).toMatch(/empty \(0 bytes\)/);
  });
});
