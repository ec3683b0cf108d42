import { type SoapResponse } from './soap-envelope';
import { type MessageParams, type OutcomeCode, type SubmitOutcome } from './types';

// Maps what came back from the registry (or what went wrong on the way) to an outcome the engine
// can act on. Every reason names the registry host and says what to do next.

export type NotDelivered = Exclude<SubmitOutcome, { kind: 'delivered' }>;

function retry(code: OutcomeCode, reason: string, params: MessageParams, maybeDelivered: boolean, retryAfterMs?: number): NotDelivered {
  return retryAfterMs === undefined
    ? { kind: 'retry', code, reason, params, maybeDelivered }
    : { kind: 'retry', code, reason, params, maybeDelivered, retryAfterMs };
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
  // What the registry itself said: quoted as is in every language.
  const params = { host, said: quoteFault(f) };
  switch (f.faultType) {
    case 'SecurityFault':
      return {
        kind: 'auth',
        code: 'security_fault',
        params,
        reason: `The registry at ${host} refused the username or password (${quoteFault(f)}). Reporting is paused: correct the credentials in the registry connection settings, or ask the registry help desk whether the account is locked or expired.`,
      };
    case 'MessageTooLargeFault':
      return {
        kind: 'needs_person',
        code: 'message_too_large',
        params,
        reason: `The registry at ${host} refused this message as too large or as more than one message (${quoteFault(f)}). It will not be resent automatically; review the record and resubmit it.`,
      };
    case 'UnsupportedOperationFault':
      return {
        kind: 'auth',
        code: 'unsupported_operation',
        params,
        reason: `The registry at ${host} does not support this operation (${quoteFault(f)}). Reporting is paused: the endpoint URL probably points at the wrong service; check it against the registry's onboarding instructions.`,
      };
    case 'UnknownFault':
      return retry(
        'unknown_fault',
        `The registry at ${host} reported an internal problem (${quoteFault(f)}). The message will be sent again automatically; if this persists for hours, contact the registry help desk.`,
        params,
        true,
        retryAfterMs,
      );
  }
}

/** An HTTP answer that is not a SOAP envelope with a response or a fault (or whose response holds no ACK). */
export interface HttpAnswer {
  status: number;
  /** The Content-Type header, '' when absent. */
  contentType: string;
  /** The Location header of a redirect. */
  location?: string;
  /** The body (or its start): sniffed for a web page and its title. */
  body: string;
  retryAfterMs?: number;
  /** What is wrong with the answer, in words that complete "… but …". */
  problem: string;
}

/** 3xx a captive portal or an intercepting proxy uses to send a browser to its login page. */
const TEMPORARY_REDIRECTS = new Set([302, 303, 307]);
const ENDPOINT_STATUSES = new Set([404, 405, 410, 415]);

const NO_DOSE_AT_FAULT = 'This is a problem of the site\'s network or settings, not of any dose: reporting is paused and every dose keeps waiting here, nothing is lost.';

export function classifyHttpAnswer(a: HttpAnswer, registryUrl: string, host: string): NotDelivered {
  const { status, retryAfterMs } = a;
  const page = webPage(a);
  const quoted = page?.title ? ` ("${page.title}")` : '';
  const params = { host, status };
  if (status >= 300 && status < 400) return classifyRedirect(a, registryUrl, host);
  if (status === 401 || status === 403) {
    return {
      kind: 'auth',
      code: 'http_unauthorized',
      params,
      reason: `The registry at ${host} refused access (HTTP ${status}). Reporting is paused: check the credentials in the registry connection settings and that this site's network address is allowed by the registry.`,
    };
  }
  if (status === 407) {
    return {
      kind: 'auth',
      code: 'proxy_auth_required',
      params,
      reason: `A proxy server on this site's network asked for a sign-in (HTTP 407) before it would pass anything on to the registry at ${host}. ${NO_DOSE_AT_FAULT} Ask IT to let DoseDesk through the proxy to ${host} (an exception for that address, or proxy settings for this computer).`,
    };
  }
  if (status === 408) {
    return retry(
      'request_timeout',
      `The connection to the registry at ${host} was closed before the request got through (HTTP 408): the network is slow or unstable. Nothing was processed; the message will be sent again automatically.`,
      params,
      false,
      retryAfterMs,
    );
  }
  if (ENDPOINT_STATUSES.has(status)) {
    return {
      kind: 'auth',
      code: 'endpoint_misconfigured',
      params,
      reason: `The registry address answered HTTP ${status} at ${host}, so it is not the registry's CDC web service. Reporting is paused: check the endpoint URL against the registry's onboarding instructions.`,
    };
  }
  if (status === 413) {
    return {
      kind: 'needs_person',
      code: 'message_too_large',
      params: { ...params, said: 'HTTP 413' },
      reason: `The registry at ${host} refused this message as too large (HTTP 413). It will not be resent automatically; review the record and resubmit it.`,
    };
  }
  if (status === 429) {
    return retry('rate_limited', `The registry at ${host} asked DoseDesk to slow down (HTTP 429). The message will be sent again automatically.`, params, false, retryAfterMs);
  }
  if (status === 503) {
    return retry('unavailable', `The registry at ${host} is temporarily unavailable (HTTP 503), often for maintenance. The message will be sent again automatically.`, params, false, retryAfterMs);
  }
  if (status >= 500) {
    return retry('http_error', `The registry at ${host} failed with HTTP ${status}. The message will be sent again automatically; if this persists for hours, contact the registry help desk.`, params, true, retryAfterMs);
  }
  if (status >= 400) {
    // Without an HL7 acknowledgement nothing says the registry even read the message; a 4xx
    // here comes from a firewall, web filter or gateway, and would refuse every dose alike.
    return {
      kind: 'auth',
      code: 'network_refused',
      params,
      reason: `Something between this computer and the registry at ${host} refused the request with HTTP ${status}${page ? ` and a web page${quoted}` : ` (${a.problem})`} instead of an answer from the registry's web service; a firewall, web filter or gateway usually does this. ${NO_DOSE_AT_FAULT} Ask IT to allow DoseDesk to reach ${host} (the firewall or filter log shows the block), and check the endpoint URL.`,
    };
  }
  if (page) return captivePortal(host, status, `got a web page${quoted} with HTTP ${status} instead of an answer from the registry's web service`);
  return retry(
    'malformed_response',
    `The registry at ${host} answered HTTP ${status} but ${a.problem}. The message will be sent again automatically; if this repeats, the registry or a proxy in between is misbehaving.`,
    params,
    true,
    retryAfterMs,
  );
}

