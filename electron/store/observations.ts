// A patient's CDSi observations (conditions, contraindications, evidence of immunity), each
// change in one transaction with its audit row. Reads for the chart are audited; the forecast
// and recall reads are not (their callers audit the run, as for doses).
import { isoDateAtOffset } from '../domain/common';
import { DomainValidationError, issuesFromZod, type FieldIssue } from '../domain/errors';
import { observationByCode } from '../domain/forecast/observation-catalogue';
import {
  observationInputSchema,
  type ObservationFields,
  type ObservationInput,
  type ObservationSource,
  type PatientObservation,
} from '../domain/forecast/observation-input';
import { auditAs, nowIso, optional, type StoreContext } from './context';
import { conflict, notFound } from './errors';
import type { Actor } from './types';

export type { PatientObservation };

/** What the forecast needs of one observation. */
export interface ObservationForForecast {
  code: string;
  startDate?: string;
  endDate?: string;
  /** The day it was put on the chart (clinic's calendar), for "recorded on …". */
  recordedOn: string;
}

export interface ObservationRepo {
  /** The chart's list (removed ones left out), oldest first; an audited read. */
  listForPatient(patientId: string, actor: Actor): PatientObservation[];
  record(patientId: string, input: ObservationInput, actor: Actor, source?: ObservationSource): PatientObservation;
  /** New dates or note; `expectedVersion` guards against two people editing at once. */
  update(id: string, input: ObservationInput, expectedVersion: number, actor: Actor): PatientObservation;
  /** Entered in error: the row leaves the chart and the forecast, with who and why kept. */
  remove(id: string, reason: string, actor: Actor): PatientObservation;
  /** Observations of these patients for the forecast, by patient id (no audit row). */
  forForecast(patientIds: readonly string[]): Map<string, ObservationForForecast[]>;
  /** Ids of the patients with any of these codes recorded (no audit row; the recall audits its run). */
  patientsWith(codes: readonly string[]): Set<string>;
}

interface Row {
  id: string;
  patient_id: string;
  code: string;
  start_date: string | null;
  end_date: string | null;
  note: string | null;
  source: ObservationSource;
  recorded_by: string | null;
  recorded_at: string;
  updated_at: string;
  version: number;
  removed_at: string | null;
}

function toObservation(r: Row): PatientObservation {
  const o: PatientObservation = {
    id: r.id,
    patientId: r.patient_id,
    code: r.code,
    title: observationByCode(r.code)?.title ?? `CDSi observation ${r.code}`,
    source: r.source,
    recordedAt: r.recorded_at,
    updatedAt: r.updated_at,
    version: r.version,
  };
  const start = optional(r.start_date);
  const end = optional(r.end_date);
  const note = optional(r.note);
  const by = optional(r.recorded_by);
  if (start) o.startDate = start;
  if (end) o.endDate = end;
  if (note) o.note = note;
  if (by) o.recordedBy = by;
  return o;
}

function invalid(path: string, code: string, message: string): DomainValidationError {
  return new DomainValidationError([{ path: `observation.${path}`, code: `observation.${code}`, message }]);
}

