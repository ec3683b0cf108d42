import { isoDateAtOffset } from '../domain/common';
import { DomainValidationError } from '../domain/errors';
import { ASSIGNED_MRN_PREFIX, type Patient, type PatientFields, type PatientInput } from '../domain/patient';
import { validatePatient } from '../domain/patient-rules';
import { auditAs, nowIso, type StoreContext } from './context';
import { conflict, notFound } from './errors';
import { ftsExpression, namesMatch, parseSearchText } from './search-query';
import type { Actor, ForecastPatientRow, PatientRepo, PatientSearchQuery, PatientSummary } from './types';

interface PatientRow {
  rid: number;
  id: string;
  mrn: string;
  last_name: string;
  first_name: string;
  middle_name: string | null;
  dob: string;
  sex: string;
  data: string;
  created_at: string;
  updated_at: string;
  version: number;
}

interface ForecastJoinRow {
  rid: number;
  id: string;
  mrn: string;
  last_name: string;
  first_name: string;
  dob: string;
  sex: string;
  dose_id: string | null;
  cvx: string | null;
  mvx: string | null;
  administered_on: string | null;
}

// Patients in rowid order, each with the doses that count for the forecast in date order (the
// doses_patient index serves both the join and the order): rows of one patient are adjacent.
const FORECAST_JOIN = `SELECT p.rid, p.id, p.mrn, p.last_name, p.first_name, p.dob, p.sex,
    d.id AS dose_id, d.cvx, json_extract(d.data, '$.mvx') AS mvx, d.administered_on
  FROM patients p
  LEFT JOIN doses d ON d.patient_id = p.id AND d.deleted_at IS NULL AND d.kind IN ('administered', 'historical')`;

/** Patients per page of a whole-store scan: bounded memory, and the connection is free between pages. */
const FORECAST_PAGE = 1_000;

/** Folds the adjacent join rows of each patient into one forecast row. */
function* foldForecastRows(rows: Iterable<ForecastJoinRow>): Generator<ForecastPatientRow> {
  let current: ForecastPatientRow | undefined;
  for (const r of rows) {
    if (!current || current.id !== r.id) {
      if (current) yield current;
      current = { id: r.id, mrn: r.mrn, lastName: r.last_name, firstName: r.first_name, dob: r.dob, sex: r.sex, doses: [] };
    }
    if (r.dose_id && r.cvx && r.administered_on) {
      const dose: ForecastPatientRow['doses'][number] = { id: r.dose_id, cvx: r.cvx, date: r.administered_on };
      if (r.mvx) dose.mvx = r.mvx;
      current.doses.push(dose);
    }
  }
  if (current) yield current;
}

type SummaryRow = Pick<PatientRow, 'id' | 'mrn' | 'last_name' | 'first_name' | 'middle_name' | 'dob' | 'sex'>;

const SUMMARY_COLUMNS = 'p.id, p.mrn, p.last_name, p.first_name, p.middle_name, p.dob, p.sex';
const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 200;
/** Patients born on one day, scanned to filter by name: generous for a million-patient file. */
const DOB_SCAN_CAP = 5_000;

function searchText(f: Pick<PatientFields, 'lastName' | 'firstName' | 'middleName'>): string {
  return `${f.lastName} ${f.firstName} ${f.middleName ?? ''}`;
}

function toPatient(row: PatientRow): Patient {
  const fields = JSON.parse(row.data) as PatientFields;
  return { ...fields, id: row.id, createdAt: row.created_at, updatedAt: row.updated_at, version: row.version };
}

function toSummary(row: SummaryRow): PatientSummary {
  const s: PatientSummary = { id: row.id, mrn: row.mrn, lastName: row.last_name, firstName: row.first_name, dob: row.dob, sex: row.sex };
  if (row.middle_name) s.middleName = row.middle_name;
  return s;
}

function bySortName(a: PatientSummary, b: PatientSummary): number {
  return a.lastName.localeCompare(b.lastName) || a.firstName.localeCompare(b.firstName) || a.dob.localeCompare(b.dob);
}

export function parsePatient(input: PatientInput, today: string): PatientFields {
  const result = validatePatient(input, { today });
  if (!result.ok) throw new DomainValidationError(result.issues);
  return result.value;
}

export interface PatientImport {
  /** Bulk load (a migration from another system, or test data): one transaction, one audit row. */
  importMany(inputs: Iterable<PatientInput>, actor: Actor): number;
}

