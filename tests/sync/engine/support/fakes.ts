import { buildAck, type AckErrorInput } from '../../../../sync/hl7/ack-build';
import type { AckCode } from '../../../../sync/hl7/ack-types';
import { classifyError, type StoreErrorKind } from '../../../../electron/store/errors';
import type { OutboxClosure, OutboxEntry, OutboxOutcome, OutboxRepo, OutboxStats, RegistryMessage } from '../../../../electron/store/types';
import type { Timers } from '../../../../sync/engine/types';
import type { ConnectionCheck, RegistryTransport, SubmitOptions, SubmitOutcome } from '../../../../sync/transport/types';

// In-memory stand-ins for the engine's three collaborators, with the same contract as the real
// ones (electron/store/outbox.ts claim rules; a transport that answers per script), and a virtual
// clock whose timers fire only when the test advances time.

export class VirtualTime {
  /** Monotonic time that timers run on; the wall clock is this plus `skew` (a user changing the clock). */
  private mono = Date.parse('2026-03-02T14:00:00.000Z');
  private skew = 0;
  private nextId = 1;
  private pending = new Map<number, { at: number; fn: () => void }>();
  /** Every delay asked of setTimeout, as given (to catch NaN, negative and overflowing waits). */
  readonly delays: number[] = [];
  readonly clock = { now: (): Date => new Date(this.nowMs) };
  /** What the engine's waits run on: never moved by jump(). */
  readonly monotonic = { now: (): number => this.mono };
  readonly timers: Timers = {
    setTimeout: (fn, ms) => {
      const id = this.nextId++;
      this.delays.push(ms);
      this.pending.set(id, { at: this.mono + Math.max(0, ms), fn });
      return id;
    },
    clearTimeout: (h) => {
      this.pending.delete(h as number);
    },
  };

  get nowMs(): number {
    return this.mono + this.skew;
  }

  /** Lets promise chains (fake sends, the sender loop) run to their next wait. */
  async settle(rounds = 30): Promise<void> {
    for (let i = 0; i < rounds; i++) await new Promise<void>((r) => setImmediate(r));
  }

  /** Moves time forward, firing timers in order, settling before and after each. Bounded. */
  async advance(ms: number): Promise<void> {
    const target = this.mono + ms;
    await this.settle();
    for (let guard = 0; guard < 100_000; guard++) {
      let best: [number, { at: number; fn: () => void }] | undefined;
      for (const e of this.pending) if (e[1].at <= target && (!best || e[1].at < best[1].at)) best = e;
      if (!best) break;
      this.pending.delete(best[0]);
      this.mono = Math.max(this.mono, best[1].at);
      best[1].fn();
      await this.settle(8);
    }
    this.mono = target;
    await this.settle();
  }

  /** Sets the wall clock (a user changing the system time): timers keep their own schedule. */
  jump(ms: number): void {
    this.skew += ms;
  }

  get timerCount(): number {
    return this.pending.size;
  }
}

const FINAL = new Set(['accepted', 'warning', 'cancelled', 'superseded']);

const SQLITE_CODE: Record<StoreErrorKind, string> = {
  disk_full: 'SQLITE_FULL',
  io: 'SQLITE_IOERR_WRITE',
  read_only: 'SQLITE_READONLY',
  corrupt: 'SQLITE_CORRUPT',
  busy: 'SQLITE_BUSY',
  constraint: 'SQLITE_CONSTRAINT',
  durability: 'SQLITE_MISUSE',
  newer_version: 'SQLITE_MISUSE',
  not_found: 'SQLITE_MISUSE',
  conflict: 'SQLITE_MISUSE',
  locked: 'SQLITE_NOTADB',
};

type OutboxMethod = keyof OutboxRepo;

export class FakeOutbox implements OutboxRepo {
  entries: OutboxEntry[] = [];
  private seq = 0;
  claimCalls = 0;
  /** Every claim, to check one claimant per entry. */
  claims: { seq: number; at: number }[] = [];

  constructor(private readonly time: VirtualTime) {}

  /** Commits the engine asked for: one per setMessages/recordOutcomes call, with its size. */
  commits: { kind: 'messages' | 'outcomes'; size: number }[] = [];
  /** Claims and outcome commits in the order they happened (`claim:3`, `outcomes:1,2`). */
  log: string[] = [];
  /** The next this-many recordOutcomes calls fail as a full or broken disk would. */
  failNextRecords = 0;
  private broken: { kind: StoreErrorKind; methods: Set<OutboxMethod> | undefined; remaining: number } | undefined;
  /** Calls that threw because of breakStore(), by method. */
  failures: OutboxMethod[] = [];

