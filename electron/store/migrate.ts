import type { Database } from 'better-sqlite3';
import type { StoreKey } from './driver';
import { BackupError, pruneBackups, writeVerifiedBackup } from './backups';
import { StoreError, classifyError } from './errors';
import type { Migration } from './migrations';

export interface StoreLogger {
  info(message: string, detail?: Record<string, unknown>): void;
  warn(message: string, detail?: Record<string, unknown>): void;
}

/** Refuses a list that is not strictly increasing: a misordered list would skip or repeat steps. */
export function assertMigrationOrder(migrations: readonly Migration[]): void {
  let previous = 0;
  for (const m of migrations) {
    if (!Number.isInteger(m.version) || m.version <= previous) {
      throw new Error(`Migration ${m.version}-${m.name} is out of order (after ${previous}); migration numbers must strictly increase.`);
    }
    previous = m.version;
  }
}

export function latestVersion(migrations: readonly Migration[]): number {
  return migrations.length ? (migrations[migrations.length - 1] as Migration).version : 0;
}

export interface MigrateOptions {
  logger?: StoreLogger;
  now?: () => Date;
  /** See OpenStoreOptions.nativeBinding: the backup is checked through a second connection. */
  nativeBinding?: string;
  /** Raised when the live file fails its integrity check before an upgrade (see open-store). */
  damaged?: (detail: string) => Error;
  /** The database's key, so the backup is checked through a keyed second connection. */
  key?: StoreKey;
}

export interface MigrationOutcome {
  from: number;
  to: number;
  backupPath?: string;
}

/**
 * Brings the schema to the newest version: refuses a newer database, checks a non-empty one and
 * copies it aside to a verified backup first, then applies every pending step in ONE
 * transaction, so an interrupted upgrade leaves the old schema as it was.
 */
export function migrate(db: Database, file: string, migrations: readonly Migration[], options: MigrateOptions = {}): MigrationOutcome {
  const { logger } = options;
  assertMigrationOrder(migrations);
  const to = latestVersion(migrations);
  // Read outside the lock only to decide whether to back up; the version that counts is read
  // again inside the migration's transaction, where no other DoseDesk can change it.
  const seen = schemaVersion(db);
  refuseNewer(seen, to);
  if (seen === to) return { from: seen, to };

  let backupPath: string | undefined;
  const hasTables = (db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'").get() as { n: number }).n > 0;
  if (seen > 0 || hasTables) {
    // The full check (indexes against tables) once before changing anything: an upgrade of a
    // damaged file would spread the damage, and its backup would be advised as good.
    const check = (db.pragma('integrity_check(5)') as { integrity_check: string }[]).map((r) => r.integrity_check);
    if (check.length !== 1 || check[0] !== 'ok') {
      const detail = `integrity_check before upgrading from schema ${seen}: ${check.join('; ')}`;
      throw options.damaged?.(detail) ?? new StoreError('corrupt', `The DoseDesk database file is damaged (${detail}).`, { code: 'SQLITE_CORRUPT' });
    }
    try {
      backupPath = writeVerifiedBackup(db, file, { from: seen, to }, { now: (options.now ?? (() => new Date()))(), nativeBinding: options.nativeBinding, key: options.key });
    } catch (err) {
      if (err instanceof BackupError) {
        throw new StoreError('io', `DoseDesk did not upgrade its database, because the backup it takes first could not be verified (${err.message}). Nothing was changed. Start DoseDesk again; if this keeps happening, ask IT to check the disk.`, { cause: err });
      }
      throw classifyError(err, 'backing up the database before upgrading it (nothing was changed)');
    }
    logger?.info('store: backed up database before migrating', { from: seen, to, backupPath });
    try {
      const pruned = pruneBackups(file, { nativeBinding: options.nativeBinding, key: options.key });
      if (pruned.removed.length || pruned.setAside.length) logger?.info('store: pruned old backups', { removed: pruned.removed, setAside: pruned.setAside });
    } catch (err) {
      // Old backups left in place cost disk space, not data; the upgrade goes on.
      logger?.warn('store: could not prune old backups', { error: err instanceof Error ? err.message : String(err) });
    }
  }

  let from = seen;
  try {
    // BEGIN IMMEDIATE: a second DoseDesk starting meanwhile waits here for the first one's
    // upgrade, then finds nothing left to do, instead of replaying it onto the new schema.
    db.transaction(() => {
      from = schemaVersion(db);
      refuseNewer(from, to);
      for (const m of migrations.filter((x) => x.version > from)) {
        m.up(db);
        logger?.info('store: applied migration', { version: m.version, name: m.name });
      }
      db.pragma(`user_version = ${to}`);
    }).immediate();
  } catch (err) {
    throw classifyError(err, `upgrading the database from schema ${from} to ${to}`);
  }
  if (from !== seen) logger?.info('store: another DoseDesk upgraded the database first', { seen, from, to });
  return { from, to, backupPath };
}

function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function refuseNewer(version: number, understood: number): void {
  if (version > understood) {
    throw new StoreError(
      'newer_version',
      `This database was written by a newer version of DoseDesk (schema ${version}); this copy only understands schema ${understood}. Install the latest DoseDesk on this computer. Do not delete the database file.`,
    );
  }
}
