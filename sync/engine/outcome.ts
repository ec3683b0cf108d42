import type { OutboxEntry, RegistryMessage } from '../../electron/domain/outbox';
import { headerProblem, parseAck, type AckError, type HeaderProblem, type ParsedAck } from '../hl7/ack-parse';
import { mshField } from '../transport/hl7-payload';
import type { EngineMessageCode } from '../messages/codes';
import type { MessageParams, OutcomeCode, SubmitOutcome } from '../transport/types';

// Turns what the transport returned into the one thing the engine must record. Every fault class
// maps to exactly one of: accepted, rejected (a person must act), retry (same bytes later), or
// pause (IT must fix the configuration) — B.5 #14.

export type Decision =
  /** `text`: the ACK as received (or the transport's reason when there was none). */
  | { kind: 'accepted'; warning: boolean; code: string; text: string; messages: RegistryMessage[] }
  | { kind: 'rejected'; code: string; text: string; messages: RegistryMessage[] }
  | {
      kind: 'retry';
      code: EngineMessageCode;
      /** In English, for logs and IT; the UI renders `code` with `params` in the person's language. */
      reason: string;
      params?: MessageParams;
      retryAfterMs?: number;
      /** The registry could not be reached at all: slows the whole queue, not only this entry. */
      linkFailure: boolean;
      /** The registry answered, but not with an ACK we can record. */
      ackProblem?: { kind: 'unreadable' } | { kind: 'mismatch'; received: string };
      /**
       * The registry refused a header built before the settings last changed: that says nothing
       * about the settings now. The message is built again under a new MSH-10 and sent at once.
       */
      rebuild?: boolean;
    }
  | {
      kind: 'pause';
      /**
       * Stable per cause (`proxy_auth_required`, `ack_site_identity`…): the same code again after
       * a probe means the same problem is still there; anything else means it changed or is fixed.
       */
      code: EngineMessageCode;
      reason: string;
      params?: MessageParams;
      /** Where the fix lies; absent when not known. */
      area?: PauseArea;
    };

/**
 * Where a pause's fix lies. `site_identity`: a value from the site's HL7 settings (Vaccine PIN,
 * receiving facility, processing ID), or the SOAP facilityID that must match it. When the fix is
 * an HL7 setting, the messages already built for waiting doses still carry the old value, and
 * resending those same bytes cannot succeed until they are rebuilt.
 */
export type PauseArea = 'credentials' | 'endpoint' | 'connection_options' | 'network' | 'site_identity' | 'message_header';

/**
 * Whether a pause in this area spends the refused message: the registry read its header and
 * refused it, filing nothing, so the fix (a setting, or the registry's own) only helps a message
 * built again, under a new MSH-10. Every other area never reached the registry's HL7 layer, and
 * the stored bytes stay right.
 */
export function rebuildsMessage(area: PauseArea | undefined): boolean {
  return area === 'site_identity' || area === 'message_header';
}

const PAUSE_AREAS: Partial<Record<OutcomeCode, PauseArea>> = {
  security_fault: 'credentials',
  http_unauthorized: 'credentials',
  endpoint_misconfigured: 'endpoint',
  unsupported_operation: 'endpoint',
  payload_encoding_mismatch: 'connection_options',
  tls_untrusted: 'network',
  proxy_auth_required: 'network',
  network_refused: 'network',
};

/** Transport failures that say nothing about this message, only about the path to the registry. */
const LINK_FAILURES: ReadonlySet<OutcomeCode> = new Set<OutcomeCode>([
  'timeout',
  'network',
  'connection_dropped',
  'http_error',
  'rate_limited',
  'unavailable',
  'request_timeout',
  // A network login page: nothing reaches the registry until someone signs in to the network.
  'captive_portal',
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
      if (outcome.params) d.params = outcome.params;
      if (outcome.retryAfterMs !== undefined) d.retryAfterMs = outcome.retryAfterMs;
      return d;
    }
    case 'auth': {
      const d: Decision = { kind: 'pause', code: outcome.code, reason: outcome.reason };
      if (outcome.params) d.params = outcome.params;
      const area = PAUSE_AREAS[outcome.code];
      if (area) d.area = area;
      return d;
    }
    case 'needs_person':
      return {
        kind: 'rejected',
        code: outcome.code,
        text: outcome.reason,
        messages: [{ severity: 'error', text: outcome.reason, code: outcome.code, ...(outcome.params ? { params: outcome.params } : {}) }],
      };
    case 'delivered':
      return decideAck(entry, outcome.ackText, registryWords(outcome.host));
  }
}

/** How reasons name the registry: as a sentence's subject, and as a closing note. */
interface RegistryWords {
  subject: string;
  note: string;
  /** The host as a parameter of translated messages ('' when not known). */
  host: string;
}

function registryWords(host: string | undefined): RegistryWords {
  return host ? { subject: `The registry at ${host}`, note: ` (Registry: ${host}.)`, host } : { subject: 'The registry', note: '', host: '' };
}

