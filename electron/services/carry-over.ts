import type Database from 'better-sqlite3';
import type { RunMode } from '../api';
import { auditAs } from '../store/context';
import type { Actor } from '../store/types';
import { CREDENTIALS_KEY } from './credentials';
import { SITE_KEY, userSettingsKey } from './settings';
import { openSideConnection } from './side-connection';

// What a mode switch carries from the database being left to the one being opened: the people
// and the site, never the clinical work. Accounts (the first administrator is created in
// training on a new install), clinicians, the site and registry settings, each user's own
// settings and the stored MIIS credentials go across with their ids, so a signed-in person
// stays signed in and a dose's clinician is the same record in both files. Patients, doses,
// lots, the outbox and the audit of practice work stay where they were recorded.
//
// Only one database is open for work at a time and every switch copies from it, so the file
// being left is always the newest copy of these tables; the copy is one transaction, done
// before the switch commits, so an interrupted switch leaves the old mode complete.

export interface CarryOverReport {
  users: number;
  clinicians: number;
  settings: string[];
}

export interface CarryOverParts {
  from: RunMode;
  to: RunMode;
  by: Actor | null;
  nativeBinding?: string;
  now?: () => Date;
}

export class CarryOverError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CarryOverError';
  }
}

export function carryOverShared(fromPath: string, toPath: string, parts: CarryOverParts): CarryOverReport {
  const source = openSideConnection(fromPath, { readonly: true, nativeBinding: parts.nativeBinding, now: parts.now });
  try {
    const target = openSideConnection(toPath, { nativeBinding: parts.nativeBinding, now: parts.now });
    try {
      const clinicians = source.db.prepare('SELECT * FROM clinicians ORDER BY rid').all() as Row[];
      const users = source.db.prepare('SELECT * FROM users ORDER BY rid').all() as Row[];
      const keys = [SITE_KEY, CREDENTIALS_KEY, ...users.map((u) => userSettingsKey(String(u.id)))];
      return target.db
        .transaction((): CarryOverReport => {
          // Clinicians first: an account may point at its clinician record.
          upsertById(target.db, 'clinicians', clinicians);
          upsertById(target.db, 'users', users);
          const copied: string[] = [];
          for (const key of keys) {
            const value = source.settings.get<unknown>(key);
            if (value === undefined) continue;
            target.settings.set(key, value, parts.by);
            copied.push(key);
          }
          const report = { users: users.length, clinicians: clinicians.length, settings: copied };
          target.context.audit(
            auditAs(parts.by, 'mode.shared_records_copied', undefined, undefined, { from: parts.from, to: parts.to, ...report, usernames: users.map((u) => String(u.username)) }),
          );
          return report;
        })
        .immediate();
    } catch (err) {
      throw explain(err, toPath);
    } finally {
      target.close();
    }
  } finally {
    source.close();
  }
}

type Row = Record<string, unknown>;

/** Inserts or updates rows by their text id, keeping every column the two files share (not the rowid). */
function upsertById(db: Database.Database, table: 'users' | 'clinicians', rows: Row[]): void {
  if (rows.length === 0) return;
  const columns = (db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string }[]).map((c) => c.name).filter((name) => name !== 'rid' && name in (rows[0] as Row));
  const quoted = columns.map((c) => `"${c}"`);
  const update = columns.filter((c) => c !== 'id').map((c) => `"${c}" = excluded."${c}"`);
  const statement = db.prepare(
    `INSERT INTO "${table}" (${quoted.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')}) ON CONFLICT(id) DO UPDATE SET ${update.join(', ')}`,
  );
  for (const row of rows) statement.run(Object.fromEntries(columns.map((c) => [c, row[c]])));
}

function explain(err: unknown, toPath: string): Error {
  const message = err instanceof Error ? err.message : String(err);
  if (/UNIQUE constraint failed: users\.username/.test(message)) {
    return new CarryOverError(
      `The accounts could not be copied to ${toPath}: a user name there belongs to a different account (was one of the databases restored from an older backup?). Nothing was changed; call support before switching again.`,
    );
  }
  return err instanceof Error ? err : new Error(message);
}
