import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import type Database from 'better-sqlite3';
import { checkedBackups } from './backups';
import { freeBytes } from './errors';
import { DURABILITY_KEY, INTEGRITY_KEY, readHealth, type DurabilityRecord, type IntegrityRecord } from './store-health';

// What IT and an administrator see about the database file: where it is and how big, the
// durability settings DoseDesk read back at its last start, the last integrity checks, and
// every backup beside it, each opened and checked now. Built from a live store (the admin
// screen) or from a read-only connection in another process (--check-config).

export interface BackupView {
  name: string;
  path: string;
  sizeBytes: number;
  takenAt: string;
  fromSchema: number;
  toSchema: number;
  /** Opened and checked just now: a whole copy at the schema its name says. */
  verified: boolean;
  problem?: string;
}

export interface StoreDiagnostics {
  path: string;
  sizeBytes: number;
  /** The write-ahead log beside it (changes not yet checkpointed into the file). */
  walBytes: number;
  /** Free space on its disk, when the OS says. */
  freeBytes?: number;
  schemaVersion: number;
  /** As DoseDesk read the settings back after its first write at its last start. */
  durability?: DurabilityRecord;
  integrity?: IntegrityRecord;
  /** Newest first. */
  backups: BackupView[];
  /** Audit rows of reads made while the disk was full, not written yet (live store only). */
  waitingAuditRows: number;
  /** The damage found since the store opened: every call is refused with this message. */
  damage?: string;
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

function healthRecord<T>(db: Database.Database, key: typeof INTEGRITY_KEY | typeof DURABILITY_KEY): T | undefined {
  try {
    return readHealth<T>(db, key);
  } catch {
    // A damaged record shows as absent here; the store's own check reports the damage.
    return undefined;
  }
}

export function storeDiagnostics(
  path: string,
  from: { db?: Database.Database; schemaVersion: number; waitingAuditRows?: number; damage?: string; nativeBinding?: string },
): StoreDiagnostics {
  const out: StoreDiagnostics = {
    path,
    sizeBytes: sizeOf(path),
    walBytes: sizeOf(`${path}-wal`),
    schemaVersion: from.schemaVersion,
    backups: checkedBackups(path, { nativeBinding: from.nativeBinding }).map((b) => {
      const view: BackupView = { name: b.name, path: b.path, sizeBytes: b.sizeBytes, takenAt: b.takenAt, fromSchema: b.fromSchema, toSchema: b.toSchema, verified: b.verified };
      if (b.problem) view.problem = b.problem;
      return view;
    }),
    waitingAuditRows: from.waitingAuditRows ?? 0,
  };
  const free = freeBytes(dirname(path));
  if (free !== undefined) out.freeBytes = free;
  // A damaged file is not read again for its records: the damage message says what to do.
  if (from.db && !from.damage) {
    const durability = healthRecord<DurabilityRecord>(from.db, DURABILITY_KEY);
    const integrity = healthRecord<IntegrityRecord>(from.db, INTEGRITY_KEY);
    if (durability) out.durability = durability;
    if (integrity) out.integrity = integrity;
  }
  if (from.damage) out.damage = from.damage;
  return out;
}
