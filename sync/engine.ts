import type { OutboxClosure, OutboxEntry, OutboxOutcome, OutboxStats } from '../electron/store/types';
import type { RegistryTransport, SubmitOutcome } from './transport/types';
import { AttemptWindow, DEFAULT_BACKOFF, probeDelayMs, retryDelayMs } from './engine/backoff';
import { decide, type Decision } from './engine/outcome';
import { StatusFeed } from './engine/status-feed';
import { createStoreMessageBuilder } from './engine/store-messages';
import type {
  Clock,
  KickReason,
  MessageBuilder,
  SyncEngine,
  SyncEngineOptions,
  SyncEvent,
  SyncProblem,
  SyncState,
  SyncStatus,
  Timers,
} from './engine/types';
import { Wakeup } from './engine/wakeup';

// Drains the outbox to the registry. One sender loop per outbox (never two drains at once):
// claim due entries in batches (pending → sending, one transaction, a little ahead of the free
// slots), build the batch's messages once and store them together (one transaction), send up
// to `concurrency` in parallel outside any transaction. An answer frees its send slot at once;
// answers are recorded together in one transaction (before the next claim, when enough have
// gathered, when nothing else is in flight, or after a short window), and only then acted on:
// status events, counters, the patient's next entry. A crash before that commit leaves the
// entry in `sending`, and it is resent with the same bytes (the registry dedupes on MSH-10).
// Only a recorded ACK moves an entry to a final state; everything else puts it back to
// `pending` with a later due time, so nothing ever leaves the queue without an answer.

export type * from './engine/types';

const HOUR_MS = 60 * 60_000;

const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

interface InFlight {
  entry: OutboxEntry;
  controller: AbortController;
  done: Promise<void>;
}

/** An answer waiting for its commit: a decision, or "stop() interrupted the send". */
type Answer = { entry: OutboxEntry; decision: Decision } | { entry: OutboxEntry; aborted: true };

