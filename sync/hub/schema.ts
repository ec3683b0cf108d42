import type { Pool, PoolClient } from 'pg';

// The practice hub's schema in PostgreSQL, created and upgraded by DoseDesk itself with
// numbered steps like the local store (never edit a landed step; append a new one). Every row
// carries its `site`: a pharmacy group may keep several sites in one database, and row-level
// security lets a site's role see and write only its own rows (FORCE, so even the tables' owner
// role is held to it; only a superuser or the migrating administrator bypasses it).
//
// Tables: `records` (the merged current state of every replicated record, with a revision that
// grows with each accepted change), `changes` (the feed workstations pull, one row per pushed
// row version, unique per change id so a second push of it changes nothing), `conflicts` (two
// values for the same field of a clinical record, both kept until a person decides), `audit`
// (every workstation's trail, merged, with the workstation on each row) and `outbox` (reports
// handed over to the hub, claimed by one workstation at a time under a lease).

export interface HubMigration {
  version: number;
  name: string;
  sql: string;
}

const RLS_TABLES = ['records', 'changes', 'conflicts', 'audit', 'outbox'] as const;

/** Rows a site role may see: those of a site it is a member of (through `site_roles`). */
const SITE_POLICY = `site IN (SELECT s.site FROM site_roles s WHERE pg_has_role(current_user, s.role_name, 'MEMBER'))`;

export const HUB_MIGRATIONS: readonly HubMigration[] = [
  {
    version: 10,
    name: 'initial',
    sql: `
      CREATE TABLE site_roles (
        site text PRIMARY KEY,
        role_name text NOT NULL UNIQUE,
        name text NOT NULL DEFAULT ''
      );
      CREATE TABLE records (
        site text NOT NULL,
        entity text NOT NULL,
        id text NOT NULL,
        row jsonb NOT NULL,
        rev bigint NOT NULL DEFAULT 1,
        owner text NOT NULL,
        updated_by text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (site, entity, id)
      );
      -- xid: the pushing transaction. A reader takes rows only below its snapshot's xmin, where
      -- every transaction has ended, and orders by (xid, gseq): a bigserial alone is handed out
      -- before commit, so "gseq > cursor" would skip a row that committed late.
      CREATE TABLE changes (
        gseq bigserial PRIMARY KEY,
        site text NOT NULL,
        change_id text NOT NULL,
        workstation text NOT NULL,
        entity text NOT NULL,
        entity_id text NOT NULL,
        rev bigint NOT NULL,
        xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
        pushed_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (site, change_id)
      );
      CREATE INDEX changes_feed ON changes (site, xid, gseq);
      CREATE TABLE conflicts (
        id bigserial PRIMARY KEY,
        site text NOT NULL,
        entity text NOT NULL,
        entity_id text NOT NULL,
        field text NOT NULL,
        kept_value jsonb,
        other_value jsonb,
        kept_workstation text NOT NULL,
        other_workstation text NOT NULL,
        change_id text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        resolved_at timestamptz,
        resolved_by text,
        UNIQUE (site, change_id, field)
      );
      CREATE INDEX conflicts_open ON conflicts (site, entity, entity_id) WHERE resolved_at IS NULL;
      CREATE TABLE audit (
        site text NOT NULL,
        workstation text NOT NULL,
        local_id bigint NOT NULL,
        at text NOT NULL,
        user_id text,
        action text NOT NULL,
        entity text,
        entity_id text,
        detail text,
        PRIMARY KEY (site, workstation, local_id)
      );
      CREATE TABLE outbox (
        hseq bigserial UNIQUE,
        site text NOT NULL,
        message_control_id text NOT NULL,
        dose_id text NOT NULL,
        patient_id text NOT NULL,
        action text NOT NULL CHECK (action IN ('A','U','D')),
        state text NOT NULL CHECK (state IN ('pending','sending','accepted','warning','rejected','cancelled','superseded')),
        message_text text NOT NULL,
        origin text NOT NULL,
        local_seq bigint NOT NULL,
        deadline_at text,
        attempts integer NOT NULL DEFAULT 0,
        lease_owner text,
        lease_until timestamptz,
        ack_code text,
        ack_text text,
        registry_messages jsonb NOT NULL DEFAULT '[]',
        reported_by text,
        created_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz,
        PRIMARY KEY (site, message_control_id)
      );
      CREATE INDEX outbox_open ON outbox (site, patient_id, hseq) WHERE state IN ('pending','sending');
      CREATE INDEX outbox_claim ON outbox (site, deadline_at, hseq) WHERE state IN ('pending','sending');
      ${RLS_TABLES.map(
        (t) => `
      ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY;
      ALTER TABLE ${t} FORCE ROW LEVEL SECURITY;
      CREATE POLICY ${t}_by_site ON ${t} USING (${SITE_POLICY}) WITH CHECK (${SITE_POLICY});`,
      ).join('\n')}
    `,
  },
];

