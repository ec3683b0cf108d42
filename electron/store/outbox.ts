import { auditAs, nowIso, optional, type StoreContext } from './context';
import { notFound } from './errors';
import { FINAL_OUTBOX_STATES, type OutboxClosure, type OutboxEntry, type OutboxOutcome, type OutboxRepo, type OutboxState, type RegistryMessage } from './types';

// The outbox is the promise that a saved dose reaches MIIS. Order rules for claiming:
// - one patient's messages go one at a time, in seq order: an entry waits while an earlier
//   entry of the same patient is pending or sending;
// - an update or delete waits while an earlier entry of the same dose is rejected (the
//   registry does not have the record yet; fixing the dose resubmits the add);
// - a rejected entry of one dose does not hold back the patient's other doses (each has its
//   own 72-hour legal clock) nor anyone else's, and neither does an entry waiting behind it;
// - across patients, the earliest legal deadline goes first (none last), then seq.
// A rejection never leaves a delete waiting behind it: nobody could act on it (a deleted dose
// can be neither edited nor deleted again), so the rejection of an entry whose dose was deleted
// meanwhile closes what the delete makes moot, in the same transaction.
// Message bytes are stored once and resent unchanged, with two exceptions: bytes nobody has seen
// (claimed, never sent) are dropped on release, and a message the registry refused on its header
// is spent (new MSH-10, no bytes, audited): both are built again at their next send.

interface OutboxRow {
  seq: number;
  dose_id: string;
  patient_id: string;
  action: 'A' | 'U' | 'D';
  state: OutboxState;
  message_control_id: string;
  message_text: string | null;
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  ack_code: string | null;
  ack_text: string | null;
  registry_messages: string;
  created_at: string;
  updated_at: string;
  completed_at: string | null;
  deadline_at: string | null;
}

export function toEntry(row: OutboxRow): OutboxEntry {
  return {
    seq: row.seq,
    doseId: row.dose_id,
    patientId: row.patient_id,
    action: row.action,
    state: row.state,
    messageControlId: row.message_control_id,
    messageText: optional(row.message_text),
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastError: optional(row.last_error),
    ackCode: optional(row.ack_code),
    ackText: optional(row.ack_text),
    registryMessages: JSON.parse(row.registry_messages) as RegistryMessage[],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    completedAt: optional(row.completed_at),
    deadlineAt: optional(row.deadline_at),
  };
}

const FINAL_SQL = FINAL_OUTBOX_STATES.map((s) => `'${s}'`).join(',');
const SYNC_ACTOR = { userId: 'system', label: 'system:sync' };

// Claimable: pending and due, and
// - no earlier entry of the same dose is rejected (the registry does not have the record yet);
// - no earlier entry of the same patient is open, except one that is itself held back by a
//   rejection of its own dose (it waits for a person, not for the registry, and must not hold
//   the patient's other doses hostage).
// The patient check names the partial index's own condition (`state IN (…,'rejected')`) so
// SQLite can use `outbox_open_by_patient` instead of scanning every earlier row.
// Across patients the most urgent legal deadline goes first (no deadline last), then seq;
// within a patient only the first open entry is ever claimable, so its order is kept.
// `outbox_due_by_deadline` (migration 0030) serves that order without a sort.
/** The claim query (exported so a test can check its plan). */
export const CLAIM_DUE_SQL = `SELECT o.seq FROM outbox o
     WHERE o.state = 'pending'
       AND (o.next_attempt_at <= @now OR o.next_attempt_at > @cap)
       AND NOT EXISTS (SELECT 1 FROM outbox d
                       WHERE d.dose_id = o.dose_id AND d.seq < o.seq AND d.state = 'rejected')
       AND NOT EXISTS (SELECT 1 FROM outbox p
                       WHERE p.patient_id = o.patient_id AND p.seq < o.seq
                         AND p.state IN ('pending','sending','rejected') AND p.state <> 'rejected'
                         AND NOT EXISTS (SELECT 1 FROM outbox r
                                         WHERE r.dose_id = p.dose_id AND r.seq < p.seq AND r.state = 'rejected'))
     ORDER BY o.deadline_at IS NULL, o.deadline_at, o.seq LIMIT @limit`;

export interface OutboxInternals {
  /** Queues an entry inside the caller's transaction. */
  enqueue(e: { doseId: string; patientId: string; action: 'A' | 'U' | 'D'; deadlineAt?: string }): OutboxEntry;
  forDose(doseId: string): OutboxEntry[];
  /** Moves an entry to `cancelled` or `superseded` (from pending or rejected only); `reason` is shown on the chart. */
  close(seq: number, state: 'cancelled' | 'superseded', reason?: string): void;
}

