import { randomBytes } from 'node:crypto';
import pg from 'pg';

// Each test file gets its own schema and roles on the shared PostgreSQL (127.0.0.1:5432, trust
// auth, database `test`; .ci/ensure-postgres makes sure it runs), with a random prefix so
// parallel runs never meet, and drops them afterwards. The server itself is never touched.

export const PG_URL = process.env.DOSEDESK_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface HubFixture {
  schema: string;
  /** Connects as the administrator (the role that migrates), with the schema on the search path. */
  adminPool(): pg.Pool;
  /** Connects as a fresh login role that is a member of `siteRole`. */
  siteUserPool(siteRole: string): Promise<pg.Pool>;
  role(suffix: string): string;
  connectionString: string;
  drop(): Promise<void>;
}

export async function createHubFixture(): Promise<HubFixture> {
  const prefix = `dd_hub_${randomBytes(5).toString('hex')}`;
  const schema = prefix;
  const admin = new pg.Pool({ connectionString: PG_URL, max: 2 });
  await admin.query(`CREATE SCHEMA ${schema}`);
  const pools: pg.Pool[] = [];
  const roles = new Set<string>();
  const options = `-c search_path=${schema}`;
  const fixture: HubFixture = {
    schema,
    connectionString: PG_URL,
    role: (suffix) => {
      const name = `${prefix}_${suffix}`;
      roles.add(name);
      return name;
    },
    adminPool() {
      const pool = new pg.Pool({ connectionString: PG_URL, options, max: 4 });
      pools.push(pool);
      return pool;
    },
    async siteUserPool(siteRole) {
      const login = fixture.role(`login_${randomBytes(3).toString('hex')}`);
      await admin.query(`CREATE ROLE ${login} LOGIN IN ROLE ${siteRole}`);
      // A connection string would override `user` (node-postgres lets its parts win).
      const url = new URL(PG_URL);
      url.username = login;
      const pool = new pg.Pool({ connectionString: url.toString(), options, max: 4 });
      pools.push(pool);
      return pool;
    },
    async drop() {
      await Promise.all(pools.map((p) => p.end().catch(() => undefined)));
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      // Logins first: they are members of the site roles.
      for (const r of [...roles].sort((a, b) => Number(b.includes('_login_')) - Number(a.includes('_login_')))) {
        const found = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [r]);
        if (!found.rowCount) continue;
        await admin.query(`DROP OWNED BY ${r}`);
        await admin.query(`DROP ROLE ${r}`);
      }
      await admin.end();
    },
  };
  return fixture;
}
