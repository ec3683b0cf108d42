import type { OutboxClosure, OutboxEntry, OutboxOutcome, OutboxStats, RegistryMessage } from '../../electron/domain/outbox';
import type { EngineMessageCode } from '../messages/codes';
import type { MessageParams, RegistryTransport, SubmitOutcome } from '../transport/types';
import { AttemptWindow, DEFAULT_BACKOFF, probeDelayMs, retryDelayMs } from './backoff';
import { ClockWatch } from './clock-watch';
import { decide, rebuildsMessage, type Decision } from './outcome';
import { probesWhilePaused } from './pause';
import { StatusFeed } from './status-feed';
import { createStoreMessageBuilder } from './store-messages';
import { storeProblem } from './store-trouble';
import { MAX_TIMER_MS, boundedTimers } from './timing';
import type {
  BackoffSettings,
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
} from './types';
import { Wakeup } from './wakeup';

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
//
// The one exception to "same bytes": a registry that refuses the site's header (a wrong Vaccine
// PIN in MSH-4…) filed nothing, and the same bytes would be refused for ever, so the store gives
// that entry a new MSH-10 and its next send (after the fix, or a probe) is built from the
// settings of that moment. So is a message claimed but never sent. A message that got no answer
// keeps its bytes and MSH-10 until the registry answers it; refused then, after the settings
// changed, it is rebuilt and sent at once instead of pausing on a fault already fixed.
//
// Every wait (backoff, Retry-After, outage and pause probes, store retries, the hourly budget)
// runs on the monotonic clock and is capped; the wall clock is only for what is stored and
// shown. Each pass of the loop runs inside one catch: whatever fails (a full disk under a
// commit, an I/O error in a lookup, a bug) is shown as a status with a cause, and the loop
// tries again on a backoff until it works, instead of dying behind an "online" status bar.


/** A wall clock that moves further than this against monotonic time between two looks was set by someone. */
const CLOCK_JUMP_TOLERANCE_MS = 2_000;
/** Store trouble is local and cheap to look at again: never wait longer than this. */
const STORE_RETRY_CAP_MS = 60_000;

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
type Answer = { entry: OutboxEntry; decision: Decision; probe: boolean } | { entry: OutboxEntry; aborted: true };

interface Paused {
  problem: SyncProblem;
  /** Probes answered with the same problem so far. */
  probes: number;
  /** Monotonic time of the next probe; Infinity when the pause waits for a person. */
  probeAt: number;
}

interface StoreTrouble {
  problem: SyncProblem;
  /** `status`: only a status read failed; the loop itself is not held. */
  source: 'loop' | 'status';
  retries: number;
  /** Monotonic time the loop looks at the store again. */
  retryAt: number;
}

function defaultBuilder(options: SyncEngineOptions, clock: Clock): MessageBuilder {
  const { patients, doses, clinicians } = options.store;
  if (!options.hl7Config || !patients || !doses || !clinicians) {
    throw new TypeError('createSyncEngine needs either buildMessage, or hl7Config and a store with patients, doses and clinicians.');
  }
  return createStoreMessageBuilder({ patients, doses, clinicians }, options.hl7Config, clock);
}

