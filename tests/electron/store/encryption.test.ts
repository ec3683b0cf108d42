import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, StoreError } from '../../../electron/store';
import { fileEncryption, installStoreKey, openDatabase } from '../../../electron/store/driver';
import { STATE_SUFFIX, TEMP_SUFFIX, auditTail, tableCounts } from '../../../electron/store/encrypt';
import { backupPathFor, listBackups } from '../../../electron/store/backups';
import { bundleFixture, startChild } from './children';
import { buildPreviousSchemaDatabase } from './fixtures/older-database';
import { NURSE, TODAY, patientInput, seed, tempDir, testClock } from './helpers';

// The store is encrypted at rest: no patient's name or date of birth is readable in any file
// DoseDesk writes (database, WAL, backups), a wrong key is refused without touching the file,
// and an old plaintext database is encrypted in place, surviving a kill at any moment.

const NAME = 'Moreau';
const FIRST = 'Amélie';
const DOB = '2020-03-14';

function leaks(file: string): string[] {
  const bytes = readFileSync(file);
  return [NAME, FIRST, DOB].filter((s) => bytes.includes(Buffer.from(s, 'utf8')) || bytes.includes(Buffer.from(s, 'utf16le')));
}

function folderLeaks(dir: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const name of readdirSync(dir)) {
    const found = leaks(join(dir, name));
    if (found.length) out[name] = found;
  }
  return out;
}

/** A plaintext database as earlier versions left it, with a plaintext pre-migration backup beside it. */
function plaintextInstall(dir: string, patients = 50): string {
  const path = join(dir, 'dosedesk.sqlite3');
  const store = openStore(path, { now: testClock().now, key: undefined });
  const s = seed(store);
  store.doses.record(s.dose(), NURSE, TODAY);
  store.patients.importMany(Array.from({ length: patients }, (_, i) => patientInput({ lastName: `${NAME}${i}`, mrn: `MRN-X${i}` })), NURSE);
  store.close();
  const db = openDatabase(path, { key: null });
  const version = Number(db.pragma('user_version', { simple: true }));
  db.prepare('VACUUM INTO ?').run(backupPathFor(path, version, version, new Date('2026-11-20T10:00:00Z')));
  db.close();
  expect(listBackups(path)).toHaveLength(1);
  return path;
}

describe('encrypted store', () => {
  it('writes no name or date of birth in the database, its WAL or its pre-migration backup', () => {
    const tmp = tempDir();
    const key = randomBytes(32);
    const path = join(tmp.dir, 'dosedesk.sqlite3');
    try {
      buildPreviousSchemaDatabase(path, (older) => void seed(older));
      const store = openStore(path, { key });
      expect(listBackups(path)).toHaveLength(1);
      const s = seed(store, { patient: { mrn: 'MRN-WAL' } });
      store.doses.record(s.dose(), NURSE, TODAY);
      expect(store.patients.get(s.patient.id, NURSE)).toMatchObject({ lastName: NAME, firstName: FIRST, dob: DOB });
      // Still open: the WAL holds the latest pages.
      expect(existsSync(`${path}-wal`)).toBe(true);
      expect(readFileSync(`${path}-wal`).length).toBeGreaterThan(0);
      expect(folderLeaks(tmp.dir)).toEqual({});
      store.close();
      expect(folderLeaks(tmp.dir)).toEqual({});
      expect(fileEncryption(path)).toBe('encrypted');
      expect(fileEncryption(listBackups(path)[0]!.path)).toBe('encrypted');
    } finally {
      tmp.cleanup();
    }
  });

  it('refuses a wrong or missing key as locked, changing nothing and making no new database', () => {
    const tmp = tempDir();
    const path = join(tmp.dir, 'dosedesk.sqlite3');
    try {
      const store = openStore(path, { key: randomBytes(32) });
      seed(store);
      store.close();
      const before = readFileSync(path);
      const wrong = (() => {
        try {
          openStore(path, { key: randomBytes(32) });
        } catch (err) {
          return err;
        }
      })();
      expect(wrong).toBeInstanceOf(StoreError);
      expect(wrong).toMatchObject({ kind: 'locked', message: expect.stringMatching(/cannot unlock.*recovery key.*do not delete/) });
      expect(() => openStore(path)).toThrow(StoreError);
      expect(readFileSync(path).equals(before)).toBe(true);
      expect(readdirSync(tmp.dir).sort()).toEqual(['dosedesk.sqlite3']);
    } finally {
      tmp.cleanup();
    }
  });

  it('encrypts an old plaintext database in place: same rows, same audit chain, nothing plaintext left', () => {
    const tmp = tempDir();
    const key = randomBytes(32);
    try {
      const path = plaintextInstall(tmp.dir);
      const plain = openDatabase(path, { readonly: true, key: null });
      const counts = tableCounts(plain);
      const tail = auditTail(plain);
      plain.close();
      expect(Object.keys(folderLeaks(tmp.dir)).length).toBeGreaterThan(0);

      const store = openStore(path, { key });
      expect(store.patients.search({ mrn: 'MRN-X7' }, NURSE).length).toBeGreaterThan(0);
      store.close();
      expect(fileEncryption(path)).toBe('encrypted');
      const db = openDatabase(path, { readonly: true, key });
      const after = tableCounts(db);
      // Opening wrote its own audit and health rows; every earlier row is still there.
      for (const [table, n] of Object.entries(counts)) expect(after[table], table).toBeGreaterThanOrEqual(n);
      expect(db.prepare('SELECT hash FROM audit WHERE id = ?').get(tail!.rows)).toEqual({ hash: tail!.lastHash });
      expect(auditTail(db)).toBeDefined();
      db.close();
      expect(folderLeaks(tmp.dir)).toEqual({});
      expect(readdirSync(tmp.dir).filter((n) => n.includes(TEMP_SUFFIX) || n.endsWith(STATE_SUFFIX))).toEqual([]);
    } finally {
      tmp.cleanup();
    }
  });

  it('opens every file of the installation with the installed key', () => {
    const tmp = tempDir();
    const uninstall = installStoreKey(randomBytes(32));
    try {
      const path = join(tmp.dir, 'dosedesk.sqlite3');
      openStore(path).close();
      expect(fileEncryption(path)).toBe('encrypted');
      const db = openDatabase(path, { readonly: true });
      expect(db.pragma('cipher', { simple: true })).toBe('sqlcipher');
      db.close();
    } finally {
      uninstall();
      tmp.cleanup();
    }
  });
});

