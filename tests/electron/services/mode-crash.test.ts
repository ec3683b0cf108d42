import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { databaseFor, readModeRecord } from '../../../electron/services/mode-files';
import { openStore } from '../../../electron/store';
import type { RegistrySimulator } from '../../../sync/sim';
import { ADMIN_PASSWORD } from '../fixtures/app';
import { MIIS_USER, boot, firstAdmin, miisConfigText, seed, startMiis } from './started-app';

// A child switches between training and production in a loop (practising a dose each time it
// is in training) and is killed with SIGKILL at a random moment, again and again on the same
// folder. After every kill the app must start, in the mode its record names, on that mode's
// file, with the administrator able to sign in, and nothing practised in production or at MIIS.

const ROUNDS = 8;
const ROOT = join(__dirname, '../../..');

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function runAndKill(script: string, args: string[], killAfterReadyMs: number): Promise<{ switches: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_PATH: join(ROOT, 'node_modules') } });
    let out = '';
    let err = '';
    let timer: NodeJS.Timeout | undefined;
    const kill = () => child.kill('SIGKILL');
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (!timer && out.includes('ready\n')) timer = setTimeout(kill, killAfterReadyMs);
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const guard = setTimeout(kill, 30_000);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(guard);
      if (timer) clearTimeout(timer);
      if (signal !== 'SIGKILL' || !out.includes('ready\n')) return reject(new Error(`child ended by itself (code ${code}, signal ${signal}): ${err}`));
      resolve({ switches: out.split('\n').filter((l) => l.startsWith('mode ')).length });
    });
  });
}

describe('killed in the middle of a mode switch', () => {
  let dir: string;
  let script: string;
  let miis: RegistrySimulator;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dosedesk-mode-crash-'));
    script = join(dir, 'switch-loop.cjs');
    await build({ entryPoints: [join(__dirname, 'fixtures/switch-loop.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: script, external: ['better-sqlite3', 'better-sqlite3-multiple-ciphers'], logLevel: 'silent' });
    miis = await startMiis();
  });
  afterAll(async () => {
    await miis.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`starts consistently after ${ROUNDS} SIGKILLs at random points of switching`, async () => {
    const setup = await boot({ dir: mkdtempSync(join(dir, 'userData-')), configText: miisConfigText(miis) });
    await firstAdmin(setup);
    await setup.ok('registry.saveCredentials', MIIS_USER);
    await seed(setup, { mrn: 'PRACTICE-1', lastName: 'Practiceperson' });
    await setup.stop();

    const random = rng(20261207);
    let switches = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const delay = Math.floor(random() * 600);
      switches += (await runAndKill(script, [setup.dir, miis.url], delay)).switches;

      const app = await boot({ dir: setup.dir, configText: miisConfigText(miis), reporting: false });
      try {
        const record = readModeRecord(app.started.files);
        expect(record.state, `round ${round} (killed after ${delay} ms)`).toBe('ok');
        if (record.state !== 'ok') continue;
        expect(app.mode()).toBe(record.record.mode);
        expect(app.started.store.path).toBe(databaseFor(app.started.files, record.record.mode));
        expect((await app.call('auth.signIn', { username: 'admin', password: ADMIN_PASSWORD })).ok).toBe(true);
      } finally {
        await app.stop();
      }
      const production = app.started.files.production;
      if (existsSync(production)) {
        const store = openStore(production);
        try {
          expect(store.patients.count(), `round ${round}: a practice patient in production`).toBe(0);
          expect(store.outbox.stats().pending + store.outbox.stats().accepted, `round ${round}: a report in production`).toBe(0);
        } finally {
          store.close();
        }
      }
    }
    // Only the connection checks ever reached MIIS, never a practice dose.
    expect(miis.received().every((m) => m.controlId?.startsWith('PROBE-'))).toBe(true);
    expect(miis.accepted()).toHaveLength(0);
    // The loop did switch (the test is not only killing idle children).
    expect(switches).toBeGreaterThan(0);
  });
});
