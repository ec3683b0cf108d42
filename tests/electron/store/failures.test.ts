import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, readdirSync, statSync, truncateSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { StoreError, openStore } from '../../../electron/store';
import { classifyError, kindForCode } from '../../../electron/store/errors';
import { NURSE, TODAY, countRows, patientInput, seed, tempDir, testStore } from './helpers';
import { buildPreviousSchemaDatabase } from './fixtures/older-database';

function storeWithData(dir: string, doses = 20): string {
  const path = join(dir, 'dosedesk.sqlite');
  const store = openStore(path);
  const s = seed(store, { lot: { dosesOnHand: 1000 } });
  store.patients.importMany(Array.from({ length: 300 }, (_, i) => patientInput({ mrn: `F-${i}`, lastName: `Family${i}` })), NURSE);
  for (let i = 0; i < doses; i++) store.doses.record(s.dose(), NURSE, TODAY);
  store.close();
  return path;
}

function thrown(fn: () => unknown): StoreError {
  try {
    fn();
  } catch (e) {
    if (e instanceof StoreError) return e;
    throw e;
  }
  throw new Error('expected a StoreError, nothing was thrown');
}

/** Root can mount a tmpfs here; elsewhere (non-root CI, macOS) these cases skip and say why. */
function canMount(): { ok: boolean; reason: string } {
  if (process.platform !== 'linux') return { ok: false, reason: 'tmpfs mounts need Linux' };
  if (process.getuid?.() !== 0) return { ok: false, reason: 'mounting a tmpfs needs root' };
  const probe = tempDir('dosedesk-mount-probe-');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe.dir], { stdio: 'pipe' });
    execFileSync('umount', [probe.dir], { stdio: 'pipe' });
    return { ok: true, reason: '' };
  } catch (e) {
    return { ok: false, reason: `mount failed: ${(e as Error).message.split('\n')[0]}` };
  } finally {
    probe.cleanup();
  }
}
const mount = canMount();
if (!mount.ok) console.warn(`[store failures] skipping read-only and disk-full cases: ${mount.reason}`);

