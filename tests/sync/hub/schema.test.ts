import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { HUB_MIGRATIONS, migrateHub, provisionSite } from '../../../sync/hub/schema';
import { createHubFixture, type HubFixture } from './pg-fixture';

let fx: HubFixture;
let admin: pg.Pool;

beforeAll(async () => {
  fx = await createHubFixture();
  admin = fx.adminPool();
});
afterAll(async () => fx?.drop());

describe('hub schema', () => {
  it('is created by DoseDesk with numbered steps, and a second run finds nothing to do', async () => {
    const first = await migrateHub(admin);
    expect(first).toEqual({ from: 0, to: HUB_MIGRATIONS.at(-1)?.version });
    expect(await migrateHub(admin)).toEqual({ from: first.to, to: first.to });
    const steps = await admin.query('SELECT version, name FROM hub_migrations ORDER BY version');
    expect(steps.rows.map((r: { version: number }) => r.version)).toEqual(HUB_MIGRATIONS.map((m) => m.version));
  });

  it('refuses a hub migrated by a newer DoseDesk', async () => {
    await migrateHub(admin);
    await expect(migrateHub(admin, HUB_MIGRATIONS.slice(0, 0))).rejects.toThrow(/newer DoseDesk/);
  });

  it('two workstations migrating at once apply each step once', async () => {
    const other = fx.adminPool();
    const again = await Promise.all([migrateHub(admin), migrateHub(other)]);
    expect(again.every((o) => o.from === o.to)).toBe(true);
  });

  it("keeps each site's rows to its own role: site A cannot read or write site B's rows", async () => {
    await migrateHub(admin);
    const roleA = fx.role('site_a');
    const roleB = fx.role('site_b');
    await provisionSite(admin, 'A', roleA, 'Main St pharmacy');
    await provisionSite(admin, 'B', roleB, 'Elm St pharmacy');
    const a = await fx.siteUserPool(roleA);
    const b = await fx.siteUserPool(roleB);

    await a.query(`INSERT INTO records (site, entity, id, row, owner, updated_by) VALUES ('A', 'patients', 'p-a', '{"last_name":"Ames"}', 'ws1', 'ws1')`);
    await b.query(`INSERT INTO records (site, entity, id, row, owner, updated_by) VALUES ('B', 'patients', 'p-b', '{"last_name":"Berg"}', 'ws9', 'ws9')`);

    const seenByA = await a.query('SELECT site, id FROM records');
    expect(seenByA.rows).toEqual([{ site: 'A', id: 'p-a' }]);
    const seenByB = await b.query('SELECT site, id FROM records');
    expect(seenByB.rows).toEqual([{ site: 'B', id: 'p-b' }]);
    // Writing into another site's rows is refused, not silently filtered.
    await expect(
      a.query(`INSERT INTO records (site, entity, id, row, owner, updated_by) VALUES ('B', 'patients', 'sneak', '{}', 'ws1', 'ws1')`),
    ).rejects.toThrow(/row-level security/);
    const touched = await a.query(`UPDATE records SET row = '{}' WHERE site = 'B'`);
    expect(touched.rowCount).toBe(0);
    // The administrator who migrates sees both.
    expect((await admin.query('SELECT count(*)::int AS n FROM records')).rows[0]).toEqual({ n: 2 });
  });
});