export function createPatientRepo(ctx: StoreContext): PatientRepo & PatientImport {
  const { db } = ctx;
  /** Today on the clinic's clock, for the rules that need it (a date of birth not in the future). */
  const today = (): string => {
    const at = ctx.now();
    return isoDateAtOffset(at, ctx.utcOffsetMinutes(at));
  };
  const byId = db.prepare('SELECT * FROM patients WHERE id = ?');
  const byMrn = db.prepare('SELECT id FROM patients WHERE mrn = ?');
  const insert = db.prepare(
    `INSERT INTO patients (id, mrn, last_name, first_name, middle_name, dob, sex, data, created_at, updated_at, version)
     VALUES (@id, @mrn, @last_name, @first_name, @middle_name, @dob, @sex, @data, @at, @at, 1)`,
  );
  const indexNames = db.prepare('INSERT INTO patient_search(rowid, names) VALUES (?, ?)');
  const unindex = db.prepare('DELETE FROM patient_search WHERE rowid = ?');
  const update = db.prepare(
    `UPDATE patients SET mrn = @mrn, last_name = @last_name, first_name = @first_name, middle_name = @middle_name,
       dob = @dob, sex = @sex, data = @data, updated_at = @at, version = version + 1
     WHERE id = @id AND version = @expected`,
  );
  const searchFts = db.prepare(
    `SELECT ${SUMMARY_COLUMNS} FROM patient_search s JOIN patients p ON p.rid = s.rowid
     WHERE patient_search MATCH @match LIMIT @limit`,
  );
  const searchFtsDob = db.prepare(
    `SELECT ${SUMMARY_COLUMNS} FROM patient_search s JOIN patients p ON p.rid = s.rowid
     WHERE patient_search MATCH @match AND p.dob = @dob LIMIT @limit`,
  );
  const searchDob = db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM patients p WHERE p.dob = @dob LIMIT @limit`);
  const searchMrn = db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM patients p WHERE p.mrn = @mrn`);
  const duplicates = db.prepare(
    `SELECT ${SUMMARY_COLUMNS} FROM patients p
     WHERE p.last_name = @last COLLATE NOCASE AND p.first_name = @first COLLATE NOCASE AND p.dob = @dob LIMIT 20`,
  );
  const dobCount = db.prepare('SELECT count(*) AS n FROM (SELECT 1 FROM patients WHERE dob = ? LIMIT ' + (DOB_SCAN_CAP + 1) + ')');
  const count = db.prepare('SELECT count(*) AS n FROM patients');
  // A page is a rowid range: its upper end first (one index step), then one ordered join over it.
  const forecastPageEnd = db.prepare('SELECT rid FROM patients WHERE rid > @after ORDER BY rid LIMIT 1 OFFSET @skip');
  const forecastPage = db.prepare(`${FORECAST_JOIN} WHERE p.rid > @after AND p.rid <= @upto ORDER BY p.rid, d.administered_on, d.rid`);
  const forecastOne = db.prepare(`${FORECAST_JOIN} WHERE p.id = ? ORDER BY d.administered_on, d.rid`);

  /** Inserts the row and its search entry (the same text the 0020 backfill indexes). */
  function insertRow(id: string, f: PatientFields, at: string): void {
    const info = insert.run(rowParams(id, f, at));
    indexNames.run(info.lastInsertRowid, searchText(f));
  }

  function rowParams(id: string, f: PatientFields, at: string) {
    return {
      id,
      mrn: f.mrn,
      last_name: f.lastName,
      first_name: f.firstName,
      middle_name: f.middleName ?? null,
      dob: f.dob,
      sex: f.sex,
      data: JSON.stringify(f),
      at,
    };
  }

  const lastAssigned = db.prepare(`SELECT mrn FROM patients WHERE mrn LIKE @prefix ORDER BY length(mrn) DESC, mrn DESC LIMIT 1`);
  /** The next free number after the highest one assigned so far (a typed MRN may sit in between). */
  function nextAssignedMrn(): string {
    const row = lastAssigned.get({ prefix: `${ASSIGNED_MRN_PREFIX}%` }) as { mrn: string } | undefined;
    const last = row ? Number(row.mrn.slice(ASSIGNED_MRN_PREFIX.length)) : 0;
    let n = Number.isFinite(last) ? last + 1 : 1;
    for (;;) {
      const mrn = `${ASSIGNED_MRN_PREFIX}${String(n).padStart(6, '0')}`;
      if (!byMrn.get(mrn)) return mrn;
      n++;
    }
  }

  function assertMrnFree(mrn: string, exceptId?: string): void {
    const existing = byMrn.get(mrn) as { id: string } | undefined;
    if (existing && existing.id !== exceptId) {
      throw new DomainValidationError([
        { path: 'patient.mrn', code: 'patient.mrn_taken', message: `Another patient already has MRN ${mrn}. Search for that MRN before creating a new chart.` },
      ]);
    }
  }

  function runSearch(q: PatientSearchQuery): PatientSummary[] {
    const limit = Math.min(Math.max(Math.trunc(q.limit ?? DEFAULT_LIMIT), 1), MAX_LIMIT);
    const parsed = parseSearchText(q.text ?? '');
    const dob = q.dob ?? parsed.dob;
    const mrn = q.mrn?.trim() || parsed.mrn;
    const tokens = parsed.nameTokens;

    if (mrn) {
      const rows = (searchMrn.all({ mrn }) as SummaryRow[]).map(toSummary);
      return rows.filter((r) => (!dob || r.dob === dob) && namesMatch(tokens, `${r.lastName} ${r.firstName} ${r.middleName ?? ''}`));
    }
    if (dob && tokens.length) {
      // Few people share a birthday even in a big file: walk them by the DOB index rather than
      // letting a common name prefix ("ma") drag a huge match set through the join.
      const n = (dobCount.get(dob) as { n: number }).n;
      if (n <= DOB_SCAN_CAP) {
        return (searchDob.all({ dob, limit: DOB_SCAN_CAP }) as SummaryRow[])
          .map(toSummary)
          .filter((r) => namesMatch(tokens, `${r.lastName} ${r.firstName} ${r.middleName ?? ''}`))
          .sort(bySortName)
          .slice(0, limit);
      }
      return (searchFtsDob.all({ match: ftsExpression(tokens), dob, limit }) as SummaryRow[]).map(toSummary).sort(bySortName);
    }
    if (dob) return (searchDob.all({ dob, limit }) as SummaryRow[]).map(toSummary).sort(bySortName);
    if (tokens.length) {
      // No ORDER BY in SQL: the index hands back matches in rowid order and LIMIT stops early,
      // which keeps a one-letter prefix at a million patients cheap; the page is sorted here.
      return (searchFts.all({ match: ftsExpression(tokens), limit }) as SummaryRow[]).map(toSummary).sort(bySortName);
    }
    return [];
  }

  return {
    create(input, actor) {
      const given = input.mrn?.trim();
      return ctx.transaction(() => {
        // Assigned inside the write transaction: two windows registering at once get two numbers.
        const mrn = given || nextAssignedMrn();
        const fields = parsePatient({ ...input, mrn }, today());
        assertMrnFree(fields.mrn);
        const id = ctx.newId();
        insertRow(id, fields, nowIso(ctx));
        ctx.audit(auditAs(actor, 'patient.create', 'patient', id, given ? undefined : { mrnAssigned: mrn }));
        return toPatient(byId.get(id) as PatientRow);
      })();
    },

    update(id, input, expectedVersion, actor) {
      const fields = parsePatient(input, today());
      return ctx.transaction(() => {
        const current = byId.get(id) as PatientRow | undefined;
        if (!current) throw notFound('Patient', id);
        if (current.version !== expectedVersion) throw conflict('patient record', expectedVersion, current.version);
        assertMrnFree(fields.mrn, id);
        const changed = Object.keys(fields).filter(
          (k) => JSON.stringify(fields[k as keyof PatientFields]) !== JSON.stringify((JSON.parse(current.data) as PatientFields)[k as keyof PatientFields]),
        );
        update.run({ ...rowParams(id, fields, nowIso(ctx)), expected: expectedVersion });
        const before = JSON.parse(current.data) as PatientFields;
        if (searchText(before) !== searchText(fields)) {
          unindex.run(current.rid);
          indexNames.run(current.rid, searchText(fields));
        }
        ctx.audit(auditAs(actor, 'patient.update', 'patient', id, { fields: changed, version: expectedVersion + 1 }));
        return toPatient(byId.get(id) as PatientRow);
      })();
    },

    get(id, actor) {
      return ctx.readTransaction(() => {
        const row = byId.get(id) as PatientRow | undefined;
        if (!row) return ctx.confirmMissing('patients', id);
        ctx.audit(auditAs(actor, 'patient.read', 'patient', id));
        return toPatient(row);
      });
    },

    search(query, actor) {
      return ctx.readTransaction(() => {
        const results = runSearch(query);
        // Which charts appeared on whose screen, not what was typed (the query itself is PHI).
        ctx.audit(auditAs(actor, 'patient.search', 'patient', undefined, { results: results.length, patientIds: results.map((r) => r.id) }));
        return results;
      });
    },

    findLikelyDuplicates(input) {
      return (duplicates.all({ last: input.lastName.trim(), first: input.firstName.trim(), dob: input.dob }) as SummaryRow[]).map(toSummary);
    },

    count() {
      return (count.get() as { n: number }).n;
    },

    forecastInput(id, actor) {
      return ctx.readTransaction(() => {
        const [row] = foldForecastRows(forecastOne.all(id) as ForecastJoinRow[]);
        if (!row) return undefined;
        ctx.audit(auditAs(actor, 'patient.forecast', 'patient', id, { doses: row.doses.length }));
        return row;
      });
    },

    *forecastRows(pageSize = FORECAST_PAGE) {
      const size = Math.max(1, Math.trunc(pageSize));
      let after = 0;
      for (;;) {
        const end = forecastPageEnd.get({ after, skip: size - 1 }) as { rid: number } | undefined;
        const rows = forecastPage.all({ after, upto: end ? end.rid : Number.MAX_SAFE_INTEGER }) as ForecastJoinRow[];
        if (rows.length === 0) return;
        yield* foldForecastRows(rows);
        if (!end) return;
        after = end.rid;
      }
    },

    importMany(inputs, actor) {
      return ctx.transaction(() => {
        let n = 0;
        const at = nowIso(ctx);
        const day = today();
        for (const input of inputs) {
          const fields = parsePatient(input, day);
          insertRow(ctx.newId(), fields, at);
          n += 1;
        }
        ctx.audit(auditAs(actor, 'patient.import', 'patient', undefined, { count: n }));
        return n;
      })();
    },
  };
}
