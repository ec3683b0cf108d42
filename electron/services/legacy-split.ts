import { closeSync, existsSync, fsyncSync, openSync, renameSync, statSync, unlinkSync } from 'node:fs';
import type Database from 'better-sqlite3';
import type { RunMode } from '../api';
import { openStore } from '../store';
import { FILE_MODE_KEY, type ModeFiles } from './mode-files';
import { LEGACY_MODE_KEY, LEGACY_MODE_SINCE_KEY, LEGACY_PRACTICE_DOSES_KEY } from './settings';
import { hasTable, openSideConnection } from './side-connection';

// Earlier versions kept training and production in one database, with `app.mode` and
// `app.modeSince` in its settings. Upgrading such a file must lose no dose and mislabel no real
// one, so the rule is: when in doubt, the file stays the production file.
//
//  - Never in production (no switch recorded, no message sent with MSH-11 = P, not in production
//    now): everything in it is practice, and the file is renamed to the training file.
//  - Otherwise it stays the production file, where it is, with all its data. Its practice doses
//    are identified by their own messages (MSH-11 = T, never P) and recorded, so they can never
//    be edited or deleted towards MIIS; if the app was in training mode, the reports still
//    waiting are practice reports and are cancelled, so a later production engine can never send
//    them. Nothing practised is copied into production: the training file starts fresh, with the
//    accounts carried over. A backup of the file is written first.

export interface LegacyEvidence {
  /** `app.mode` as the old version stored it. */
  storedMode?: RunMode;
  modeSince?: string;
  /** `registry.mode_changed` rows in the audit trail. */
  modeChanges: number;
  /** Outbox messages built for production (MSH-11 = P). */
  productionMessages: number;
}

type OutboxMessageRow = { seq: number; dose_id: string; state: string; message_text: string | null };

const UNSENT_STATES = ['pending', 'sending', 'rejected'];

/** MSH-11 (processing ID) of an HL7 message's header, first component. */
export function processingId(hl7: string): string | undefined {
  const header = hl7.split(/[\r\n]+/).find((segment) => segment.startsWith('MSH'));
  return header?.split('|')[10]?.split('^')[0];
}

export function readLegacyEvidence(db: Database.Database): LegacyEvidence {
  if (!hasTable(db, 'settings') || !hasTable(db, 'audit') || !hasTable(db, 'outbox')) return { modeChanges: 0, productionMessages: 0 };
  const setting = <T>(key: string): T | undefined => {
    const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as T) : undefined;
  };
  const modeChanges = (db.prepare("SELECT count(*) AS n FROM audit WHERE action = 'registry.mode_changed'").get() as { n: number }).n;
  let productionMessages = 0;
  for (const row of db.prepare('SELECT message_text FROM outbox WHERE message_text IS NOT NULL').iterate() as IterableIterator<{ message_text: string }>) {
    if (processingId(row.message_text) === 'P') productionMessages += 1;
  }
  const evidence: LegacyEvidence = { modeChanges, productionMessages };
  const storedMode = setting<RunMode>(LEGACY_MODE_KEY);
  if (storedMode === 'training' || storedMode === 'production') evidence.storedMode = storedMode;
  const since = setting<string>(LEGACY_MODE_SINCE_KEY);
  if (since) evidence.modeSince = since;
  return evidence;
}

/** Whether the file may hold real doses: then it must stay the production file. */
export function everInProduction(evidence: LegacyEvidence, effectiveMode: RunMode): boolean {
  return effectiveMode === 'production' || evidence.modeSince !== undefined || evidence.modeChanges > 0 || evidence.productionMessages > 0;
}

export interface SplitOptions {
  /** The mode the old version was running in (IT's pin, else its stored `app.mode`, else training). */
  legacyMode: RunMode;
  nativeBinding?: string;
  now?: () => Date;
}

export interface SplitReport {
  practiceDoses: number;
  cancelledReports: number;
  backupPath?: string;
}

