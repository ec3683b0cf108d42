import { reportingDeadline } from '../domain/deadline';
import type { Dose, DoseFields, DoseInput, ReportingState } from '../domain/dose';
import { validateDose, type DoseRuleContext } from '../domain/dose-rules';
import { DomainValidationError, type FieldIssue } from '../domain/errors';
import type { PatientFields } from '../domain/patient';
import { auditAs, nowIso, type StoreContext } from './context';
import { StoreError, conflict, notFound } from './errors';
import type { LotInternals } from './lots';
import type { OutboxInternals } from './outbox';
import type { DoseRepo, DoseWithStatus, OutboxEntry, OutboxState } from './types';

interface DoseRow {
  id: string;
  patient_id: string;
  lot_id: string | null;
  kind: DoseFields['kind'];
  data: string;
  recorded_at: string;
  recorded_by: string;
  updated_at: string;
  deleted_at: string | null;
  version: number;
}

const STATE_FOR_CHART: Record<OutboxState, ReportingState> = {
  pending: 'waiting',
  sending: 'sending',
  accepted: 'accepted',
  warning: 'warning',
  rejected: 'rejected',
  cancelled: 'cancelled',
  superseded: 'waiting',
};

function toDose(row: DoseRow): Dose {
  const fields = JSON.parse(row.data) as DoseFields;
  const dose: Dose = { ...fields, id: row.id, recordedAt: row.recorded_at, recordedBy: row.recorded_by, updatedAt: row.updated_at, version: row.version };
  if (row.deleted_at) dose.deletedAt = row.deleted_at;
  return dose;
}

function invalid(path: string, code: string, message: string): DomainValidationError {
  return new DomainValidationError([{ path, code, message }] satisfies FieldIssue[]);
}

/** Status for the chart, from the dose's outbox history (newest entry decides). */
export function reportingStatus(entries: readonly OutboxEntry[]): DoseWithStatus['reporting'] {
  const latest = entries[entries.length - 1];
  if (!latest) return { state: 'not_reported', messages: [] };
  const accepted = entries.filter((e) => e.state === 'accepted' || e.state === 'warning').map((e) => e.completedAt ?? e.updatedAt);
  const add = [...entries].reverse().find((e) => e.action === 'A' && e.state !== 'superseded');
  // A closed entry carries why nothing more is sent (e.g. the registry rejected the add of a dose deleted since).
  const closedWhy = latest.state === 'cancelled' && latest.lastError ? [{ severity: 'info' as const, code: 'outbox.closed', text: latest.lastError }] : undefined;
  const status: DoseWithStatus['reporting'] = { state: STATE_FOR_CHART[latest.state], messages: closedWhy ?? latest.registryMessages };
  if (accepted.length) status.lastAcceptedAt = accepted.sort().at(-1);
  if (add?.deadlineAt) status.deadline = add.deadlineAt;
  return status;
}

export interface DoseListOptions {
  includeDeleted?: boolean;
}

