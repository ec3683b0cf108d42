import { closeSync, existsSync, fsyncSync, openSync } from 'node:fs';
import type { Database } from 'better-sqlite3';
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

export function backupPathFor(file: string, from: number, to: number): string {
  return `${file}.pre-migration-${from}-${to}.bak`;
}

export interface MigrationOutcome {
  from: number;
  to: number;
  backupPath?: string;
}

/**
 * Brings the schema to the newest version: refuses a newer database, copies a non-empty one
 * aside first, then applies every pending step in ONE transaction, so an interrupted upgrade
 * leaves the old schema as it was.
 */
export function migrate(db: Database, file: string, migrations: readonly Migration[], logger?: StoreLogger): MigrationOutcome {
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
    backupPath = backupPathFor(file, seen, to);
    if (existsSync(backupPath)) backupPath = `${backupPath}.${Date.now()}`;
    try {
      // VACUUM INTO writes a consistent copy synchronously; fsync it so the copy survives a crash too.
      db.prepare('VACUUM INTO ?').run(backupPath);
      const fd = openSync(backupPath, 'r+');
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    } catch (err) {
      throw classifyError(err, 'backing up the database before upgrading it');
    }
    logger?.info('store: backed up database before migrating', { from: seen, to, backupPath });
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
