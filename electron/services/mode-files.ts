import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RUN_MODES, type RunMode } from '../api';

// Training and production each have their own database file in the user-data folder, so
// nothing practised can appear in a real chart, forecast or recall list, or reach MIIS:
//
//   dosedesk.sqlite3           production: real patients and doses (the name the single
//                              database always had, so IT's backups keep finding real doses)
//   dosedesk-training.sqlite3  training: practice patients and doses
//   dosedesk-mode.json         which of the two the app runs on
//
// The mode cannot live inside either database (the app must know which one to open), so it is
// a small file of its own, replaced atomically at the end of a switch: that rename is the
// moment the switch happens. Each database also carries the mode it belongs to
// (FILE_MODE_KEY), written when the file is first used and never changed, so a file copied or
// restored under the other name is refused instead of being used for the wrong registry.

export const PRODUCTION_DB_FILE = 'dosedesk.sqlite3';
export const TRAINING_DB_FILE = 'dosedesk-training.sqlite3';
export const MODE_RECORD_FILE = 'dosedesk-mode.json';
/** Settings-table key: the mode a database file belongs to. */
export const FILE_MODE_KEY = 'store.mode';

export interface ModeFiles {
  dir: string;
  production: string;
  training: string;
  record: string;
}

export function modeFiles(dir: string): ModeFiles {
  return { dir, production: join(dir, PRODUCTION_DB_FILE), training: join(dir, TRAINING_DB_FILE), record: join(dir, MODE_RECORD_FILE) };
}

export function databaseFor(files: ModeFiles, mode: RunMode): string {
  return mode === 'production' ? files.production : files.training;
}

export const modeLabel = (mode: RunMode): string => (mode === 'production' ? 'production (MIIS)' : 'training');

/** A problem with the mode files that IT must look at; nothing was changed. */
export class ModeFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModeFileError';
  }
}

export interface ModeRecord {
  mode: RunMode;
  /** When the app last changed mode (or first recorded it). */
  since: string;
}

export type ModeRecordRead = { state: 'missing' } | { state: 'ok'; record: ModeRecord } | { state: 'damaged'; reason: string };

export function readModeRecord(files: ModeFiles): ModeRecordRead {
  let text: string;
  try {
    text = readFileSync(files.record, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'missing' };
    return { state: 'damaged', reason: `cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` };
  }
  try {
    const parsed = JSON.parse(text) as Partial<ModeRecord>;
    if (!RUN_MODES.includes(parsed.mode as RunMode) || typeof parsed.since !== 'string') return { state: 'damaged', reason: 'does not name "training" or "production"' };
    return { state: 'ok', record: { mode: parsed.mode as RunMode, since: parsed.since } };
  } catch {
    return { state: 'damaged', reason: 'is not valid JSON' };
  }
}

/** Replaces the record atomically (temporary file, fsync, rename, fsync of the folder). */
export function writeModeRecord(files: ModeFiles, record: ModeRecord): void {
  const temp = `${files.record}.tmp`;
  writeFileSync(temp, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
  fsyncPath(temp, 'r+');
  renameSync(temp, files.record);
  try {
    fsyncPath(files.dir, 'r');
  } catch {
    // Windows cannot open a folder for fsync; its rename is already durable (MoveFileEx).
  }
}

function fsyncPath(path: string, flags: 'r' | 'r+'): void {
  const fd = openSync(path, flags);
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Which database files exist (a file counts only with its main file, not a stray -wal). */
export function existingDatabases(files: ModeFiles): { production: boolean; training: boolean } {
  return { production: existsSync(files.production), training: existsSync(files.training) };
}
