import { spawn } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { build } from 'esbuild';
import { openStore } from '../../../electron/store';
import { seed, tempDir } from './helpers';

// A child records doses in a loop and is killed with SIGKILL at a random moment, again and
// again on the same file. Every dose it reported as saved must be on disk with its outbox entry
// and audit row, nothing may be half-written, and the file must pass integrity_check.

const ROUNDS = 40;
const ROOT = join(__dirname, '../../..');

/** Deterministic pseudo-random delays, so a failing run can be replayed from its seed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * When to kill: `startup`, that many ms after the spawn (during open, quick_check, recovery); or
 * `saving`, once the child has reported that many saves, then after a few ms more. Counting saves
 * rather than milliseconds puts the kill inside the save loop however slowly a loaded machine
 * gets the child there; the extra delay spreads it over the phases of a save.
 */
type KillAt = { startup: number } | { saving: number; thenMs: number };

function runAndKill(script: string, args: string[], at: KillAt): Promise<{ saved: string[]; sawReady: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_PATH: join(ROOT, 'node_modules') } });
    let out = '';
    let err = '';
    let sawReady = false;
    let armed = false;
    let timer: NodeJS.Timeout | undefined;
    const kill = () => child.kill('SIGKILL');
    if ('startup' in at) timer = setTimeout(kill, at.startup);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (!sawReady && out.includes('ready\n')) sawReady = true;
      if ('saving' in at && !armed && (out.match(/^saved [^\n]*\n/gm)?.length ?? 0) >= at.saving) {
        armed = true;
        timer = setTimeout(kill, at.thenMs);
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    // A child that never gets going is killed anyway; the loop stays bounded.
    const guard = setTimeout(kill, 60_000);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(guard);
      if (timer) clearTimeout(timer);
      if (signal !== 'SIGKILL') return reject(new Error(`child exited by itself (code ${code}): ${err}`));
      // Only complete lines count: a line cut by the kill was never "shown".
      const saved = out
        .split('\n')
        .slice(0, -1)
        .filter((l) => l.startsWith('saved '))
        .map((l) => l.slice(6));
      resolve({ saved, sawReady });
    });
  });
}

describe('crash safety', () => {
  let tmp: ReturnType<typeof tempDir>;
  let script: string;
  beforeAll(async () => {
    tmp = tempDir('dosedesk-crash-');
    script = join(tmp.dir, 'record-loop.cjs');
    await build({
      entryPoints: [join(__dirname, 'fixtures/record-loop.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      outfile: script,
      external: ['better-sqlite3', 'better-sqlite3-multiple-ciphers'],
      logLevel: 'silent',
    });
  });
  afterAll(() => tmp.cleanup());

  it(`keeps every acknowledged dose whole through ${ROUNDS} SIGKILLs at random points`, async () => {
    const path = join(tmp.dir, 'crash.sqlite');
    const setup = openStore(path);
    const s = seed(setup, { lot: { dosesOnHand: 100_000 } });
    setup.close();

    const random = rng(20261125);
    const acknowledged: string[] = [];
    let savingRounds = 0;
    let savingRoundsWithSaves = 0;
    for (let round = 0; round < ROUNDS; round++) {
      // Every fifth round dies during start-up (open, quick_check, recovery) instead.
      const early = round % 5 === 4;
      const at: KillAt = early ? { startup: Math.floor(random() * 120) } : { saving: 1 + Math.floor(random() * 20), thenMs: Math.floor(random() * 25) };
      const { saved } = await runAndKill(script, [path, s.patient.id, s.lot.id, s.clinician.id], at);
      if (!early) {
        savingRounds += 1;
        if (saved.length > 0) savingRoundsWithSaves += 1;
      }
      acknowledged.push(...saved);

      const db = new Database(path);
      try {
        expect(db.pragma('integrity_check', { simple: true }), `round ${round}`).toBe('ok');
        const doses = new Set((db.prepare('SELECT id FROM doses').all() as { id: string }[]).map((r) => r.id));
        const adds = new Set((db.prepare("SELECT dose_id FROM outbox WHERE action = 'A'").all() as { dose_id: string }[]).map((r) => r.dose_id));
        const audited = new Set((db.prepare("SELECT entity_id FROM audit WHERE action = 'dose.record'").all() as { entity_id: string }[]).map((r) => r.entity_id));
        const missing = acknowledged.filter((id) => !doses.has(id) || !adds.has(id) || !audited.has(id));
        expect(missing, `round ${round}: acknowledged doses missing a part`).toEqual([]);
        // No orphan of any part: each dose has exactly its add and its audit row.
        expect(adds.size, `round ${round}`).toBe(doses.size);
        expect(audited.size, `round ${round}`).toBe(doses.size);
        const stock = db.prepare('SELECT doses_on_hand AS n FROM lots WHERE id = ?').get(s.lot.id) as { n: number };
        expect(stock.n, `round ${round}: one dose taken per dose recorded`).toBe(100_000 - doses.size);
      } finally {
        db.close();
      }
    }
    // The kills must have landed while doses were being recorded, not only before: every round
    // meant to kill mid-save did, after at least one acknowledged save.
    expect(savingRounds).toBeGreaterThan(ROUNDS / 2);
    expect(savingRoundsWithSaves).toBe(savingRounds);
    expect(acknowledged.length).toBeGreaterThan(ROUNDS);

    const store = openStore(path);
    expect(store.audit.verifyChain().ok).toBe(true);
    store.close();
  });
});
