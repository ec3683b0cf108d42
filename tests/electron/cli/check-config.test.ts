import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkConfig, EXIT } from '../../../electron/cli/check-config';
import { CREDENTIALS_KEY } from '../../../electron/services/credentials';
import { MODE_KEY, SITE_KEY } from '../../../electron/services/settings';
import { openStore } from '../../../electron/store';
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
    const dbPath = join(dir, 'app-production-nourl.sqlite3');
    const store = openStore(dbPath);
    store.settings.set(MODE_KEY, 'production', null);
    store.settings.set(SITE_KEY, { 'registry.preset': 'massachusetts', 'registry.facilityId': '10144' }, null);
    store.close();
    const r = await check({ configPath: join(dir, 'absent.json'), dbPath, credentials: creds });
    expect(r.code).toBe(EXIT.registry_endpoint);
    expect(r.out).toMatch(/no registry endpoint URL is set/);
  });
});
