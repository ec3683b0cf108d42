import { clinicianInputSchema, type Clinician, type ClinicianFields, type ClinicianInput } from '../domain/clinician';
import { DomainValidationError, issuesFromZod } from '../domain/errors';
import { auditAs, nowIso, toBool, type StoreContext } from './context';
import { notFound } from './errors';
import type { ClinicianRepo } from './types';

interface ClinicianRow {
  id: string;
  active: number;
  data: string;
}

function toClinician(row: ClinicianRow): Clinician {
  return { ...(JSON.parse(row.data) as ClinicianFields), id: row.id, active: toBool(row.active) };
}

function parse(input: ClinicianInput): ClinicianFields {
  const parsed = clinicianInputSchema.safeParse(input);
  if (!parsed.success) throw new DomainValidationError(issuesFromZod(parsed.error, 'clinician'));
  return parsed.data;
}

export function createClinicianRepo(ctx: StoreContext): ClinicianRepo {
  const { db } = ctx;
  const byId = db.prepare('SELECT * FROM clinicians WHERE id = ?');
  const insert = db.prepare(
    `INSERT INTO clinicians (id, last_name, first_name, active, data, created_at, updated_at)
     VALUES (@id, @last_name, @first_name, 1, @data, @at, @at)`,
  );
  const update = db.prepare('UPDATE clinicians SET last_name = @last_name, first_name = @first_name, data = @data, updated_at = @at WHERE id = @id');
  const setActive = db.prepare('UPDATE clinicians SET active = @active, updated_at = @at WHERE id = @id');

  function load(id: string): Clinician {
    const row = byId.get(id) as ClinicianRow | undefined;
    if (!row) throw notFound('Clinician', id);
    return toClinician(row);
  }

  const params = (id: string, f: ClinicianFields) => ({ id, last_name: f.lastName, first_name: f.firstName, data: JSON.stringify(f), at: nowIso(ctx) });

  return {
    create(input, actor) {
      const f = parse(input);
      return ctx.transaction(() => {
        const id = ctx.newId();
        insert.run(params(id, f));
        ctx.audit(auditAs(actor, 'clinician.create', 'clinician', id));
        return load(id);
      })();
    },
    update(id, input, actor) {
      const f = parse(input);
      return ctx.transaction(() => {
        load(id);
        update.run(params(id, f));
        ctx.audit(auditAs(actor, 'clinician.update', 'clinician', id));
        return load(id);
      })();
    },
    setActive(id, active, actor) {
      return ctx.transaction(() => {
        load(id);
        setActive.run({ id, active: active ? 1 : 0, at: nowIso(ctx) });
        ctx.audit(auditAs(actor, active ? 'clinician.activate' : 'clinician.deactivate', 'clinician', id));
        return load(id);
      })();
    },
    get(id) {
      const row = byId.get(id) as ClinicianRow | undefined;
      return row ? toClinician(row) : undefined;
    },
    list(includeInactive = false) {
      const sql = `SELECT * FROM clinicians ${includeInactive ? '' : 'WHERE active = 1'} ORDER BY last_name COLLATE NOCASE, first_name COLLATE NOCASE`;
      return (db.prepare(sql).all() as ClinicianRow[]).map(toClinician);
    },
  };
}
