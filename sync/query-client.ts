import { buildQbpFor, parseRegistryAnswer, type RegistryAnswer, type RegistryQueryProfile } from './hl7/query-forecast';
import type { RspParseFailure } from './hl7/query';
import type { QbpInput } from './hl7/types';
import type { RegistryTransport, SubmitOutcome } from './transport/types';

// One query to the registry over the same submitSingleMessage transport as the reports, but
// never through the outbox: a query is not a report, nothing waits for it to be delivered, and
// a person is waiting at the counter. So: a short timeout (the transport's), one retry of a
// transient failure, then a clear answer of what went wrong.

export type QueryOutcome =
  | { ok: true; answer: RegistryAnswer; attempts: number; bytes: number }
  | { ok: false; kind: 'not_delivered'; outcome: Exclude<SubmitOutcome, { kind: 'delivered' }>; attempts: number }
  | { ok: false; kind: 'unreadable'; failure: RspParseFailure; attempts: number };

export interface QueryRequest {
  profile: RegistryQueryProfile;
  qbp: QbpInput;
  signal?: AbortSignal;
}

export async function queryRegistry(transport: RegistryTransport, request: QueryRequest): Promise<QueryOutcome> {
  const text = buildQbpFor(request.qbp, request.profile);
  const opts = request.signal ? { signal: request.signal } : {};
  let outcome = await transport.submit(text, opts);
  let attempts = 1;
  // A query changes nothing at the registry, so a resend after a timeout is harmless.
  if (outcome.kind === 'retry' && !request.signal?.aborted) {
    outcome = await transport.submit(text, opts);
    attempts = 2;
  }
  if (outcome.kind !== 'delivered') return { ok: false, kind: 'not_delivered', outcome, attempts };
  const answer = parseRegistryAnswer(outcome.ackText);
  if (!answer.ok) return { ok: false, kind: 'unreadable', failure: answer, attempts };
  return { ok: true, answer, attempts, bytes: outcome.ackText.length };
}
