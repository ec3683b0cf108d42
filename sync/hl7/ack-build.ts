// Builds an ACK^V04^ACK (profile Z23) answering a received message (docs/domain.md §1.8). Used by
// the registry simulator; DoseDesk itself only reads ACKs.
import { formatHl7Timestamp } from './encoding';
import { comps, mshSegment, seg, serializeMessage, Hl7Message, type FieldInput, type Hl7Field } from './message';
import { hl70357Text, hl70533Text, type AckCode, type ErrorLocation, type ErrorSeverity } from './ack-types';

export interface AckErrorInput {
  /** ERR-2; omitted when the error concerns the whole message. */
  location?: ErrorLocation;
  /** ERR-3.1, HL7 table 0357 (`101` required field missing, `103` table value not found…). */
  hl7Code: string;
  /** ERR-3.2; defaults to the table's text for the code. */
  hl7Text?: string;
  /** ERR-4. */
  severity: ErrorSeverity;
  /** ERR-5.1, table 0533 or a registry-local code. */
  applicationCode?: string;
  applicationText?: string;
  /** ERR-5.3; default `HL70533`. */
  applicationCodingSystem?: string;
  /** ERR-8, the text a person reads. */
  userMessage?: string;
}

export interface BuildAckOptions {
  /** The message being acknowledged; absent when it could not be parsed at all. */
  received?: Hl7Message;
  /** MSA-2 when `received` is absent or has no MSH-10. */
  receivedControlId?: string;
  code: AckCode;
  errors?: readonly AckErrorInput[];
  /** MSH-10 of the ACK itself. */
  messageControlId: string;
  sentAt: Date;
  /** Minutes east of UTC for MSH-7 (default 0). */
  offsetMinutes?: number;
  /** MSH-3/4 of the ACK; default: the received MSH-5/6. */
  sendingApplication?: FieldInput;
  sendingFacility?: FieldInput;
  /** MSA-3 (X in Z23, but many registries fill it). */
  text?: string;
}

function location(loc: ErrorLocation | undefined): Hl7Field | undefined {
  if (!loc) return undefined;
  return comps(loc.segment, loc.sequence, loc.field, loc.repetition, loc.component, loc.subcomponent);
}

/** The ACK message text (segments ended by CR). */
export function buildAck(o: BuildAckOptions): string {
  const r = o.received?.header;
  const pick = (n: number): Hl7Field => r?.field(n) ?? [];
  const processingId = r?.get(11) || 'P';
  const msh = mshSegment([
    o.sendingApplication ?? pick(5),
    o.sendingFacility ?? pick(6),
    pick(3),
    pick(4),
    formatHl7Timestamp(o.sentAt, o.offsetMinutes ?? 0),
    undefined,
    comps('ACK', r?.get(9, { comp: 2 }) || 'V04', 'ACK'),
    o.messageControlId,
    processingId,
    '2.5.1',
    undefined,
    undefined,
    'NE',
    'NE',
    undefined,
    undefined,
    undefined,
    undefined,
    comps('Z23', 'CDCPHINVS'),
    pick(23),
    pick(22),
  ]);
  const msa = seg('MSA', o.code, r?.get(10) || o.receivedControlId || '', o.text);
  const errs = (o.errors ?? []).map((e) =>
    seg(
      'ERR',
      undefined,
      location(e.location),
      comps(e.hl7Code, e.hl7Text ?? hl70357Text(e.hl7Code), 'HL70357'),
      e.severity,
      e.applicationCode ? comps(e.applicationCode, e.applicationText ?? hl70533Text(e.applicationCode), e.applicationCodingSystem ?? 'HL70533') : undefined,
      undefined,
      undefined,
      e.userMessage,
    ),
  );
  return serializeMessage(new Hl7Message([msh, msa, ...errs]));
}
