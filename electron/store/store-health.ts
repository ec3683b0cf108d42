import type Database from 'better-sqlite3';

// What the store writes about its own health, in the settings table, so that the IT check
// (read-only, in another process) and the administrator's screen can show it: the integrity
// checks run at start and the durability settings read back after the first write.

export const INTEGRITY_KEY = 'store.integrity';
export const DURABILITY_KEY = 'store.durability';

/** A full `integrity_check` (indexes against tables) runs at start when the last is older than this. */
export const FULL_CHECK_EVERY_DAYS = 7;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface CheckRun {
  at: string;
  result: 'ok';
}

export interface IntegrityRecord {
  /** The last full `integrity_check`, which compares every index with its table. */
  lastFull?: CheckRun;
  /** The last `quick_check` (page structure only), run at every start. */
  lastQuick?: CheckRun;
}

export interface DurabilityRecord {
  at: string;
  journalMode: string;
  /** 2 = FULL. */
  synchronous: number;
  foreignKeys: boolean;
  fullfsync: boolean;
  sqliteVersion: string;
}

function hasSettingsTable(db: Database.Database): boolean {
  return db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'settings'").get() !== undefined;
}

/** Reads one health record; throws SyntaxError on a damaged row (the caller treats that as damage). */
export function readHealth<T>(db: Database.Database, key: typeof INTEGRITY_KEY | typeof DURABILITY_KEY): T | undefined {
  if (!hasSettingsTable(db)) return undefined;
  const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
  return row ? (JSON.parse(row.value) as T) : undefined;
}

/** Whether this start must run the full check: never run, or run more than `everyDays` ago (or in the future: a clock set back). */
export function fullCheckDue(record: IntegrityRecord | undefined, now: Date, everyDays = FULL_CHECK_EVERY_DAYS): boolean {
  const last = record?.lastFull ? Date.parse(record.lastFull.at) : Number.NaN;
  if (!Number.isFinite(last)) return true;
  const age = now.getTime() - last;
  return age < 0 || age >= everyDays * DAY_MS;
}

/** Upserts the records; the caller holds a write transaction. No audit row: this is the store's own bookkeeping, not a setting anyone chose. */
export function writeHealth(db: Database.Database, at: string, values: { integrity: IntegrityRecord; durability: DurabilityRecord }): void {
  const put = db.prepare(
    'INSERT INTO settings (key, value, updated_at) VALUES (@key, @value, @at) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
  );
  put.run({ key: INTEGRITY_KEY, value: JSON.stringify(values.integrity), at });
  put.run({ key: DURABILITY_KEY, value: JSON.stringify(values.durability), at });
}
