import type { Database } from 'better-sqlite3';
import type { AuditEntry, AuditInput } from './audit-types';
import type { Actor } from './types';

/** What every repository module shares: the connection, the clock, id makers and the audit writer. */
export interface StoreContext {
  db: Database;
  now(): Date;
  newId(): string;
  newControlId(): string;
  /** Minutes east of UTC on the clinic's clock at that instant (for the 72-hour deadline). */
  utcOffsetMinutes(at: Date): number;
  audit(entry: AuditInput): AuditEntry;
  /**
   * Wraps `fn` as a write transaction that takes the write lock before its first statement
   * (`BEGIN IMMEDIATE`). A transaction that reads first and asks for the lock later cannot wait
   * for another writer (its snapshot would be stale) and fails with `busy` at once; one that
   * takes the lock first waits up to the busy timeout like any other. Every repository write
   * goes through this, never through `db.transaction` directly.
   */
  transaction<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R;
  /**
   * Runs a read and its audit row in one transaction committed without its own fsync: the row
   * survives a crashed or killed app, and reaches the platter with the next change's commit.
   * Changes always commit with synchronous=FULL.
   */
  readTransaction<T>(fn: () => T): T;
  /**
   * Called when a lookup by id found nothing: a scan of the table without its indexes tells a
   * record that is truly absent from one a damaged index hides, which throws the damage error
   * (a chart must never read as "not found" because an index lost it).
   */
  confirmMissing(table: 'patients' | 'doses', id: string): undefined;
}

export function nowIso(ctx: Pick<StoreContext, 'now'>): string {
  return ctx.now().toISOString();
}

/** The audit row for something an actor did; a free-text label (e.g. `system:sync`) goes in the detail. */
export function auditAs(actor: Actor | null, action: string, entity?: string, entityId?: string, detail?: Record<string, unknown>): AuditInput {
  const merged = actor?.label ? { ...detail, actorLabel: actor.label } : detail;
  return { userId: actor?.userId ?? null, action, entity, entityId, detail: merged };
}

export function toBool(v: unknown): boolean {
  return v === 1 || v === true;
}

export function optional<T>(v: T | null | undefined): T | undefined {
  return v === null ? undefined : v;
}
