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
  const from = db.pragma('user_version', { simple: true }) as number;
  const to = latestVersion(migrations);
  if (from > to) {
    throw new StoreError(
      'newer_version',
      `This database was written by a newer version of DoseDesk (schema ${from}); this copy only understands schema ${to}. Install the latest DoseDesk on this computer. Do not delete the database file.`,
    );
  }
  if (from === to) return { from, to };

  let backupPath: string | undefined;
  const hasTables = (db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'").get() as { n: number }).n > 0;
  if (from > 0 || hasTables) {
    backupPath = backupPathFor(file, from, to);
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
    logger?.info('store: backed up database before migrating', { from, to, backupPath });
  }

  const pending = migrations.filter((m) => m.version > from);
  try {
    db.transaction(() => {
      for (const m of pending) {
        m.up(db);
        logger?.info('store: applied migration', { version: m.version, name: m.name });
      }
      db.pragma(`user_version = ${to}`);
    })();
  } catch (err) {
    throw classifyError(err, `upgrading the database from schema ${from} to ${to}`);
  }
  return { from, to, backupPath };
}