export interface HubMigrationOutcome {
  from: number;
  to: number;
}

/** Quotes an SQL identifier (a schema or role name chosen by IT). */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Brings the hub schema (in the connection's search_path) to the newest version in one
 * transaction, under an advisory lock so two workstations starting together do not both apply
 * a step. Refuses a hub already migrated by a newer DoseDesk.
 */
export async function migrateHub(pool: Pool, migrations: readonly HubMigration[] = HUB_MIGRATIONS): Promise<HubMigrationOutcome> {
  const to = migrations.at(-1)?.version ?? 0;
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query("SELECT pg_advisory_xact_lock(hashtext(current_schema() || ':dosedesk-hub-migrate'))");
    await client.query('CREATE TABLE IF NOT EXISTS hub_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
    const seen = await client.query<{ v: number | null }>('SELECT max(version) AS v FROM hub_migrations');
    const from = seen.rows[0]?.v ?? 0;
    if (from > to) {
      throw new Error(`The practice hub was set up by a newer DoseDesk (hub schema ${from}); this copy only understands hub schema ${to}. Update DoseDesk on this workstation; it works alone until then.`);
    }
    for (const m of migrations.filter((x) => x.version > from)) {
      await client.query(m.sql);
      await client.query('INSERT INTO hub_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
    }
    await client.query('COMMIT');
    return { from, to };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/**
 * An administrator's step (IT, with the migrating role): site `site` is served to members of
 * `roleName` (a NOLOGIN group role each workstation's login role is granted). Creates the role
 * when missing and grants it what replication needs on the hub's tables, nothing more.
 */
export async function provisionSite(pool: Pool, site: string, roleName: string, displayName = ''): Promise<void> {
  const client: PoolClient = await pool.connect();
  try {
    await client.query('BEGIN');
    const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [roleName]);
    if (!exists.rowCount) await client.query(`CREATE ROLE ${quoteIdent(roleName)} NOLOGIN`);
    const schema = (await client.query<{ s: string }>('SELECT current_schema() AS s')).rows[0]?.s ?? 'public';
    const role = quoteIdent(roleName);
    await client.query(`GRANT USAGE ON SCHEMA ${quoteIdent(schema)} TO ${role}`);
    await client.query(`GRANT SELECT ON site_roles, hub_migrations TO ${role}`);
    await client.query(`GRANT SELECT, INSERT, UPDATE ON ${RLS_TABLES.join(', ')} TO ${role}`);
    await client.query(`GRANT USAGE ON ALL SEQUENCES IN SCHEMA ${quoteIdent(schema)} TO ${role}`);
    await client.query(
      'INSERT INTO site_roles (site, role_name, name) VALUES ($1, $2, $3) ON CONFLICT (site) DO UPDATE SET role_name = excluded.role_name, name = excluded.name',
      [site, roleName, displayName],
    );
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
