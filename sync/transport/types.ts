// The one small interface the outbox engine talks to. Any route to a registry (the CDC SOAP
// service today, an exported HL7 batch file tomorrow) is a module implementing it.

/** Why a submission did not end with an ACK; lets the engine and the UI branch without parsing text. */
export const OUTCOME_CODES = [
  'timeout',
  'network',
  'connection_dropped',
  'aborted',
  'http_error',
  'rate_limited',
  'unavailable',
  'unknown_fault',
  'malformed_response',
  'security_fault',
  'http_unauthorized',
  'tls_untrusted',
  'endpoint_misconfigured',
  'message_too_large',
  'unsupported_operation',
  /** No longer produced (a 4xx without an ACK is now `network_refused`); kept for errors stored by earlier versions. */
  'http_rejected',
  'unencodable_message',
  /** HTTP 4xx without an ACK, from a firewall, web filter or gateway: the site's problem, not the dose's. */
  'network_refused',
  /** HTTP 407: a proxy on the site's network wants a sign-in. */
  'proxy_auth_required',
  /** HTTP 408: the request did not get through in time. */
  'request_timeout',
  /** A network login page (redirect to another host, or HTML instead of SOAP): the network is not really up. */
  'captive_portal',
  /** The answer exceeded the size DoseDesk reads; the registry may have stored the message. */
  'answer_too_large',
  /** A Base64 ACK while the settings say plain text. */
  'payload_encoding_mismatch',
] as const;
export type OutcomeCode = (typeof OUTCOME_CODES)[number];

/**
 * The values a reason's translations fill in (`{host}`, `{status}`…): the English `reason` is
 * for logs, IT and the CLI; the UI renders the code with these through its catalogue.
 */
export type MessageParams = Readonly<Record<string, string | number>>;

export type SubmitOutcome =
  /** The registry answered with an HL7 ACK. Whether it accepted the dose is in the ACK (MSA-1/ERR). */
  | {
      kind: 'delivered';
      ackText: string;
      ackSegments: string[];
      /** The registry's host (and port), for messages about what the ACK means. */
      host?: string;
    }
  /**
   * Transient: send the same bytes again later. For `malformed_response` (HTTP 200 without a
   * readable ACK) docs/domain.md §2.3 advises one retry, then review by a person: the engine counts. `maybeDelivered` is true when the request may have
   * reached the registry (timeout or dropped connection after sending): the resend must keep MSH-10.
   */
  | { kind: 'retry'; code: OutcomeCode; reason: string; params?: MessageParams; retryAfterMs?: number; maybeDelivered: boolean }
  /**
   * Stop the whole queue and alert IT: a problem of the site, not of any message — credentials,
   * certificate, endpoint or payload settings, or a proxy or firewall on the site's network.
   */
  | { kind: 'auth'; code: OutcomeCode; reason: string; params?: MessageParams }
  /** This message can never succeed as is: a person must look at it (work queue). */
  | { kind: 'needs_person'; code: OutcomeCode; reason: string; params?: MessageParams };

export type ConnectionCheck =
  | { ok: true; detail: string }
  | { ok: false; kind: 'retry' | 'auth' | 'needs_person'; code: OutcomeCode; reason: string; params?: MessageParams };

export interface SubmitOptions {
  signal?: AbortSignal;
}

export interface RegistryTransport {
  submit(hl7: string, opts?: SubmitOptions): Promise<SubmitOutcome>;
  checkConnection(): Promise<ConnectionCheck>;
}
