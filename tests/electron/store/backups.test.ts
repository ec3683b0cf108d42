import { closeSync, copyFileSync, existsSync, openSync, readFileSync, readdirSync, rmSync, statSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { StoreError, openStore } from '../../../electron/store';
import { BACKUPS_KEPT, checkBackup, checkedBackups, listBackups } from '../../../electron/store/backups';
import { MIGRATIONS } from '../../../electron/store/migrations';
import { hideFromIndex } from './corruption';
import { NURSE, patientInput, tempDir, testClock } from './helpers';
import { buildPreviousSchemaDatabase } from './fixtures/older-database';

const OLD = MIGRATIONS[MIGRATIONS.length - 2]!.version;
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

/** Scribbles over table and index pages (what a failing disk does). */
function damagePages(path: string): void {
  const fd = openSync(path, 'r+');
  for (const page of [2, 3, 5, 8]) writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, page * 4096);
  closeSync(fd);
}

describe('backups before an upgrade', () => {
  let tmp: ReturnType<typeof tempDir>;
  let template: string;
  let live: string;
  beforeEach(() => {
    tmp = tempDir('dosedesk-backups-');
    template = join(tmp.dir, 'template.sqlite3');
    buildPreviousSchemaDatabase(template, (older) => {
      older.patients.importMany(Array.from({ length: 200 }, (_, i) => patientInput({ mrn: `K-${i}` })), NURSE);
    });
    live = join(tmp.dir, 'dosedesk.sqlite3');
  });
  afterEach(() => tmp.cleanup());

  /** Puts an older database in place and starts DoseDesk on it at `at`. */
  function upgradeAt(at: string): void {
    for (const suffix of ['-wal', '-shm']) rmSync(`${live}${suffix}`, { force: true });
    copyFileSync(template, live);
    openStore(live, { now: testClock(at).now }).close();
  }

  it('names each backup by its schemas and time, ending in .bak, and checks it is whole', () => {
    upgradeAt('2026-12-01T09:30:05.000Z');
    const [backup, ...rest] = checkedBackups(live);
    expect(rest).toEqual([]);
    expect(backup).toMatchObject({
      name: `dosedesk.sqlite3.pre-migration-${OLD}-${LATEST}.20261201T093005Z.bak`,
      takenAt: '2026-12-01T09:30:05.000Z',
      fromSchema: OLD,
      toSchema: LATEST,
      verified: true,
    });
    expect(readdirSync(tmp.dir).filter((n) => n.includes('.partial'))).toEqual([]);
  });

  it(`keeps the newest ${BACKUPS_KEPT} and removes older ones`, () => {
    for (const day of ['01', '02', '03', '04', '05']) upgradeAt(`2026-12-${day}T08:00:00.000Z`);
    const kept = listBackups(live);
    expect(kept.map((b) => b.takenAt)).toEqual(['2026-12-05T08:00:00.000Z', '2026-12-04T08:00:00.000Z', '2026-12-03T08:00:00.000Z']);
    expect(readdirSync(tmp.dir).filter((n) => n.endsWith('.bak'))).toHaveLength(BACKUPS_KEPT);
  });

  it('two upgrades in the same second get two backups, not one overwritten', () => {
    upgradeAt('2026-12-01T08:00:00.000Z');
    upgradeAt('2026-12-01T08:00:00.000Z');
    expect(listBackups(live).map((b) => b.name).sort()).toEqual([
      `dosedesk.sqlite3.pre-migration-${OLD}-${LATEST}.20261201T080000Z-2.bak`,
      `dosedesk.sqlite3.pre-migration-${OLD}-${LATEST}.20261201T080000Z.bak`,
    ]);
  });

  it('never advises a cut-off .bak an older DoseDesk left behind: it is set aside, and the damage message names the backup checked just now', () => {
    // What the old code left when killed during its copy: a partial file at the plain name.
    const cutOff = `${live}.pre-migration-${OLD}-${LATEST}.bak`;
    copyFileSync(template, cutOff);
    truncateSync(cutOff, Math.floor(statSync(cutOff).size / 3));
    upgradeAt('2026-12-02T10:00:00.000Z');
    expect(existsSync(cutOff)).toBe(false);
    expect(existsSync(`${cutOff}.damaged`)).toBe(true);
    const [good] = listBackups(live);
    expect(good?.name).toMatch(/20261202T100000Z\.bak$/);

    damagePages(live);
    const bytes = readFileSync(live);
    const err = thrown(() => openStore(live));
    expect(err.kind).toBe('corrupt');
    expect(err.message).toContain(live);
    expect(err.message).toContain(good!.path);
    expect(err.message).toContain('2026-12-02T10:00:00.000Z');
    expect(err.message).not.toContain(`${cutOff} `);
    expect(err.message).toMatch(/Do not delete/);
    expect(readFileSync(live).equals(bytes)).toBe(true);
  });

  it('names no backup when none checks out, and says what IT does instead', () => {
    upgradeAt('2026-12-02T10:00:00.000Z');
    const [only] = listBackups(live);
    writeFileSync(only!.path, ''); // emptied since (a sync tool, a bad disk)
    expect(checkBackup(listBackups(live)[0]!)).toMatchObject({ verified: false, problem: 'the file is empty (0 bytes)' });
    damagePages(live);
    const err = thrown(() => openStore(live));
    expect(err.kind).toBe('corrupt');
    expect(err.message).toMatch(/no verified backup/);
    expect(err.message).not.toContain(only!.path);
  });

  it('refuses to upgrade (or back up) a file whose indexes disagree with its tables, naming the damage', () => {
    copyFileSync(template, live);
    // One index entry broken in place: quick_check passes, integrity_check does not.
    hideFromIndex(live, 'sqlite_autoindex_patients_2', 'K-199');
    const err = thrown(() => openStore(live));
    expect(err.kind).toBe('corrupt');
    expect(err.message).toMatch(/integrity_check before upgrading/);
    expect(listBackups(live)).toEqual([]);
  });
});
