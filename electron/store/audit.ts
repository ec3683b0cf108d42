import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { AuditEntry, AuditInput } from './audit-types';
import { optional } from './context';
import type { WriteTransaction } from './transactions';
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

/** `append` is for callers already inside a transaction; `repo.append` opens its own. */
export function createAudit(db: Database, now: () => Date, transaction: WriteTransaction): { repo: AuditRepo; append: (input: AuditInput) => AuditEntry } {
  const last = db.prepare('SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1');
  const insert = db.prepare(
    'INSERT INTO audit (id, at, user_id, action, entity, entity_id, detail, hash) VALUES (@id, @at, @user_id, @action, @entity, @entity_id, @detail, @hash)',
  );
  const all = db.prepare('SELECT * FROM audit ORDER BY id');

  // Callers run this inside their own transaction, so the read of the chain's tail and the
  // insert are serialised with every other writer.
  function append(input: AuditInput): AuditEntry {
    const tail = last.get() as { id: number; hash: string } | undefined;
    const row = {
      id: (tail?.id ?? 0) + 1,
      at: now().toISOString(),
      user_id: input.userId,
      action: input.action,
      entity: input.entity ?? null,
      entity_id: input.entityId ?? null,
      detail: input.detail && Object.keys(input.detail).length ? JSON.stringify(input.detail) : null,
    };
    const hash = rowHash(tail?.hash ?? GENESIS, row);
    insert.run({ ...row, hash });
    const entry: AuditEntry = { id: row.id, at: row.at, userId: row.user_id, action: row.action, hash };
    if (input.entity !== undefined) entry.entity = input.entity;
    if (input.entityId !== undefined) entry.entityId = input.entityId;
    if (row.detail) entry.detail = JSON.parse(row.detail) as Record<string, unknown>;
    return entry;
  }

  const repo: AuditRepo = {
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
  };
  return { repo, append };
}