  /**
   * From now on the given methods (all, when none are named) throw what the real store throws for
   * `kind` (a classified StoreError, as electron/store/open-store.ts wraps SQLite's), `times` times
   * or until healStore().
   */
  breakStore(kind: StoreErrorKind, methods?: OutboxMethod[], times = Number.POSITIVE_INFINITY): void {
    this.broken = { kind, methods: methods ? new Set(methods) : undefined, remaining: times };
  }

  healStore(): void {
    this.broken = undefined;
  }

  private check(method: OutboxMethod): void {
    const b = this.broken;
    if (!b || b.remaining <= 0 || (b.methods && !b.methods.has(method))) return;
    b.remaining -= 1;
    this.failures.push(method);
    const raw = Object.assign(new Error(b.kind === 'disk_full' ? 'database or disk is full' : `simulated ${b.kind}`), { code: SQLITE_CODE[b.kind] });
    throw classifyError(raw, 'updating the reporting queue');
  }

  add(e: { patientId: string; doseId?: string; action?: 'A' | 'U' | 'D'; controlId?: string; messageText?: string; state?: OutboxEntry['state']; deadlineAt?: string }): OutboxEntry {
    this.seq += 1;
    const at = new Date(this.time.nowMs).toISOString();
    const entry: OutboxEntry = {
      seq: this.seq,
      doseId: e.doseId ?? `dose-${this.seq}`,
      patientId: e.patientId,
      action: e.action ?? 'A',
      state: e.state ?? 'pending',
      messageControlId: e.controlId ?? `MCI-${this.seq}`,
      attempts: 0,
      nextAttemptAt: at,
      registryMessages: [],
      createdAt: at,
      updatedAt: at,
    };
    if (e.messageText) entry.messageText = e.messageText;
    if (e.deadlineAt) entry.deadlineAt = e.deadlineAt;
    this.entries.push(entry);
    return entry;
  }

  private find(seq: number): OutboxEntry {
    const e = this.entries.find((x) => x.seq === seq);
    if (!e) throw new Error(`no entry ${seq}`);
    return e;
  }

  /** Held back by a rejected earlier entry of its own dose: waits for a person, not the registry. */
  private heldByRejection(o: OutboxEntry): boolean {
    return this.entries.some((d) => d.doseId === o.doseId && d.seq < o.seq && d.state === 'rejected');
  }

  // The real store's rule (electron/store/outbox.ts): per patient, seq order; a rejection holds
  // back only its own dose; an entry so held does not hold back the patient's other doses;
  // across patients, earliest deadline first (none last), then seq.
  claimDue(now: Date, limit: number, maxBackoffMs: number): OutboxEntry[] {
    this.claimCalls += 1;
    this.check('claimDue');
    const cap = now.getTime() + maxBackoffMs;
    const due = this.entries.filter((o) => {
      if (o.state !== 'pending') return false;
      const t = Date.parse(o.nextAttemptAt);
      if (!(t <= now.getTime() || t > cap)) return false;
      if (this.heldByRejection(o)) return false;
      const blocker = (p: OutboxEntry) => p.patientId === o.patientId && p.seq < o.seq && (p.state === 'sending' || (p.state === 'pending' && !this.heldByRejection(p)));
      return !this.entries.some(blocker);
    });
    due.sort((a, b) => {
      if (a.deadlineAt !== b.deadlineAt) {
        if (a.deadlineAt === undefined) return 1;
        if (b.deadlineAt === undefined) return -1;
        return a.deadlineAt < b.deadlineAt ? -1 : 1;
      }
      return a.seq - b.seq;
    });
    const out = due.slice(0, Math.max(0, limit));
    for (const e of out) {
      e.state = 'sending';
      e.attempts += 1;
      this.claims.push({ seq: e.seq, at: this.time.nowMs });
      this.log.push(`claim:${e.seq}`);
    }
    return out.map((e) => ({ ...e }));
  }

  setMessage(seq: number, text: string): OutboxEntry {
    const e = this.find(seq);
    if (e.messageText === undefined) e.messageText = text;
    return { ...e };
  }

  setMessages(messages: readonly { seq: number; text: string }[]): OutboxEntry[] {
    this.check('setMessages');
    this.commits.push({ kind: 'messages', size: messages.length });
    return messages.map((m) => this.setMessage(m.seq, m.text));
  }