export function createOutboxRepo(ctx: StoreContext): OutboxRepo & OutboxInternals {
  const { db } = ctx;
  const get = db.prepare('SELECT * FROM outbox WHERE seq = ?');
  const byControlId = db.prepare('SELECT * FROM outbox WHERE message_control_id = ?');
  const forDose = db.prepare('SELECT * FROM outbox WHERE dose_id = ? ORDER BY seq');
  const insert = db.prepare(
    `INSERT INTO outbox (dose_id, patient_id, action, state, message_control_id, attempts, next_attempt_at, registry_messages, created_at, updated_at, deadline_at)
     VALUES (@dose_id, @patient_id, @action, 'pending', @control_id, 0, @at, '[]', @at, @at, @deadline_at)`,
  );
  const due = db.prepare(CLAIM_DUE_SQL);
  const claim = db.prepare("UPDATE outbox SET state = 'sending', attempts = attempts + 1, updated_at = @at WHERE seq = @seq AND state = 'pending'");
  const setMessage = db.prepare('UPDATE outbox SET message_text = @text, updated_at = @at WHERE seq = @seq AND message_text IS NULL');
  const finish = db.prepare(
    `UPDATE outbox SET state = @state, ack_code = @code, ack_text = @text, registry_messages = @messages, updated_at = @at,
       completed_at = CASE WHEN @final = 1 THEN @at ELSE completed_at END, last_error = NULL
     WHERE seq = @seq`,
  );
  const retry = db.prepare(
    "UPDATE outbox SET state = 'pending', next_attempt_at = @next, last_error = @error, updated_at = @at WHERE seq = @seq AND state = 'sending'",
  );
  const renew = db.prepare(
    `UPDATE outbox SET state = 'pending', next_attempt_at = @next, last_error = @error, updated_at = @at, message_control_id = @controlId, message_text = NULL
     WHERE seq = @seq AND state = 'sending'`,
  );
  // `attempts` on the right is the value before this update: 1 means this claim was the only one.
  const release = db.prepare(
    `UPDATE outbox SET state = 'pending', attempts = max(attempts - 1, 0), next_attempt_at = @next, last_error = coalesce(@reason, last_error), updated_at = @at,
       message_text = CASE WHEN attempts <= 1 THEN NULL ELSE message_text END
     WHERE seq = @seq AND state = 'sending'`,
  );
  const makeDue = db.prepare("UPDATE outbox SET next_attempt_at = @now, updated_at = @at WHERE state = 'pending' AND next_attempt_at > @now");
  // strftime keeps the stored shape (2026-11-25T15:00:00.000Z), so string order stays time order.
  const rebase = db.prepare(
    `UPDATE outbox SET next_attempt_at = strftime('%Y-%m-%dT%H:%M:%fZ', next_attempt_at, @shift)
     WHERE state = 'pending' AND strftime('%Y-%m-%dT%H:%M:%fZ', next_attempt_at, @shift) IS NOT NULL`,
  );
  const recover = db.prepare("UPDATE outbox SET state = 'pending', next_attempt_at = @at, updated_at = @at WHERE state = 'sending'");
  const close = db.prepare(
    `UPDATE outbox SET state = @state, updated_at = @at, completed_at = @at, last_error = @reason WHERE seq = @seq AND state IN ('pending','rejected')`,
  );
  const counts = db.prepare('SELECT state, count(*) AS n FROM outbox GROUP BY state');
  // A rejection a person dismissed (the registry has the dose another way; migration 0050) no
  // longer waits for anyone: it counts neither as rejected nor toward the next legal deadline.
  const dismissed = db.prepare("SELECT count(*) AS n FROM outbox WHERE state = 'rejected' AND reviewed_at IS NOT NULL");
  const lastAccepted = db.prepare("SELECT max(completed_at) AS at FROM outbox WHERE state IN ('accepted','warning')");
  // The 72-hour clock runs until the registry accepts the dose, whether it waits to be sent or
  // was rejected and waits for a fix.
  const nextDeadline = db.prepare(
    "SELECT min(deadline_at) AS at FROM outbox WHERE state IN ('pending','sending') OR (state = 'rejected' AND reviewed_at IS NULL)",
  );
  const workQueue = db.prepare("SELECT * FROM outbox WHERE state IN ('rejected','warning') ORDER BY updated_at DESC, seq DESC LIMIT ?");
  // A rejection a person dismissed waits for nobody, so it holds no switch of registry back.
  const hasUnsent = db.prepare(`SELECT 1 FROM outbox WHERE state NOT IN (${FINAL_SQL}) AND NOT (state = 'rejected' AND reviewed_at IS NOT NULL) LIMIT 1`);
  const nextDue = db.prepare("SELECT min(next_attempt_at) AS at FROM outbox WHERE state = 'pending'");

  function load(seq: number): OutboxRow {
    const row = get.get(seq) as OutboxRow | undefined;
    if (!row) throw notFound('Outbox entry', String(seq));
    return row;
  }

  /** Settles one entry; the caller holds the transaction. */
  function settle(seq: number, state: 'accepted' | 'warning' | 'rejected', ack: { code: string; text: string; messages: RegistryMessage[] }): OutboxClosure[] {
    const row = load(seq);
    // A replayed or late ACK for an entry already settled changes nothing.
    if (row.state !== 'pending' && row.state !== 'sending') return [];
    const at = nowIso(ctx);
    finish.run({ seq, state, code: ack.code, text: ack.text, messages: JSON.stringify(ack.messages), at, final: state === 'rejected' ? 0 : 1 });
    ctx.audit(auditAs(SYNC_ACTOR, `outbox.${state}`, 'dose', row.dose_id, { seq, action: row.action, ackCode: ack.code }));
    return state === 'rejected' ? closeForDelete(row, ack.messages) : [];
  }

  /** Closes one entry with a reason the chart shows, and says so in the audit trail. */
  function closeWith(row: OutboxRow, reason: string): OutboxClosure {
    close.run({ seq: row.seq, state: 'cancelled', at: nowIso(ctx), reason });
    ctx.audit(auditAs(SYNC_ACTOR, 'outbox.cancelled', 'dose', row.dose_id, { seq: row.seq, action: row.action, reason }));
    return { seq: row.seq, doseId: row.dose_id, patientId: row.patient_id, action: row.action, state: 'cancelled', reason };
  }

  /**
   * After a rejection: when the dose was deleted meanwhile (a delete waits behind the rejected
   * entry), the story ends here. If the registry never held the dose, there is nothing to
   * delete, so the rejected entry, any update queued behind it and the delete are all closed;
   * if it holds an earlier version, only the rejected entry is closed and the delete goes out.
   */
  function closeForDelete(rejected: OutboxRow, messages: readonly RegistryMessage[]): OutboxClosure[] {
    const history = forDose.all(rejected.dose_id) as OutboxRow[];
    if (!history.some((e) => e.seq > rejected.seq && e.action === 'D' && e.state === 'pending')) return [];
    const said = messages.find((m) => m.severity === 'error')?.text ?? messages[0]?.text;
    const why = said ? ` ("${said}")` : '';
    const held = history.some((e) => e.action !== 'D' && (e.state === 'accepted' || e.state === 'warning'));
    if (held) {
      return [closeWith(rejected, `The registry rejected this change${why}, but the dose has since been deleted: the delete is sent instead.`)];
    }
    const reason = `The registry rejected this dose's report${why}, so it never held the dose. The dose was deleted here, so there is nothing to delete at the registry and nothing more will be sent.`;
    return history.filter((e) => e.seq >= rejected.seq && (e.state === 'pending' || e.state === 'rejected')).map((e) => closeWith(e, reason));
  }

  /** Back to pending, later; the caller holds the transaction. */
  function backOff(seq: number, nextAttemptAt: Date, error: string): void {
    load(seq);
    retry.run({ seq, next: nextAttemptAt.toISOString(), error, at: nowIso(ctx) });
  }

  /**
   * Back to pending with a new MSH-10 and no message: the registry refused this one on its
   * header and filed nothing, so the next send is a new message built from the settings of that
   * moment. The audit row ties the refused MSH-10 to the new one.
   */
  function renewMessage(seq: number, nextAttemptAt: Date, error: string): void {
    const row = load(seq);
    if (row.state !== 'sending') return;
    const controlId = ctx.newControlId();
    renew.run({ seq, next: nextAttemptAt.toISOString(), error, at: nowIso(ctx), controlId });
    ctx.audit(
      auditAs(SYNC_ACTOR, 'outbox.rebuild', 'dose', row.dose_id, {
        seq,
        action: row.action,
        refusedControlId: row.message_control_id,
        messageControlId: controlId,
        reason: error,
      }),
    );
  }

  function apply(o: OutboxOutcome): OutboxClosure[] {
    switch (o.kind) {
      case 'accepted':
        return settle(o.seq, o.ack.warning ? 'warning' : 'accepted', o.ack);
      case 'rejected':
        return settle(o.seq, 'rejected', o.ack);
      case 'retry':
        if (o.rebuild) renewMessage(o.seq, o.nextAttemptAt, o.error);
        else backOff(o.seq, o.nextAttemptAt, o.error);
        return [];
    }
  }

  const storeMessages = ctx.transaction((messages: readonly { seq: number; text: string }[]): OutboxEntry[] => {
    const at = nowIso(ctx);
    for (const m of messages) {
      load(m.seq);
      setMessage.run({ seq: m.seq, text: m.text, at });
    }
    return messages.map((m) => toEntry(load(m.seq)));
  });
  const recordAll = ctx.transaction((outcomes: readonly OutboxOutcome[]): OutboxClosure[] => outcomes.flatMap(apply));

  return {
    claimDue(now, limit, maxBackoffMs) {
      return ctx.transaction(() => {
        const at = now.toISOString();
        const cap = new Date(now.getTime() + Math.max(0, maxBackoffMs)).toISOString();
        const seqs = (due.all({ now: at, cap, limit: Math.max(0, Math.trunc(limit)) }) as { seq: number }[]).map((r) => r.seq);
        for (const seq of seqs) claim.run({ seq, at: nowIso(ctx) });
        return seqs.map((seq) => toEntry(load(seq)));
      })();
    },
    setMessage(seq, text) {
      return storeMessages([{ seq, text }])[0] as OutboxEntry;
    },
    setMessages(messages) {
      return messages.length === 0 ? [] : storeMessages(messages);
    },
    markAccepted(seq, ack) {
      recordAll([{ seq, kind: 'accepted', ack }]);
    },
    markRejected(seq, ack) {
      recordAll([{ seq, kind: 'rejected', ack }]);
    },
    markRetry(seq, nextAttemptAt, error) {
      recordAll([{ seq, kind: 'retry', nextAttemptAt, error }]);
    },
    release(seq, nextAttemptAt, reason) {
      load(seq);
      release.run({ seq, next: nextAttemptAt.toISOString(), reason: reason ?? null, at: nowIso(ctx) });
    },
    makeDue(now) {
      return makeDue.run({ now: now.toISOString(), at: nowIso(ctx) }).changes;
    },
    rebaseDue(deltaMs) {
      if (!Number.isFinite(deltaMs) || deltaMs === 0) return 0;
      return rebase.run({ shift: `${(Math.trunc(deltaMs) / 1000).toFixed(3)} seconds` }).changes;
    },
    recordOutcomes(outcomes) {
      return outcomes.length > 0 ? recordAll(outcomes) : [];
    },
    recoverInFlight(now) {
      return recover.run({ at: now.toISOString() }).changes;
    },
    get(seq) {
      const row = get.get(seq) as OutboxRow | undefined;
      return row ? toEntry(row) : undefined;
    },
    byControlId(id) {
      const row = byControlId.get(id) as OutboxRow | undefined;
      return row ? toEntry(row) : undefined;
    },
    stats() {
      const by = new Map((counts.all() as { state: OutboxState; n: number }[]).map((r) => [r.state, r.n]));
      const accepted = (lastAccepted.get() as { at: string | null }).at;
      const deadline = (nextDeadline.get() as { at: string | null }).at;
      return {
        pending: by.get('pending') ?? 0,
        sending: by.get('sending') ?? 0,
        accepted: by.get('accepted') ?? 0,
        warning: by.get('warning') ?? 0,
        rejected: (by.get('rejected') ?? 0) - (dismissed.get() as { n: number }).n,
        lastAcceptedAt: optional(accepted),
        nextDeadlineAt: optional(deadline),
      };
    },
    workQueue(limit = 100) {
      return (workQueue.all(Math.min(Math.max(Math.trunc(limit), 1), 1000)) as OutboxRow[]).map(toEntry);
    },
    hasUnsent() {
      return hasUnsent.get() !== undefined;
    },
    nextDueAt() {
      return optional((nextDue.get() as { at: string | null }).at);
    },
    enqueue(e) {
      const at = nowIso(ctx);
      const messageControlId = ctx.newControlId();
      const info = insert.run({ dose_id: e.doseId, patient_id: e.patientId, action: e.action, control_id: messageControlId, at, deadline_at: e.deadlineAt ?? null });
      const entry: OutboxEntry = {
        seq: Number(info.lastInsertRowid),
        doseId: e.doseId,
        patientId: e.patientId,
        action: e.action,
        state: 'pending',
        messageControlId,
        attempts: 0,
        nextAttemptAt: at,
        registryMessages: [],
        createdAt: at,
        updatedAt: at,
      };
      if (e.deadlineAt) entry.deadlineAt = e.deadlineAt;
      return entry;
    },
    forDose(doseId) {
      return (forDose.all(doseId) as OutboxRow[]).map(toEntry);
    },
    close(seq, state, reason) {
      close.run({ seq, state, at: nowIso(ctx), reason: reason ?? null });
    },
  };
}
