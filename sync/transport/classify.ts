import { type SoapResponse } from './soap-envelope';
import { type OutcomeCode, type SubmitOutcome } from './types';

// Maps what came back from the registry (or what went wrong on the way) to an outcome the engine
// can act on. Every reason names the registry host and says what to do next.

export type NotDelivered = Exclude<SubmitOutcome, { kind: 'delivered' }>;

function retry(code: OutcomeCode, reason: string, maybeDelivered: boolean, retryAfterMs?: number): NotDelivered {
  return retryAfterMs === undefined
    ? { kind: 'retry', code, reason, maybeDelivered }
    : { kind: 'retry', code, reason, maybeDelivered, retryAfterMs };
}

function quoteFault(f: Extract<SoapResponse, { kind: 'fault' }>): string {
  const parts: string[] = [f.faultType];
  if (f.detailCode) parts.push(`code ${f.detailCode}`);
  const said = f.detailText || f.reasonText;
  return said ? `${parts.join(' ')}: "${said}"` : parts.join(' ');
}

/** A SOAP fault from submitSingleMessage, whatever the HTTP status (many IIS send 500 for all faults). */
export function classifyFault(
  f: Extract<SoapResponse, { kind: 'fault' }>,
  host: string,
  retryAfterMs?: number,
): NotDelivered {
  switch (f.faultType) {
    case 'SecurityFault':
      return {
        kind: 'auth',
        code: 'security_fault',
        reason: `The registry at ${host} refused the username or password (${quoteFault(f)}). Reporting is paused: correct the credentials in the registry connection settings, or ask the registry help desk whether the account is locked or expired.`,
      };
    case 'MessageTooLargeFault':
      return {
        kind: 'needs_person',
        code: 'message_too_large',
        reason: `The registry at ${host} refused this message as too large or as more than one message (${quoteFault(f)}). It will not be resent automatically; review the record and resubmit it.`,
      };
    case 'UnsupportedOperationFault':
      return {
        kind: 'auth',
        code: 'unsupported_operation',
        reason: `The registry at ${host} does not support this operation (${quoteFault(f)}). Reporting is paused: the endpoint URL probably points at the wrong service; check it against the registry's onboarding instructions.`,
      };
    case 'UnknownFault':
      return retry(
        'unknown_fault',
        `The registry at ${host} reported an internal problem (${quoteFault(f)}). The message will be sent again automatically; if this persists for hours, contact the registry help desk.`,
        true,
        retryAfterMs,
      );
  }
}

/** An HTTP answer that is not a SOAP envelope with a response or a fault. */
export function classifyHttpStatus(status: number, host: string, retryAfterMs: number | undefined, bodyProblem: string): NotDelivered {
  if (status === 401 || status === 403) {
    return {
      kind: 'auth',
      code: 'http_unauthorized',
      reason: `The registry at ${host} refused access (HTTP ${status}). Reporting is paused: check the credentials in the registry connection settings and that this site's network address is allowed by the registry.`,
    };
  }
  if ((status >= 300 && status < 400) || status === 404 || status === 405 || status === 415) {
    return {
      kind: 'auth',
      code: 'endpoint_misconfigured',
      reason: `The registry address answered HTTP ${status} at ${host}, so it is not the registry's CDC web service. Reporting is paused: check the endpoint URL against the registry's onboarding instructions.`,
    };
  }
  if (status === 413) {
    return {
      kind: 'needs_person',
      code: 'message_too_large',
      reason: `The registry at ${host} refused this message as too large (HTTP 413). It will not be resent automatically; review the record and resubmit it.`,
    };
  }
  if (status === 429) {
    return retry('rate_limited', `The registry at ${host} asked DoseDesk to slow down (HTTP 429). The message will be sent again automatically.`, false, retryAfterMs);
  }
  if (status === 503) {
    return retry('unavailable', `The registry at ${host} is temporarily unavailable (HTTP 503), often for maintenance. The message will be sent again automatically.`, false, retryAfterMs);
  }
  if (status >= 500) {
    return retry('http_error', `The registry at ${host} failed with HTTP ${status}. The message will be sent again automatically; if this persists for hours, contact the registry help desk.`, true, retryAfterMs);
  }
  if (status >= 400) {
    return {
      kind: 'needs_person',
      code: 'http_rejected',
      reason: `The registry at ${host} refused this message with HTTP ${status} (${bodyProblem}). It will not be resent automatically; if every message fails this way, check the connection settings.`,
    };
  }
  return retry(
    'malformed_response',
    `The registry at ${host} answered HTTP ${status} but ${bodyProblem}. The message will be sent again automatically; if this repeats, the registry or a proxy in between is misbehaving.`,
    true,
    retryAfterMs,
  );
}

const TLS_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
]);

const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'EADDRNOTAVAIL']);

/** A failure before any HTTP answer: DNS, refused, reset, TLS, timeout or caller abort. */
export function classifyNetworkError(
  errCode: string | undefined,
  message: string,
  host: string,
  abortedBy: 'timeout' | 'caller' | null,
  timeoutMs: number,
): NotDelivered {
  if (abortedBy === 'timeout') {
    return retry('timeout', `The registry at ${host} did not answer within ${Math.round(timeoutMs / 1000)} s. The message will be sent again automatically with the same message ID, so the registry cannot count it twice.`, true);
  }
  if (abortedBy === 'caller') {
    return retry('aborted', `Sending to ${host} was interrupted because DoseDesk is stopping; the message will be sent again with the same message ID.`, true);
  }
  if (errCode && TLS_CODES.has(errCode)) {
    return {
      kind: 'auth',
      code: 'tls_untrusted',
      reason: `The certificate of ${host} could not be verified (${errCode}). Reporting is paused: the address may be wrong or a network device is intercepting the connection; ask IT to check the endpoint URL and the network path.`,
    };
  }
  if (errCode && NOT_SENT_CODES.has(errCode)) {
    return retry('network', `The registry at ${host} cannot be reached (${errCode}): the internet connection or the registry is down. The message will be sent again automatically.`, false);
  }
  return retry(
    'connection_dropped',
    `The connection to ${host} broke before the registry answered (${errCode ?? message}). The message will be sent again automatically with the same message ID, so the registry cannot count it twice.`,
    true,
  );
}