export function createDoseRepo(ctx: StoreContext, lots: LotInternals, outbox: OutboxInternals): DoseRepo {
  const { db } = ctx;
  const byId = db.prepare('SELECT * FROM doses WHERE id = ?');
  const byPatient = db.prepare('SELECT * FROM doses WHERE patient_id = ? ORDER BY administered_on, recorded_at');
  const patientData = db.prepare('SELECT data FROM patients WHERE id = ?');
  const clinicianActive = db.prepare('SELECT active FROM clinicians WHERE id = ?');
  const insert = db.prepare(
    `INSERT INTO doses (id, patient_id, lot_id, kind, cvx, administered_on, data, recorded_at, recorded_by, updated_at, version)
     VALUES (@id, @patient_id, @lot_id, @kind, @cvx, @administered_on, @data, @at, @by, @at, 1)`,
  );
  const update = db.prepare(
    `UPDATE doses SET lot_id = @lot_id, kind = @kind, cvx = @cvx, administered_on = @administered_on, data = @data,
       updated_at = @at, version = version + 1 WHERE id = @id AND version = @expected`,
  );
  const markDeleted = db.prepare('UPDATE doses SET deleted_at = @at, deleted_reason = @reason, updated_at = @at, version = version + 1 WHERE id = @id');

  function load(id: string): DoseRow {
    const row = byId.get(id) as DoseRow | undefined;
    if (!row) throw notFound('Dose', id);
    return row;
  }

  /**
   * Domain rules against the records they refer to. `ownLotId` is the lot an edited dose already
   * took a dose from: that dose counts as back in stock while checking.
   */
  function validate(input: DoseInput, today: string, ownLotId?: string): { fields: DoseFields; patient: PatientFields } {
    const pRow = typeof input.patientId === 'string' ? (patientData.get(input.patientId) as { data: string } | undefined) : undefined;
    if (!pRow) throw invalid('dose.patientId', 'dose.patient_unknown', 'This patient is not in DoseDesk. Search for the patient again.');
    const patient = JSON.parse(pRow.data) as PatientFields;

    let filled: DoseInput = input;
    let lot: DoseRuleContext['lot'];
    if (input.lotId) {
      const found = lots.getRow(input.lotId);
      if (!found) throw invalid('dose.lotId', 'dose.lot_unknown', 'This lot is not in the inventory. Pick a lot from the list.');
      // The lot fills what the form left empty (manufacturer, lot number, expiry, NDC, funding).
      // A different lot number, manufacturer or expiry the form sent is kept here so that the
      // domain refuses it (dose-rules checkSameLot): the lot the stock comes off is the lot reported.
      filled = {
        ...input,
        lotNumber: input.lotNumber ?? found.lotNumber,
        mvx: input.mvx ?? found.mvx,
        expirationDate: input.expirationDate ?? found.expirationDate,
        ndc: input.ndc ?? found.ndc,
        fundingSource: input.fundingSource ?? found.fundingSource,
      };
      lot = { ...found, dosesOnHand: found.dosesOnHand + (found.id === ownLotId ? 1 : 0) };
    }
    let administeringClinicianKnown: boolean | undefined;
    if (input.administeringClinicianId) {
      const c = clinicianActive.get(input.administeringClinicianId) as { active: number } | undefined;
      administeringClinicianKnown = c?.active === 1;
    }
    const result = validateDose(filled, { patient, lot, today, administeringClinicianKnown });
    if (!result.ok) throw new DomainValidationError(result.issues);
    return { fields: result.value, patient };
  }

  function deadlineFor(fields: DoseFields, patient: PatientFields): string | undefined {
    const offset = ctx.utcOffsetMinutes(new Date(`${fields.administeredOn}T12:00:00Z`));
    return reportingDeadline(fields, patient, offset)?.deadline.toISOString();
  }

  const takesStock = (f: { kind: string; lotId?: string | null }) => f.kind === 'administered' && Boolean(f.lotId);

  function withStatus(row: DoseRow): DoseWithStatus {
    return { ...toDose(row), reporting: reportingStatus(outbox.forDose(row.id)) };
  }

  return {
    record(input, actor, today) {
      return ctx.transaction(() => {
        const { fields, patient } = validate(input, today);
        const id = ctx.newId();
        const at = nowIso(ctx);
        insert.run({
          id,
          patient_id: fields.patientId,
          lot_id: fields.lotId ?? null,
          kind: fields.kind,
          cvx: fields.cvx,
          administered_on: fields.administeredOn,
          data: JSON.stringify(fields),
          at,
          by: actor.userId,
        });
        if (takesStock(fields)) lots.takeOne(fields.lotId as string);
        const entry = outbox.enqueue({ doseId: id, patientId: fields.patientId, action: 'A', deadlineAt: deadlineFor(fields, patient) });
        ctx.audit(
          auditAs(actor, 'dose.record', 'dose', id, { patientId: fields.patientId, kind: fields.kind, cvx: fields.cvx, outboxSeq: entry.seq, messageControlId: entry.messageControlId }),
        );
        const dose: Dose = { ...fields, id, recordedAt: at, recordedBy: actor.userId, updatedAt: at, version: 1 };
        return { dose, outbox: entry };
      })();
    },

    edit(id, input, expectedVersion, actor, today) {
      return ctx.transaction(() => {
        const current = load(id);
        if (current.deleted_at) throw new StoreError('conflict', 'This dose was deleted, so it cannot be edited. Record it again if it was given.');
        if (current.version !== expectedVersion) throw conflict('dose', expectedVersion, current.version);
        if (input.patientId !== current.patient_id) {
          throw invalid('dose.patientId', 'dose.patient_changed', 'A dose cannot be moved to another patient. Delete it here and record it on the right chart.');
        }
        const { fields, patient } = validate(input, today, takesStock({ kind: current.kind, lotId: current.lot_id }) ? (current.lot_id ?? undefined) : undefined);
        const before = JSON.parse(current.data) as DoseFields;
        const oldLot = takesStock({ kind: current.kind, lotId: current.lot_id }) ? current.lot_id : null;
        const newLot = takesStock(fields) ? (fields.lotId ?? null) : null;
        if (oldLot !== newLot) {
          if (oldLot) lots.returnOne(oldLot);
          if (newLot) lots.takeOne(newLot);
        }
        update.run({
          id,
          expected: expectedVersion,
          lot_id: fields.lotId ?? null,
          kind: fields.kind,
          cvx: fields.cvx,
          administered_on: fields.administeredOn,
          data: JSON.stringify(fields),
          at: nowIso(ctx),
        });

        const history = outbox.forDose(id);
        const registryHasIt = history.some((e) => e.state === 'accepted' || e.state === 'warning');
        // The registry never took the record: the corrected dose goes as a new add.
        const freshAdd = !registryHasIt && history.some((e) => e.action === 'A' && e.state === 'rejected');
        // Fix-and-resubmit: the new entry carries the whole corrected dose, so any rejected entry
        // of this dose is superseded by it (and would otherwise hold it back). So is an update
        // queued while the rejected add was on the wire and never sent: it would reach the
        // registry ahead of the corrected add, for a record the registry does not hold, and be
        // rejected (holding the add back again) or taken as a second add.
        for (const e of history) {
          if (e.state === 'rejected' || (freshAdd && e.state === 'pending' && e.attempts === 0)) outbox.close(e.seq, 'superseded');
        }
        const entry: OutboxEntry = freshAdd
          ? outbox.enqueue({ doseId: id, patientId: fields.patientId, action: 'A', deadlineAt: deadlineFor(fields, patient) })
          : outbox.enqueue({ doseId: id, patientId: fields.patientId, action: 'U' });
        const changed = Object.keys({ ...before, ...fields }).filter(
          (k) => JSON.stringify(before[k as keyof DoseFields]) !== JSON.stringify(fields[k as keyof DoseFields]),
        );
        ctx.audit(auditAs(actor, 'dose.update', 'dose', id, { patientId: fields.patientId, fields: changed, outboxSeq: entry.seq, action: entry.action }));
        return { dose: toDose(load(id)), outbox: entry };
      })();
    },

    remove(id, reason, actor) {
      if (!reason?.trim()) throw invalid('dose.deleteReason', 'dose.delete_reason_missing', 'Say why this dose is being deleted (e.g. recorded on the wrong patient).');
      return ctx.transaction(() => {
        const current = load(id);
        if (current.deleted_at) return { dose: toDose(current) };
        markDeleted.run({ id, reason: reason.trim(), at: nowIso(ctx) });
        if (takesStock({ kind: current.kind, lotId: current.lot_id })) lots.returnOne(current.lot_id as string);

        const history = outbox.forDose(id);
        // Whether any message about this dose may have reached the registry.
        const mayHaveReached = history.some(
          (e) => e.state === 'accepted' || e.state === 'warning' || e.state === 'sending' || (e.state === 'pending' && e.attempts > 0),
        );
        let entry: OutboxEntry | undefined;
        if (!mayHaveReached) {
          for (const e of history) if (e.state === 'pending' || e.state === 'rejected') outbox.close(e.seq, 'cancelled');
        } else {
          // A rejected entry would hold the delete back forever; the delete makes it moot.
          for (const e of history) if (e.state === 'rejected') outbox.close(e.seq, 'cancelled');
          entry = outbox.enqueue({ doseId: id, patientId: current.patient_id, action: 'D' });
        }
        ctx.audit(auditAs(actor, 'dose.delete', 'dose', id, { patientId: current.patient_id, reason: reason.trim(), outboxSeq: entry?.seq ?? null }));
        const dose = toDose(load(id));
        return entry ? { dose, outbox: entry } : { dose };
      })();
    },

    get(id, actor) {
      return ctx.readTransaction(() => {
        const row = byId.get(id) as DoseRow | undefined;
        if (!row) return ctx.confirmMissing('doses', id);
        ctx.audit(auditAs(actor, 'dose.read', 'dose', id, { patientId: row.patient_id }));
        return withStatus(row);
      });
    },

    listForPatient(patientId, actor, options?: DoseListOptions) {
      return ctx.readTransaction(() => {
        const rows = (byPatient.all(patientId) as DoseRow[]).filter((r) => options?.includeDeleted || !r.deleted_at);
        ctx.audit(auditAs(actor, 'dose.list', 'patient', patientId, { doses: rows.length }));
        return rows.map(withStatus);
      });
    },
  };
}

