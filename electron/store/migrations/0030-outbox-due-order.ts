import type { Migration } from './types';

// Claims go out by legal deadline (105 CMR 222.100; no deadline last), then queue order. This
// index holds exactly the pending entries in that order, so a claim reads the first few rows
// instead of sorting the whole backlog on every call.
export const outboxDueOrder: Migration = {
  version: 30,
  name: 'outbox-due-order',
  up(db) {
    db.exec(`
      CREATE INDEX outbox_due_by_deadline ON outbox(deadline_at IS NULL, deadline_at, seq)
        WHERE state = 'pending';
    `);
  },
};
