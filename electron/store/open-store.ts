import { dirname } from 'node:path';
import type Database from 'better-sqlite3';
import { installedStoreKey, openDatabase, type StoreKey } from './driver';
import { ensureEncrypted } from './encrypt';
import { createAudit } from './audit';
import { createClinicianRepo } from './clinicians';
import type { StoreContext } from './context';
import { createDoseRepo } from './doses';
import { damageError } from './damage';
import { storeDiagnostics } from './diagnostics';
import { NEARLY_FULL_BYTES, StoreError, classifyError, freeBytes } from './errors';
import { StoreHealth, guarded } from './guarded';
import { newControlId, newRecordId } from './ids';
import { writeTransactions } from './transactions';
import { createLotRepo } from './lots';
import { migrate, type MigrateOptions, type StoreLogger } from './migrate';
import { MIGRATIONS, type Migration } from './migrations';
import { createReportRepo } from './reports';
import { createObservationRepo } from './observations';
import { createOutboxRepo } from './outbox';
import { createPatientRepo, type PatientImport } from './patients';
import { createSettingsRepo } from './settings';
import { checkStoreFile, createStoreFile } from './store-file';
import { FULL_CHECK_EVERY_DAYS, INTEGRITY_KEY, fullCheckDue, readHealth, writeHealth, type CheckRun, type IntegrityRecord } from './store-health';
import type { PatientRepo, Store } from './types';
import { createUserRepo } from './users';
import { createWorkQueueRepo } from './work-queue';

export interface OpenStoreOptions {
  now?: () => Date;
  idFactory?: () => string;
  /** MSH-10 maker; must return unique strings of at most 20 characters. */
  controlIdFactory?: (now: Date) => string;
  /** Minutes east of UTC on the clinic's clock at an instant; defaults to this machine's zone. */
  utcOffsetMinutes?: (at: Date) => number;
  logger?: StoreLogger;
  /** How long a write waits for another connection's lock before failing as `busy`. */
  busyTimeoutMs?: number;
  /** Days between full integrity checks at start (quick_check in between); default 7. */
  fullCheckEveryDays?: number;
  /** Tests only: a different migration list. */
  migrations?: readonly Migration[];
  /** Tests only: stands in for `process.platform` (fullfsync is a macOS setting). */
  platform?: NodeJS.Platform;
  /**
   * The compiled SQLite addon to load instead of node_modules' copy: `npm start` runs the app
   * in Electron with the Electron-ABI build from build/.native/, while node_modules keeps the
   * Node build that the tests and benchmarks use.
   */
  nativeBinding?: string;
  /**
   * The database key (services/store-key.ts); without it the key installed in driver.ts is used,
   * and with neither the file is plaintext (tests of code that does not care).
   */
  key?: StoreKey;
}

/** The store as this module builds it: the contract plus the bulk patient import. */
export interface LocalStore extends Store {
  readonly patients: PatientRepo & PatientImport;
  /** The settings read back after the first write at open (for the IT diagnostics screen). */
  readonly durability: DurabilityReport;
  /** The damage found since open, if any: every call is then refused with it (see guarded.ts). */
  damage(): StoreError | undefined;
  /** Audit rows of reads made while the disk was full, not yet written (see audit.ts). */
  waitingAuditRows(): number;
  /** Reads the settings back now; throws a `durability` StoreError if they are not as required. */
  checkDurability(): DurabilityReport;
}

export interface DurabilityReport {
  journalMode: string;
  /** 2 = FULL. */
  synchronous: number;
  foreignKeys: boolean;
  fullfsync: boolean;
  sqliteVersion: string;
}

const SYNCHRONOUS_FULL = 2;

