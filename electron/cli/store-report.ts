import type Database from 'better-sqlite3';
import { recoveryAdvice } from '../store/damage';
import { storeDiagnostics, type StoreDiagnostics } from '../store/diagnostics';

// The database part of `--check-config` for IT: a full integrity check now (every page and
// every index against its table), then what DoseDesk recorded about the file (durability at its
// last start, its last checks), its size and every backup beside it, each checked now.

function mb(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

/** Runs the full check on a read-only connection; returns the problems found (none: whole). */
export function fullIntegrityCheck(db: Database.Database): string[] {
  const rows = (db.pragma('integrity_check(20)') as { integrity_check: string }[]).map((r) => r.integrity_check);
  return rows.length === 1 && rows[0] === 'ok' ? [] : rows;
}

/** The FAIL line for a damaged file: what was found, and which backup to restore (checked now). */
export function damagedLine(dbPath: string, problems: string[], nativeBinding?: string): string {
  return `FAIL database: ${dbPath} is damaged (integrity_check: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? '; …' : ''}). Do not delete it. ${recoveryAdvice(dbPath, { nativeBinding })}`;
}

export function reportLines(d: StoreDiagnostics, platform: NodeJS.Platform = process.platform): string[] {
  const lines: string[] = [];
  const free = d.freeBytes === undefined ? '' : `, ${mb(d.freeBytes)} free on its disk`;
  lines.push(`ok   size: ${mb(d.sizeBytes)}${d.walBytes ? ` + ${mb(d.walBytes)} write-ahead log` : ''}${free}`);
  lines.push('ok   integrity: integrity_check ok (every page, and every index against its table), just now');
  if (d.integrity?.lastFull || d.integrity?.lastQuick) {
    lines.push(`ok   integrity at start: last full check ${d.integrity.lastFull?.at ?? 'never'}, last quick check ${d.integrity.lastQuick?.at ?? 'never'}`);
  }
  if (d.durability) {
    const u = d.durability;
    const fsync = platform === 'darwin' ? `, fullfsync ${u.fullfsync ? 'on' : 'OFF'}` : '';
    lines.push(`ok   durability: as DoseDesk read it back at its last start (${u.at}): journal_mode ${u.journalMode}, synchronous ${u.synchronous === 2 ? 'FULL' : u.synchronous}${fsync}, foreign keys ${u.foreignKeys ? 'on' : 'off'}, SQLite ${u.sqliteVersion}`);
  } else {
    lines.push('ok   durability: not recorded yet (DoseDesk records it each time it opens the file)');
  }
  const good = d.backups.filter((b) => b.verified);
  if (d.backups.length === 0) lines.push('ok   backups: none yet (DoseDesk writes one before each upgrade)');
  else lines.push(`ok   backups: ${good.length} of ${d.backups.length} checked whole just now${good[0] ? `; newest: ${good[0].path}` : ''}`);
  for (const b of d.backups) {
    const what = `${b.path} (taken ${b.takenAt}, schema ${b.fromSchema} before the upgrade to ${b.toSchema}, ${mb(b.sizeBytes)})`;
    lines.push(b.verified ? `ok   backup: ${what}` : `warn backup: ${what} is NOT a whole copy: ${b.problem ?? 'unknown problem'}. Do not restore it.`);
  }
  return lines;
}

/** The report for a file already found whole (see check-config.ts). */
export function storeReport(db: Database.Database, dbPath: string, schemaVersion: number, nativeBinding?: string): string[] {
  return reportLines(storeDiagnostics(dbPath, { db, schemaVersion, nativeBinding }));
}
