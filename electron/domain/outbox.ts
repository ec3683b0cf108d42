// The reporting vocabulary shared by the store (which keeps the outbox) and the sync engine (which
// drains it): an outbox entry, its outcomes and the registry's messages about it. The engine
// depends on these types, never on the store that implements them.

export interface RegistryMessage {
  severity: 'error' | 'warning' | 'info';
  text: string;
  /** Form field the registry's error location maps to (e.g. `dose.lotNumber`). */
  field?: string;
  code?: string;
  location?: string;
  /** With a DoseDesk message code (not the registry's own text): what its translations fill in. */
  params?: Readonly<Record<string, string | number>>;
}

export const OUTBOX_STATES = ['pending', 'sending', 'accepted', 'warning', 'rejected', 'cancelled', 'superseded'] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];
export const FINAL_OUTBOX_STATES: readonly OutboxState[] = ['accepted', 'warning', 'cancelled', 'superseded'];

export interface OutboxEntry {
  /** Monotonic sequence: send order, never wall-clock time. */
  seq: number;
  doseId: string;
  patientId: string;
  action: 'A' | 'U' | 'D';
  state: OutboxState;
  /** MSH-10: stable for the life of the entry, so a retry is recognisably the same message. */
  messageControlId: string;
  /** The HL7 bytes, built once on first claim and resent unchanged on every retry. */
  messageText?: string;
  attempts: number;
  nextAttemptAt: string;
  lastError?: string;
  ackCode?: string;
  ackText?: string;
  registryMessages: RegistryMessage[];
  createdAt: string;
  updatedAt: string;
  completedAt?: string;
  /** When the law wants this dose at MIIS (105 CMR 222.100), for administered adds. */
  deadlineAt?: string;
}

export interface OutboxStats {
  pending: number;
  sending: number;
  accepted: number;
  warning: number;
  rejected: number;
  lastAcceptedAt?: string;
  /** Earliest deadline among entries not yet accepted. */
  nextDeadlineAt?: string;
}

/**
 * An entry the store closed because of another entry's outcome: a rejected add of a dose that
 * was deleted while the add was on the wire leaves nothing to delete at the registry.
 */
export interface OutboxClosure {
  seq: number;
  doseId: string;
  patientId: string;
  action: 'A' | 'U' | 'D';
  state: 'cancelled' | 'superseded';
  /** For the chart and the log: why nothing more is sent for this entry. */
  reason: string;
}

/** One settled send, for `OutboxRepo.recordOutcomes`. */
export type OutboxOutcome =
  | { seq: number; kind: 'accepted'; ack: { code: string; text: string; messages: RegistryMessage[]; warning: boolean } }
  | { seq: number; kind: 'rejected'; ack: { code: string; text: string; messages: RegistryMessage[] } }
  | {
      seq: number;
      kind: 'retry';
      nextAttemptAt: Date;
      error: string;
      /**
       * The registry refused the message on its header (the site's identification or the message
       * format): it filed nothing, and resending the same bytes cannot succeed. The entry gets a
       * new MSH-10 (the registry may answer the refused one from its reply cache) and its message
       * is built again, from the records and settings of that moment, when it is next sent.
       */
      rebuild?: boolean;
    };