function configure(db: Database.Database, platform: NodeJS.Platform, busyTimeoutMs: number): void {
  const mode = db.pragma('journal_mode = WAL', { simple: true });
  if (mode !== 'wal') {
    throw new StoreError('durability', `The database could not be put in write-ahead-log mode (it reports "${String(mode)}"). DoseDesk will not record doses without it. Ask IT to move the data folder to a local disk.`);
  }
  // better-sqlite3 builds SQLite with WAL defaulting to NORMAL (no fsync per commit); a saved
  // dose must survive a power cut, so FULL is set explicitly and checked after the first write.
  db.pragma('synchronous = FULL');
  if (platform === 'darwin') {
    // macOS fsync does not flush the drive's cache; F_FULLFSYNC does.
    db.pragma('fullfsync = ON');
    db.pragma('checkpoint_fullfsync = ON');
  }
  db.pragma('foreign_keys = ON');
  // 64 MiB of page cache (SQLite's default is 2 MiB): the name and id indexes of a
  // million-patient file must stay in memory for search while typing.
  db.pragma('cache_size = -65536');
  db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(busyTimeoutMs))}`);
}

/** Reads the settings back (call after a write: before one, WAL may report FULL yet act as NORMAL). */
export function verifyDurability(db: Database.Database, platform: NodeJS.Platform): DurabilityReport {
  const report: DurabilityReport = {
    journalMode: String(db.pragma('journal_mode', { simple: true })),
    synchronous: Number(db.pragma('synchronous', { simple: true })),
    foreignKeys: db.pragma('foreign_keys', { simple: true }) === 1,
    fullfsync: db.pragma('fullfsync', { simple: true }) === 1,
    sqliteVersion: String((db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v),
  };
  const problems: string[] = [];
  if (report.synchronous !== SYNCHRONOUS_FULL) problems.push(`synchronous is ${report.synchronous}, not FULL (2)`);
  if (report.journalMode !== 'wal') problems.push(`journal_mode is ${report.journalMode}, not wal`);
  if (!report.foreignKeys) problems.push('foreign keys are off');
  if (platform === 'darwin' && !report.fullfsync) problems.push('fullfsync is off');
  if (problems.length) {
    throw new StoreError('durability', `DoseDesk could not confirm safe saving for its database (${problems.join('; ')}), so it will not record doses. Ask IT to check the data folder.`);
  }
  return report;
}

/**
 * The check at every start: `quick_check` (page structure), or the full `integrity_check`
 * (every index against its table, which quick_check skips) when the last full one is more
 * than FULL_CHECK_EVERY_DAYS old. Returns what ran, for the health record.
 */
function startupCheck(db: Database.Database, path: string, now: Date, everyDays: number, nativeBinding: string | undefined): { record: IntegrityRecord; ran: 'integrity_check' | 'quick_check' } {
  let previous: IntegrityRecord | undefined;
  try {
    previous = readHealth<IntegrityRecord>(db, INTEGRITY_KEY);
  } catch (err) {
    if (!(err instanceof SyntaxError)) throw err;
    throw damageError(path, `the store's own integrity record could not be read (${err.message})`, { nativeBinding });
  }
  const full = fullCheckDue(previous, now, everyDays);
  const pragma = full ? 'integrity_check' : 'quick_check';
  const rows = (db.pragma(`${pragma}(5)`) as Record<string, string>[]).map((r) => Object.values(r)[0] ?? '');
  if (rows.length !== 1 || rows[0] !== 'ok') throw damageError(path, `${pragma} at start: ${rows.join('; ')}`, { nativeBinding });
  const run: CheckRun = { at: now.toISOString(), result: 'ok' };
  return { record: full ? { lastFull: run, lastQuick: run } : { ...previous, lastQuick: run }, ran: pragma };
}

/** The compiled SQLite module itself would not load: an installation problem, not the data. */
function loadFailure(err: unknown): StoreError | undefined {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'MODULE_NOT_FOUND' || code === 'ERR_DLOPEN_FAILED' || /NODE_MODULE_VERSION|invalid ELF|not a valid Win32/i.test(String((err as Error).message))) {
    return new StoreError('io', `DoseDesk's database module could not be loaded, so no database was opened. Reinstall DoseDesk (IT: the better-sqlite3 build must match this Electron version). (${(err as Error).message})`, { code, cause: err });
  }
  return undefined;
}