function decideAck(entry: Pick<OutboxEntry, 'messageControlId' | 'messageText'>, ackText: string, registry: RegistryWords): Decision {
  const ack = parseAck(ackText, entry.messageText ? { sent: entry.messageText } : {});
  if (!ack.ok) {
    return {
      kind: 'retry',
      code: `ack_${ack.kind}`,
      reason: `${ack.message}${registry.note} The same message will be sent again; the registry recognises it by its control ID ${entry.messageControlId}.`,
      params: { host: registry.host, controlId: entry.messageControlId, said: ack.message },
      linkFailure: false,
      ackProblem: { kind: 'unreadable' },
    };
  }
  if (ack.acknowledgedControlId !== entry.messageControlId) {
    return {
      kind: 'retry',
      code: 'ack_mismatch',
      reason: `The registry's acknowledgement answers message ${ack.acknowledgedControlId}, not ${entry.messageControlId}; it was not recorded against either, and the message will be sent again.${registry.note}`,
      params: { host: registry.host, controlId: entry.messageControlId, received: ack.acknowledgedControlId },
      linkFailure: false,
      ackProblem: { kind: 'mismatch', received: ack.acknowledgedControlId },
    };
  }
  if (ack.code === 'CA' && asksForApplicationAck(entry.messageText)) return commitOnly(entry, ack, registry);
  const messages = registryMessages(ack.errors);
  if (ack.outcome === 'rejected') {
    const header = headerProblem(ack);
    if (header) return headerPause(entry, header, registry);
    if (ack.retryable) {
      // Record locked / registry internal error: the registry itself says "try again unchanged".
      const said = ack.text ?? messages.map((m) => m.text).join(' | ');
      return {
        kind: 'retry',
        code: `ack_${ack.code as 'AE' | 'AR' | 'CE' | 'CR'}_transient`,
        reason: `${registry.subject} could not process the message right now: ${said}. The same message will be sent again automatically.`,
        params: { host: registry.host, said },
        linkFailure: false,
      };
    }
    if (messages.length === 0) messages.push({ severity: 'error', text: ack.text ?? `The registry rejected the message (${ack.code}) without saying why.`, code: ack.code });
    return { kind: 'rejected', code: ack.code, text: ackText, messages };
  }
  // The raw ACK is what we store: it is the registry's own record of what it did.
  return { kind: 'accepted', warning: ack.outcome === 'warning', code: ack.code, text: ackText, messages };
}

/**
 * MSH-16 of the sent message: CA answers a message that asked for a commit acknowledgement only
 * (`NE`); every other value (DoseDesk sends `AL`) waits for the application's verdict.
 */
function asksForApplicationAck(sent: string | undefined): boolean {
  return sent === undefined || mshField(sent, 16).trim().toUpperCase() !== 'NE';
}

/**
 * Enhanced mode: the registry says it stored the message, not whether it accepted the dose.
 * Resending the same bytes asks again: a registry that has processed it by then answers the
 * same MSH-10 with its application ACK. Not a link failure, so a registry that never gets past
 * CA has each dose flagged as stuck rather than shown as an outage.
 */
function commitOnly(entry: Pick<OutboxEntry, 'messageControlId'>, ack: ParsedAck, registry: RegistryWords): Decision {
  return {
    kind: 'retry',
    code: 'ack_commit_only',
    reason: `${registry.subject} only confirmed that it received message ${entry.messageControlId} (commit accept, CA); it did not say whether it accepted the dose. DoseDesk asks for the registry's verdict (MSH-16 AL), so the dose is not counted as reported yet: the same message will be sent again to ask. If this keeps happening, ask the registry help desk to send application acknowledgements (AA, AE or AR) on this interface.${ack.text ? ` The registry said: "${ack.text}".` : ''}`,
    params: { host: registry.host, controlId: entry.messageControlId },
    linkFailure: false,
  };
}

function headerPause(entry: Pick<OutboxEntry, 'messageText'>, p: HeaderProblem, registry: RegistryWords): Decision {
  const value = p.field !== undefined && entry.messageText ? mshField(entry.messageText, p.field).split('^')[0] ?? '' : '';
  const where = p.field !== undefined ? ` in MSH-${p.field}${p.fieldName ? ` (${p.fieldName}${value ? ` "${value}"` : ''})` : value ? ` ("${value}")` : ''}` : '';
  const said = `"${p.message}"`;
  const params = { host: registry.host, where: p.field !== undefined ? `MSH-${p.field}${value ? ` "${value}"` : ''}` : '', said: p.message };
  if (p.kind === 'site_identity') {
    return {
      kind: 'pause',
      code: 'ack_site_identity',
      area: 'site_identity',
      params,
      reason: `${registry.subject} refused this site's identification${where}: ${said}. This is not a problem of the dose, and every dose from this site would be refused the same way: reporting is paused and every dose keeps waiting here, nothing is lost. Check the site's Vaccine PIN (org code), processing mode and registry facility settings against the registry's onboarding letter, or ask the registry help desk whether this site is registered for electronic reporting.`,
    };
  }
  return {
    kind: 'pause',
    code: 'ack_message_header',
    area: 'message_header',
    params,
    reason: `${registry.subject} refused the message header${where}: ${said}. This is not a problem of the dose: every message would be refused the same way, so reporting is paused and every dose keeps waiting here, nothing is lost. Ask IT to send this text to DoseDesk support and the registry help desk: the registry's interface expects a different HL7 message format.`,
  };
}