describe('plaintext→encrypted upgrade killed at any moment', () => {
  const tmp = tempDir('dosedesk-encrypt-kill-');
  const key = randomBytes(32);
  let script = '';
  let source = '';
  let expected: Record<string, number> = {};
  let expectedTail: ReturnType<typeof auditTail>;
  let runMs = 0;

  beforeAll(async () => {
    script = await bundleFixture('encrypt-upgrade', tmp.dir);
    const dir = join(tmp.dir, 'source');
    mkdirSync(dir);
    source = plaintextInstall(dir, 5_000);
    const db = openDatabase(source, { readonly: true, key: null });
    expected = tableCounts(db);
    expectedTail = auditTail(db);
    db.close();
    // One run to the end, to know how long the upgrade takes here.
    const probe = copyInstall('probe');
    const child = startChild(script, [probe, key.toString('hex')]);
    await child.line('started');
    const t0 = performance.now();
    await child.line('done');
    runMs = performance.now() - t0;
  });
  afterAll(() => tmp.cleanup());

  let n = 0;
  function copyInstall(name: string): string {
    const dir = join(tmp.dir, `${name}-${n++}`);
    mkdirSync(dir);
    for (const file of readdirSync(join(tmp.dir, 'source'))) copyFileSync(join(tmp.dir, 'source', file), join(dir, file));
    return join(dir, 'dosedesk.sqlite3');
  }

  /** After the kill: the next start resumes or rolls back, and every row is there, encrypted. */
  function assertWhole(path: string): void {
    const store = openStore(path, { key });
    store.close();
    expect(fileEncryption(path)).toBe('encrypted');
    const db = openDatabase(path, { readonly: true, key });
    try {
      const got = tableCounts(db);
      for (const [table, count] of Object.entries(expected)) expect(got[table], table).toBeGreaterThanOrEqual(count);
      expect(got.patients).toBe(expected.patients);
      expect(got.doses).toBe(expected.doses);
      expect(db.prepare('SELECT hash FROM audit WHERE id = ?').get(expectedTail!.rows)).toEqual({ hash: expectedTail!.lastHash });
      auditTail(db);
    } finally {
      db.close();
    }
    const dir = join(path, '..');
    expect(folderLeaks(dir)).toEqual({});
    for (const b of listBackups(path)) expect(fileEncryption(b.path)).toBe('encrypted');
  }

  it.each(['started', 'copied', 'rekeyed', 'closed', 'marked', 'swapped', 'backup'])('killed at "%s", the next start finishes or undoes it', async (step) => {
    const path = copyInstall(step);
    const child = startChild(script, [path, key.toString('hex'), step]);
    const exit = await child.exited;
    expect(exit.signal).toBe('SIGKILL');
    assertWhole(path);
  });

  it('killed at 50 random moments, never loses a row', async () => {
    expect(runMs).toBeGreaterThan(0);
    const outcomes = { killed: 0, finished: 0 };
    for (let i = 0; i < 50; i++) {
      const path = copyInstall('random');
      const child = startChild(script, [path, key.toString('hex')]);
      await child.line('started');
      // Spread over the whole upgrade and a little beyond it.
      const delay = Math.random() * runMs * 1.1;
      await new Promise((resolve) => setTimeout(resolve, delay));
      child.process.kill('SIGKILL');
      const exit = await child.exited;
      if (exit.signal === 'SIGKILL') outcomes.killed += 1;
      else outcomes.finished += 1;
      assertWhole(path);
    }
    expect(outcomes.killed).toBeGreaterThan(25);
  });
});
