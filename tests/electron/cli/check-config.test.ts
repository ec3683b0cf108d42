import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkConfig, EXIT } from '../../../electron/cli/check-config';
import { CredentialStore } from '../../../electron/services/credentials';
import { MODE_KEY, SITE_KEY } from '../../../electron/services/settings';
import { openStore } from '../../../electron/store';
import { fakeSafeStorage } from '../../electron/fixtures/app';
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
    const dbPath = join(dir, 'app-saved.sqlite3');
    const safeStorage = fakeSafeStorage();
    const store = openStore(dbPath);
    try {
      // What the settings screen saves (it takes only https; the loopback simulator speaks http).
      store.settings.set(SITE_KEY, { 'registry.endpointUrl': pinned.url, 'registry.vaccinePin': 'PIN-77', 'registry.facilityId': 'ORG-9' }, null);
      store.settings.set(MODE_KEY, 'production', null);
      new CredentialStore(safeStorage, store.settings, 'linux').save({ username: 'clinic', password: 'right-password' }, { userId: 'u-admin' });
    } finally {
      store.close();
    }
    try {
      const r = await check({ configPath: join(dir, 'absent.json'), dbPath, safeStorage });
      expect(r.out).toMatch(/ok {3}registry:/);
      expect(r.code).toBe(EXIT.ok);
      expect(pinned.received().map((m) => m.facilityId)).toEqual(['PIN-77']);
      const undecryptable = await check({ configPath: join(dir, 'absent.json'), dbPath, safeStorage: { ...safeStorage, decryptString: () => { throw new Error('key unavailable'); } } });
      expect(undecryptable.code).toBe(EXIT.registry_credentials);
      expect(undecryptable.out).toMatch(/enter them again/);
    } finally {
      await pinned.stop();
    }
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