function defaultBuilder(options: SyncEngineOptions, clock: Clock): MessageBuilder {
  const { patients, doses, clinicians } = options.store;
  if (!options.hl7Config || !patients || !doses || !clinicians) {
    throw new TypeError('createSyncEngine needs either buildMessage, or hl7Config and a store with patients, doses and clinicians.');
  }
  return createStoreMessageBuilder({ patients, doses, clinicians }, options.hl7Config, clock);
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function createSyncEngine(options: SyncEngineOptions): SyncEngine {
  const { store } = options;
  const outbox = store.outbox;
  const clock = options.clock ?? { now: () => new Date() };
  const buildMessage = options.buildMessage ?? defaultBuilder(options, clock);
  const random = options.random ?? Math.random;
  const timers = options.timers ?? realTimers;
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 8));
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const stuckAfter = options.stuckAfterAttempts ?? 10;
  const idleMaxSleepMs = options.idleMaxSleepMs ?? 60_000;
  const stopGraceMs = options.stopGraceMs ?? 5_000;
  // A due time further ahead than this is a clock set back and counts as due (B.5 #19). It must
  // cover both the backoff cap and the hourly attempt budget, or the budget would be undone.
  const claimHorizonMs = Math.max(backoff.capMs, HOUR_MS) + 60_000;
  // Failed attempts in a row (across entries, no answer recorded in between) before the whole
  // queue backs off and probes with one message at a time: half the slots failing in a row is
  // an outage (or a registry answering garbage), not bad luck.
  const outageThreshold = Math.max(3, Math.ceil(concurrency / 2));
  const attempts = new AttemptWindow(options.maxAttemptsPerHour ?? 20);
  const outcomeWindowMs = Math.max(0, options.outcomeWindowMs ?? 50);
  // Enough answers to be worth a commit of their own before the next claim comes round.
  const outcomeBatch = Math.max(1, concurrency);

  const wakeup = new Wakeup(timers);
  const inFlight = new Map<number, InFlight>();
  /** Claimed (state `sending`) and waiting for a free slot. */
  const ready: OutboxEntry[] = [];
  const stuck = new Set<number>();
  /** Answered, not yet committed: their entries are still `sending` in the store. */
  let answers: Answer[] = [];
  let flushTimer: unknown;
  let running = false;
  let stopping = false;
  let loopDone: Promise<void> = Promise.resolve();
  let idle = false;
  let idleWaiters: (() => void)[] = [];
  let paused: SyncProblem | undefined;
  let failuresInARow = 0;
  let lastFailureWasLink = false;
  let holdUntil = 0;
  let retryAfterUntil = 0;
  let nextWakeAt: number | undefined;
  let needsRecovery = false;
  let lastSuccessAt: string | undefined;
  let lastAttemptAt: string | undefined;
  let lastError: SyncProblem | undefined;
  let stats: OutboxStats | undefined;

  const nowMs = (): number => clock.now().getTime();
  const iso = (ms: number): string => new Date(ms).toISOString();

  function emit(event: SyncEvent): void {
    if (!options.onEvent) return;
    try {
      options.onEvent(event);
    } catch {
      // The log is not allowed to stop delivery.
    }
  }

  function readStats(): OutboxStats | undefined {
    try {
      stats = outbox.stats();
    } catch (err) {
      emit({ type: 'store_error', reason: errorText(err) });
    }
    return stats;
  }

  function state(now: number): SyncState {
    if (!running) return 'stopped';
    if (paused) return 'needs_configuration';
    if (failuresInARow >= outageThreshold) return lastFailureWasLink ? 'offline' : 'waiting';
    if (retryAfterUntil > now || holdUntil > now) return 'waiting';
    if (inFlight.size > 0 || ready.length > 0 || answers.length > 0 || !idle) return 'sending';
    return 'idle';
  }

  function snapshot(): SyncStatus {
    const now = nowMs();
    const s = readStats();
    const status: SyncStatus = {
      state: state(now),
      pending: s ? s.pending + Math.max(0, s.sending - inFlight.size - answers.length) : 0,
      inFlight: inFlight.size + answers.length,
      done: s ? s.accepted + s.warning : 0,
      warnings: s?.warning ?? 0,
      failed: s?.rejected ?? 0,
      stuck: stuck.size,
    };
    const last = lastSuccessAt ?? s?.lastAcceptedAt;
    if (last) status.lastSuccessAt = last;
    if (lastAttemptAt) status.lastAttemptAt = lastAttemptAt;
    const hold = Math.max(holdUntil, retryAfterUntil);
    if (hold > now) status.nextAttemptAt = iso(hold);
    else if (idle && nextWakeAt !== undefined && status.pending > 0) status.nextAttemptAt = iso(nextWakeAt);
    if (lastError) status.lastError = lastError;
    if (paused) status.configurationProblem = paused;
    if (s?.nextDeadlineAt) status.nextDeadlineAt = s.nextDeadlineAt;
    return status;
  }

  const feed = new StatusFeed(snapshot, timers, options.statusIntervalMs ?? 250);

  function resolveTransport(): RegistryTransport | undefined {
    const t = options.transport;
    if (typeof t === 'function') {
      try {
        return t();
      } catch {
        return undefined;
      }
    }
    return t;
  }

  function pause(code: string, reason: string): void {
    if (!paused) emit({ type: 'paused', code, reason });
    paused = { code, message: reason, at: iso(nowMs()) };
    feed.now();
  }

  function setIdle(value: boolean): void {
    idle = value;
    if (value && idleWaiters.length > 0) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  function wake(): void {
    setIdle(false);
    wakeup.wake();
  }

  /** What the store must record for a decision (no engine state changes here). */
  function plan(entry: OutboxEntry, decision: Decision, now: number): OutboxOutcome {
    const seq = entry.seq;
    switch (decision.kind) {
      case 'accepted':
        return { seq, kind: 'accepted', ack: { code: decision.code, text: decision.text, messages: decision.messages, warning: decision.warning } };
      case 'rejected':
        return { seq, kind: 'rejected', ack: { code: decision.code, text: decision.text, messages: decision.messages } };
      case 'pause':
        // Not this message's fault: it stays pending, due as soon as the queue resumes.
        return { seq, kind: 'retry', nextAttemptAt: new Date(now), error: `${decision.code}: ${decision.reason}` };
      case 'retry': {
        const failures = Math.max(1, entry.attempts);
        // A link failure says nothing about this message: it stays due, and the queue-wide
        // hold paces the attempts. Anything else backs this entry off on its own.
        let due = decision.linkFailure ? now : now + retryDelayMs(backoff, failures, random);
        if (decision.retryAfterMs !== undefined) due = Math.max(due, now + Math.min(Math.max(0, decision.retryAfterMs), backoff.capMs));
        // The hourly budget is per message; link failures are paced queue-wide by the probe hold.
        if (!decision.linkFailure) due = Math.max(due, attempts.earliestNextMs(seq, now));
        due = Math.min(due, now + claimHorizonMs - 60_000);
        return { seq, kind: 'retry', nextAttemptAt: new Date(due), error: `${decision.code}: ${decision.reason}` };
      }
    }
  }

  /** Acts on an outcome the store has committed: counters, holds, events. */
  function afterCommit(entry: OutboxEntry, decision: Decision, written: OutboxOutcome, now: number): void {
    const seq = entry.seq;
    switch (decision.kind) {
      case 'accepted':
        lastSuccessAt = iso(now);
        failuresInARow = 0;
        holdUntil = 0;
        attempts.forget(seq);
        stuck.delete(seq);
        emit({ type: 'accepted', seq, doseId: entry.doseId, patientId: entry.patientId, controlId: entry.messageControlId, warning: decision.warning });
        return;
      case 'rejected':
        failuresInARow = 0;
        holdUntil = 0;
        attempts.forget(seq);
        stuck.delete(seq);
        emit({ type: 'rejected', seq, doseId: entry.doseId, patientId: entry.patientId, controlId: entry.messageControlId, reason: decision.messages[0]?.text ?? decision.code });
        return;
      case 'pause':
        pause(decision.code, decision.reason);
        return;
      case 'retry': {
        const failures = Math.max(1, entry.attempts);
        const due = written.kind === 'retry' ? written.nextAttemptAt.getTime() : now;
        if (decision.retryAfterMs !== undefined) {
          retryAfterUntil = Math.max(retryAfterUntil, now + Math.min(Math.max(0, decision.retryAfterMs), backoff.capMs));
        }
        failuresInARow += 1;
        lastFailureWasLink = decision.linkFailure;
        if (failuresInARow >= outageThreshold) {
          holdUntil = Math.max(holdUntil, now + probeDelayMs(backoff, failuresInARow - outageThreshold + 1, random));
        }
        lastError = { code: decision.code, message: decision.reason, at: iso(now), seq };
        if (decision.ackProblem?.kind === 'mismatch') {
          const other = outbox.byControlId(decision.ackProblem.received);
          const ev: SyncEvent = { type: 'ack_mismatch', seq, expected: entry.messageControlId, received: decision.ackProblem.received };
          if (other) ev.knownEntrySeq = other.seq;
          emit(ev);
        } else if (decision.ackProblem?.kind === 'unreadable') {
          emit({ type: 'ack_unreadable', seq, reason: decision.reason });
        }
        emit({ type: 'retry', seq, doseId: entry.doseId, patientId: entry.patientId, controlId: entry.messageControlId, code: decision.code, reason: decision.reason, nextAttemptAt: iso(due), attempt: entry.attempts });
        // An outage is reported as `offline`; "stuck" is for a message the registry keeps
        // answering with something unusable while others get through.
        if (!decision.linkFailure && failures >= stuckAfter && !stuck.has(seq)) {
          stuck.add(seq);
          emit({ type: 'stuck', seq, attempts: failures, reason: decision.reason });
        }
        return;
      }
    }
  }

  function storeFailed(entry: OutboxEntry, err: unknown, now: number): void {
    needsRecovery = true;
    lastError = { code: 'store_error', message: `The outcome for message ${entry.messageControlId} could not be saved: ${errorText(err)}`, at: iso(now), seq: entry.seq };
    emit({ type: 'store_error', reason: lastError.message });
  }

  /**
   * Records every waiting answer in one transaction, then acts on them in arrival order. If the
   * batch cannot be written, each answer is tried on its own so one bad entry holds no other;
   * one that still fails stays in `sending` for recovery.
   */
  function flushAnswers(): void {
    if (flushTimer !== undefined) {
      timers.clearTimeout(flushTimer);
      flushTimer = undefined;
    }
    if (answers.length === 0) return;
    const batch = answers;
    answers = [];
    const now = nowMs();
    const writes = batch.map((a) =>
      'aborted' in a
        ? ({ seq: a.entry.seq, kind: 'retry', nextAttemptAt: new Date(now), error: 'aborted: sending was interrupted because reporting stopped.' } as const)
        : plan(a.entry, a.decision, now),
    );
    let committed: boolean[];
    const closures: OutboxClosure[] = [];
    try {
      closures.push(...outbox.recordOutcomes(writes));
      committed = writes.map(() => true);
    } catch {
      committed = writes.map((w, i) => {
        try {
          closures.push(...outbox.recordOutcomes([w]));
          return true;
        } catch (err) {
          storeFailed((batch[i] as Answer).entry, err, now);
          return false;
        }
      });
    }
    batch.forEach((a, i) => {
      // Cancelled by stop(): nothing was learned, so nothing else advances (B.5 #12).
      if (committed[i] && !('aborted' in a)) afterCommit(a.entry, a.decision, writes[i] as OutboxOutcome, now);
    });
    for (const c of closures) emit({ type: 'closed', seq: c.seq, doseId: c.doseId, patientId: c.patientId, state: c.state, reason: c.reason });
    feed.soon();
  }

  /**
   * Queues an answer for the next commit. Anything but a plain acceptance or rejection is
   * committed at once: failures steer the whole queue (outage, Retry-After, pause).
   */
  function answer(a: Answer): void {
    answers.push(a);
    const urgent = 'aborted' in a || (a.decision.kind !== 'accepted' && a.decision.kind !== 'rejected');
    if (urgent || answers.length >= outcomeBatch || outcomeWindowMs === 0) {
      flushAnswers();
    } else if (flushTimer === undefined) {
      flushTimer = timers.setTimeout(() => {
        flushTimer = undefined;
        flushAnswers();
        // A patient's next entry may be due now.
        wakeup.wake();
      }, outcomeWindowMs);
    }
  }

  /** Records one decision at once (a claim that cannot go out). */
  function record(entry: OutboxEntry, decision: Decision): void {
    answers.push({ entry, decision });
    flushAnswers();
  }

  /**
   * Builds the messages a claimed batch still lacks and stores them in one transaction. Returns
   * the entries ready to send; one whose message cannot be built is rejected with the reason.
   */
  function prepare(claimed: OutboxEntry[]): OutboxEntry[] {
    const out: OutboxEntry[] = [];
    const toStore: { seq: number; text: string }[] = [];
    const built = new Map<number, string>();
    for (const entry of claimed) {
      if (entry.messageText) {
        out.push(entry);
        continue;
      }
      let text: string;
      try {
        text = buildMessage(entry);
      } catch (err) {
        const reason = `The message for this dose could not be built: ${errorText(err)} Correct the record and save it again.`;
        emit({ type: 'build_failed', seq: entry.seq, reason });
        answers.push({ entry, decision: { kind: 'rejected', code: 'build_failed', text: reason, messages: [{ severity: 'error', text: reason, code: 'build_failed' }] } });
        continue;
      }
      toStore.push({ seq: entry.seq, text });
      built.set(entry.seq, text);
      out.push(entry);
    }
    if (toStore.length > 0) {
      try {
        // First text wins: after a crash between build and send, the stored bytes are what we resend.
        const stored = new Map(outbox.setMessages(toStore).map((e) => [e.seq, e.messageText]));
        for (let i = 0; i < out.length; i++) {
          const e = out[i] as OutboxEntry;
          if (!e.messageText) out[i] = { ...e, messageText: stored.get(e.seq) ?? (built.get(e.seq) as string) };
        }
      } catch (err) {
        const reason = `The message could not be stored: ${errorText(err)}`;
        for (const e of out.filter((x) => !x.messageText)) answers.push({ entry: e, decision: { kind: 'retry', code: 'store_error', reason, linkFailure: false } });
        flushAnswers();
        return out.filter((x) => x.messageText);
      }
    }
    flushAnswers();
    return out;
  }

  async function sendOne(entry: OutboxEntry, signal: AbortSignal): Promise<void> {
    const now = nowMs();
    attempts.record(entry.seq, now);
    lastAttemptAt = iso(now);
    emit({ type: 'claimed', seq: entry.seq, attempt: entry.attempts });
    const transport = resolveTransport();
    if (!transport) {
      record(entry, {
        kind: 'pause',
        code: 'not_configured',
        reason: 'No registry connection is configured. Enter the MIIS endpoint and credentials in the registry connection settings.',
      });
      return;
    }
    let outcome: SubmitOutcome;
    try {
      outcome = await transport.submit(entry.messageText as string, { signal });
    } catch (err) {
      outcome = { kind: 'retry', code: signal.aborted ? 'aborted' : 'network', reason: `Sending failed: ${errorText(err)}`, maybeDelivered: true };
    }
    if (signal.aborted && outcome.kind !== 'delivered') {
      // Cancelled by stop(): nothing was learned, so nothing advances (B.5 #12). Back to
      // pending, due at once, same bytes next time.
      answer({ entry, aborted: true });
      return;
    }
    answer({ entry, decision: decide(entry, outcome) });
  }

  function launch(entry: OutboxEntry): void {
    const controller = new AbortController();
    const done = sendOne(entry, controller.signal)
      .catch((err: unknown) => {
        needsRecovery = true;
        emit({ type: 'store_error', reason: errorText(err) });
      })
      .finally(() => {
        inFlight.delete(entry.seq);
        feed.soon();
        wakeup.wake();
      });
    inFlight.set(entry.seq, { entry, controller, done });
  }

  /** One patient's messages never overlap; the store guarantees it, this double-checks it. */
  function patientBusy(entry: OutboxEntry): boolean {
    for (const f of inFlight.values()) if (f.entry.patientId === entry.patientId) return true;
    return ready.some((r) => r.patientId === entry.patientId) || answers.some((a) => a.entry.patientId === entry.patientId);
  }

  /** Claimed but not yet sent: back to pending, due now (pause, stop). */
  function releaseReady(): void {
    const now = new Date(nowMs());
    for (const entry of ready.splice(0)) {
      try {
        outbox.markRetry(entry.seq, now, 'Not sent: reporting paused or stopped before this message went out.');
      } catch {
        needsRecovery = true;
      }
    }
  }

  /**
   * Claims more due entries when the local queue runs low. Claiming ahead (up to three times
   * the concurrency) keeps every slot busy while costing one claim and one message commit per
   * batch, not per message; the answers gathered so far are committed just before.
   */
  function refill(now: number, probing: boolean): boolean {
    const lowWater = probing ? 1 : Math.ceil(concurrency / 2);
    if (ready.length >= lowWater) return true;
    const want = (probing ? 1 : 3 * concurrency) - inFlight.size - ready.length;
    if (want <= 0) return true;
    // Answers first: a claim must see them (a patient's next entry, a retry's new due time).
    flushAnswers();
    let claimed: OutboxEntry[];
    try {
      claimed = outbox.claimDue(new Date(now), want, claimHorizonMs);
    } catch (err) {
      lastError = { code: 'store_error', message: `The outbox could not be read: ${errorText(err)}`, at: iso(now) };
      emit({ type: 'store_error', reason: lastError.message });
      feed.soon();
      return false;
    }
    const fresh: OutboxEntry[] = [];
    for (const entry of claimed) {
      if (patientBusy(entry)) {
        outbox.markRetry(entry.seq, new Date(now + backoff.baseMs), 'Waiting for an earlier message for the same patient.');
        continue;
      }
      fresh.push(entry);
    }
    ready.push(...prepare(fresh));
    if (claimed.length > 0) feed.soon();
    return true;
  }

  async function loop(): Promise<void> {
    while (!stopping) {
      if (paused) {
        releaseReady();
        await wakeup.sleep();
        continue;
      }
      const now = nowMs();
      if (needsRecovery && inFlight.size === 0 && ready.length === 0 && answers.length === 0) {
        try {
          outbox.recoverInFlight(new Date(now));
          needsRecovery = false;
        } catch (err) {
          emit({ type: 'store_error', reason: errorText(err) });
        }
      }
      const hold = Math.max(holdUntil, retryAfterUntil);
      if (hold > now) {
        nextWakeAt = hold;
        feed.soon();
        await wakeup.sleep(hold - now);
        continue;
      }
      const probing = failuresInARow >= outageThreshold;
      if (!refill(now, probing)) {
        await wakeup.sleep(backoff.baseMs);
        continue;
      }
      const slots = probing ? 1 : concurrency;
      while (inFlight.size < slots && ready.length > 0) launch(ready.shift() as OutboxEntry);
      if (inFlight.size > 0) {
        // A finished send frees a slot (and maybe a patient's next entry).
        await wakeup.sleep();
        continue;
      }
      // Nothing in flight and nothing due: sleep until the next due entry, a kick, or the bound.
      flushAnswers();
      if (ready.length > 0) continue;
      let next: string | undefined;
      try {
        next = outbox.nextDueAt();
      } catch (err) {
        emit({ type: 'store_error', reason: errorText(err) });
      }
      const dueIn = next === undefined ? idleMaxSleepMs : Date.parse(next) - now;
      // Something due that claimDue will not give us (an update waiting for its rejected add, a
      // patient's later entry behind an earlier one in backoff): do not spin, look again soon.
      const sleepMs = Math.min(idleMaxSleepMs, Number.isFinite(dueIn) && dueIn > 0 ? dueIn : Math.max(backoff.baseMs, 1_000));
      nextWakeAt = now + sleepMs;
      setIdle(true);
      feed.now();
      await wakeup.sleep(sleepMs);
      setIdle(false);
    }
    releaseReady();
    flushAnswers();
  }

  function start(): void {
    if (running) return;
    running = true;
    stopping = false;
    try {
      // Entries a crash left in `sending` go back to pending: their stored bytes are resent.
      outbox.recoverInFlight(clock.now());
    } catch (err) {
      needsRecovery = true;
      emit({ type: 'store_error', reason: errorText(err) });
    }
    emit({ type: 'kick', reason: 'startup' });
    loopDone = loop().catch((err: unknown) => {
      lastError = { code: 'engine_error', message: `Reporting stopped unexpectedly: ${errorText(err)}`, at: iso(nowMs()) };
      emit({ type: 'store_error', reason: lastError.message });
    });
    feed.soon();
  }

  function delay(ms: number): Promise<void> {
    return new Promise((resolve) => timers.setTimeout(resolve, ms));
  }

  async function stop(): Promise<void> {
    if (!running) return;
    stopping = true;
    wake();
    await loopDone;
    const pending = () => Promise.all([...inFlight.values()].map((f) => f.done));
    if (inFlight.size > 0) await Promise.race([pending(), delay(stopGraceMs)]);
    if (inFlight.size > 0) {
      for (const f of inFlight.values()) f.controller.abort();
      // A transport that ignores the signal must not hold the app open: its entry stays in
      // `sending` and the next start recovers it.
      await Promise.race([pending(), delay(stopGraceMs)]);
    }
    flushAnswers();
    running = false;
    setIdle(true);
    feed.now();
    feed.dispose();
  }

  function kick(reason: KickReason): void {
    emit({ type: 'kick', reason });
    if (paused && (reason === 'manual' || reason === 'settings_changed')) {
      paused = undefined;
      emit({ type: 'resumed', reason });
    }
    if (reason === 'network_up' || reason === 'manual' || reason === 'settings_changed') {
      // The OS says the network is back, or a person asked: try now, one probe first. The send
      // attempt, not the OS flag, decides whether we are online (B.5 #10).
      holdUntil = 0;
    }
    if (!running) return;
    wake();
    feed.soon();
  }

  function whenIdle(): Promise<void> {
    if (!running || (idle && !wakeup.pending && inFlight.size === 0 && ready.length === 0 && answers.length === 0)) return Promise.resolve();
    return new Promise((resolve) => idleWaiters.push(resolve));
  }

  return {
    start,
    stop,
    kick,
    status: snapshot,
    onStatus: (listener) => feed.subscribe(listener),
    whenIdle,
  };
}
