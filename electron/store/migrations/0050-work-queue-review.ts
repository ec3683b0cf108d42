import type { Migration } from './types';

// The work queue needs a person's decision about an answer from the registry: a warning seen
// and acknowledged, or a rejection dismissed with a reason (the dose reached MIIS another way).
// The decision is kept on the outbox entry it is about; the audit trail keeps who and why.
//
// `outbox_open_work` holds exactly the entries still waiting for a person, in the queue's order
// (rejections first by nearest legal deadline, none last; then warnings, newest first), so a
// page is a short index walk however many answers the outbox has collected over the years.
// The expressions are repeated verbatim by electron/store/work-queue.ts: SQLite only uses an
// expression index for the same expression.
export const workQueueReview: Migration = {
  version: 50,
  name: 'work-queue-review',
  up(db) {
    db.exec(`
      ALTER TABLE outbox ADD COLUMN reviewed_at TEXT;
      ALTER TABLE outbox ADD COLUMN reviewed_by TEXT;
      ALTER TABLE outbox ADD COLUMN review_reason TEXT;
      CREATE INDEX outbox_open_work ON outbox(
        (state <> 'rejected'),
        (CASE WHEN state = 'rejected' THEN coalesce(deadline_at, '~') ELSE '' END),
        (CASE WHEN state = 'rejected' THEN seq ELSE -seq END)
      ) WHERE state IN ('rejected','warning') AND reviewed_at IS NULL;
      CREATE INDEX outbox_reviewed ON outbox(reviewed_at, seq)
        WHERE state IN ('rejected','warning') AND reviewed_at IS NOT NULL;
    `);
  },
};