function classifyRedirect(a: HttpAnswer, registryUrl: string, host: string): NotDelivered {
  let target: URL | undefined;
  try {
    target = a.location ? new URL(a.location, registryUrl) : undefined;
  } catch {
    target = undefined;
  }
  if (target && target.host !== new URL(registryUrl).host && TEMPORARY_REDIRECTS.has(a.status)) {
    return captivePortal(host, a.status, `was sent on to ${target.host} (HTTP ${a.status}), most likely a network login page`);
  }
  const where = target ? ` pointing to ${target.href}` : '';
  return {
    kind: 'auth',
    code: 'endpoint_misconfigured',
    params: { host, status: a.status },
    reason: `The registry address answered HTTP ${a.status}${where} at ${host}, so it is not the registry's CDC web service (DoseDesk never follows a redirect with patient data). Reporting is paused: check the endpoint URL against the registry's onboarding instructions.`,
  };
}

/**
 * Guest or hotel Wi-Fi that is not signed in answers every request with its login page. The
 * network is not really up: retried like an outage, and it clears on its own once someone signs in.
 */
function captivePortal(host: string, status: number, what: string): NotDelivered {
  return retry(
    'captive_portal',
    `The request to the registry at ${host} ${what}. The network this computer is on needs a sign-in (guest or hotel Wi-Fi, or a web proxy): open a web browser and sign in to the network. Doses are kept and sent automatically once the registry can be reached. If this computer is already signed in, ask IT to check the endpoint URL.`,
    { host, status },
    false,
  );
}

const HTML_START = /^\s*(?:<\?xml[^>]*>\s*)?(?:<!doctype html|<html)/i;

/** A web page (by its Content-Type or its start) and its title, if it has one. */
function webPage(a: HttpAnswer): { title?: string } | undefined {
  const isHtml = /\b(text\/html|application\/xhtml\+xml)\b/i.test(a.contentType) || HTML_START.test(a.body.replace(/^\uFEFF/, ''));
  if (!isHtml) return undefined;
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(a.body)?.[1]?.replace(/\s+/g, ' ').trim().slice(0, 80);
  return title ? { title } : {};
}

/** Read no further than the limit: whatever this is, it is not an acknowledgement. */
export function answerTooLarge(host: string, limitBytes: number): NotDelivered {
  const mib = Math.round(limitBytes / (1024 * 1024));
  return retry(
    'answer_too_large',
    `The registry at ${host} sent an answer larger than ${mib} MiB, far more than any acknowledgement, so DoseDesk stopped reading it. The registry may have recorded the dose: it will be sent again with the same message ID, so it cannot be counted twice. If this keeps happening, ask IT to check the endpoint URL and any proxy between this computer and ${host}.`,
    { host, mib },
    true,
  );
}

/** The answer is a Base64 ACK although the settings say plain text. */
export function payloadEncodingMismatch(host: string): NotDelivered {
  return {
    kind: 'auth',
    code: 'payload_encoding_mismatch',
    params: { host },
    reason: `The registry at ${host} answered with a Base64-encoded acknowledgement, but the registry connection settings say the payload encoding is plain text. Reporting is paused and every dose keeps waiting: set the payload encoding to Base64 in the registry connection settings (the older MIIS connector works this way), then send again.`,
  };
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
    const seconds = Math.round(timeoutMs / 1000);
    return retry('timeout', `The registry at ${host} did not answer within ${seconds} s. The message will be sent again automatically with the same message ID, so the registry cannot count it twice.`, { host, seconds }, true);
  }
  if (abortedBy === 'caller') {
    return retry('aborted', `Sending to ${host} was interrupted because DoseDesk is stopping; the message will be sent again with the same message ID.`, { host }, true);
  }
  if (errCode && TLS_CODES.has(errCode)) {
    return {
      kind: 'auth',
      code: 'tls_untrusted',
      params: { host, error: errCode },
      reason: `The certificate of ${host} could not be verified (${errCode}). Reporting is paused: the address may be wrong or a network device is intercepting the connection; ask IT to check the endpoint URL and the network path.`,
    };
  }
  if (errCode && NOT_SENT_CODES.has(errCode)) {
    return retry('network', `The registry at ${host} cannot be reached (${errCode}): the internet connection or the registry is down. The message will be sent again automatically.`, { host, error: errCode }, false);
  }
  return retry(
    'connection_dropped',
    `The connection to ${host} broke before the registry answered (${errCode ?? message}). The message will be sent again automatically with the same message ID, so the registry cannot count it twice.`,
    { host, error: errCode ?? message },
    true,
  );
}