/**
 * Marks an unmarked file as the production file. A file from the shared-database days gets its
 * practice records set apart first, in one transaction with the mark (an interrupted upgrade is
 * simply done again at the next start).
 */
export function adoptProductionFile(path: string, options: SplitOptions): SplitReport {
  const now = options.now ?? (() => new Date());
  // openStore checks the file's health and brings its schema up to date first.
  openStore(path, { now, nativeBinding: options.nativeBinding }).close();
  const side = openSideConnection(path, { nativeBinding: options.nativeBinding, now });
  try {
    const db = side.db;
    const doses = (db.prepare('SELECT count(*) AS n FROM doses').get() as { n: number }).n;
    const backupPath = doses > 0 ? backup(db, path) : undefined;
    const report = db
      .transaction((): SplitReport => {
        const rows = db.prepare('SELECT seq, dose_id, state, message_text FROM outbox ORDER BY seq').all() as OutboxMessageRow[];
        const training = new Set<string>();
        const production = new Set<string>();
        for (const row of rows) {
          const id = row.message_text ? processingId(row.message_text) : undefined;
          if (id === 'T') training.add(row.dose_id);
          if (id === 'P') production.add(row.dose_id);
        }
        const unsent = rows.filter((r) => UNSENT_STATES.includes(r.state));
        // In training mode, what still waits was recorded in training (the old version refused
        // to switch while anything was unsent).
        if (options.legacyMode === 'training') for (const row of unsent) training.add(row.dose_id);
        // A dose that ever went out with MSH-11 = P is known to MIIS: it stays editable.
        const practice = [...training].filter((id) => !production.has(id));
        let cancelled = 0;
        if (options.legacyMode === 'training' && unsent.length > 0) {
          const at = now().toISOString();
          const cancel = db.prepare(
            "UPDATE outbox SET state = 'cancelled', last_error = @why, updated_at = @at, completed_at = @at WHERE seq = @seq AND state IN ('pending','sending','rejected')",
          );
          const why = 'Practice report from training mode: cancelled when training got its own database, so it can never be sent to MIIS.';
          for (const row of unsent) cancelled += cancel.run({ seq: row.seq, why, at }).changes;
        }
        if (practice.length > 0) side.settings.set(LEGACY_PRACTICE_DOSES_KEY, practice, null);
        side.settings.set(FILE_MODE_KEY, 'production', null);
        side.context.audit({
          userId: null,
          action: 'store.mode_assigned',
          detail: { mode: 'production', legacyMode: options.legacyMode, practiceDoses: practice.length, cancelledReports: cancelled, cancelledSeqs: unsent.map((r) => r.seq), backupPath },
        });
        return backupPath ? { practiceDoses: practice.length, cancelledReports: cancelled, backupPath } : { practiceDoses: practice.length, cancelledReports: cancelled };
      })
      .immediate();
    return report;
  } finally {
    side.close();
  }
}

/** A file that only ever held practice records becomes the training file. */
export function moveToTraining(files: ModeFiles, options: { nativeBinding?: string; now?: () => Date } = {}): void {
  // A clean close folds the write-ahead log back into the file, so the main file is complete.
  openStore(files.production, { now: options.now, nativeBinding: options.nativeBinding }).close();
  const wal = `${files.production}-wal`;
  if (existsSync(wal) && statSync(wal).size > 0) {
    throw new Error(`${files.production} still has unwritten changes in ${wal} (another program has it open?). Close every DoseDesk window and start again; nothing was changed.`);
  }
  for (const leftover of [wal, `${files.production}-shm`]) if (existsSync(leftover)) unlinkSync(leftover);
  renameSync(files.production, files.training);
}

function backup(db: Database.Database, path: string): string {
  let target = `${path}.pre-mode-split.bak`;
  if (existsSync(target)) target = `${target}.${Date.now()}`;
  db.prepare('VACUUM INTO ?').run(target);
  const fd = openSync(target, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return target;
}
