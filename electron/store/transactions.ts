import type { Database } from 'better-sqlite3';

// Every write takes the write lock before its first statement (BEGIN IMMEDIATE). SQLite can
// only let a connection wait for another writer while it holds no snapshot: a transaction
// that reads first and asks for the lock later fails with SQLITE_BUSY at once (busy_timeout
// or not), because the snapshot it read may already be stale. Taking the lock first makes
// every write wait its turn, up to the busy timeout.

/** Work an outermost write transaction does first, and learns the fate of (the audit buffer). */
export interface TransactionHooks {
  /** Inside the transaction, before the caller's work. */
  begin(): void;
  /** After the outermost transaction committed (true) or rolled back (false). */
  end(committed: boolean): void;
}

export type WriteTransaction = <A extends unknown[], R>(fn: (...args: A) => R) => (...args: A) => R;

export function writeTransactions(db: Database, hooks?: TransactionHooks): WriteTransaction {
  return <A extends unknown[], R>(fn: (...args: A) => R) => {
    const outermost = db.transaction((...args: A): R => {
      hooks?.begin();
      return fn(...args);
    });
    // Inside a caller's transaction the lock is already held: a savepoint is all it needs.
    const nested = db.transaction(fn);
    return (...args: A): R => {
      if (db.inTransaction) return nested(...args);
      let committed = false;
      try {
        const result = outermost.immediate(...args);
        committed = true;
        return result;
      } finally {
        hooks?.end(committed);
      }
    };
  };
}
