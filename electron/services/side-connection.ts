import { writeTransactions } from '../store/transactions';
import type Database from 'better-sqlite3';
import { openDatabase } from '../store/driver';
import { createAudit } from '../store/audit';
import type { StoreContext } from '../store/context';
import { newControlId, newRecordId } from '../store/ids';
import { createSettingsRepo } from '../store/settings';
import type { SettingsRepo } from '../store/types';

// A second connection to a DoseDesk database, for the few jobs that happen beside the store the
// app has open: the IT check reading settings without changing anything, and a mode switch or
// an upgrade copying accounts between the two files. It goes through the store's own settings
// and audit modules, so values are read and written exactly as the app does (JSON encoding,
// audit hash chain), never with SQL of its own.

export interface SideConnectionOptions {
  readonly?: boolean;
  /** See OpenStoreOptions.nativeBinding. */
  nativeBinding?: string;
  now?: () => Date;
}

export interface SideConnection {
  readonly db: Database.Database;
  readonly settings: SettingsRepo;
  /** The store's context for this connection: repositories built on it write audit rows as the app does. */
  readonly context: StoreContext;
  close(): void;
}

export function openSideConnection(path: string, options: SideConnectionOptions = {}): SideConnection {
  const now = options.now ?? (() => new Date());
  const db = openDatabase(path, { readonly: options.readonly ?? false, fileMustExist: true, nativeBinding: options.nativeBinding });
  try {
    if (!options.readonly) {
      db.pragma('synchronous = FULL');
      db.pragma('foreign_keys = ON');
      db.pragma('busy_timeout = 5000');
    }
    const audit = options.readonly
      ? () => {
          throw new Error(`${path} is open read-only; nothing may be written.`);
        }
      : createAudit(db, now).append;
    const context: StoreContext = {
      db,
      now,
      newId: () => newRecordId(now()),
      newControlId: () => newControlId(now()),
      utcOffsetMinutes: (at) => -at.getTimezoneOffset(),
      audit,
      transaction: writeTransactions(db),
      readTransaction: (fn) => db.transaction(fn)(),
      // A side connection reads settings only; there is no index damage to tell apart here.
      confirmMissing: () => undefined,
    };
    return {
      db,
      context,
      settings: createSettingsRepo(context),
      close() {
        if (db.open) db.close();
      },
    };
  } catch (err) {
    db.close();
    throw err;
  }
}

/** Whether the connection's database has a table of that name (a file not yet migrated has none). */
export function hasTable(db: Database.Database, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?").get(name) !== undefined;
}
