import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, watch } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openStore } from '../../../electron/store';
import { MIGRATIONS } from '../../../electron/store/migrations';
import { bundleFixture, startChild } from './children';
import { NURSE, TODAY, patientInput, seed, tempDir } from './helpers';
import { buildPreviousSchemaDatabase } from './fixtures/older-database';

// The backup before an upgrade, killed with SIGKILL at many points from the start of openStore
// to past its end. After every kill, whatever the moment: the live file is whole with every
// patient, every file ending in .bak beside it is a whole copy of that file (a file with that
// name is what IT is told to restore), and the next start upgrades, keeps a bounded number of
// backups and leaves no half-written copy behind.

const ROUNDS = 40;
const PATIENTS = 3_000;
const OLD = MIGRATIONS[MIGRATIONS.length - 2]!.version;
const LATEST = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** Deterministic, so a failing run can be replayed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Opens `path` read-only and says what is wrong with it as a copy of the old database, if anything. */
function problemWith(path: string, schemas: number[]): string | undefined {
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    const check = db.pragma('integrity_check', { simple: true });
    if (check !== 'ok') return `integrity_check: ${String(check)}`;
    const version = Number(db.pragma('user_version', { simple: true }));
    if (!schemas.includes(version)) return `schema ${version}`;
    const n = (db.prepare('SELECT count(*) AS n FROM patients').get() as { n: number }).n;
    if (n !== PATIENTS) return `${n} patients`;
    return undefined;
  } catch (e) {
    return (e as Error).message;
  } finally {
    db?.close();
  }
}

/** Resolves when a file named like a backup appears in `folder` that was not there before. */
function backupFileAppears(folder: string): { appeared: Promise<void>; stop(): void } {
  const before = new Set(readdirSync(folder));
  let stop = () => {};
  const appeared = new Promise<void>((resolve) => {
    const watcher = watch(folder, (_event, name) => {
      if (name && name.includes('.pre-migration-') && !before.has(name)) {
        watcher.close();
        resolve();
      }
    });
    stop = () => watcher.close();
  });
  return { appeared, stop };
}

/**
 * Starts a DoseDesk on `path` and kills it `delayMs` after it starts opening (`from: 'start'`)
 * or after its backup file first appears (`from: 'backup'`: the copy itself is the target).
 */
async function killAfter(script: string, path: string, folder: string, from: 'start' | 'backup', delayMs: number): Promise<{ opened: boolean }> {
  const backup = backupFileAppears(folder);
  const child = startChild(script, [path]);
  let timer: NodeJS.Timeout | undefined;
  const trigger = from === 'start' ? child.line('ready') : backup.appeared;
  void trigger.then(
    () => (timer = setTimeout(() => child.process.kill('SIGKILL'), delayMs)),
    () => undefined,
  );
  const exit = await child.exited;
  backup.stop();
  if (timer) clearTimeout(timer);
  const opened = child.lines().some((l) => l.startsWith('opened '));
  if (exit.signal !== 'SIGKILL' && !opened) throw new Error(`the child failed by itself (code ${exit.code}): ${exit.stderr}`);
  return { opened };
}

describe('a kill during the backup before an upgrade', () => {
  let tmp: ReturnType<typeof tempDir>;
  let script: string;
  beforeAll(async () => {
    tmp = tempDir('dosedesk-backup-crash-');
    script = await bundleFixture('open-and-migrate', tmp.dir);
  });
  afterAll(() => tmp.cleanup());

  it(`never leaves a bad .bak or a damaged live file, through ${ROUNDS} kills`, async () => {
    const template = join(tmp.dir, 'template.sqlite3');
    buildPreviousSchemaDatabase(template, (older) => {
      older.patients.importMany(Array.from({ length: PATIENTS - 1 }, (_, i) => patientInput({ mrn: `B-${i}`, lastName: `Family${i % 400}` })), NURSE);
      const s = seed(older, { patient: { mrn: 'B-SEED' }, lot: { dosesOnHand: 1000 } });
      for (let i = 0; i < 30; i++) older.doses.record(s.dose(), NURSE, TODAY);
    });

    // Every few rounds a new clinic folder, so first-ever backups are killed too; within a
    // folder the leftovers of each kill meet the next start, and old backups are pruned.
    let folder = '';
    let live = '';
    const resetLive = () => {
      for (const suffix of ['-wal', '-shm']) rmSync(`${live}${suffix}`, { force: true });
      copyFileSync(template, live);
    };
    const newClinic = (name: string) => {
      folder = join(tmp.dir, name);
      mkdirSync(folder);
      live = join(folder, 'dosedesk.sqlite3');
    };

    // How long a whole start takes here, and how much of it follows the backup file's
    // appearance, to spread the kills over both (and a little past them).
    newClinic('calibration');
    resetLive();
    const copying = backupFileAppears(folder);
    const calibration = startChild(script, [live]);
    await calibration.line('ready');
    const began = performance.now();
    await copying.appeared;
    const copyBegan = performance.now();
    await calibration.line(`opened ${LATEST}`);
    const span = Math.max(20, performance.now() - began);
    const copySpan = Math.max(10, performance.now() - copyBegan);
    await calibration.exited;

    const random = rng(20261208);
    let killedBeforeOpen = 0;
    for (let round = 0; round < ROUNDS; round++) {
      if (round % 5 === 0) newClinic(`clinic-${round / 5}`);
      resetLive();
      // Even rounds aim at the copy itself, odd ones anywhere in the start.
      const from = round % 2 === 0 ? 'backup' : 'start';
      const delay = Math.floor(((Math.floor(round / 2) + random()) / (ROUNDS / 2)) * (from === 'backup' ? copySpan : span) * 1.1);
      const { opened } = await killAfter(script, live, folder, from, delay);
      if (!opened) killedBeforeOpen += 1;
      const when = `round ${round} (killed ${delay} ms after the ${from === 'backup' ? 'backup file appeared' : 'start'})`;

      expect(problemWith(live, [OLD, LATEST]), `${when}: the live file`).toBeUndefined();
      const baks = readdirSync(folder).filter((n) => n.endsWith('.bak'));
      for (const name of baks) expect(problemWith(join(folder, name), [OLD]), `${when}: ${name}`).toBeUndefined();

      // The next start.
      const store = openStore(live);
      try {
        expect(store.schemaVersion).toBe(LATEST);
        expect(store.patients.count()).toBe(PATIENTS);
      } finally {
        store.close();
      }
      const after = readdirSync(folder);
      expect(after.filter((n) => n.includes('.partial')), `round ${round}: half-written copies`).toEqual([]);
      const kept = after.filter((n) => n.endsWith('.bak'));
      expect(kept.length, `round ${round}: backups kept`).toBeGreaterThan(0);
      expect(kept.length, `round ${round}: backups kept`).toBeLessThanOrEqual(3);
      for (const name of kept) expect(problemWith(join(folder, name), [OLD]), `round ${round}, after the next start: ${name}`).toBeUndefined();
    }
    // The kills must have landed inside the start, not only after it.
    expect(killedBeforeOpen).toBeGreaterThan(ROUNDS / 2);
    expect(existsSync(live)).toBe(true);
    // Forty starts with an upgrade each, on a machine that may be busy: minutes, not seconds.
  }, 360_000);
});
