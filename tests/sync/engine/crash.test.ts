import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { openStore } from '../../../electron/store';
import { FINAL_OUTBOX_STATES } from '../../../electron/store/types';
import { startRegistrySimulator, type FaultSettings, type RegistrySimulator } from '../../../sync/sim';
import { NURSE, TODAY, doseInput, seed, tempDir, type Seeded } from './support/world';

// B.5 #2 and #3 for real: a child process runs the engine against the simulator over loopback
// HTTP and is killed with SIGKILL at random moments (mid-claim, mid-send, after the registry
// processed a message but before the ACK was stored), restarted, many times, with doses recorded
// and edited between rounds and the simulator losing ACKs and dropping connections. At the end,
// after one clean drain: every dose is at the registry exactly once, every resend carried the
// same bytes, and every outbox entry is final.

const ROUNDS = 30;
const INITIAL_DOSES = 120;
const DOSES_PER_ROUND = 8;

const here = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = join(here, '../../..');

function lcg(seedValue: number): () => number {
  let s = seedValue >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

interface Run {
  child: ChildProcess;
  lines: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function run(bundle: string, args: string[]): Run {
  const child = spawn(process.execPath, [bundle, ...args], {
    env: { ...process.env, NODE_PATH: join(repoRoot, 'node_modules') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => lines.push(...d.split('\n').filter(Boolean)));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      if (code !== 0 && signal === null && stderr) lines.push(`stderr: ${stderr}`);
      resolve({ code, signal });
    }),
  );
  return { child, lines, exited };
}

async function until(predicate: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const ROUND_FAULTS: FaultSettings[] = [
  { latencyMs: [5, 40], seed: 1 },
  // The registry stores the dose and the ACK never arrives.
  { latencyMs: [5, 40], lostAckRate: 0.35, seed: 2 },
  { latencyMs: [5, 40], dropConnectionRate: 0.1, http500Rate: 0.1, lostAckRate: 0.15, nonHl7ReturnRate: 0.05, timeoutRate: 0.05, seed: 3 },
];

describe('sync engine crash test (SIGKILL child, real simulator, real SQLite file)', () => {
  const tmp = tempDir('dosedesk-sync-crash-');
  const dbPath = join(tmp.dir, 'dosedesk.sqlite');
  let bundle = '';
  let sim: RegistrySimulator;

  beforeAll(async () => {
    // One bundled file: the child starts in a fraction of the time a TypeScript loader takes.
    bundle = join(tmp.dir, 'crash-child.cjs');
    await build({
      entryPoints: [join(here, 'fixtures/crash-child.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      outfile: bundle,
      external: ['better-sqlite3', 'better-sqlite3-multiple-ciphers', 'electron'],
      logLevel: 'error',
    });
    sim = await startRegistrySimulator();
  });

  afterAll(async () => {
    await sim?.stop();
    tmp.cleanup();
  });

  it('B.5 #2 and #3: survives repeated SIGKILLs: every dose reaches the registry exactly once with identical resends, every entry ends final', async () => {
    const random = lcg(20261125);
    const store = openStore(dbPath);
    let seeded: Seeded;
    const doseIds: string[] = [];
    const edited = new Map<string, number>();
    try {
      seeded = seed(store, 40);
      for (let i = 0; i < INITIAL_DOSES; i++) doseIds.push(store.doses.record(doseInput(seeded, seeded.patientIds[i % 40] as string), NURSE, TODAY).dose.id);
    } finally {
      store.close();
    }

    let kills = 0;
    let roundsWithTraffic = 0;
    for (let round = 0; round < ROUNDS; round++) {
      sim.setFaults(ROUND_FAULTS[round % ROUND_FAULTS.length] as FaultSettings);
      const child = run(bundle, [dbPath, sim.url, String(round + 1)]);
      await until(() => child.lines.includes('ready') || child.child.exitCode !== null, 'the child to start', 30_000);
      const before = sim.stats.requests;
      await new Promise((r) => setTimeout(r, 5 + Math.floor(random() * 250)));
      if (child.child.exitCode === null && child.child.kill('SIGKILL')) {
        const { signal } = await child.exited;
        if (signal === 'SIGKILL') kills += 1;
        if (sim.stats.requests > before) roundsWithTraffic += 1;
      } else {
        const { code } = await child.exited;
        expect(code, child.lines.join('\n')).toBe(0);
      }
      // Between crashes the pharmacy keeps working: new doses, and now and then an edit.
      const s = openStore(dbPath);
      try {
        for (let i = 0; i < DOSES_PER_ROUND; i++) {
          doseIds.push(s.doses.record(doseInput(seeded, seeded.patientIds[Math.floor(random() * 40)] as string), NURSE, TODAY).dose.id);
        }
        if (round % 4 === 3) {
          const id = doseIds[Math.floor(random() * doseIds.length)] as string;
          const dose = s.doses.get(id, NURSE);
          if (dose && !edited.has(id)) {
            const { reporting: _r, id: _i, recordedAt: _ra, recordedBy: _rb, updatedAt: _u, version, ...fields } = dose;
            void [_r, _i, _ra, _rb, _u];
            s.doses.edit(id, { ...fields, amountMl: 0.25 }, version, NURSE, TODAY);
            edited.set(id, version + 1);
          }
        }
      } finally {
        s.close();
      }
    }

    // The link is healthy again: one clean run drains whatever is left.
    sim.setFaults({});
    const final = run(bundle, [dbPath, sim.url, '999', 'final']);
    const { code } = await final.exited;
    expect(code, final.lines.join('\n')).toBe(0);
    expect(final.lines).toContain('drained');

    const s = openStore(dbPath);
    try {
      const entries = [];
      for (let seq = 1; ; seq++) {
        const e = s.outbox.get(seq);
        if (!e) break;
        entries.push(e);
      }
      expect(entries.length).toBeGreaterThanOrEqual(doseIds.length);
      const notFinal = entries.filter((e) => !FINAL_OUTBOX_STATES.includes(e.state));
      expect(notFinal.map((e) => `${e.seq}:${e.state}:${e.lastError ?? ''}`)).toEqual([]);

      // Every recorded dose is held exactly once, and nothing else is.
      const held = sim.accepted().map((d) => d.fillerOrderId.split('^')[0] ?? '');
      expect(new Set(held).size).toBe(held.length);
      expect([...held].sort()).toEqual([...doseIds].sort());
      expect(sim.stats.duplicates).toBe(0);
      // Every resend of a control id carried the bytes first sent.
      expect(sim.stats.controlIdConflicts).toBe(0);
      // Edits arrived after their adds, as the latest version.
      for (const id of edited.keys()) {
        const d = sim.accepted().find((x) => x.fillerOrderId.startsWith(id));
        expect(d?.segments).toMatch(/RXA\|[^\r]*\|0\.25\|/);
      }
      const faults = Object.values(sim.stats.faults).reduce((a, b) => a + (b ?? 0), 0);
      // The figures the closing note quotes.
      console.log(
        `sync crash test: ${kills} SIGKILLs (${roundsWithTraffic} rounds sent before the kill), ${faults} injected faults (${sim.stats.faults.lostAck ?? 0} lost ACKs), ${sim.stats.resends} resends deduped, ${doseIds.length} doses, 0 lost, 0 duplicated`,
      );
      expect(kills).toBe(ROUNDS);
      expect(roundsWithTraffic).toBeGreaterThan(ROUNDS / 3);
      expect(sim.stats.resends).toBeGreaterThan(0);
    } finally {
      s.close();
    }
  });
});
