import { DomainValidationError } from '../domain/errors';
import { auditAs, nowIso, type StoreContext } from './context';
import { reportingStatus } from './doses';
import { StoreError, notFound } from './errors';
import { toEntry, type OutboxInternals } from './outbox';
import type { DoseReportingUpdate, OutboxEntry, ResubmittedReport, WorkQueueCounts, WorkQueueEntry, WorkQueueRepo, WorkQueueSkip, WorkQueueView } from './types';

// The work queue: registry answers that need a person (promise 3), and what people decided
// about them. Decisions, by design:
// - a warning (accepted, possibly with data ignored) is seen once and acknowledged;
// - a rejection stays until it is fixed (editing the dose resubmits it), resent after a
//   configuration fix, or dismissed with a reason by someone who knows the registry has the
//   dose another way (e.g. keyed in the MIIS web site). A dismissed rejection leaves the open
//   queue and the deadline warning, but stays under `dismissed` and on the chart as rejected,
//   and can still be fixed and resent: nothing about it is silent or final.
// Every decision writes an audit row naming the person and the dose.

type OutboxRow = Parameters<typeof toEntry>[0];
interface QueueRow extends OutboxRow {
  reviewed_at: string | null;
  reviewed_by: string | null;
  review_reason: string | null;
}

// Order keys of the open view, verbatim as in `outbox_open_work` (migration 0050) so SQLite
// walks that index: rejections first (nearest deadline first, none last, then oldest), then
// warnings newest first.
const OPEN_WHERE = "state IN ('rejected','warning') AND reviewed_at IS NULL";
const K1 = "(state <> 'rejected')";
const K2 = "(CASE WHEN state = 'rejected' THEN coalesce(deadline_at, '~') ELSE '' END)";
const K3 = "(CASE WHEN state = 'rejected' THEN seq ELSE -seq END)";
const REVIEWED_WHERE = "state IN ('rejected','warning') AND reviewed_at IS NOT NULL";
// The 72-hour clock runs until MIIS accepts the dose: waiting to be sent, or rejected and not
// dismissed. A delete has no deadline of its own. Served by the partial index of open entries.
const AT_RISK_WHERE = `state IN ('pending','sending','rejected') AND action <> 'D' AND deadline_at IS NOT NULL AND deadline_at <= @before
     AND NOT (state = 'rejected' AND reviewed_at IS NOT NULL)`;

/** One page of the open view after a key (exported so a test can check its plan). */
export const OPEN_PAGE_SQL = `SELECT *, ${K1} AS k1, ${K2} AS k2, ${K3} AS k3 FROM outbox
     WHERE ${OPEN_WHERE} AND (${K1}, ${K2}, ${K3}) > (@k1, @k2, @k3)
     ORDER BY ${K1}, ${K2}, ${K3} LIMIT @limit`;
/** One page of acknowledged warnings or dismissed rejections, most recent decision first. */
export const REVIEWED_PAGE_SQL = `SELECT * FROM outbox
     WHERE ${REVIEWED_WHERE} AND state = @state AND (reviewed_at, seq) < (@at, @seq)
     ORDER BY reviewed_at DESC, seq DESC LIMIT @limit`;

type OpenKey = [number, string, number];
type ReviewedKey = [string, number];

const CURSOR_PROBLEM = 'This page of the work queue is out of date. Reload the work queue.';

function badCursor(): DomainValidationError {
  return new DomainValidationError([{ path: 'cursor', code: 'queue.cursor_invalid', message: CURSOR_PROBLEM }]);
}

function encodeCursor(view: WorkQueueView, key: OpenKey | ReviewedKey): string {
  return Buffer.from(JSON.stringify([view, ...key]), 'utf8').toString('base64url');
}

function decodeCursor(view: WorkQueueView, cursor: string): OpenKey | ReviewedKey {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badCursor();
  }
  if (!Array.isArray(parsed) || parsed[0] !== view) throw badCursor();
  const key = parsed.slice(1) as unknown[];
  if (view === 'open') {
    const [k1, k2, k3] = key;
    if (key.length !== 3 || (k1 !== 0 && k1 !== 1) || typeof k2 !== 'string' || !Number.isSafeInteger(k3)) throw badCursor();
    return [k1, k2, k3 as number];
  }
  const [at, seq] = key;
  if (key.length !== 2 || typeof at !== 'string' || !Number.isSafeInteger(seq)) throw badCursor();
  return [at, seq as number];
}

