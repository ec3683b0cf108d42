import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { AuditEntry, AuditInput } from './audit-types';
import { optional } from './context';
import { StoreError } from './errors';
import type { TransactionHooks, WriteTransaction } from './transactions';
import type { AuditRepo } from './types';

// The audit trail is append-only: this module holds the only SQL that touches the table and it
// only INSERTs and SELECTs (triggers in the schema refuse the rest). Each row's hash covers the
// previous row's hash, so editing or removing a row in the middle breaks the chain.

const GENESIS = '0'.repeat(64);

interface AuditRow {
  id: number;
  at: string;
  user_id: string | null;
  action: string;
  entity: string | null;
  entity_id: string | null;
  detail: string | null;
  hash: string;
}

function rowHash(prevHash: string, row: Omit<AuditRow, 'hash'>): string {
  const content = JSON.stringify([row.id, row.at, row.user_id, row.action, row.entity, row.entity_id, row.detail]);
  return createHash('sha256').update(prevHash).update('\n').update(content).digest('hex');
}

function toEntry(row: AuditRow): AuditEntry {
  return {
    id: row.id,
    at: row.at,
    userId: row.user_id,
    action: row.action,
    entity: optional(row.entity),
    entityId: optional(row.entity_id),
    detail: row.detail ? (JSON.parse(row.detail) as Record<string, unknown>) : undefined,
    hash: row.hash,
  };
}

/** Rows of reads made while the disk was full, kept in memory at most this many. */
export const MAX_WAITING_ROWS = 10_000;

export interface Audit {
  /** For callers already inside a write transaction (or a read while the disk is full). */
  append(input: AuditInput): AuditEntry;
  /** Writes rows that wait for disk space first, inside every outermost write transaction. */
  hooks: TransactionHooks;
  /**
   * Runs a read while the disk is full: its audit rows wait in memory, in order, and are
   * written (chained after the rows before them) by the next write transaction that commits.
   * If DoseDesk is killed before space returns, those rows are lost (and logged as waiting).
   */
  whileDiskFull<T>(fn: () => T): T;
  /** How many rows wait for disk space. */
  waiting(): number;
  repo(transaction: WriteTransaction): AuditRepo;
}

export function createAudit(db: Database, now: () => Date): Audit {
  const last = db.prepare('SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1');
  const insert = db.prepare(
    'INSERT INTO audit (id, at, user_id, action, entity, entity_id, detail, hash) VALUES (@id, @at, @user_id, @action, @entity, @entity_id, @detail, @hash)',
  );
  const all = db.prepare('SELECT * FROM audit ORDER BY id');
  // Each row keeps the time of the read it records; its id and hash are given when written, so
  // the chain stays unbroken whatever waited.
  let waiting: { at: string; input: AuditInput }[] = [];
  let writing: { at: string; input: AuditInput }[] = [];
  let diskFull = false;

  function entryFor(row: Omit<AuditRow, 'hash'>, input: AuditInput, hash: string): AuditEntry {
    const entry: AuditEntry = { id: row.id, at: row.at, userId: row.user_id, action: row.action, hash };
    if (input.entity !== undefined) entry.entity = input.entity;
    if (input.entityId !== undefined) entry.entityId = input.entityId;
    if (row.detail) entry.detail = JSON.parse(row.detail) as Record<string, unknown>;
    return entry;
  }

  function rowOf(input: AuditInput, id: number, at: string): Omit<AuditRow, 'hash'> {
    return {
      id,
      at,
      user_id: input.userId,
      action: input.action,
      entity: input.entity ?? null,
      entity_id: input.entityId ?? null,
      detail: input.detail && Object.keys(input.detail).length ? JSON.stringify(input.detail) : null,
    };
  }

  // Callers run this inside their own transaction, so the read of the chain's tail and the
  // insert are serialised with every other writer.
  function insertRow(input: AuditInput, at: string): AuditEntry {
    const tail = last.get() as { id: number; hash: string } | undefined;
    const row = rowOf(input, (tail?.id ?? 0) + 1, at);
    const hash = rowHash(tail?.hash ?? GENESIS, row);
    insert.run({ ...row, hash });
    return entryFor(row, input, hash);
  }

  function append(input: AuditInput): AuditEntry {
    const at = now().toISOString();
    if (!diskFull) return insertRow(input, at);
    if (waiting.length >= MAX_WAITING_ROWS) {
      throw new StoreError('disk_full', `The disk is full and ${waiting.length} records of who looked at which chart are waiting to be written to the audit trail, the most DoseDesk keeps in memory. Free some disk space (or ask IT to) before opening more charts.`, { code: 'SQLITE_FULL' });
    }
    waiting.push({ at, input });
    // Not in the trail yet: no id or hash until it is written.
    return entryFor(rowOf(input, 0, at), input, '');
  }

  const hooks: TransactionHooks = {
    begin() {
      if (waiting.length === 0) return;
      writing = waiting;
      waiting = [];
      for (const w of writing) insertRow(w.input, w.at);
    },
    end(committed) {
      if (!committed) waiting = [...writing, ...waiting];
      writing = [];
    },
  };

  const repo = (transaction: WriteTransaction): AuditRepo => ({
    append: (input) => transaction(() => append(input))(),
    list(filter = {}) {
      const where: string[] = [];
      const params: Record<string, unknown> = { limit: Math.min(Math.max(filter.limit ?? 200, 1), 10_000) };
      if (filter.entityId) {
        where.push('entity_id = @entityId');
        params.entityId = filter.entityId;
      }
      if (filter.userId) {
        where.push('user_id = @userId');
        params.userId = filter.userId;
      }
      const sql = `SELECT * FROM audit ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY id DESC LIMIT @limit`;
      return (db.prepare(sql).all(params) as AuditRow[]).map(toEntry);
    },
    verifyChain() {
      let prev = GENESIS;
      let expectedId = 1;
      let rows = 0;
      for (const row of all.iterate() as IterableIterator<AuditRow>) {
        // A gap in the ids means a row was removed (the chain would also break at the next row).
        if (row.id !== expectedId || rowHash(prev, row) !== row.hash) return { ok: false, brokenAtId: row.id };
        prev = row.hash;
        expectedId += 1;
        rows += 1;
      }
      return { ok: true, rows };
    },
  });
  return {
    append,
    hooks,
    whileDiskFull(fn) {
      diskFull = true;
      try {
        return fn();
      } finally {
        diskFull = false;
      }
    },
    waiting: () => waiting.length + writing.length,
    repo,
  };
}
