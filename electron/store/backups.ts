import { closeSync, existsSync, fsyncSync, openSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type Database from 'better-sqlite3';
import { openDatabase, type StoreKey } from './driver';
import { StoreError } from './errors';

// The copies DoseDesk writes beside its database before changing the schema. A copy is written
// under a temporary name, fsynced, opened again and checked against the live file (integrity,
// schema version, every table's row count), and only then renamed to a name ending in `.bak`
// (atomic on one file system). So a file ending in `.bak` that this code wrote was whole when it
// was written; a kill during the copy leaves only a `.partial` file, removed at the next backup.
// Files from older versions (or damaged since) are checked again before any is named to IT.

/** How many whole backups are kept; older ones are removed after a new one is verified. */
export const BACKUPS_KEPT = 3;

const PARTIAL = '.partial';
const DAMAGED = '.damaged';

export interface BackupFile {
  path: string;
  name: string;
  sizeBytes: number;
  /** When the copy was taken (ISO): from its name, else the file's modification time. */
  takenAt: string;
  /** The schema of the copy (the version the upgrade started from). */
  fromSchema: number;
  toSchema: number;
}

export interface CheckedBackup extends BackupFile {
  verified: boolean;
  /** Why it is not verified, for IT. */
  problem?: string;
  /** `damaged`: it opened and is not a whole copy; `unreadable`: it could not be opened now. */
  failure?: 'damaged' | 'unreadable';
}

function stamp(at: Date): string {
  return at.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
}

/** `<db>.pre-migration-<from>-<to>.<UTC time>.bak`, with `-2`, `-3`… if that name is taken. */
export function backupPathFor(file: string, from: number, to: number, at: Date): string {
  const base = `${file}.pre-migration-${from}-${to}.${stamp(at)}`;
  if (!existsSync(`${base}.bak`)) return `${base}.bak`;
  for (let n = 2; n < 1000; n++) if (!existsSync(`${base}-${n}.bak`)) return `${base}-${n}.bak`;
  throw new Error(`Too many backups named ${base}-N.bak; remove old ones.`);
}

// Names this and earlier versions wrote: `.pre-migration-A-B.bak` and `.bak.<ms>` (before
// 2026-12), and `.pre-migration-A-B.<stamp>[-n].bak` now.
const NAME = /^\.pre-migration-(\d+)-(\d+)(?:\.(\d{8}T\d{6}Z)(?:-\d+)?)?\.bak(?:\.(\d+))?$/;

function fromStamp(s: string): string {
  return `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(9, 11)}:${s.slice(11, 13)}:${s.slice(13, 15)}.000Z`;
}

/** The backups of `file` in its folder, newest first (not yet checked). */
export function listBackups(file: string): BackupFile[] {
  const dir = dirname(file);
  const prefix = basename(file);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const out: BackupFile[] = [];
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const m = NAME.exec(name.slice(prefix.length));
    if (!m) continue;
    const path = join(dir, name);
    let size: number;
    let mtime: Date;
    try {
      const st = statSync(path);
      if (!st.isFile()) continue;
      size = st.size;
      mtime = st.mtime;
    } catch {
      continue;
    }
    const takenAt = m[3] ? fromStamp(m[3]) : m[4] ? new Date(Number(m[4])).toISOString() : mtime.toISOString();
    out.push({ path, name, sizeBytes: size, takenAt, fromSchema: Number(m[1]), toSchema: Number(m[2]) });
  }
  return out.sort((a, b) => b.takenAt.localeCompare(a.takenAt) || b.name.localeCompare(a.name));
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Opens a backup read-only and checks it is a whole database at the schema its name says:
 * the page structure (quick_check, or the full integrity_check), the version, and that it has
 * tables (a 0-byte or cut-off copy opens as an empty database).
 */
export function checkBackup(backup: BackupFile, options: { nativeBinding?: string; full?: boolean; key?: StoreKey } = {}): CheckedBackup {
  if (backup.sizeBytes === 0) return { ...backup, verified: false, failure: 'damaged', problem: 'the file is empty (0 bytes)' };
  let db: Database.Database | undefined;
  try {
    db = openDatabase(backup.path, { readonly: true, fileMustExist: true, nativeBinding: options.nativeBinding, key: options.key });
    const rows = db.pragma(options.full ? 'integrity_check(3)' : 'quick_check(3)') as Record<string, string>[];
    const results = rows.map((r) => Object.values(r)[0] ?? '');
    if (results.length !== 1 || results[0] !== 'ok') return { ...backup, verified: false, failure: 'damaged', problem: `damaged (${results.join('; ')})` };
    const version = Number(db.pragma('user_version', { simple: true }));
    if (version !== backup.fromSchema) return { ...backup, verified: false, failure: 'damaged', problem: `it is at schema ${version}, not ${backup.fromSchema} as its name says` };
    const tables = (db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'").get() as { n: number }).n;
    if (tables === 0) return { ...backup, verified: false, failure: 'damaged', problem: 'it holds no tables (an empty or cut-off copy)' };
    return { ...backup, verified: true };
  } catch (err) {
    // Without this installation's key a backup cannot be judged; it is never set aside for it.
    if (err instanceof StoreError && err.kind === 'locked') return { ...backup, verified: false, failure: 'unreadable', problem: `could not be opened (${errorText(err)})` };
    const code = (err as { code?: unknown }).code;
    const damaged = typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB');
    return { ...backup, verified: false, failure: damaged ? 'damaged' : 'unreadable', problem: `${damaged ? 'not a whole database' : 'could not be opened'} (${errorText(err)})` };
  } finally {
    db?.close();
  }
}

/** Every backup of `file`, newest first, each checked now. */
export function checkedBackups(file: string, options: { nativeBinding?: string; key?: StoreKey } = {}): CheckedBackup[] {
  return listBackups(file).map((b) => checkBackup(b, options));
}

/** The newest backup that checks out now, for the advice in a damage message. */
export function newestVerifiedBackup(file: string, options: { nativeBinding?: string } = {}): CheckedBackup | undefined {
  for (const b of listBackups(file)) {
    const checked = checkBackup(b, options);
    if (checked.verified) return checked;
  }
  return undefined;
}

/** Tables (not virtual ones: their rows live in shadow tables, which are counted) and row counts. */
function tableCounts(db: Database.Database): Record<string, number> {
  const names = (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
  const out: Record<string, number> = {};
  for (const name of names) out[name] = (db.prepare(`SELECT count(*) AS n FROM "${name.replace(/"/g, '""')}"`).get() as { n: number }).n;
  return out;
}

function fsyncPath(path: string, flags: 'r' | 'r+'): void {
  const fd = openSync(path, flags);
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function fsyncFile(path: string): void {
  fsyncPath(path, 'r+');
}

/** Makes a rename durable. Windows cannot open a folder to fsync it; NTFS journals the rename. */
export function fsyncFolder(dir: string): void {
  if (process.platform === 'win32') return;
  fsyncPath(dir, 'r');
}

export class BackupError extends Error {
  override readonly name = 'BackupError';
}

/** Removes what a kill during an earlier backup left behind (never a finished backup). */
function removePartials(file: string): void {
  const dir = dirname(file);
  const prefix = `${basename(file)}.pre-migration-`;
  for (const name of readdirSync(dir)) {
    // The copy and the rollback journal SQLite keeps beside it while writing it.
    if (name.startsWith(prefix) && (name.endsWith(PARTIAL) || name.endsWith(`${PARTIAL}-journal`))) rmSync(join(dir, name), { force: true });
  }
}

/**
 * Copies the open database to a verified `.bak` beside it and returns its path. Throws the
 * SQLite or file-system error as is (the caller classifies it), or a BackupError when the copy
 * does not match the live file; either way no `.bak` is left behind.
 */
export function writeVerifiedBackup(db: Database.Database, file: string, schema: { from: number; to: number }, options: { now: Date; nativeBinding?: string; key?: StoreKey }): string {
  removePartials(file);
  const final = backupPathFor(file, schema.from, schema.to, options.now);
  const partial = `${final}${PARTIAL}`;
  try {
    db.prepare('VACUUM INTO ?').run(partial);
    // No write can come between the copy and the count: this connection is the app's only
    // writer and it is busy here; another program writing meanwhile makes the counts differ
    // and the backup is refused rather than trusted.
    const expected = tableCounts(db);
    fsyncPath(partial, 'r+');
    const copy = openDatabase(partial, { readonly: true, fileMustExist: true, nativeBinding: options.nativeBinding, key: options.key });
    try {
      const check = copy.pragma('integrity_check(3)', { simple: true });
      if (check !== 'ok') throw new BackupError(`the copy is damaged (${String(check)})`);
      const version = Number(copy.pragma('user_version', { simple: true }));
      if (version !== schema.from) throw new BackupError(`the copy is at schema ${version}, the database at ${schema.from}`);
      const got = tableCounts(copy);
      for (const [table, n] of Object.entries(expected)) {
        if (got[table] !== n) throw new BackupError(`the copy has ${got[table] ?? 'no'} rows in ${table}, the database ${n}`);
      }
    } finally {
      copy.close();
    }
    renameSync(partial, final);
    fsyncFolder(dirname(file));
    return final;
  } catch (err) {
    rmSync(partial, { force: true });
    throw err;
  }
}

export interface PruneOutcome {
  removed: string[];
  /** Backups that opened and are not whole copies, renamed so they no longer end in `.bak`. */
  setAside: string[];
}

/**
 * Keeps the newest BACKUPS_KEPT verified backups and removes older verified ones. A backup
 * that is not a whole copy (a cut-off file an older DoseDesk left) is renamed to end in
 * `.damaged`, so nobody restores it; one that merely could not be opened now is left alone.
 */
export function pruneBackups(file: string, options: { nativeBinding?: string; keep?: number; key?: StoreKey } = {}): PruneOutcome {
  const keep = Math.max(1, options.keep ?? BACKUPS_KEPT);
  const outcome: PruneOutcome = { removed: [], setAside: [] };
  let kept = 0;
  for (const b of checkedBackups(file, options)) {
    if (b.verified) {
      kept += 1;
      if (kept > keep) {
        rmSync(b.path, { force: true });
        outcome.removed.push(b.path);
      }
    } else if (b.failure === 'damaged') {
      renameSync(b.path, `${b.path}${DAMAGED}`);
      outcome.setAside.push(b.path);
    }
  }
  if (outcome.removed.length || outcome.setAside.length) fsyncFolder(dirname(file));
  return outcome;
}