  /** The fake knows no doses, so nothing is ever deleted and no outcome closes another entry. */
  recordOutcomes(outcomes: readonly OutboxOutcome[]): OutboxClosure[] {
    for (const o of outcomes) this.find(o.seq);
    this.check('recordOutcomes');
    if (this.failNextRecords > 0) {
      this.failNextRecords -= 1;
      throw new Error('disk I/O error');
    }
    this.commits.push({ kind: 'outcomes', size: outcomes.length });
    this.log.push(`outcomes:${outcomes.map((o) => o.seq).join(',')}`);
    for (const o of outcomes) {
      if (o.kind === 'accepted') this.markAccepted(o.seq, o.ack);
      else if (o.kind === 'rejected') this.markRejected(o.seq, o.ack);
      else if (o.rebuild) this.renew(o.seq, o.nextAttemptAt, o.error);
      else this.markRetry(o.seq, o.nextAttemptAt, o.error);
    }
    return [];
  }

  private settle(seq: number, state: 'accepted' | 'warning' | 'rejected', ack: { code: string; text: string; messages: RegistryMessage[] }): void {
    const e = this.find(seq);
    if (e.state !== 'pending' && e.state !== 'sending') return;
    e.state = state;
    e.ackCode = ack.code;
    e.ackText = ack.text;
    e.registryMessages = ack.messages;
    e.updatedAt = new Date(this.time.nowMs).toISOString();
    if (state !== 'rejected') e.completedAt = e.updatedAt;
  }

  markAccepted(seq: number, ack: { code: string; text: string; messages: RegistryMessage[]; warning: boolean }): void {
    this.settle(seq, ack.warning ? 'warning' : 'accepted', ack);
  }

  markRejected(seq: number, ack: { code: string; text: string; messages: RegistryMessage[] }): void {
    this.settle(seq, 'rejected', ack);
  }

  markRetry(seq: number, nextAttemptAt: Date, error: string): void {
    this.check('markRetry');
    const e = this.find(seq);
    if (e.state !== 'sending') return;
    e.state = 'pending';
    e.nextAttemptAt = nextAttemptAt.toISOString();
    e.lastError = error;
  }

  /** As the real store: a refused header spends the message; a new MSH-10, built again when next sent. */
  private renew(seq: number, nextAttemptAt: Date, error: string): void {
    const e = this.find(seq);
    if (e.state !== 'sending') return;
    this.markRetry(seq, nextAttemptAt, error);
    this.renewals += 1;
    e.messageControlId = `MCI-${seq}-R${this.renewals}`;
    delete e.messageText;
  }

  /** Messages renewed after a refused header. */
  renewals = 0;

  release(seq: number, nextAttemptAt: Date, reason?: string): void {
    this.check('release');
    const e = this.find(seq);
    if (e.state !== 'sending') return;
    // As the real store: bytes nobody has seen are built again at the next send.
    if (e.attempts <= 1) delete e.messageText;
    e.state = 'pending';
    e.attempts = Math.max(0, e.attempts - 1);
    e.nextAttemptAt = nextAttemptAt.toISOString();
    if (reason !== undefined) e.lastError = reason;
  }

  makeDue(now: Date): number {
    this.check('makeDue');
    const at = now.toISOString();
    const later = this.entries.filter((e) => e.state === 'pending' && e.nextAttemptAt > at);
    for (const e of later) e.nextAttemptAt = at;
    return later.length;
  }

  rebaseDue(deltaMs: number): number {
    this.check('rebaseDue');
    const pending = this.entries.filter((e) => e.state === 'pending');
    for (const e of pending) e.nextAttemptAt = new Date(Date.parse(e.nextAttemptAt) + deltaMs).toISOString();
    return pending.length;
  }

  recoverInFlight(now: Date): number {
    this.check('recoverInFlight');
    let n = 0;
    for (const e of this.entries) {
      if (e.state === 'sending') {
        e.state = 'pending';
        e.nextAttemptAt = now.toISOString();
        n += 1;
      }
    }
    return n;
  }

  get(seq: number): OutboxEntry | undefined {
    const e = this.entries.find((x) => x.seq === seq);
    return e ? { ...e } : undefined;
  }

  byControlId(id: string): OutboxEntry | undefined {
    this.check('byControlId');
    const e = this.entries.find((x) => x.messageControlId === id);
    return e ? { ...e } : undefined;
  }

