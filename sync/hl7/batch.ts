// Batch wrapping (BHS … BTS, optionally inside FHS … FTS). The MIIS transfer specification 3.1
// lists BHS first in its VXU segment list, and AIRA's older MIIS connector wrapped each message
// in BHS/BTS; the 2020 connector does not. Whether a site wraps is configuration, not code.
import type { Hl7SiteConfig } from './config';
import { hd } from './datatypes';
import { formatHl7Timestamp, SEGMENT_TERMINATOR } from './encoding';
import { Hl7Segment, serializeSegment, toField, type FieldInput } from './message';

export interface BatchOptions {
  /** BHS-11 (and FHS-11 with `file`). */
  batchControlId: string;
  sentAt: Date;
  config: Hl7SiteConfig;
  /** Also wrap the batch in FHS … FTS. */
  file?: boolean;
}

function header(name: 'BHS' | 'FHS', o: BatchOptions): string {
  const c = o.config;
  const fields: FieldInput[] = [
    hd(c.sendingApplication),
    hd(c.sendingFacility),
    hd(c.receivingApplication),
    hd(c.receivingFacility),
    formatHl7Timestamp(o.sentAt, c.offsetProvider(o.sentAt)),
    undefined,
    undefined,
    undefined,
    o.batchControlId,
  ];
  return serializeSegment(new Hl7Segment(name, [[[['|']]], [[['^~\\&']]], ...fields.map(toField)]));
}

/** Wraps complete messages (each already ending in CR) into one batch. */
export function wrapBatch(messages: readonly string[], o: BatchOptions): string {
  const body = messages.map((m) => (m.endsWith(SEGMENT_TERMINATOR) ? m : m + SEGMENT_TERMINATOR)).join('');
  let out = header('BHS', o) + SEGMENT_TERMINATOR + body + `BTS|${messages.length}` + SEGMENT_TERMINATOR;
  if (o.file) out = header('FHS', o) + SEGMENT_TERMINATOR + out + 'FTS|1' + SEGMENT_TERMINATOR;
  return out;
}
