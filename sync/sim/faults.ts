// Deterministic fault injection: with the same seed and the same order of requests, the same
// requests fail the same way. Exact tests use failNext(); soak tests and benchmarks use rates.

import { mulberry32 } from './prng';

export type FaultKind =
  /** Close the connection without answering, before the message is processed. */
  | 'drop'
  /** Never answer (the client's timeout fires); the message is not processed. */
  | 'timeout'
  | 'http500'
  /** HTTP 503 with Retry-After. */
  | 'http503'
  /** HTTP 429 with Retry-After. */
  | 'http429'
  | 'securityFault'
  | 'messageTooLargeFault'
  | 'unknownFault'
  | 'unsupportedOperationFault'
  /** Process and store the message, then answer with a broken envelope. */
  | 'malformedEnvelope'
  /** Process and store the message, then answer 200 with a return that is not HL7. */
  | 'nonHl7Return'
  /** Process and store the message, then close the connection: the ACK is lost. */
  | 'lostAck'
  /** A firewall or gateway in front of the registry refuses the request: HTTP 400, an HTML page, no SOAP. */
  | 'http400'
  /** A gateway refuses the request's media type: HTTP 406, no SOAP. */
  | 'http406'
  /** A proxy on the site's network wants a sign-in: HTTP 407 with Proxy-Authenticate. */
  | 'http407'
  /** The server gave up waiting for the request: HTTP 408, nothing processed. */
  | 'http408'
  /** Guest Wi-Fi not signed in: HTTP 302 to a login page on another host. */
  | 'captivePortalRedirect'
  /** Guest Wi-Fi not signed in: HTTP 200 with the login page as HTML. */
  | 'captivePortalPage'
  /** Process and store the message, then answer only a commit acknowledgement (MSA-1 CA). */
  | 'commitAck'
  /** Process and store the message, then answer 200 with more than 10 MiB. */
  | 'oversizedAnswer';

export interface FaultSettings {
  /** Added before every answer: a fixed delay, or [min, max] drawn from the seeded generator. */
  latencyMs?: number | [number, number];
  dropConnectionRate?: number;
  timeoutRate?: number;
  http500Rate?: number;
  http503Rate?: number;
  http429Rate?: number;
  /** Retry-After sent with 503/429 (seconds; default 1). */
  retryAfterSeconds?: number;
  securityFaultRate?: number;
  messageTooLargeFaultRate?: number;
  unknownFaultRate?: number;
  unsupportedOperationFaultRate?: number;
  malformedEnvelopeRate?: number;
  nonHl7ReturnRate?: number;
  lostAckRate?: number;
  http400Rate?: number;
  http406Rate?: number;
  http407Rate?: number;
  http408Rate?: number;
  captivePortalRedirectRate?: number;
  captivePortalPageRate?: number;
  commitAckRate?: number;
  oversizedAnswerRate?: number;
  /** Size of the body an `oversizedAnswer` sends (bytes; default 11 MiB). */
  oversizedAnswerBytes?: number;
  seed?: number;
}

const RATE_ORDER: [keyof FaultSettings, FaultKind][] = [
  ['dropConnectionRate', 'drop'],
  ['timeoutRate', 'timeout'],
  ['http500Rate', 'http500'],
  ['http503Rate', 'http503'],
  ['http429Rate', 'http429'],
  ['securityFaultRate', 'securityFault'],
  ['messageTooLargeFaultRate', 'messageTooLargeFault'],
  ['unknownFaultRate', 'unknownFault'],
  ['unsupportedOperationFaultRate', 'unsupportedOperationFault'],
  ['malformedEnvelopeRate', 'malformedEnvelope'],
  ['nonHl7ReturnRate', 'nonHl7Return'],
  ['lostAckRate', 'lostAck'],
  // Appended, never inserted: a seed keeps drawing the same faults for the older rates.
  ['http400Rate', 'http400'],
  ['http406Rate', 'http406'],
  ['http407Rate', 'http407'],
  ['http408Rate', 'http408'],
  ['captivePortalRedirectRate', 'captivePortalRedirect'],
  ['captivePortalPageRate', 'captivePortalPage'],
  ['commitAckRate', 'commitAck'],
  ['oversizedAnswerRate', 'oversizedAnswer'],
];

/** Just past the 10 MiB a client like DoseDesk's reads of one answer. */
export const DEFAULT_OVERSIZED_ANSWER_BYTES = 11 * 1024 * 1024;

export const FAULT_KINDS: readonly FaultKind[] = RATE_ORDER.map(([, k]) => k);

export class FaultPlan {
  private settings: FaultSettings = {};
  private random: () => number = mulberry32(1);
  private queue: FaultKind[] = [];

  constructor(settings: FaultSettings = {}) {
    this.set(settings);
  }

  /** Replaces the rates (and reseeds); queued failNext() faults are kept. */
  set(settings: FaultSettings): void {
    for (const [key] of RATE_ORDER) {
      const v = settings[key];
      if (v !== undefined && (typeof v !== 'number' || v < 0 || v > 1)) throw new RangeError(`${key} must be between 0 and 1, got ${String(v)}`);
    }
    this.settings = { ...settings };
    this.random = mulberry32(settings.seed ?? 1);
  }

  get current(): Readonly<FaultSettings> {
    return this.settings;
  }

  /** The next `count` requests fail with `kind`, ahead of any random fault. */
  failNext(count: number, kind: FaultKind): void {
    for (let i = 0; i < count; i++) this.queue.push(kind);
  }

  clearQueued(): void {
    this.queue = [];
  }

  /** Decides the fault for the next request (one draw per request keeps the sequence stable). */
  next(): FaultKind | null {
    const queued = this.queue.shift();
    if (queued) return queued;
    const r = this.random();
    let cumulative = 0;
    for (const [key, kind] of RATE_ORDER) {
      cumulative += (this.settings[key] as number | undefined) ?? 0;
      if (r < cumulative) return kind;
    }
    return null;
  }

  latencyMs(): number {
    const l = this.settings.latencyMs;
    if (l === undefined) return 0;
    if (typeof l === 'number') return Math.max(0, l);
    const [min, max] = l;
    return Math.max(0, min + Math.floor(this.random() * Math.max(0, max - min + 1)));
  }

  retryAfterSeconds(): number {
    return this.settings.retryAfterSeconds ?? 1;
  }

  oversizedAnswerBytes(): number {
    return Math.max(0, this.settings.oversizedAnswerBytes ?? DEFAULT_OVERSIZED_ANSWER_BYTES);
  }
}