function checkedBackoff(b: BackoffSettings): BackoffSettings {
  if (!(Number.isFinite(b.baseMs) && b.baseMs >= 1 && Number.isFinite(b.capMs) && b.capMs >= b.baseMs && b.capMs <= MAX_TIMER_MS)) {
    throw new RangeError(`Backoff needs 1 ≤ baseMs ≤ capMs ≤ ${MAX_TIMER_MS} ms, got baseMs ${b.baseMs} and capMs ${b.capMs}.`);
  }
  return b;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function createSyncEngine(options: SyncEngineOptions): SyncEngine {
  const { store } = options;
  const outbox = store.outbox;
  const clock = options.clock ?? { now: () => new Date() };
  if (options.timers && !options.monotonic) {
    throw new TypeError('createSyncEngine: pass `monotonic` together with `timers` (the clock those timers run on): every wait is measured on it.');
  }
  const mono = options.monotonic ?? performance;
  const timers = boundedTimers(options.timers ?? realTimers);
  const buildMessage = options.buildMessage ?? defaultBuilder(options, clock);
  const random = options.random ?? Math.random;
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 8));
  const backoff = checkedBackoff(options.backoff ?? DEFAULT_BACKOFF);
  const capMs = backoff.capMs;
  const stuckAfter = options.stuckAfterAttempts ?? 10;
  const maxAttemptsPerHour = options.maxAttemptsPerHour ?? 20;
  const idleMaxSleepMs = Math.min(options.idleMaxSleepMs ?? 60_000, MAX_TIMER_MS);
  const stopGraceMs = options.stopGraceMs ?? 5_000;
  // No stored due time is ever further ahead than the cap (longer waits, such as the hourly
  // budget, are kept in memory and checked at claim time), so one further ahead than this was
  // written before the clock was set back and counts as due (B.5 #19).
  const claimHorizonMs = capMs + 60_000;
  // Failed attempts in a row (across entries, no answer recorded in between) before the whole
  // queue backs off and probes with one message at a time: half the slots failing in a row is
  // an outage (or a registry answering garbage), not bad luck.
  const outageThreshold = Math.max(3, Math.ceil(concurrency / 2));
  const attempts = new AttemptWindow(maxAttemptsPerHour);
  const outcomeWindowMs = Math.max(0, options.outcomeWindowMs ?? 50);
  // Enough answers to be worth a commit of their own before the next claim comes round.
  const outcomeBatch = Math.max(1, concurrency);

  const monoNow = (): number => mono.now();
  const wallNow = (): number => clock.now().getTime();
  const iso = (ms: number): string => new Date(ms).toISOString();
  /** The wall-clock time a monotonic instant corresponds to, for what is shown. */
  const shownAt = (monoAt: number): string => iso(wallNow() + (monoAt - monoNow()));
  /** A registry-supplied wait, made safe: never negative, never beyond the cap. */
  const cappedWait = (ms: number): number => (Number.isNaN(ms) ? capMs : Math.min(Math.max(0, ms), capMs));

  const wakeup = new Wakeup(timers);
  const clockWatch = new ClockWatch(wallNow, monoNow, CLOCK_JUMP_TOLERANCE_MS);
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
  let paused: Paused | undefined;
  let failuresInARow = 0;
  let lastFailureWasLink = false;
  // Monotonic instants.
  let holdUntil = 0;
  let retryAfterUntil = 0;
  let nextWakeAt: number | undefined;
  let needsRecovery = false;
  let dueNowRequested = false;
  let trouble: StoreTrouble | undefined;
  /** Counts the loop's store failures, so a pass can tell whether it ran clean. */
  let troubleCount = 0;
  let lastSuccessAt: string | undefined;
  let lastAttemptAt: string | undefined;
  let lastError: SyncProblem | undefined;
  let stats: OutboxStats | undefined;
  /** Whether the registry settings changed while this engine ran. */
  let settingsChanged = false;
  /** Entries whose message this engine built since the settings last changed (until they settle). */
  const builtSinceSettings = new Set<number>();

  function emit(event: SyncEvent): void {
    if (!options.onEvent) return;
    try {
      options.onEvent(event);
    } catch {
      // The log is not allowed to stop delivery.
    }
  }

  /** Records a failure of the store (or of the loop itself). Never throws, never publishes. */
  function noteTrouble(err: unknown, source: 'loop' | 'status' = 'loop'): void {
    // Only the loop's own failures count against a pass: a status read (from a timer, from the
    // UI) failing mid-pass must not make the pass give up without sleeping.
    if (source === 'loop') troubleCount += 1;
    else if (trouble?.source === 'loop') return;
    const problem = storeProblem(err, iso(wallNow()));
    const retries = source === 'loop' ? (trouble?.source === 'loop' ? trouble.retries : 0) + 1 : 0;
    const retryAt = source === 'loop' ? monoNow() + Math.min(STORE_RETRY_CAP_MS, probeDelayMs(backoff, retries, random)) : 0;
    const fresh = trouble?.problem.code !== problem.code;
    trouble = { problem, source, retries, retryAt };
    if (fresh) emit({ type: 'store_error', code: problem.code, reason: problem.message });
  }

  function troubleCleared(source: 'loop' | 'status'): void {
    if (!trouble || (source === 'status' && trouble.source === 'loop')) return;
    const code = trouble.problem.code;
    trouble = undefined;
    emit({ type: 'store_recovered', code });
    feed.soon();
  }

  function readStats(): OutboxStats | undefined {
    try {
      stats = outbox.stats();
      troubleCleared('status');
    } catch (err) {
      noteTrouble(err, 'status');
    }
    return stats;
  }

  function state(now: number): SyncState {
    if (!running) return 'stopped';
    if (trouble) return 'store_error';
    if (paused) return 'needs_configuration';
    if (failuresInARow >= outageThreshold) return lastFailureWasLink ? 'offline' : 'waiting';
    if (retryAfterUntil > now || holdUntil > now) return 'waiting';
    if (inFlight.size > 0 || ready.length > 0 || answers.length > 0 || !idle) return 'sending';
    return 'idle';
  }

  /** When the loop will next try, on the monotonic clock (0: nothing holds it). */
  function holdFor(): number {
    return Math.max(holdUntil, retryAfterUntil, paused ? paused.probeAt : 0);
  }

  function snapshot(): SyncStatus {
    const s = readStats();
    const now = monoNow();
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
    const hold = Math.max(holdFor(), trouble?.source === 'loop' ? trouble.retryAt : 0);
    if (hold > now && Number.isFinite(hold)) status.nextAttemptAt = shownAt(hold);
    else if (idle && nextWakeAt !== undefined && status.pending > 0) status.nextAttemptAt = shownAt(nextWakeAt);
    if (lastError) status.lastError = lastError;
    if (paused) status.configurationProblem = paused.problem;
    if (trouble) status.storeProblem = trouble.problem;
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

  /** A site problem: every dose waits; probed for on a capped backoff unless it waits for a person. */
  function pauseFor(code: EngineMessageCode, reason: string, params: MessageParams | undefined, probe: boolean, monoAt: number): void {
    const problem: SyncProblem = params ? { code, message: reason, params, at: iso(wallNow()) } : { code, message: reason, at: iso(wallNow()) };
    const probeAt = (probes: number): number => (probesWhilePaused(code) ? monoAt + probeDelayMs(backoff, probes + 1, random) : Number.POSITIVE_INFINITY);
    if (!paused) {
      paused = { problem, probes: 0, probeAt: probeAt(0) };
      emit(params ? { type: 'paused', code, reason, params } : { type: 'paused', code, reason });
    } else {
      if (paused.problem.code !== code) {
        paused.problem = problem;
        emit(params ? { type: 'paused', code, reason, params } : { type: 'paused', code, reason });
      }
      // Answers to sends that went out before the pause say nothing new about the schedule.
      if (probe) {
        paused.probes += 1;
        paused.probeAt = probeAt(paused.probes);
      } else if (!probesWhilePaused(code)) {
        paused.probeAt = Number.POSITIVE_INFINITY;
      }
    }
    feed.now();
  }

  function resume(reason: KickReason | 'probe'): void {
    if (!paused) return;
    paused = undefined;
    emit({ type: 'resumed', reason });
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
  function plan(entry: OutboxEntry, decision: Decision, wall: number, monoAt: number): OutboxOutcome {
    const seq = entry.seq;
    switch (decision.kind) {
      case 'accepted':
        return { seq, kind: 'accepted', ack: { code: decision.code, text: decision.text, messages: decision.messages, warning: decision.warning } };
      case 'rejected':
        return { seq, kind: 'rejected', ack: { code: decision.code, text: decision.text, messages: decision.messages } };
      case 'pause': {
        // Not this message's fault: it stays pending, due as soon as the queue resumes. A header
        // the registry refused is spent: the next send (after the fix, or a probe) is built
        // again, from the settings of that moment, under a new MSH-10.
        const error = `${decision.code}: ${decision.reason}`;
        return rebuildsMessage(decision.area) ? { seq, kind: 'retry', nextAttemptAt: new Date(wall), error, rebuild: true } : { seq, kind: 'retry', nextAttemptAt: new Date(wall), error };
      }
      case 'retry': {
        if (decision.rebuild) return { seq, kind: 'retry', nextAttemptAt: new Date(wall), error: `${decision.code}: ${decision.reason}`, rebuild: true };
        const failures = Math.max(1, entry.attempts);
        // A link failure says nothing about this message: it stays due, and the queue-wide
        // hold paces the attempts. Anything else backs this entry off on its own.
        let delay = decision.linkFailure ? 0 : retryDelayMs(backoff, failures, random);
        if (decision.retryAfterMs !== undefined) delay = Math.max(delay, cappedWait(decision.retryAfterMs));
        // The hourly budget is per message; link failures are paced queue-wide by the probe hold.
        if (!decision.linkFailure) delay = Math.max(delay, attempts.earliestNextMs(seq, monoAt) - monoAt);
        return { seq, kind: 'retry', nextAttemptAt: new Date(wall + Math.min(delay, capMs)), error: `${decision.code}: ${decision.reason}` };
      }
      default:
        // A decision this engine does not know yet: nothing leaves the queue without an answer.
        return { seq, kind: 'retry', nextAttemptAt: new Date(wall + backoff.baseMs), error: 'The outcome of this attempt was not understood; the message will be sent again.' };
    }
  }

  /** Acts on an outcome the store has committed: counters, holds, events. */
  function afterCommit(entry: OutboxEntry, decision: Decision, written: OutboxOutcome, probe: boolean, monoAt: number): void {
    const seq = entry.seq;
    const wall = wallNow();
    if (decision.kind !== 'retry' || decision.rebuild) builtSinceSettings.delete(seq);
    // A probe that gets any answer other than a site problem ends the pause; a refusal of bytes
    // built before the settings changed says nothing either way (its rebuilt message probes next).
    if (probe && paused && decision.kind !== 'pause' && !(decision.kind === 'retry' && decision.rebuild)) resume('probe');
    switch (decision.kind) {
      case 'accepted':
        lastSuccessAt = iso(wall);
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
        pauseFor(decision.code, decision.reason, decision.params, probe, monoAt);
        return;
      case 'retry': {
        const failures = Math.max(1, entry.attempts);
        const due = written.kind === 'retry' ? written.nextAttemptAt.getTime() : wall;
        if (decision.rebuild) {
          // Old bytes, not the current settings, were refused: no failure of the link or the site.
          emit({ type: 'retry', seq, doseId: entry.doseId, patientId: entry.patientId, controlId: entry.messageControlId, code: decision.code, reason: decision.reason, nextAttemptAt: iso(due), attempt: entry.attempts });
          return;
        }
        if (decision.retryAfterMs !== undefined) retryAfterUntil = Math.max(retryAfterUntil, monoAt + cappedWait(decision.retryAfterMs));
        failuresInARow += 1;
        lastFailureWasLink = decision.linkFailure;
        if (failuresInARow >= outageThreshold) {
          holdUntil = Math.max(holdUntil, monoAt + probeDelayMs(backoff, failuresInARow - outageThreshold + 1, random));
        }
        lastError = { code: decision.code, message: decision.reason, at: iso(wall), seq };
        if (decision.params) lastError.params = decision.params;
        if (decision.ackProblem?.kind === 'mismatch') {
          const ev: SyncEvent = { type: 'ack_mismatch', seq, expected: entry.messageControlId, received: decision.ackProblem.received };
          try {
            const other = outbox.byControlId(decision.ackProblem.received);
            if (other) ev.knownEntrySeq = other.seq;
          } catch (err) {
            noteTrouble(err);
          }
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
      default:
        return;
    }
  }

  function storeFailed(entry: OutboxEntry, err: unknown): void {
    needsRecovery = true;
    const detail = errorText(err);
    lastError = {
      code: 'store_error',
      message: `The outcome for message ${entry.messageControlId} could not be saved: ${detail}`,
      params: { controlId: entry.messageControlId, detail },
      at: iso(wallNow()),
      seq: entry.seq,
    };
    noteTrouble(err);
  }

  /**
   * Records every waiting answer in one transaction, then acts on them in arrival order. If the
   * batch cannot be written, each answer is tried on its own so one bad entry holds no other;
   * one that still fails stays in `sending` for recovery. Never throws: it runs from timers and
   * from finished sends as well as from the loop.
   */
  function flushAnswers(): void {
    if (flushTimer !== undefined) {
      timers.clearTimeout(flushTimer);
      flushTimer = undefined;
    }
    if (answers.length === 0) return;
    const batch = answers;
    answers = [];
    const wall = wallNow();
    const monoAt = monoNow();
    const writes = batch.map((a) =>
      'aborted' in a
        ? ({ seq: a.entry.seq, kind: 'retry', nextAttemptAt: new Date(wall), error: 'aborted: sending was interrupted because reporting stopped.' } as const)
        : plan(a.entry, a.decision, wall, monoAt),
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
          storeFailed((batch[i] as Answer).entry, err);
          return false;
        }
      });
    }
    batch.forEach((a, i) => {
      // Cancelled by stop(): nothing was learned, so nothing else advances (B.5 #12).
      if (!committed[i] || 'aborted' in a) return;
      try {
        afterCommit(a.entry, a.decision, writes[i] as OutboxOutcome, a.probe, monoAt);
      } catch (err) {
        noteTrouble(err);
      }
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
    const urgent = 'aborted' in a || a.probe || (a.decision.kind !== 'accepted' && a.decision.kind !== 'rejected');
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

  /**
   * Builds the messages a claimed batch still lacks and stores them in one transaction. Returns
   * the entries ready to send; one whose message cannot be built is rejected with the reason.
   * A store failure is thrown: the claimed entries stay in `sending` until recovery.
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
        const detail = errorText(err);
        const reason = `The message for this dose could not be built: ${detail} Correct the record and save it again.`;
        emit({ type: 'build_failed', seq: entry.seq, reason });
        const messages: RegistryMessage[] = [{ severity: 'error', text: reason, code: 'build_failed', params: { detail } }];
        answers.push({ entry, probe: false, decision: { kind: 'rejected', code: 'build_failed', text: reason, messages } });
        continue;
      }
      toStore.push({ seq: entry.seq, text });
      built.set(entry.seq, text);
      builtSinceSettings.add(entry.seq);
      out.push(entry);
    }
    if (toStore.length > 0) {
      // First text wins: after a crash between build and send, the stored bytes are what we resend.
      const stored = new Map(outbox.setMessages(toStore).map((e) => [e.seq, e.messageText]));
      for (let i = 0; i < out.length; i++) {
        const e = out[i] as OutboxEntry;
        if (!e.messageText) out[i] = { ...e, messageText: stored.get(e.seq) ?? (built.get(e.seq) as string) };
      }
    }
    flushAnswers();
    return out;
  }

  async function sendOne(entry: OutboxEntry, signal: AbortSignal, probe: boolean): Promise<void> {
    const sentAt = monoNow();
    lastAttemptAt = iso(wallNow());
    emit({ type: 'claimed', seq: entry.seq, attempt: entry.attempts });
    const transport = resolveTransport();
    if (!transport) {
      answer({
        entry,
        probe,
        decision: {
          kind: 'pause',
          code: 'not_configured',
          reason: 'No registry connection is configured. Enter the MIIS endpoint and credentials in the registry connection settings.',
        },
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
    let decision: Decision;
    try {
      decision = decide(entry, outcome);
    } catch (err) {
      const detail = errorText(err);
      decision = {
        kind: 'retry',
        code: 'ack_unreadable',
        reason: `The registry's answer could not be read (${detail}); the same message will be sent again.`,
        params: { detail },
        linkFailure: false,
        ackProblem: { kind: 'unreadable' },
      };
    }
    if (decision.kind === 'pause' && rebuildsMessage(decision.area) && settingsChanged && !builtSinceSettings.has(entry.seq)) decision = staleHeader(decision);
    // The hourly budget is for a registry that keeps answering this message with something
    // unusable; an outage is paced queue-wide by the probe hold instead.
    if (decision.kind === 'retry' && !decision.linkFailure && !decision.rebuild) attempts.record(entry.seq, sentAt);
    answer({ entry, decision, probe });
  }

  /**
   * A header refusal of bytes built before the settings last changed (a message that got no
   * answer then keeps its bytes, and is refused by the registry now): the fix may already be in
   * the settings, so this is no reason to pause. The refusal spends the message; the next send,
   * at once, is built from the current settings, and only its answer can pause the queue.
   */
  function staleHeader(d: Extract<Decision, { kind: 'pause' }>): Decision {
    return {
      kind: 'retry',
      code: d.code,
      reason: `${d.reason} This message was built before the registry settings last changed, so it is built again from the current settings and sent under a new message ID.`,
      ...(d.params ? { params: d.params } : {}),
      linkFailure: false,
      rebuild: true,
    };
  }

  function launch(entry: OutboxEntry, probe: boolean): void {
    const controller = new AbortController();
    const done = sendOne(entry, controller.signal, probe)
      .catch((err: unknown) => {
        needsRecovery = true;
        noteTrouble(err);
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

  /** Claimed but not yet sent: back to pending, due now (pause, stop, store trouble). Never throws. */
  function releaseReady(): void {
    const now = new Date(wallNow());
    for (const entry of ready.splice(0)) {
      try {
        outbox.release(entry.seq, now);
      } catch (err) {
        needsRecovery = true;
        noteTrouble(err);
      }
    }
  }

  /**
   * Claims more due entries when the local queue runs low. Claiming ahead (up to three times
   * the concurrency) keeps every slot busy while costing one claim and one message commit per
   * batch, not per message; the answers gathered so far are committed just before. An entry
   * that may not go yet (its patient is busy, or it used its hourly budget: a clock set forward
   * makes stored due times pass early) is released with its wait, and the claim looks further.
   */
  function refill(probing: boolean): void {
    const lowWater = probing ? 1 : Math.ceil(concurrency / 2);
    if (ready.length >= lowWater) return;
    const target = probing ? 1 : 3 * concurrency;
    // Answers first: a claim must see them (a patient's next entry, a retry's new due time).
    flushAnswers();
    const fresh: OutboxEntry[] = [];
    for (let round = 0; round < 3; round++) {
      const want = target - inFlight.size - ready.length - fresh.length;
      if (want <= 0) break;
      const claimed = outbox.claimDue(new Date(wallNow()), want, claimHorizonMs);
      const now = monoNow();
      let heldBack = 0;
      for (const entry of claimed) {
        const budgetWait = attempts.earliestNextMs(entry.seq, now) - now;
        if (patientBusy(entry) || fresh.some((f) => f.patientId === entry.patientId)) {
          outbox.release(entry.seq, new Date(wallNow() + backoff.baseMs), 'Waiting for an earlier message for the same patient.');
          heldBack += 1;
        } else if (budgetWait > 0) {
          outbox.release(
            entry.seq,
            new Date(wallNow() + Math.min(budgetWait, capMs)),
            `Waiting: this message was already tried ${maxAttemptsPerHour} times in the last hour, the most it is tried in an hour.`,
          );
          heldBack += 1;
        } else {
          fresh.push(entry);
        }
      }
      if (heldBack === 0) break;
    }
    ready.push(...prepare(fresh));
    if (fresh.length > 0) feed.soon();
  }

  /** The system clock was moved: say so, and keep each stored wait as it was when set back. */
  function watchClock(): void {
    const jump = clockWatch.drift();
    if (jump === 0) return;
    // Set forward, stored due times pass early; the monotonic holds and the hourly budget keep
    // the pace, and moving them forward would delay doses recorded since on the new clock.
    if (jump < 0) outbox.rebaseDue(jump);
    clockWatch.accept();
    emit({ type: 'clock_jump', deltaMs: jump, at: iso(wallNow()) });
  }

  /** Sleeps until a monotonic instant (never beyond the cap, so the loop always looks again), or a wake-up. */
  function sleepUntil(monoAt: number): Promise<void> {
    nextWakeAt = Number.isFinite(monoAt) ? monoAt : undefined;
    feed.soon();
    return wakeup.sleep(Number.isFinite(monoAt) ? Math.min(monoAt - monoNow(), capMs) : undefined);
  }

  /** The store did what this pass asked of it: a problem it had is over. */
  function passedClean(troubleAtStart: number): void {
    if (troubleCount === troubleAtStart && !needsRecovery) troubleCleared('loop');
  }

  /** One pass of the sender loop. Anything it throws is caught by `loop()`. */
  async function step(): Promise<void> {
    let now = monoNow();
    if (trouble?.source === 'loop' && trouble.retryAt > now) {
      releaseReady();
      await sleepUntil(trouble.retryAt);
      return;
    }
    const troubleAtStart = troubleCount;
    watchClock();
    if (dueNowRequested) {
      outbox.makeDue(new Date(wallNow()));
      dueNowRequested = false;
    }
    if (needsRecovery && inFlight.size === 0 && ready.length === 0 && answers.length === 0) {
      outbox.recoverInFlight(new Date(wallNow()));
      needsRecovery = false;
    }
    now = monoNow();
    const hold = holdFor();
    if (hold > now) {
      releaseReady();
      await sleepUntil(hold);
      return;
    }
    const probing = paused !== undefined || failuresInARow >= outageThreshold;
    refill(probing);
    // An answer could not be committed on the way: wait for the store before sending more.
    if (troubleCount !== troubleAtStart) return;
    const slots = probing ? 1 : concurrency;
    while (inFlight.size < slots && ready.length > 0) launch(ready.shift() as OutboxEntry, paused !== undefined);
    if (inFlight.size > 0) {
      passedClean(troubleAtStart);
      // A finished send frees a slot (and maybe a patient's next entry).
      await wakeup.sleep();
      return;
    }
    // Nothing in flight and nothing due: sleep until the next due entry, a kick, or the bound.
    flushAnswers();
    if (ready.length > 0) return;
    const next = outbox.nextDueAt();
    const dueIn = next === undefined ? idleMaxSleepMs : Date.parse(next) - wallNow();
    // Something due that claimDue will not give us (an update waiting for its rejected add, a
    // patient's later entry behind an earlier one in backoff): do not spin, look again soon.
    const sleepMs = Math.min(idleMaxSleepMs, Number.isFinite(dueIn) && dueIn > 0 ? dueIn : Math.max(backoff.baseMs, 1_000));
    passedClean(troubleAtStart);
    nextWakeAt = monoNow() + sleepMs;
    setIdle(true);
    feed.now();
    await wakeup.sleep(sleepMs);
    setIdle(false);
  }

  /** A pass failed: show why and let go of what was claimed; the next pass waits out the store's backoff. */
  function stalled(err: unknown): void {
    noteTrouble(err);
    // Entries claimed in the failed pass may be in `sending` without being tracked here.
    needsRecovery = true;
    releaseReady();
    feed.now();
  }

  async function loop(): Promise<void> {
    while (!stopping) {
      try {
        await step();
      } catch (err) {
        stalled(err);
      }
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
      noteTrouble(err);
    }
    clockWatch.accept();
    emit({ type: 'kick', reason: 'startup' });
    loopDone = loop();
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
    if (reason === 'settings_changed') {
      // Messages built from here on carry the new settings; a refusal of one built before says
      // nothing about them.
      settingsChanged = true;
      builtSinceSettings.clear();
    }
    if (reason === 'manual' || reason === 'settings_changed') {
      // A person asked ("Send now") or the connection changed: every hold ends, whatever it
      // was (a pause, an outage's probe schedule, the registry's Retry-After, a store retry,
      // an entry's own backoff). The hourly budget per message still applies.
      resume(reason);
      holdUntil = 0;
      retryAfterUntil = 0;
      if (trouble?.source === 'loop') trouble.retryAt = 0;
      dueNowRequested = true;
    } else if (reason === 'network_up') {
      // The OS says the network is back: try now, one probe first. The send attempt, not the
      // OS flag, decides whether we are online (B.5 #10). It may also be what fixed a site
      // problem (a proxy, a captive portal), so a probing pause probes now too.
      holdUntil = 0;
      if (paused && Number.isFinite(paused.probeAt)) paused.probeAt = 0;
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
