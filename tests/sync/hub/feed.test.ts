import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { FEED_START, appendChange, pullChanges, pushChanges, type PushedChange } from '../../../sync/hub/feed';
import { migrateHub } from '../../../sync/hub/schema';
import { createHubFixture, type HubFixture } from './pg-fixture';

let fx: HubFixture;
let pool: pg.Pool;

beforeAll(async () => {
  fx = await createHubFixture();
  pool = fx.adminPool();
  await migrateHub(pool);
});
afterAll(async () => fx?.drop());

const change = (changeId: string, entityId: string, site = 'S'): PushedChange => ({ site, changeId, workstation: 'ws1', entity: 'doses', entityId, row: { id: entityId } });

describe('hub change feed', () => {
  it('pushing the same changes twice changes nothing', async () => {
    expect(await pushChanges(pool, [change('c1', 'd1'), change('c2', 'd2')])).toBe(2);
    expect(await pushChanges(pool, [change('c1', 'd1'), change('c2', 'd2')])).toBe(0);
    const revs = await pool.query("SELECT id, rev::int FROM records WHERE site = 'S' ORDER BY id");
    expect(revs.rows).toEqual([{ id: 'd1', rev: 1 }, { id: 'd2', rev: 1 }]);
  });

  it('never skips a row that committed after a later-numbered one', async () => {
    const site = 'late';
    const early = await pool.connect();
    const later = await pool.connect();
    try {
      // `early` takes the lower gseq but commits last.
      await early.query('BEGIN');
      await appendChange(early, change('e1', 'early-dose', site));
      await later.query('BEGIN');
      await appendChange(later, change('l1', 'later-dose', site));
      await later.query('COMMIT');

      const naive = await pool.query('SELECT entity_id FROM changes WHERE site = $1 AND gseq > 0 ORDER BY gseq', [site]);
      expect(naive.rows.map((r: { entity_id: string }) => r.entity_id)).toEqual(['later-dose']);
      // While `early` is open, the pull holds back everything past it instead of moving past it.
      const first = await pullChanges(pool, site, FEED_START);
      expect(first.rows.map((r) => r.entityId)).not.toContain('later-dose');

      await early.query('COMMIT');
      const second = await pullChanges(pool, site, first.cursor);
      const seen = [...first.rows, ...second.rows].map((r) => r.entityId).sort();
      expect(seen).toEqual(['early-dose', 'later-dose']);
      expect((await pullChanges(pool, site, second.cursor)).rows).toEqual([]);
    } finally {
      early.release();
      later.release();
    }
  });
});
