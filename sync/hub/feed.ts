import type { Pool, PoolClient } from 'pg';

// The hub's change feed. A push records one row version per change id (pushing the same change
// again changes nothing) and moves the record's revision on; a pull reads the feed from a
// cursor. The trap: `gseq` is a bigserial handed out before commit, so a transaction that took
// gseq 5 may commit after one that took gseq 6, and "gseq > cursor" would skip 5 for ever.
// A pull therefore reads only rows of transactions below its snapshot's xmin (every one of them
// has ended, so that part of the feed can no longer change) and orders them by (xid, gseq).

export interface FeedCursor {
  /** xid8 of the last row read, as text ('0' before the first pull). */
  xid: string;
  gseq: string;
}

export const FEED_START: FeedCursor = { xid: '0', gseq: '0' };

export interface PushedChange {
  site: string;
  changeId: string;
  workstation: string;
  entity: string;
  entityId: string;
  row: Record<string, unknown>;
}

export interface FeedRow {
  gseq: string;
  xid: string;
  entity: string;
  entityId: string;
  workstation: string;
  /** The record's merged state now, and its revision (apply only when newer than what you hold). */
  row: Record<string, unknown>;
  rev: number;
}

/** Records one change inside the caller's transaction; false when this change id was already pushed. */
export async function appendChange(client: PoolClient, change: PushedChange): Promise<boolean> {
  const rec = await client.query<{ rev: string }>(
    `INSERT INTO records (site, entity, id, row, owner, updated_by) VALUES ($1, $2, $3, $4, $5, $5)
     ON CONFLICT (site, entity, id) DO UPDATE SET row = excluded.row, rev = records.rev + 1, updated_by = excluded.updated_by, updated_at = now()
     RETURNING rev`,
    [change.site, change.entity, change.entityId, JSON.stringify(change.row), change.workstation],
  );
  const inserted = await client.query(
    `INSERT INTO changes (site, change_id, workstation, entity, entity_id, rev) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (site, change_id) DO NOTHING RETURNING gseq`,
    [change.site, change.changeId, change.workstation, change.entity, change.entityId, rec.rows[0]?.rev ?? '1'],
  );
  if (inserted.rowCount) return true;
  // Seen before: the caller rolls back to its savepoint, undoing the revision bump above.
  return false;
}

/** Pushes changes in one transaction; returns how many were new. Pushing the same batch twice adds nothing. */
export async function pushChanges(pool: Pool, changes: readonly PushedChange[]): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    let fresh = 0;
    for (const change of changes) {
      await client.query('SAVEPOINT change');
      if (await appendChange(client, change)) {
        fresh++;
        await client.query('RELEASE SAVEPOINT change');
      } else {
        await client.query('ROLLBACK TO SAVEPOINT change');
      }
    }
    const sites = [...new Set(changes.map((c) => c.site))];
    for (const site of sites) if (fresh) await client.query("SELECT pg_notify('dosedesk_hub', $1)", [site]);
    await client.query('COMMIT');
    return fresh;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/** The next page of the site's feed after `cursor`, and the cursor to continue from. */
export async function pullChanges(pool: Pool, site: string, cursor: FeedCursor, limit = 500): Promise<{ rows: FeedRow[]; cursor: FeedCursor }> {
  const result = await pool.query<{ gseq: string; xid: string; entity: string; entity_id: string; workstation: string; row: Record<string, unknown>; rev: string }>(
    `SELECT c.gseq::text AS gseq, c.xid::text AS xid, c.entity, c.entity_id, c.workstation, r.row, r.rev::text AS rev
       FROM changes c JOIN records r ON r.site = c.site AND r.entity = c.entity AND r.id = c.entity_id
      WHERE c.site = $1 AND (c.xid, c.gseq) > ($2::xid8, $3::bigint)
        AND c.xid < pg_snapshot_xmin(pg_current_snapshot())
      ORDER BY c.xid, c.gseq LIMIT $4`,
    [site, cursor.xid, cursor.gseq, limit],
  );
  const rows = result.rows.map((r) => ({ gseq: r.gseq, xid: r.xid, entity: r.entity, entityId: r.entity_id, workstation: r.workstation, row: r.row, rev: Number(r.rev) }));
  const last = rows.at(-1);
  return { rows, cursor: last ? { xid: last.xid, gseq: last.gseq } : cursor };
}
