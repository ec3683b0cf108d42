import { existsSync } from 'node:fs';
import type { RunMode } from '../api';
import { openStore, type LocalStore, type OpenStoreOptions } from '../store';
import type { MachineConfig } from './config';
import { adoptProductionFile, everInProduction, moveToTraining, readLegacyEvidence } from './legacy-split';
import { FILE_MODE_KEY, ModeFileError, databaseFor, existingDatabases, modeLabel, readModeRecord, writeModeRecord, type ModeFiles } from './mode-files';
import { LEGACY_MODE_KEY } from './settings';
import { hasTable, openSideConnection } from './side-connection';

// Which mode (and so which database) the app starts in, and opening a mode's database.
//   1. A single database from before the split is split first (legacy-split.ts).
//   2. IT's machine file wins when it fixes the mode; the record is then brought in line, so
//      that removing the pin later keeps the mode the machine was really running in.
//   3. Otherwise the mode record decides. Without a readable record: no file means a new
//      install (training); one file means that file's mode; both files means DoseDesk cannot
//      know, and it refuses to guess (IT can fix the mode in the machine file).

export interface ModeStartOptions {
  nativeBinding?: string;
  now?: () => Date;
}

type FileMark = RunMode | 'unmarked' | 'unreadable';

/** The mode a database file says it belongs to, read without changing anything. */
function fileMark(path: string, nativeBinding?: string): FileMark {
  let side;
  try {
    side = openSideConnection(path, { readonly: true, nativeBinding });
    if (!hasTable(side.db, 'settings')) return 'unmarked';
    return side.settings.get<RunMode>(FILE_MODE_KEY) ?? 'unmarked';
  } catch {
    // Damaged or locked: openStore reports it properly when the app opens the file.
    return 'unreadable';
  } finally {
    side?.close();
  }
}

/** A production-named file with no training file beside it and no mark: the single database of earlier versions. */
function isSharedDatabase(files: ModeFiles, nativeBinding?: string): boolean {
  const exists = existingDatabases(files);
  return exists.production && !exists.training && fileMark(files.production, nativeBinding) === 'unmarked';
}

function legacyMode(files: ModeFiles, config: MachineConfig, nativeBinding?: string): { mode: RunMode; everProduction: boolean } {
  const side = openSideConnection(files.production, { readonly: true, nativeBinding });
  try {
    const evidence = readLegacyEvidence(side.db);
    const mode = config.mode ?? evidence.storedMode ?? 'training';
    return { mode, everProduction: everInProduction(evidence, mode) };
  } finally {
    side.close();
  }
}

/** Decides the start mode, splitting a shared database first; writes the mode record when it changes. */
export function prepareStartMode(files: ModeFiles, config: MachineConfig, options: ModeStartOptions = {}): RunMode {
  const now = options.now ?? (() => new Date());
  if (isSharedDatabase(files, options.nativeBinding)) {
    const legacy = legacyMode(files, config, options.nativeBinding);
    if (legacy.everProduction) adoptProductionFile(files.production, { legacyMode: legacy.mode, nativeBinding: options.nativeBinding, now });
    else moveToTraining(files, options);
    writeModeRecord(files, { mode: legacy.mode, since: now().toISOString() });
    return legacy.mode;
  }
  const record = readModeRecord(files);
  const mode = config.mode ?? (record.state === 'ok' ? record.record.mode : modeWithoutRecord(files, record));
  if (mode === 'production' && record.state === 'ok' && record.record.mode === 'production' && !existingDatabases(files).production) {
    // Never replace real doses with an empty file: the production database went missing.
    throw new ModeFileError(
      `The production database ${files.production} is missing, although this computer was last used in production mode. DoseDesk will not start with an empty database in its place. IT: reconnect the drive or restore the file from the latest backup (see the IT guide).`,
    );
  }
  if (record.state !== 'ok' || record.record.mode !== mode) writeModeRecord(files, { mode, since: now().toISOString() });
  return mode;
}