describe('failure classes', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => tmp.cleanup());

  it('maps SQLite and errno codes to kinds', () => {
    expect(kindForCode('SQLITE_CORRUPT_INDEX')).toBe('corrupt');
    expect(kindForCode('SQLITE_NOTADB')).toBe('corrupt');
    expect(kindForCode('SQLITE_READONLY_DBMOVED')).toBe('read_only');
    expect(kindForCode('SQLITE_FULL')).toBe('disk_full');
    expect(kindForCode('ENOSPC')).toBe('disk_full');
    expect(kindForCode('SQLITE_BUSY_SNAPSHOT')).toBe('busy');
    expect(kindForCode('SQLITE_LOCKED')).toBe('busy');
    expect(kindForCode('SQLITE_CONSTRAINT_FOREIGNKEY')).toBe('constraint');
    expect(kindForCode('SQLITE_IOERR_FSYNC')).toBe('io');
    const plain = new Error('not ours');
    expect(classifyError(plain)).toBe(plain);
  });

  it('refuses a missing data folder instead of starting empty somewhere else', () => {
    const err = thrown(() => openStore(join(tmp.dir, 'unplugged-drive', 'dosedesk.sqlite')));
    expect(err.kind).toBe('io');
    expect(err.message).toMatch(/does not exist/);
  });

  it('refuses a truncated file as corrupt and never replaces it', () => {
    const path = storeWithData(tmp.dir);
    const size = statSync(path).size;
    truncateSync(path, Math.floor(size / 2));
    const err = thrown(() => openStore(path));
    expect(err.kind).toBe('corrupt');
    expect(err.message).toMatch(/Do not delete/);
    expect(statSync(path).size).toBe(Math.floor(size / 2));
  });

  it('refuses a file with damaged pages as corrupt (quick_check at open), leaving it as it was', () => {
    const path = storeWithData(tmp.dir);
    const pageSize = 4096;
    const fd = openSync(path, 'r+');
    // Scribble over a few pages past the schema page: table and index b-tree pages.
    for (const page of [2, 3, 5, 8]) writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, page * pageSize);
    closeSync(fd);
    const bytes = readFileSync(path);
    const err = thrown(() => openStore(path));
    expect(err.kind).toBe('corrupt');
    expect(readFileSync(path).equals(bytes)).toBe(true);
  });

  it('reports another program holding the write lock as busy, and works once it lets go', () => {
    const path = storeWithData(tmp.dir, 1);
    const store = openStore(path, { busyTimeoutMs: 50 });
    const s = seed(store, { patient: { mrn: 'BUSY-1' } });
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');
    const before = countRows(path);
    const err = thrown(() => store.doses.record(s.dose(), NURSE, TODAY));
    expect(err.kind).toBe('busy');
    expect(err.message).toMatch(/try again/i);
    other.exec('ROLLBACK');
    other.close();
    expect(countRows(path)).toEqual(before);
    expect(store.doses.record(s.dose(), NURSE, TODAY).outbox.state).toBe('pending');
    store.close();
  });

  it('classifies a duplicate MRN in a bulk import as a constraint error and imports none of the batch', () => {
    const t = testStore();
    try {
      const err = thrown(() => t.store.patients.importMany([patientInput({ mrn: 'D-1' }), patientInput({ mrn: 'D-1' })], NURSE));
      expect(err.kind).toBe('constraint');
      expect(t.store.patients.count()).toBe(0);
    } finally {
      t.done();
    }
  });

  describe.skipIf(!mount.ok)('on a real small file system', () => {
    let mnt: string;
    beforeEach(() => {
      mnt = join(tmp.dir, 'mnt');
      mkdirSync(mnt);
    });
    // A store left open by a failing assertion would keep the mount busy (and mounted).
    const opened: { close(): void }[] = [];
    const keep = <T extends { close(): void }>(store: T): T => {
      opened.push(store);
      return store;
    };
    afterEach(() => {
      for (const store of opened.splice(0)) store.close();
      try {
        execFileSync('umount', [mnt], { stdio: 'pipe' });
      } catch {
        // already unmounted
      }
    });

    it('refuses a read-only folder as read_only (root ignores chmod, so the mount itself is read-only), and opens once it is writable', () => {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', mnt]);
      const path = storeWithData(mnt, 3);
      const bytes = readFileSync(path);
      execFileSync('mount', ['-o', 'remount,ro', mnt]);
      const err = thrown(() => openStore(path));
      expect(err.kind).toBe('read_only');
      expect(err.message).toMatch(/read-only|cannot write/i);
      expect(readFileSync(path).equals(bytes)).toBe(true);
      execFileSync('mount', ['-o', 'remount,rw', mnt]);
      const store = openStore(path);
      expect(store.outbox.stats().pending).toBe(3);
      store.close();
    });

    /** Fills what is left of the mounted disk with a file; truncating it frees the space again. */
    function fillDisk(): string {
      const filler = join(mnt, 'filler');
      const fd = openSync(filler, 'a');
      const chunk = Buffer.alloc(16 * 1024, 1);
      for (let i = 0; i < 2000; i++) {
        try {
          writeSync(fd, chunk);
        } catch {
          break;
        }
      }
      // The last few blocks, smaller than a chunk.
      for (let i = 0; i < 64; i++) {
        try {
          writeSync(fd, Buffer.alloc(256, 1));
        } catch {
          break;
        }
      }
      closeSync(fd);
      return filler;
    }

    it('says the disk is full when DoseDesk starts on a full disk (not "check the disk"), changing nothing, and starts once space is freed', () => {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', mnt]);
      const path = storeWithData(mnt, 4);
      const bytes = readFileSync(path);
      const filler = fillDisk();
      const err = thrown(() => openStore(path));
      expect(err.kind).toBe('disk_full');
      expect(err.message).toMatch(/disk that holds the DoseDesk data folder .* is full/);
      expect(err.message).toContain(mnt);
      expect(err.message).not.toMatch(/check the disk/);
      expect(readFileSync(path).equals(bytes)).toBe(true);
      truncateSync(filler, 0);
      const store = openStore(path);
      expect(store.outbox.stats().pending).toBe(4);
      store.close();
    });

    it('lets a nurse read charts on a full disk; the reads are audited, in order and chained, once space returns', () => {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', mnt]);
      const path = join(mnt, 'dosedesk.sqlite3');
      let t = Date.parse('2026-11-25T15:00:00.000Z');
      const store = keep(openStore(path, { now: () => new Date((t += 1000)) }));
      const s = seed(store, { lot: { dosesOnHand: 1000 } });
      const given = store.doses.record(s.dose(), NURSE, TODAY).dose;
      const filler = fillDisk();
      // Writes fail: the disk really is full.
      let failure: StoreError | undefined;
      for (let i = 0; i < 500 && !failure; i++) {
        try {
          store.doses.record(s.dose({ notes: 'x'.repeat(1500) }), NURSE, TODAY);
        } catch (e) {
          if (!(e instanceof StoreError)) throw e;
          failure = e;
        }
      }
      expect(failure?.kind).toBe('disk_full');
      const lastWritten = store.audit.list({ limit: 1 })[0]!;

      const reads = 150;
      for (let i = 0; i < reads; i++) {
        expect(store.patients.get(s.patient.id, NURSE)?.id, `read ${i}`).toBe(s.patient.id);
        expect(store.doses.listForPatient(s.patient.id, NURSE).some((d) => d.id === given.id), `read ${i}`).toBe(true);
      }
      expect(store.patients.search({ text: s.patient.lastName.slice(0, 3) }, NURSE).map((p) => p.id)).toContain(s.patient.id);
      expect(store.waitingAuditRows()).toBeGreaterThan(0);

      truncateSync(filler, 0);
      const next = store.doses.record(s.dose(), NURSE, TODAY);
      expect(store.waitingAuditRows()).toBe(0);
      const trail = store.audit.list({ limit: 10_000 }).filter((a) => a.id > lastWritten.id).reverse();
      expect(trail.map((a) => a.action)).toEqual([...Array.from({ length: reads }, () => ['patient.read', 'dose.list']).flat(), 'patient.search', 'dose.record']);
      expect(trail.at(-1)?.entityId).toBe(next.dose.id);
      // Each row keeps the time of the read it records.
      const times = trail.map((a) => a.at);
      expect([...times].sort()).toEqual(times);
      expect(new Set(times).size).toBe(times.length);
      expect(store.audit.verifyChain().ok).toBe(true);
      store.close();
      const again = keep(openStore(path));
      expect(again.audit.verifyChain().ok).toBe(true);
      again.close();
    });

    it('refuses to upgrade when the backup does not fit on the disk, leaving no partial copy and the old schema as it was', () => {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mnt]);
      const path = join(mnt, 'dosedesk.sqlite3');
      buildPreviousSchemaDatabase(path, (older) => {
        older.patients.importMany(Array.from({ length: 1500 }, (_, i) => patientInput({ mrn: `FULL-${i}`, lastName: `Family${i}` })), NURSE);
      });
      const version = new Database(path, { readonly: true });
      const before = version.pragma('user_version', { simple: true });
      version.close();
      // Room for the live file's own needs at start, not for a copy of it.
      const filler = fillDisk();
      truncateSync(filler, Math.max(0, statSync(filler).size - 256 * 1024));
      const err = thrown(() => openStore(path));
      expect(err.kind).toBe('disk_full');
      expect(err.message).toMatch(/backing up the database before upgrading it/);
      expect(readdirSync(mnt).filter((n) => n.includes('.pre-migration-'))).toEqual([]);
      const after = new Database(path, { readonly: true });
      expect(after.pragma('user_version', { simple: true })).toBe(before);
      expect(after.pragma('integrity_check', { simple: true })).toBe('ok');
      after.close();
    });

    it('reports a full disk as disk_full, keeps every saved dose whole, and records again once space is freed', () => {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mnt]);
      const path = join(mnt, 'dosedesk.sqlite');
      const store = keep(openStore(path));
      const s = seed(store, { lot: { dosesOnHand: 10_000 } });
      // Fill the rest of the disk.
      const filler = join(mnt, 'filler');
      const fd = openSync(filler, 'w');
      const chunk = Buffer.alloc(16 * 1024, 1);
      for (let i = 0; i < 200; i++) {
        try {
          writeSync(fd, chunk);
        } catch {
          break;
        }
      }
      closeSync(fd);

      const saved: string[] = [];
      let failure: StoreError | undefined;
      for (let i = 0; i < 5000 && !failure; i++) {
        try {
          saved.push(store.doses.record(s.dose({ notes: 'x'.repeat(1500) }), NURSE, TODAY).dose.id);
        } catch (e) {
          if (!(e instanceof StoreError)) throw e;
          failure = e;
        }
      }
      expect(failure?.kind).toBe('disk_full');
      expect(failure?.message).toMatch(/disk is full/);

      truncateSync(filler, 0);
      const after = store.doses.record(s.dose(), NURSE, TODAY);
      expect(after.outbox.state).toBe('pending');
      store.close();

      const db = new Database(path, { readonly: true });
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const rows = db.prepare("SELECT d.id FROM doses d JOIN outbox o ON o.dose_id = d.id AND o.action = 'A'").all() as { id: string }[];
      expect(rows.map((r) => r.id).sort()).toEqual([...saved, after.dose.id].sort());
      db.close();
    });
  });
});