function toQueueEntry(row: QueueRow): WorkQueueEntry {
  const entry: WorkQueueEntry = toEntry(row);
  if (row.reviewed_at && row.reviewed_by) {
    entry.review = { kind: row.state === 'rejected' ? 'dismissed' : 'acknowledged', at: row.reviewed_at, userId: row.reviewed_by };
    if (row.review_reason) entry.review.reason = row.review_reason;
  }
  return entry;
}

export function createWorkQueueRepo(ctx: StoreContext, outbox: OutboxInternals): WorkQueueRepo {
  const { db } = ctx;
  const get = db.prepare('SELECT * FROM outbox WHERE seq = ?');
  const openPage = db.prepare(OPEN_PAGE_SQL);
  const reviewedPage = db.prepare(REVIEWED_PAGE_SQL);
  const counts = db.prepare(
    `SELECT count(*) FILTER (WHERE state = 'rejected' AND reviewed_at IS NULL) AS rejected,
            count(*) FILTER (WHERE state = 'warning' AND reviewed_at IS NULL) AS warnings,
            count(*) FILTER (WHERE state = 'warning' AND reviewed_at IS NOT NULL) AS acknowledged,
            count(*) FILTER (WHERE state = 'rejected' AND reviewed_at IS NOT NULL) AS dismissed
     FROM outbox WHERE state IN ('rejected','warning')`,
  );
  const atRiskRows = db.prepare(`SELECT * FROM outbox WHERE ${AT_RISK_WHERE} ORDER BY deadline_at, seq LIMIT @limit`);
  const atRiskCount = db.prepare(`SELECT count(DISTINCT dose_id) AS n FROM outbox WHERE ${AT_RISK_WHERE}`);
  const openRejected = db.prepare("SELECT seq FROM outbox WHERE state = 'rejected' AND reviewed_at IS NULL ORDER BY seq");
  const review = db.prepare(
    `UPDATE outbox SET reviewed_at = @at, reviewed_by = @by, review_reason = @reason
     WHERE seq = @seq AND state = @state AND reviewed_at IS NULL`,
  );

  function readCounts(): WorkQueueCounts {
    const c = counts.get() as Record<keyof WorkQueueCounts, number | null>;
    return { rejected: c.rejected ?? 0, warnings: c.warnings ?? 0, acknowledged: c.acknowledged ?? 0, dismissed: c.dismissed ?? 0 };
  }

  function load(seq: number): QueueRow | undefined {
    return get.get(seq) as QueueRow | undefined;
  }

  function skip(seq: number, row: QueueRow | undefined, waiting: 'warning' | 'rejected'): WorkQueueSkip {
    if (!row) return { seq, code: 'not_found', message: `Report ${seq} is not in the outbox.` };
    const what = waiting === 'warning' ? 'a warning waiting to be acknowledged' : 'a rejection waiting for a fix';
    return { seq, code: 'not_waiting', message: `Report ${seq} is no longer ${what} (someone fixed, resent or reviewed it). Reload the work queue.` };
  }

  const acknowledge = ctx.transaction((seqs: readonly number[], actor: Parameters<WorkQueueRepo['acknowledge']>[1]) => {
    const at = nowIso(ctx);
    const acknowledged: number[] = [];
    const skipped: WorkQueueSkip[] = [];
    for (const seq of new Set(seqs)) {
      const row = load(seq);
      if (!row || review.run({ seq, state: 'warning', at, by: actor.userId, reason: null }).changes === 0) {
        skipped.push(skip(seq, row, 'warning'));
        continue;
      }
      acknowledged.push(seq);
      ctx.audit(auditAs(actor, 'workqueue.acknowledge', 'dose', row.dose_id, { seq, patientId: row.patient_id, messageControlId: row.message_control_id }));
    }
    return { acknowledged, skipped };
  });

  const dismiss = ctx.transaction((seq: number, reason: string, actor: Parameters<WorkQueueRepo['dismiss']>[2]): WorkQueueEntry => {
    const why = reason.trim();
    if (why.length < 3) {
      throw new DomainValidationError([{ path: 'reason', code: 'queue.dismiss_reason_missing', message: 'Say why DoseDesk should stop reporting this dose (e.g. keyed in the MIIS web site).' }]);
    }
    const row = load(seq);
    if (!row) throw notFound('Work queue report', String(seq));
    if (review.run({ seq, state: 'rejected', at: nowIso(ctx), by: actor.userId, reason: why }).changes === 0) {
      throw new StoreError('conflict', skip(seq, row, 'rejected').message);
    }
    ctx.audit(auditAs(actor, 'workqueue.dismiss', 'dose', row.dose_id, { seq, patientId: row.patient_id, reason: why, messageControlId: row.message_control_id }));
    return toQueueEntry(load(seq) as QueueRow);
  });

  /** The entry that resends a dose's rejected reports, or why there is none; `auditAction` names the person's decision. */
  function resubmitDose(doseId: string, actor: Parameters<WorkQueueRepo['resubmitRejected']>[0], auditAction = 'workqueue.resubmit'): ResubmittedReport | WorkQueueSkip['code'] {
    const history = outbox.forDose(doseId);
    const rejected = history.filter((e) => e.state === 'rejected');
    const latest = rejected.at(-1) as OutboxEntry;
    // Something newer than the rejection is already on its way or settled: resending the old
    // content could overwrite it at the registry.
    if (history.some((e) => e.seq > latest.seq && e.state !== 'cancelled' && e.state !== 'superseded')) return 'newer_report';
    const registryHasIt = history.some((e) => e.state === 'accepted' || e.state === 'warning');
    // The registry never stored the dose: the new attempt is an add (RXA-21 A), as the edit path
    // does, with the add's legal deadline unchanged (the clock started when the dose was given).
    const action = !registryHasIt && rejected.some((e) => e.action === 'A') ? 'A' : latest.action;
    const deadlineAt = action === 'A' ? history.filter((e) => e.action === 'A' && e.deadlineAt).at(-1)?.deadlineAt : undefined;
    for (const e of rejected) outbox.close(e.seq, 'superseded');
    // A fresh entry means a fresh MSH-10 (the registry must not answer from the rejected
    // message's cached ACK) and a message built again from the current settings; ORC-3 is the
    // dose id, so the registry matches it to the same administration and records it once.
    const entry = outbox.enqueue(deadlineAt ? { doseId, patientId: latest.patientId, action, deadlineAt } : { doseId, patientId: latest.patientId, action });
    const report: ResubmittedReport = {
      doseId,
      patientId: latest.patientId,
      replacedSeqs: rejected.map((e) => e.seq),
      seq: entry.seq,
      action,
      messageControlId: entry.messageControlId,
    };
    ctx.audit(
      auditAs(actor, auditAction, 'dose', doseId, {
        patientId: latest.patientId,
        replacedSeqs: report.replacedSeqs,
        replacedControlIds: rejected.map((e) => e.messageControlId),
        seq: entry.seq,
        action,
        messageControlId: entry.messageControlId,
      }),
    );
    return report;
  }

  const resend = ctx.transaction((actor: Parameters<WorkQueueRepo['resubmitRejected']>[0], seqs?: readonly number[]) => {
    const wanted = seqs ? [...new Set(seqs)] : (openRejected.all() as { seq: number }[]).map((r) => r.seq);
    const resent: ResubmittedReport[] = [];
    const skipped: WorkQueueSkip[] = [];
    const done = new Map<string, ResubmittedReport>();
    for (const seq of wanted) {
      const row = load(seq);
      const earlier = row ? done.get(row.dose_id) : undefined;
      // A second rejection of a dose already resent in this call was superseded with it.
      if (earlier?.replacedSeqs.includes(seq)) continue;
      if (!row || row.state !== 'rejected' || row.reviewed_at !== null) {
        skipped.push(skip(seq, row, 'rejected'));
        continue;
      }
      const result = resubmitDose(row.dose_id, actor);
      if (typeof result === 'string') {
        skipped.push({ seq, code: result, message: `A newer report of this dose is already on its way to the registry; report ${seq} was not sent again.` });
        continue;
      }
      done.set(row.dose_id, result);
      resent.push(result);
    }
    return { resent, skipped };
  });

  const retryDelete = db.transaction((seq: number, actor: Parameters<WorkQueueRepo['retryDelete']>[1]): ResubmittedReport => {
    const row = load(seq);
    if (!row) throw notFound('Work queue report', String(seq));
    if (row.state !== 'rejected' || row.action !== 'D') {
      const what = row.action === 'D' ? skip(seq, row, 'rejected').message : `Report ${seq} is not a delete: fix the dose from its chart and save it, which sends it again.`;
      throw new StoreError('conflict', what);
    }
    const result = resubmitDose(row.dose_id, actor, 'workqueue.retry_delete');
    // A rejected delete is the dose's last word (a deleted dose changes no more), so nothing newer can exist.
    if (typeof result === 'string' || result.action !== 'D') throw new StoreError('conflict', `Report ${seq} could not be sent again; reload the work queue.`);
    return result;
  });

  return {
    page({ view, limit, cursor }) {
      const n = Math.min(Math.max(Math.trunc(limit), 1), 500);
      const c = readCounts();
      let rows: QueueRow[];
      let last: (row: QueueRow & { k1?: number; k2?: string; k3?: number }) => OpenKey | ReviewedKey;
      if (view === 'open') {
        const [k1, k2, k3] = cursor ? (decodeCursor(view, cursor) as OpenKey) : [-1, '', 0];
        rows = openPage.all({ k1, k2, k3, limit: n + 1 }) as QueueRow[];
        last = (r) => [r.k1 as number, r.k2 as string, r.k3 as number];
      } else {
        const [at, seq] = cursor ? (decodeCursor(view, cursor) as ReviewedKey) : ['~', 0];
        rows = reviewedPage.all({ state: view === 'dismissed' ? 'rejected' : 'warning', at, seq, limit: n + 1 }) as QueueRow[];
        last = (r) => [r.reviewed_at as string, r.seq];
      }
      const more = rows.length > n;
      const shown = more ? rows.slice(0, n) : rows;
      const total = view === 'open' ? c.rejected + c.warnings : view === 'dismissed' ? c.dismissed : c.acknowledged;
      const page = { entries: shown.map(toQueueEntry), total, counts: c };
      const tail = shown.at(-1);
      return more && tail ? { ...page, nextCursor: encodeCursor(view, last(tail)) } : page;
    },
    counts: readCounts,
    acknowledge: (seqs, actor) => acknowledge(seqs, actor),
    dismiss: (seq, reason, actor) => dismiss(seq, reason, actor),
    resubmitRejected: (actor, seqs) => resend(actor, seqs),
    retryDelete: (seq, actor) => retryDelete(seq, actor),
    atRisk({ before, limit }) {
      const n = Math.min(Math.max(Math.trunc(limit), 1), 500);
      // A dose has few open entries at once (a rejected add and its fix): four per dose is plenty.
      const rows = atRiskRows.all({ before, limit: n * 4 }) as QueueRow[];
      const seen = new Set<string>();
      const entries: OutboxEntry[] = [];
      for (const row of rows) {
        if (seen.has(row.dose_id) || entries.length >= n) continue;
        seen.add(row.dose_id);
        entries.push(toEntry(row));
      }
      return { entries, total: (atRiskCount.get({ before }) as { n: number }).n };
    },
    doseReporting(doseId) {
      const history = outbox.forDose(doseId);
      if (history.length === 0) return undefined;
      const { state, messages, lastAcceptedAt, deadline } = reportingStatus(history);
      const update: DoseReportingUpdate = { state, messageCount: messages.length };
      if (lastAcceptedAt) update.lastAcceptedAt = lastAcceptedAt;
      if (deadline) update.deadline = deadline;
      return update;
    },
  };
}