/** A corrupt error from SQLite at open, with the advice only this module can give (which backup). */
function withRecoveryAdvice(err: unknown, path: string, nativeBinding: string | undefined): unknown {
  if (!(err instanceof StoreError) || err.kind !== 'corrupt' || err.message.includes(path)) return err;
  return damageError(path, `SQLite: ${err.cause instanceof Error ? err.cause.message : err.message}`, { nativeBinding, code: err.code, cause: err });
}

/**
 * Opens (or creates) the store at `path`, refusing to run unless the file is healthy, its
 * schema is one this version understands, and every commit will be fsynced.
 */
export function openStore(path: string, options: OpenStoreOptions = {}): LocalStore {
  const now = options.now ?? (() => new Date());
  const platform = options.platform ?? process.platform;
  const migrations = options.migrations ?? MIGRATIONS;
  const key = options.key ?? installedStoreKey();
  const migrateOptions: MigrateOptions = {
    key,
    logger: options.logger,
    now,
    nativeBinding: options.nativeBinding,
    damaged: (detail) => damageError(path, detail, { nativeBinding: options.nativeBinding }),
  };
  if (checkStoreFile(path, { nativeBinding: options.nativeBinding }) === 'first_start') {
    try {
      createStoreFile(path, (fresh) => migrate(fresh, path, migrations, migrateOptions), { nativeBinding: options.nativeBinding, key });
    } catch (err) {
      throw loadFailure(err) ?? classifyError(err, `creating a new database at ${path}`, dirname(path));
    }
  } else if (key) {
    try {
      ensureEncrypted(path, key, { nativeBinding: options.nativeBinding, logger: options.logger });
    } catch (err) {
      throw loadFailure(err) ?? withRecoveryAdvice(classifyError(err, `encrypting the database at ${path} (it was left as it was)`, dirname(path)), path, options.nativeBinding);
    }
  }
  let db: Database.Database;
  try {
    db = openDatabase(path, { nativeBinding: options.nativeBinding, key });
  } catch (err) {
    throw loadFailure(err) ?? withRecoveryAdvice(classifyError(err, `opening the database at ${path}`, dirname(path)), path, options.nativeBinding);
  }
  const health = new StoreHealth(path, options.nativeBinding);
  try {
    configure(db, platform, options.busyTimeoutMs ?? 5000);
    const check = startupCheck(db, path, now(), options.fullCheckEveryDays ?? FULL_CHECK_EVERY_DAYS, options.nativeBinding);
    const outcome = migrate(db, path, migrations, migrateOptions);

    const audit = createAudit(db, now);
    const transaction = writeTransactions(db, audit.hooks);
    const auditRepo = audit.repo(transaction);
    const folder = dirname(path);
    const makeControlId = options.controlIdFactory ?? newControlId;
    const hiddenByIndex = new Map<string, Database.Statement>();
    const ctx: StoreContext = {
      db,
      now,
      newId: options.idFactory ?? (() => newRecordId(now())),
      newControlId: () => makeControlId(now()),
      utcOffsetMinutes: options.utcOffsetMinutes ?? ((at) => -at.getTimezoneOffset()),
      audit: audit.append,
      transaction,
      readTransaction(fn) {
        // Search while typing writes one audit row per keystroke pause; an fsync for each would
        // cost more than the search itself. The audit row makes it a write: it takes the lock first.
        db.pragma('synchronous = NORMAL');
        try {
          // While rows wait and the disk is still full, trying to write them all again with
          // every read would only fail again, slower each time.
          const stillFull = audit.waiting() > 0 && (freeBytes(folder) ?? Number.POSITIVE_INFINITY) < NEARLY_FULL_BYTES;
          if (stillFull) return audit.whileDiskFull(() => db.transaction(fn).deferred());
          return transaction(fn)();
        } catch (err) {
          const classified = classifyError(err, 'reading', folder);
          if (!(classified instanceof StoreError) || classified.kind !== 'disk_full') throw err;
          // A full disk must not keep a nurse from reading a chart: the read runs again without
          // writing, and its audit row waits in memory for the next write that finds space.
          if (audit.waiting() === 0) options.logger?.warn('store: disk full; audit rows of reads wait in memory until space returns', { folder });
          return audit.whileDiskFull(() => db.transaction(fn).deferred());
        } finally {
          db.pragma('synchronous = FULL');
        }
      },
      confirmMissing(table, id) {
        let scan = hiddenByIndex.get(table);
        if (!scan) {
          scan = db.prepare(`SELECT 1 FROM ${table} NOT INDEXED WHERE id = ?`);
          hiddenByIndex.set(table, scan);
        }
        if (scan.get(id) !== undefined) {
          throw health.markDamaged(damageError(path, `record ${id} is in the ${table} table but missing from its index, so lookups no longer find it`, { nativeBinding: options.nativeBinding, code: 'SQLITE_CORRUPT_INDEX' }));
        }
        return undefined;
      },
    };
    // The first write of this connection; the durability settings are only trustworthy after one.
    auditRepo.append({ userId: null, action: 'store.open', detail: { schemaVersion: outcome.to, migratedFrom: outcome.from === outcome.to ? undefined : outcome.from, check: check.ran } });
    const durability = verifyDurability(db, platform);
    transaction(() => writeHealth(db, now().toISOString(), { integrity: check.record, durability: { at: now().toISOString(), ...durability } }))();

    const lots = createLotRepo(ctx);
    const outbox = createOutboxRepo(ctx);
    const store: LocalStore = {
      path,
      schemaVersion: outcome.to,
      durability,
      patients: guarded(createPatientRepo(ctx), 'working with patient records', health),
      doses: guarded(createDoseRepo(ctx, lots, outbox), 'saving or reading doses', health),
      lots: guarded(lots, 'working with the lot inventory', health),
      clinicians: guarded(createClinicianRepo(ctx), 'working with clinicians', health),
      users: guarded(createUserRepo(ctx), 'working with user accounts', health),
      outbox: guarded(outbox, 'updating the reporting queue', health),
      workQueue: guarded(createWorkQueueRepo(ctx, outbox), 'working with the work queue', health),
      audit: guarded(auditRepo, 'working with the audit trail', health),
      settings: guarded(createSettingsRepo(ctx), 'working with settings', health),
      observations: guarded(createObservationRepo(ctx), "working with a patient's conditions", health),
      reports: guarded(createReportRepo(ctx), 'counting for a report', health),
      damage: () => health.damaged,
      waitingAuditRows: () => audit.waiting(),
      diagnostics: () =>
        storeDiagnostics(path, { db: db.open ? db : undefined, schemaVersion: outcome.to, waitingAuditRows: audit.waiting(), damage: health.damaged?.message, nativeBinding: options.nativeBinding }),
      checkDurability: () => verifyDurability(db, platform),
      close() {
        if (!db.open) return;
        if (audit.waiting() > 0 && !health.damaged) {
          try {
            // One last try to write what waited for disk space.
            transaction(() => undefined)();
          } catch (err) {
            options.logger?.warn('store: audit rows of reads made while the disk was full were lost at close', { rows: audit.waiting(), error: err instanceof Error ? err.message : String(err) });
          }
        }
        db.close();
      },
    };
    options.logger?.info('store: opened', { path, schemaVersion: outcome.to });
    return store;
  } catch (err) {
    db.close();
    throw withRecoveryAdvice(classifyError(err, `opening the database at ${path}`, dirname(path)), path, options.nativeBinding);
  }
}