  stats(): OutboxStats {
    this.check('stats');
    const count = (s: string) => this.entries.filter((e) => e.state === s).length;
    const accepted = this.entries.filter((e) => e.completedAt && (e.state === 'accepted' || e.state === 'warning')).map((e) => e.completedAt as string);
    const s: OutboxStats = { pending: count('pending'), sending: count('sending'), accepted: count('accepted'), warning: count('warning'), rejected: count('rejected') };
    if (accepted.length) s.lastAcceptedAt = accepted.sort().at(-1);
    return s;
  }

  workQueue(): OutboxEntry[] {
    return this.entries.filter((e) => e.state === 'rejected' || e.state === 'warning').reverse();
  }

  hasUnsent(): boolean {
    return this.entries.some((e) => !FINAL.has(e.state));
  }

  nextDueAt(): string | undefined {
    this.check('nextDueAt');
    return this.entries
      .filter((e) => e.state === 'pending')
      .map((e) => e.nextAttemptAt)
      .sort()[0];
  }
}

export const controlIdOf = (hl7: string): string => (hl7.split('\r')[0] ?? '').split('|')[9] ?? '';

/** A minimal VXU-shaped message whose MSH-10 is the entry's control id. */
export function fakeMessage(entry: Pick<OutboxEntry, 'messageControlId' | 'patientId' | 'doseId' | 'action'>): string {
  return [
    `MSH|^~\\&|DoseDesk|PIN1|MIIS|99990|20260302140000-0500||VXU^V04^VXU_V04|${entry.messageControlId}|P|2.5.1|||ER|AL|||||Z22^CDCPHINVS`,
    `PID|1||${entry.patientId}^^^PIN1^MR||DOE^JANE||20200101|F`,
    `ORC|RE||${entry.doseId}^PIN1`,
    `RXA|0|1|20260302||08^HepB^CVX|0.5|mL^mL^UCUM||00^New^NIP001||||||LOT1||MSD^Merck^MVX|||CP|${entry.action}`,
  ].join('\r');
}

export function ack(hl7: string, code: AckCode = 'AA', errors: AckErrorInput[] = [], controlIdOverride?: string): string {
  return buildAck({ receivedControlId: controlIdOverride ?? controlIdOf(hl7), code, errors, messageControlId: `ACK-${controlIdOf(hl7)}`, sentAt: new Date(0) });
}

export type Script = (hl7: string, call: number, opts: SubmitOptions) => SubmitOutcome | Promise<SubmitOutcome>;

/** A transport that answers each submission per the test's script, and keeps what it was sent. */
export class ScriptedTransport implements RegistryTransport {
  sent: string[] = [];
  active = 0;
  maxActive = 0;
  /** For each patient id, how many submissions are running now (one-at-a-time check). */
  private activeByPatient = new Map<string, number>();
  patientOverlap = false;

  constructor(public script: Script = (hl7) => ({ kind: 'delivered', ackText: ack(hl7), ackSegments: [] })) {}

  async submit(hl7: string, opts: SubmitOptions = {}): Promise<SubmitOutcome> {
    const call = this.sent.length;
    this.sent.push(hl7);
    const pid = (hl7.split('\r')[1] ?? '').split('|')[3] ?? '';
    const nowActive = (this.activeByPatient.get(pid) ?? 0) + 1;
    if (nowActive > 1) this.patientOverlap = true;
    this.activeByPatient.set(pid, nowActive);
    this.active += 1;
    this.maxActive = Math.max(this.maxActive, this.active);
    try {
      return await this.script(hl7, call, opts);
    } finally {
      this.active -= 1;
      this.activeByPatient.set(pid, (this.activeByPatient.get(pid) ?? 1) - 1);
    }
  }

  async checkConnection(): Promise<ConnectionCheck> {
    return { ok: true, detail: 'scripted' };
  }

  sentControlIds(): string[] {
    return this.sent.map(controlIdOf);
  }
}

export const retryOutcome = (code: 'network' | 'timeout' | 'http_error' | 'unavailable' | 'rate_limited' = 'network', retryAfterMs?: number): SubmitOutcome =>
  retryAfterMs === undefined
    ? { kind: 'retry', code, reason: `simulated ${code}`, maybeDelivered: code !== 'network' }
    : { kind: 'retry', code, reason: `simulated ${code}`, maybeDelivered: false, retryAfterMs };

/** A promise the test resolves by hand, to hold a send open. */
export function gate<T>(): { promise: Promise<T>; open: (v: T) => void } {
  let open!: (v: T) => void;
  const promise = new Promise<T>((r) => {
    open = r;
  });
  return { promise, open };
}