function modeWithoutRecord(files: ModeFiles, record: Exclude<ReturnType<typeof readModeRecord>, { state: 'ok' }>): RunMode {
  const exists = existingDatabases(files);
  if (exists.production && exists.training) {
    const why = record.state === 'damaged' ? `${files.record} ${record.reason}` : `${files.record} is missing`;
    throw new ModeFileError(
      `DoseDesk cannot tell whether this computer is in training or production mode: ${why}, and both ${files.training} and ${files.production} exist. Nothing was changed. IT: restore ${files.record} from a backup, or set "mode" in the DoseDesk configuration file.`,
    );
  }
  return exists.production ? 'production' : 'training';
}

function refuseOtherMode(path: string, mark: RunMode, mode: RunMode): void {
  if (mark === mode) return;
  throw new ModeFileError(
    `${path} belongs to ${modeLabel(mark)} mode, but DoseDesk was about to use it for ${modeLabel(mode)}. A database was probably copied or restored under the wrong name. Nothing was changed. IT: put the right file back (see the IT guide); do not delete either file.`,
  );
}

/** What the IT check reports about the mode files, without changing anything. */
export interface ModeFilesView {
  mode: RunMode;
  /** The database the app will use in that mode (the shared one, before a split). */
  database: string;
  /** The other mode's database, when it exists. */
  other?: string;
  note?: string;
  problem?: string;
}

export function describeModeFiles(files: ModeFiles, config: MachineConfig, nativeBinding?: string): ModeFilesView {
  const exists = existingDatabases(files);
  if (isSharedDatabase(files, nativeBinding)) {
    const legacy = legacyMode(files, config, nativeBinding);
    return {
      mode: legacy.mode,
      database: files.production,
      note: legacy.everProduction
        ? `${files.production} holds training and production records from an earlier version; at the next start it stays the production file and training gets ${files.training}`
        : `${files.production} holds only practice records from an earlier version; at the next start it becomes ${files.training}`,
    };
  }
  const record = readModeRecord(files);
  let mode: RunMode;
  try {
    mode = config.mode ?? (record.state === 'ok' ? record.record.mode : modeWithoutRecord(files, record));
  } catch (err) {
    return { mode: 'training', database: files.training, problem: (err as Error).message };
  }
  const database = databaseFor(files, mode);
  const otherPath = databaseFor(files, mode === 'production' ? 'training' : 'production');
  const view: ModeFilesView = { mode, database };
  if (exists[mode === 'production' ? 'training' : 'production']) view.other = otherPath;
  return view;
}

/**
 * Opens a mode's database (creating it if needed) and makes sure it belongs to that mode: a
 * new file is marked, a file marked for the other mode is refused, and an unmarked production
 * file (the shared database of earlier versions, or one whose first opening was interrupted)
 * has its practice records set apart before it is used.
 */
export function openModeStore(files: ModeFiles, mode: RunMode, config: MachineConfig, options: OpenStoreOptions = {}): LocalStore {
  const path = databaseFor(files, mode);
  // Read-only first: a file of the other mode is refused before anything is written to it.
  const before = existsSync(path) ? fileMark(path, options.nativeBinding) : 'unmarked';
  if (before === 'training' || before === 'production') refuseOtherMode(path, before, mode);
  let store = openStore(path, options);
  const mark = store.settings.get<RunMode>(FILE_MODE_KEY);
  if (mark === mode) return store;
  if (mark !== undefined) {
    store.close();
    refuseOtherMode(path, mark, mode);
  }
  if (mode === 'training') {
    store.settings.set(FILE_MODE_KEY, 'training', null);
    return store;
  }
  const storedMode = store.settings.get<RunMode>(LEGACY_MODE_KEY);
  store.close();
  adoptProductionFile(path, { legacyMode: config.mode ?? storedMode ?? 'training', nativeBinding: options.nativeBinding, now: options.now });
  store = openStore(path, options);
  return store;
}