export function createObservationRepo(ctx: StoreContext): ObservationRepo {
  const { db } = ctx;
  const byId = db.prepare('SELECT * FROM patient_observations WHERE id = ?');
  const patientExists = db.prepare('SELECT 1 FROM patients WHERE id = ?');
  const listActive = db.prepare('SELECT * FROM patient_observations WHERE patient_id = ? AND removed_at IS NULL ORDER BY coalesce(start_date, recorded_at), rid');
  const sameOpen = db.prepare(
    `SELECT id FROM patient_observations WHERE patient_id = @patient AND code = @code AND removed_at IS NULL
       AND coalesce(start_date, '') = coalesce(@start, '') AND id <> @id`,
  );
  const insert = db.prepare(
    `INSERT INTO patient_observations (id, patient_id, code, start_date, end_date, note, source, recorded_by, recorded_at, updated_at)
     VALUES (@id, @patient, @code, @start, @end, @note, @source, @by, @at, @at)`,
  );
  const update = db.prepare('UPDATE patient_observations SET start_date = @start, end_date = @end, note = @note, updated_at = @at, version = version + 1 WHERE id = @id');
  const remove = db.prepare('UPDATE patient_observations SET removed_at = @at, removed_by = @by, removed_reason = @reason, version = version + 1 WHERE id = @id');
  const forPatients = db.prepare(
    `SELECT patient_id, code, start_date, end_date, recorded_at FROM patient_observations
     WHERE removed_at IS NULL AND patient_id IN (SELECT value FROM json_each(?)) ORDER BY patient_id, rid`,
  );
  const withCodes = db.prepare('SELECT DISTINCT patient_id FROM patient_observations WHERE removed_at IS NULL AND code IN (SELECT value FROM json_each(?))');

  const today = (): string => {
    const at = ctx.now();
    return isoDateAtOffset(at, ctx.utcOffsetMinutes(at));
  };

  function parse(input: ObservationInput): ObservationFields {
    const parsed = observationInputSchema.safeParse(input);
    if (!parsed.success) throw new DomainValidationError(issuesFromZod(parsed.error, 'observation'));
    const f = parsed.data;
    const issues: FieldIssue[] = [];
    const known = observationByCode(f.code);
    if (!known) issues.push({ path: 'observation.code', code: 'observation.unknown_code', message: `${f.code} is not a CDSi observation code. Choose a condition from the list.` });
    if (f.startDate && f.startDate > today()) {
      issues.push({ path: 'observation.startDate', code: 'observation.start_in_future', message: 'The start date is in the future. Record a condition once it has begun.' });
    }
    if (known?.needsDate && !f.startDate) {
      issues.push({ path: 'observation.startDate', code: 'observation.date_required', message: `Enter the date for "${known.title}": the schedule counts from it.` });
    }
    if (issues.length > 0) throw new DomainValidationError(issues);
    return f;
  }

  function load(id: string): Row {
    const row = byId.get(id) as Row | undefined;
    if (!row || row.removed_at !== null) throw notFound('Condition', id);
    return row;
  }

  function refuseDuplicate(patient: string, f: ObservationFields, id: string): void {
    if (sameOpen.get({ patient, code: f.code, start: f.startDate ?? null, id })) {
      throw invalid('code', 'duplicate', `"${observationByCode(f.code)?.title ?? f.code}" is already on this chart${f.startDate ? ` from ${f.startDate}` : ''}. Edit that entry instead.`);
    }
  }

  const detail = (f: ObservationFields, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ code: f.code, startDate: f.startDate, endDate: f.endDate, ...extra });

  return {
    listForPatient(patientId, actor) {
      return ctx.readTransaction(() => {
        const rows = (listActive.all(patientId) as Row[]).map(toObservation);
        ctx.audit(auditAs(actor, 'observation.read', 'patient', patientId, { count: rows.length }));
        return rows;
      });
    },

    record(patientId, input, actor, source = 'chart') {
      const f = parse(input);
      return ctx.transaction(() => {
        if (!patientExists.get(patientId)) throw notFound('Patient', patientId);
        const id = ctx.newId();
        refuseDuplicate(patientId, f, id);
        insert.run({ id, patient: patientId, code: f.code, start: f.startDate ?? null, end: f.endDate ?? null, note: f.note ?? null, source, by: actor.userId, at: nowIso(ctx) });
        ctx.audit(auditAs(actor, 'observation.record', 'patient', patientId, detail(f, { observationId: id, source })));
        return toObservation(load(id));
      })();
    },

    update(id, input, expectedVersion, actor) {
      const f = parse(input);
      return ctx.transaction(() => {
        const row = load(id);
        if (row.version !== expectedVersion) throw conflict('condition', expectedVersion, row.version);
        if (f.code !== row.code) throw invalid('code', 'code_changed', 'A condition cannot be changed into another one. Remove it and record the right one.');
        refuseDuplicate(row.patient_id, f, id);
        update.run({ id, start: f.startDate ?? null, end: f.endDate ?? null, note: f.note ?? null, at: nowIso(ctx) });
        ctx.audit(auditAs(actor, 'observation.update', 'patient', row.patient_id, detail(f, { observationId: id, before: { startDate: optional(row.start_date), endDate: optional(row.end_date) } })));
        return toObservation(load(id));
      })();
    },

    remove(id, reason, actor) {
      const why = reason.trim();
      if (why.length < 3) throw invalid('reason', 'reason_required', 'Say why this condition is being removed (e.g. recorded on the wrong chart).');
      return ctx.transaction(() => {
        const row = load(id);
        remove.run({ id, at: nowIso(ctx), by: actor.userId, reason: why });
        ctx.audit(auditAs(actor, 'observation.remove', 'patient', row.patient_id, { observationId: id, code: row.code, reason: why }));
        const after = byId.get(id) as Row;
        return toObservation(after);
      })();
    },

    forForecast(patientIds) {
      const out = new Map<string, ObservationForForecast[]>();
      if (patientIds.length === 0) return out;
      for (const r of forPatients.all(JSON.stringify(patientIds)) as Pick<Row, 'patient_id' | 'code' | 'start_date' | 'end_date' | 'recorded_at'>[]) {
        const at = new Date(r.recorded_at);
        const o: ObservationForForecast = { code: r.code, recordedOn: isoDateAtOffset(at, ctx.utcOffsetMinutes(at)) };
        if (r.start_date) o.startDate = r.start_date;
        if (r.end_date) o.endDate = r.end_date;
        const list = out.get(r.patient_id);
        if (list) list.push(o);
        else out.set(r.patient_id, [o]);
      }
      return out;
    },

    patientsWith(codes) {
      if (codes.length === 0) return new Set();
      return new Set((withCodes.all(JSON.stringify(codes)) as { patient_id: string }[]).map((r) => r.patient_id));
    },
  };
}
