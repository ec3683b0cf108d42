import { join } from 'node:path';
import Database from 'better-sqlite3';
import { StoreError, openStore, type LocalStore } from '../../../electron/store';
import { MIGRATIONS } from '../../../electron/store/migrations';
import { bundleFixture, startChild } from './children';
import { NURSE, TODAY, countRows, patientInput, seed, tempDir } from './helpers';
import { buildPreviousSchemaDatabase } from './fixtures/older-database';

// Two writers on one file, each in its own process: SQLite lets one write at a time and the
// other waits up to the busy timeout. A write that reads first and asks for the lock later is
// refused at once instead of waiting (SQLite cannot let a reader with an old snapshot write),
// so every write must take the lock before its first read.

const HOLD_MS = 400;

describe('two writers on one database', () => {
  let tmp: ReturnType<typeof tempDir>;
  let holdLock: string;
  let migrateSlowly: string;
  beforeAll(async () => {
    tmp = tempDir('dosedesk-contention-');
    holdLock = await bundleFixture('hold-write-lock', tmp.dir);
    migrateSlowly = await bundleFixture('migrate-slowly', tmp.dir);
  });
  afterAll(() => tmp.cleanup());

  let n = 0;
  function fresh(): { path: string; store: LocalStore; s: ReturnType<typeof seed> } {
    const path = join(tmp.dir, `writers-${++n}.sqlite3`);
    const store = openStore(path, { busyTimeoutMs: 20_000 });
    return { path, store, s: seed(store, { patient: { mrn: `W-${n}` }, lot: { dosesOnHand: 100 } }) };
  }

  /** Runs `write` while another process holds the write lock, which it gives up after HOLD_MS. */
  async function whileAnotherProcessWrites<T>(path: string, write: () => T): Promise<T> {
    const other = startChild(holdLock, [path, String(HOLD_MS)]);
    await other.line('locked');
    // Synchronous: this blocks until the other process lets go (or the busy timeout ends).
    const result = write();
    const exit = await other.exited;
    expect(exit.code, exit.stderr).toBe(0);
    return result;
  }

  it('a dose recorded while another process writes waits its turn and is saved', async () => {
    const { path, store, s } = fresh();
    try {
      const before = countRows(path);
      const { dose, outbox } = await whileAnotherProcessWrites(path, () => store.doses.record(s.dose(), NURSE, TODAY));
      expect(outbox.state).toBe('pending');
      expect(countRows(path).doses).toBe(before.doses + 1);
      expect(store.doses.get(dose.id, NURSE)?.id).toBe(dose.id);
    } finally {
      store.close();
    }
  });

  it('creating a patient, an audit row and an audited read all wait their turn too', async () => {
    const { path, store, s } = fresh();
    try {
      const created = await whileAnotherProcessWrites(path, () => store.patients.create(patientInput({ mrn: 'W-NEW' }), NURSE));
      expect(created.mrn).toBe('W-NEW');
      const entry = await whileAnotherProcessWrites(path, () => store.audit.append({ userId: NURSE.userId, action: 'test.mark' }));
      expect(entry.action).toBe('test.mark');
      const read = await whileAnotherProcessWrites(path, () => store.patients.get(s.patient.id, NURSE));
      expect(read?.id).toBe(s.patient.id);
      expect(store.audit.list({ limit: 1 })[0]?.action).toBe('patient.read');
      expect(store.audit.verifyChain().ok).toBe(true);
    } finally {
      store.close();
    }
  });

  it('still reports busy, changing nothing, when the other writer keeps the lock past the timeout', async () => {
    const { path, store, s } = fresh();
    store.close();
    const impatient = openStore(path, { busyTimeoutMs: 50 });
    try {
      const before = countRows(path);
      const other = startChild(holdLock, [path, String(HOLD_MS)]);
      await other.line('locked');
      let error: unknown;
      try {
        impatient.doses.record(s.dose(), NURSE, TODAY);
      } catch (e) {
        error = e;
      }
      await other.exited;
      expect(error).toBeInstanceOf(StoreError);
      expect((error as StoreError).kind).toBe('busy');
      expect(countRows(path).doses).toBe(before.doses);
    } finally {
      impatient.close();
    }
  });

  describe('a second DoseDesk starting while the first one migrates', () => {
    function oldDatabase(name: string): string {
      const path = join(tmp.dir, name);
      buildPreviousSchemaDatabase(path, (older) => {
        older.patients.importMany(Array.from({ length: 50 }, (_, i) => patientInput({ mrn: `OLD-${i}` })), NURSE);
      });
      return path;
    }

    it('waits for the migration and opens the migrated file, instead of failing on "already exists"', async () => {
      const path = oldDatabase('migrating-wait.sqlite3');
      const first = startChild(migrateSlowly, [path, String(HOLD_MS)]);
      await first.line('migrating');
      const second = openStore(path, { busyTimeoutMs: 20_000 });
      try {
        expect(second.schemaVersion).toBe(MIGRATIONS[MIGRATIONS.length - 1]!.version);
        expect(second.patients.count()).toBe(50);
      } finally {
        second.close();
      }
      const exit = await first.exited;
      expect(exit.code, exit.stderr).toBe(0);
      const db = new Database(path, { readonly: true });
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      db.close();
    });

    it('gets a classified busy error, not a schema error, when the migration outlasts its patience', async () => {
      const path = oldDatabase('migrating-busy.sqlite3');
      const first = startChild(migrateSlowly, [path, String(HOLD_MS)]);
      await first.line('migrating');
      let error: unknown;
      try {
        openStore(path, { busyTimeoutMs: 20 }).close();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(StoreError);
      expect((error as StoreError).kind).toBe('busy');
      const exit = await first.exited;
      expect(exit.code, exit.stderr).toBe(0);
      // The first one finished the job; the file opens at the new schema with every patient.
      const store = openStore(path);
      expect(store.patients.count()).toBe(50);
      store.close();
    });
  });
});
