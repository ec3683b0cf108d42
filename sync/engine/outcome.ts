import type { OutboxEntry, RegistryMessage } from '../../electron/store/types';
import { parseAck, type AckError } from '../hl7/ack-parse';
import type { OutcomeCode, SubmitOutcome } from '../transport/types';

// Turns what the transport returned into the one thing the engine must record. Every fault class
// maps to exactly one of: accepted, rejected (a person must act), retry (same bytes later), or
// pause (IT must fix the configuration) — B.5 #14.

export type Decision =
  /** `text`: the ACK as received (or the transport's reason when there was none). */
  | { kind: 'accepted'; warning: boolean; code: string; text: string; messages: RegistryMessage[] }
  | { kind: 'rejected'; code: string; text: string; messages: RegistryMessage[] }
  | {
      kind: 'retry';
      code: string;
      reason: string;
      retryAfterMs?: number;
      /** The registry could not be reached at all: slows the whole queue, not only this entry. */
      linkFailure: boolean;
      /** The registry answered, but not with an ACK we can record. */
      ackProblem?: { kind: 'unreadable' } | { kind: 'mismatch'; received: string };
    }
  | { kind: 'pause'; code: string; reason: string };

/** Transport failures that say nothing about this message, only about the path to the registry. */
const LINK_FAILURES: ReadonlySet<OutcomeCode> = new Set<OutcomeCode>([
  'timeout',
  'network',
  'connection_dropped',
  'http_error',
  'rate_limited',
  'unavailable',
]);

const SEVERITY: Record<AckError['severity'], RegistryMessage['severity']> = { E: 'error', W: 'warning', I: 'info' };

function locationText(e: AckError): string | undefined {
  const l = e.location;
  if (!l) return undefined;
  let s = l.segment;
  if (l.sequence !== undefined && l.sequence > 1) s += `[${l.sequence}]`;
  if (l.field !== undefined) s += `-${l.field}`;
  if (l.component !== undefined) s += `.${l.component}`;
  return s;
}

export function registryMessages(errors: readonly AckError[]): RegistryMessage[] {
  return errors.map((e) => {
    const m: RegistryMessage = { severity: SEVERITY[e.severity], text: e.message };
    if (e.formField) m.field = e.formField;
    const code = e.applicationCode ?? e.hl7Code;
    if (code) m.code = code;
    const loc = locationText(e);
    if (loc) m.location = loc;
    return m;
  });
}

export function decide(entry: Pick<OutboxEntry, 'messageControlId' | 'messageText'>, outcome: SubmitOutcome): Decision {
  switch (outcome.kind) {
    case 'retry': {
      const d: Decision = { kind: 'retry', code: outcome.code, reason: outcome.reason, linkFailure: LINK_FAILURES.has(outcome.code) };
      if (outcome.retryAfterMs !== undefined) d.retryAfterMs = outcome.retryAfterMs;
      return d;
    }
    case 'auth':
      return { kind: 'pause', code: outcome.code, reason: outcome.reason };
    case 'needs_person':
      return {
        kind: 'rejected',
        code: outcome.code,
        text: outcome.reason,
        messages: [{ severity: 'error', text: outcome.reason, code: outcome.code }],
      };
    case 'delivered':
      return decideAck(entry, outcome.ackText);
  }
}

function decideAck(entry: Pick<OutboxEntry, 'messageControlId' | 'messageText'>, ackText: string): Decision {
  const ack = parseAck(ackText, entry.messageText ? { sent: entry.messageText } : {});
  if (!ack.ok) {
    return {
      kind: 'retry',
      code: `ack_${ack.kind}`,
      reason: `${ack.message} The same message will be sent again; the registry recognises it by its control ID ${entry.messageControlId}.`,
      linkFailure: false,
      ackProblem: { kind: 'unreadable' },
    };
  }
  if (ack.acknowledgedControlId !== entry.messageControlId) {
    return {
      kind: 'retry',
      code: 'ack_mismatch',
      reason: `The registry's acknowledgement answers message ${ack.acknowledgedControlId}, not ${entry.messageControlId}; it was not recorded against either, and the message will be sent again.`,
      linkFailure: false,
      ackProblem: { kind: 'mismatch', received: ack.acknowledgedControlId },
    };
  }
  const messages = registryMessages(ack.errors);
  if (ack.outcome === 'rejected') {
    if (ack.retryable) {
      // Record locked / registry internal error: the registry itself says "try again unchanged".
      const said = ack.text ?? messages.map((m) => m.text).join(' | ');
      return { kind: 'retry', code: `ack_${ack.code}_transient`, reason: `The registry could not process the message right now: ${said}`, linkFailure: false };
    }
    if (messages.length === 0) messages.push({ severity: 'error', text: ack.text ?? `The registry rejected the message (${ack.code}) without saying why.`, code: ack.code });
    return { kind: 'rejected', code: ack.code, text: ackText, messages };
  }
  // The raw ACK is what we store: it is the registry's own record of what it did.
  return { kind: 'accepted', warning: ack.outcome === 'warning', code: ack.code, text: ackText, messages };
}
