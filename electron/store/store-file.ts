import { existsSync, linkSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type Database from 'better-sqlite3';
import { openDatabase, type StoreKey } from './driver';
import { fsyncFolder, listBackups } from './backups';
import { damageError } from './damage';
import { StoreError } from './errors';

// An empty database is created only on a true first start: no file, no journal left of one, and
// no backups of one beside it. It is built under a temporary name and linked into place only
// once complete, so a kill during a first start leaves either nothing or a whole new file, and
// a file at the database's name that is empty (0 bytes) is always damage, never "new".

const CREATING = '.creating-';

/** Whether a process with this id is running (a first start in progress elsewhere). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes what a first start killed midway left: never data, since nothing was open yet. */
function removeAbandoned(path: string): void {
  const dir = dirname(path);
  const prefix = `${basename(path)}${CREATING}`;
  for (const name of readdirSync(dir)) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number.parseInt(name.slice(prefix.length), 10);
    if (Number.isInteger(pid) && pid !== process.pid && alive(pid)) continue;
    rmSync(join(dir, name), { force: true });
  }
}

/**
 * Refuses a database file that cannot be the clinic's data: a missing folder, an empty (0 byte)
 * file, a journal without its database, backups without their database. Returns whether the
 * file already exists; when it does not, the caller creates it with `createStoreFile`.
 */
export function checkStoreFile(path: string, options: { nativeBinding?: string } = {}): 'exists' | 'first_start' {
  const dir = dirname(path);
  if (!existsSync(dir)) {
    throw new StoreError('io', `The DoseDesk data folder ${dir} does not exist (a network drive not connected, or a removed disk?). Ask IT to restore it; DoseDesk will not start with an empty database in its place.`);
  }
  if (existsSync(path)) {
    const size = statSync(path).size;
    if (size === 0) throw damageError(path, 'the file is empty (0 bytes), so it holds none of the data it had; DoseDesk will not start with an empty database in its place', options);
    return 'exists';
  }
  for (const suffix of ['-wal', '-journal']) {
    if (existsSync(`${path}${suffix}`)) {
      throw damageError(path, `its journal ${basename(path)}${suffix} is still there and holds recent changes; DoseDesk will not start with an empty database in its place`, { ...options, state: 'is missing' });
    }
  }
  if (listBackups(path).length > 0) {
    throw damageError(path, `backups of it are in ${dir}, so this is not a new installation; DoseDesk will not start with an empty database in its place. To really start empty, IT moves the backups out of the folder first`, { ...options, state: 'is missing' });
  }
  return 'first_start';
}

/**
 * Builds a new database with `build` under a temporary name and links it into place only when
 * `build` has finished and the connection is closed. If another DoseDesk created the file
 * meanwhile, its file is kept and this one discarded.
 */
export function createStoreFile(path: string, build: (db: Database.Database) => void, options: { nativeBinding?: string; key?: StoreKey } = {}): void {
  removeAbandoned(path);
  const temp = `${path}${CREATING}${process.pid}`;
  rmSync(temp, { force: true });
  try {
    const db = openDatabase(temp, { nativeBinding: options.nativeBinding, key: options.key });
    try {
      db.pragma('synchronous = FULL');
      build(db);
    } finally {
      db.close();
    }
    placeExclusively(temp, path);
  } finally {
    rmSync(temp, { force: true });
    rmSync(`${temp}-journal`, { force: true });
  }
  fsyncFolder(dirname(path));
}

/** Puts `temp` at `path` unless something is already there (atomically, where links exist). */
function placeExclusively(temp: string, path: string): void {
  try {
    linkSync(temp, path);
    return;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    // File systems without hard links (FAT, some network shares): a rename after a check; the
    // window between the two is the only race, and only with two first starts at once.
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'EXDEV' && code !== 'ENOSYS') throw err;
  }
  if (!existsSync(path)) renameSync(temp, path);
}
