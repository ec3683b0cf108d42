// The one small interface the outbox engine talks to. Any route to a registry (the CDC SOAP
// service today, an exported HL7 batch file tomorrow) is a module implementing it.

/** Why a submission did not end with an ACK; lets the engine and the UI branch without parsing text. */
export type OutcomeCode =
  | 'timeout'
  | 'network'
  | 'connection_dropped'
  | 'aborted'
  | 'http_error'
  | 'rate_limited'
  | 'unavailable'
  | 'unknown_fault'
  | 'malformed_response'
  | 'security_fault'
  | 'http_unauthorized'
  | 'tls_untrusted'
  | 'endpoint_misconfigured'
  | 'message_too_large'
  | 'unsupported_operation'
  | 'http_rejected'
  | 'unencodable_message';

export type SubmitOutcome =
  /** The registry answered with an HL7 ACK. Whether it accepted the dose is in the ACK (MSA-1/ERR). */
  | { kind: 'delivered'; ackText: string; ackSegments: string[] }
  /**
   * Transient: send the same bytes again later. For `malformed_response` (HTTP 200 without a
   * readable ACK) docs/domain.md §2.3 advises one retry, then review by a person: the engine counts. `maybeDelivered` is true when the request may have
   * reached the registry (timeout or dropped connection after sending): the resend must keep MSH-10.
   */
  | { kind: 'retry'; code: OutcomeCode; reason: string; retryAfterMs?: number; maybeDelivered: boolean }
  /** Stop the whole queue and alert IT: credentials, certificate or endpoint configuration are wrong. */
  | { kind: 'auth'; code: OutcomeCode; reason: string }
  /** This message can never succeed as is: a person must look at it (work queue). */
  | { kind: 'needs_person'; code: OutcomeCode; reason: string };

export type ConnectionCheck =
  | { ok: true; detail: string }
  | { ok: false; kind: 'retry' | 'auth' | 'needs_person'; code: OutcomeCode; reason: string };

export interface SubmitOptions {
  signal?: AbortSignal;
}

export interface RegistryTransport {
  submit(hl7: string, opts?: SubmitOptions): Promise<SubmitOutcome>;
  checkConnection(): Promise<ConnectionCheck>;
}
