import { existsSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { StoreError, openStore } from '../../../electron/store';
import { verifyDurability } from '../../../electron/store/open-store';
import { checkedBackups, listBackups } from '../../../electron/store/backups';
import { assertMigrationOrder } from '../../../electron/store/migrate';
import { MIGRATIONS, type Migration } from '../../../electron/store/migrations';
import { NURSE, patientInput, tempDir, testClock } from './helpers';

/**
 * A file as an older DoseDesk left it: its migrations applied, a patient written with that
 * version's columns (as that version's code would have).
 */
function buildOldDatabase(path: string, version: number, patientId: string): void {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  for (const m of MIGRATIONS.filter((x) => x.version <= version)) m.up(db);
  db.pragma(`user_version = ${version}`);
  const data = JSON.stringify(patientInput({ lastName: 'Ñúñez', firstName: 'José' }));
  db.prepare(
    `INSERT INTO patients (id, mrn, last_name, first_name, dob, sex, data, created_at, updated_at, version)
     VALUES (?, 'OLD-1', 'Ñúñez', 'José', '2020-03-14', 'F', ?, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 1)`,
  ).run(patientId, data);
  db.close();
}

describe('openStore', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => tmp.cleanup());
  const file = () => join(tmp.dir, 'dosedesk.sqlite');
  const latest = MIGRATIONS[MIGRATIONS.length - 1]!.version;

  it('creates a new database at the latest schema, in WAL with synchronous FULL after a write, foreign keys on', () => {
    const store = openStore(file(), { now: testClock().now });
    expect(store.schemaVersion).toBe(latest);
    store.settings.set('probe', 1, null);
    store.close();
    // The settings live on the file: a second connection sees the mode and the version.
    const db = new Database(file());
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(latest);
    db.close();
    // A new empty database is not backed up: there is nothing to lose.
    expect(listBackups(file())).toEqual([]);
  });

  it('reports the durability settings it read back after its first write', () => {
    const store = openStore(file());
    expect(store.durability).toMatchObject({ journalMode: 'wal', synchronous: 2, foreignKeys: true });
    expect(store.audit.list().map((a) => a.action)).toEqual(['store.open']);
    store.close();
  });

  it('refuses to run when synchronous is not FULL after the first write', () => {
    // better-sqlite3's own WAL default: what a connection that never asked for FULL gets.
    const db = new Database(file());
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE t (x)');
    db.prepare('INSERT INTO t VALUES (1)').run();
    expect(() => verifyDurability(db, 'linux')).toThrow(expect.objectContaining({ kind: 'durability', message: expect.stringContaining('synchronous is 1') }));
    db.pragma('synchronous = FULL');
    expect(verifyDurability(db, 'linux').synchronous).toBe(2);
    expect(() => verifyDurability(db, 'darwin')).toThrow(/fullfsync is off/);
    db.close();
  });

  it('audits reads without an fsync each, and is back to synchronous FULL for the next change', () => {
    const store = openStore(file());
    const p = store.patients.create(patientInput(), NURSE);
    store.patients.search({ text: 'mor' }, NURSE);
    store.patients.get(p.id, NURSE);
    store.doses.listForPatient(p.id, NURSE);
    expect(store.checkDurability().synchronous).toBe(2);
    expect(store.audit.list({ limit: 3 }).map((a) => a.action)).toEqual(['dose.list', 'patient.read', 'patient.search']);
    store.close();
  });

  it('asks for fullfsync on macOS', () => {
    const store = openStore(file(), { platform: 'darwin' });
    expect(store.durability.fullfsync).toBe(true);
    store.close();
  });

  it('applies all migrations from empty, and reopening applies none', () => {
    const logs: string[] = [];
    const logger = { info: (m: string) => logs.push(m), warn: (m: string) => logs.push(m) };
    openStore(file(), { logger }).close();
    expect(logs.filter((l) => l === 'store: applied migration')).toHaveLength(MIGRATIONS.length);
    logs.length = 0;
    openStore(file(), { logger }).close();
    expect(logs.filter((l) => l === 'store: applied migration')).toHaveLength(0);
  });

  it.each(MIGRATIONS.slice(0, -1).map((m) => [m.version]))('migrates a database with data from schema %i, after a backup', (from) => {
    const p = { id: 'patient-old-1' };
    buildOldDatabase(file(), from, p.id);

    const store = openStore(file());
    expect(store.schemaVersion).toBe(latest);
    expect(store.patients.get(p.id, NURSE)?.lastName).toBe('Ñúñez');
    // The search index added at 0020 covers patients created before it. (From 0020 on, the
    // fixture's raw INSERT bypasses the patients module that keeps the index, so only earlier
    // schemas say anything about the migration.)
    if (from < 20) expect(store.patients.search({ text: 'nun jos' }, NURSE).map((r) => r.id)).toEqual([p.id]);
    store.close();

    const [backup, ...others] = checkedBackups(file());
    expect(others).toEqual([]);
    expect(backup).toMatchObject({ verified: true, fromSchema: from, toSchema: latest });
    expect(backup!.name).toMatch(/\.pre-migration-\d+-\d+\.\d{8}T\d{6}Z\.bak$/);
    const db = new Database(backup!.path, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(from);
    expect((db.prepare('SELECT count(*) AS n FROM patients').get() as { n: number }).n).toBe(1);
    db.close();
  });

  it('leaves the old schema intact when a migration fails halfway', () => {
    buildOldDatabase(file(), 10, 'patient-old-1');
    const broken: Migration = {
      version: 20,
      name: 'broken',
      up(db) {
        db.exec('CREATE TABLE half_done (x)');
        throw new Error('migration bug');
      },
    };
    expect(() => openStore(file(), { migrations: [MIGRATIONS[0]!, broken] })).toThrow('migration bug');
    const db = new Database(file(), { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(10);
    expect(db.prepare("SELECT name FROM sqlite_schema WHERE name = 'half_done'").get()).toBeUndefined();
    expect((db.prepare('SELECT count(*) AS n FROM patients').get() as { n: number }).n).toBe(1);
    db.close();
  });

  it('refuses a database from a newer version, naming both versions, and leaves it untouched', () => {
    openStore(file()).close();
    const db = new Database(file());
    db.pragma(`user_version = ${latest + 30}`);
    db.close();
    let error: unknown;
    try {
      openStore(file());
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).kind).toBe('newer_version');
    expect((error as StoreError).message).toContain(`schema ${latest + 30}`);
    expect((error as StoreError).message).toContain(`schema ${latest}`);
    const after = new Database(file(), { readonly: true });
    expect(after.pragma('user_version', { simple: true })).toBe(latest + 30);
    after.close();
  });

  it('refuses a migration list out of order', () => {
    const [a, b] = MIGRATIONS as [Migration, Migration];
    expect(() => assertMigrationOrder([b, a])).toThrow(/out of order/);
    expect(() => assertMigrationOrder([a, a])).toThrow(/out of order/);
    expect(() => openStore(file(), { migrations: [b, a] })).toThrow(/out of order/);
  });

  it('refuses a file that is not a database as corrupt, and keeps the file', () => {
    writeFileSync(file(), 'this is a spreadsheet, not a database'.repeat(200));
    expect(() => openStore(file())).toThrow(expect.objectContaining({ kind: 'corrupt' }));
    expect(existsSync(file())).toBe(true);
  });
});

describe('openStore with a separately built SQLite addon', () => {
  it('loads the addon it is given (npm start passes the Electron build from build/.native/)', () => {
    const dir = tempDir();
    const addon = createRequire(import.meta.url).resolve('better-sqlite3/build/Release/better_sqlite3.node');
    const store = openStore(join(dir.dir, 'native.sqlite3'), { nativeBinding: addon });
    try {
      expect(store.durability.synchronous).toBe(2);
    } finally {
      store.close();
      dir.cleanup();
    }
  });

  it('fails with a classified error, creating nothing, when the addon is missing', () => {
    const dir = tempDir();
    const file = join(dir.dir, 'never.sqlite3');
    try {
      expect(() => openStore(file, { nativeBinding: join(dir.dir, 'missing.node') })).toThrow(StoreError);
      expect(existsSync(file)).toBe(false);
    } finally {
      dir.cleanup();
    }
  });
});
