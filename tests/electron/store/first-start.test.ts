import { copyFileSync, existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { StoreError, openStore } from '../../../electron/store';
import { MIGRATIONS } from '../../../electron/store/migrations';
import { bundleFixture, startChild } from './children';
import { NURSE, patientInput, tempDir } from './helpers';
import { buildPreviousSchemaDatabase } from './fixtures/older-database';

// A new, empty database is made only on a true first start. Anything else at the database's
// name that holds no data (an empty file, a journal without its file, backups without their
// file) is what a damaged disk, a bad restore or a sync tool leaves, and starting empty there
// would look to the nurse like a clinic with no patients.

const LATEST = MIGRATIONS[MIGRATIONS.length - 1]!.version;

function thrown(fn: () => unknown): StoreError {
  try {
    fn();
  } catch (e) {
    if (e instanceof StoreError) return e;
    throw e;
  }
  throw new Error('expected a StoreError, nothing was thrown');
}

describe('the first start, and only the first start, creates an empty database', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => {
    tmp = tempDir('dosedesk-first-start-');
  });
  afterEach(() => tmp.cleanup());
  const file = () => join(tmp.dir, 'dosedesk.sqlite3');

  it('refuses a zero-byte database file as damage, and leaves it as it was', () => {
    writeFileSync(file(), '');
    const err = thrown(() => openStore(file()));
    expect(err.kind).toBe('corrupt');
    expect(err.message).toContain(file());
    expect(err.message).toMatch(/empty \(0 bytes\)/);
    expect(err.message).toMatch(/Do not delete/);
    expect(statSync(file()).size).toBe(0);
    expect(readdirSync(tmp.dir)).toEqual(['dosedesk.sqlite3']);
  });

  it('refuses a zero-byte file beside a verified backup, naming that backup', () => {
    buildPreviousSchemaDatabase(file(), (older) => {
      older.patients.importMany(Array.from({ length: 20 }, (_, i) => patientInput({ mrn: `Z-${i}` })), NURSE);
    });
    openStore(file()).close(); // the upgrade writes the backup
    const [backup] = readdirSync(tmp.dir).filter((n) => n.endsWith('.bak'));
    writeFileSync(file(), '');
    const err = thrown(() => openStore(file()));
    expect(err.kind).toBe('corrupt');
    expect(err.message).toContain(join(tmp.dir, backup!));
  });

  it('refuses a missing file whose write-ahead log is still there', () => {
    const store = openStore(file());
    store.patients.create(patientInput(), NURSE);
    // A copy of the log taken while it held the change, with the main file gone.
    copyFileSync(`${file()}-wal`, join(tmp.dir, 'wal-copy'));
    store.close();
    rmSync(file());
    copyFileSync(join(tmp.dir, 'wal-copy'), `${file()}-wal`);
    const err = thrown(() => openStore(file()));
    expect(err.kind).toBe('corrupt');
    expect(err.message).toMatch(/is missing/);
    expect(err.message).toMatch(/journal dosedesk\.sqlite3-wal/);
    expect(existsSync(file())).toBe(false);
  });

  it('refuses a missing file with backups of it in the folder (a moved or deleted database, not a new install)', () => {
    buildPreviousSchemaDatabase(file(), () => {});
    openStore(file()).close();
    rmSync(file());
    const err = thrown(() => openStore(file()));
    expect(err.kind).toBe('corrupt');
    expect(err.message).toMatch(/is missing/);
    expect(err.message).toMatch(/backups of it are in/);
    expect(existsSync(file())).toBe(false);
  });

  it('creates the new file whole, under a temporary name first, leaving nothing else behind', () => {
    const logs: string[] = [];
    const store = openStore(file(), { logger: { info: (m) => logs.push(m), warn: (m) => logs.push(m) } });
    expect(store.schemaVersion).toBe(LATEST);
    store.close();
    expect(logs.filter((l) => l === 'store: applied migration')).toHaveLength(MIGRATIONS.length);
    expect(readdirSync(tmp.dir)).toEqual(['dosedesk.sqlite3']);
    const db = new Database(file(), { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  describe('killed during a first start', () => {
    let script: string;
    let build: ReturnType<typeof tempDir>;
    beforeAll(async () => {
      build = tempDir('dosedesk-first-start-build-');
      script = await bundleFixture('open-and-migrate', build.dir);
    });
    afterAll(() => build.cleanup());

    it('leaves nothing the next start refuses, through 12 kills', async () => {
      const probe = startChild(script, [join(tmp.dir, 'probe.sqlite3')]);
      await probe.line('ready');
      const began = performance.now();
      await probe.line(`opened ${LATEST}`);
      const span = Math.max(10, performance.now() - began);
      await probe.exited;

      for (let round = 0; round < 12; round++) {
        const path = join(tmp.dir, `round-${round}.sqlite3`);
        const child = startChild(script, [path]);
        await child.line('ready');
        const timer = setTimeout(() => child.process.kill('SIGKILL'), Math.floor((round / 12) * span * 1.2));
        await child.exited;
        clearTimeout(timer);
        // The next start either creates the file or opens the one the killed start finished.
        const store = openStore(path);
        expect(store.schemaVersion, `round ${round}`).toBe(LATEST);
        store.close();
        expect(readdirSync(tmp.dir).filter((n) => n.includes('.creating-')), `round ${round}`).toEqual([]);
      }
    }, 240_000);
  });
});
