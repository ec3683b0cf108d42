import { buildAck, tryParseMessage, type AckCode, type AckErrorInput, type Hl7Message } from '../hl7';
import { splitSegments } from '../transport/hl7-payload';
import { type QuirkName } from './quirks';
import { type RegistryStore } from './registry-store';
import { administeredCvx, checkVxu, doseKey, orderGroups, type RuleIssue } from './vxu-rules';

// One submitted HL7 message in, one ACK out: dedupe by MSH-10, check, store, acknowledge.

export interface ProcessOptions {
  quirks: ReadonlySet<QuirkName>;
  /** How an ACK whose ERRs are all warnings is coded: AE (IIS Sandbox, MQE) or AA. */
  warningsAs: 'AE' | 'AA';
  /** Segment ends in ACKs. */
  ackSegmentEnd: '\r' | '\n' | '\r\n';
  now: () => Date;
  /** See RuleContext.registeredFacilities. */
  registeredFacilities?: () => ReadonlySet<string> | undefined;
  /** See RuleContext.registeredLocations. */
  registeredLocations?: ReadonlySet<string>;
}

export interface ProcessResult {
  ackText: string;
  ackCode: AckCode;
  /** True when this MSH-10 was seen before and the earlier ACK was returned unchanged. */
  resend: boolean;
  /** Order groups stored (added, updated or deleted) by this message. */
  storedGroups: number;
  /** MSH-10 of the received message ('' when unreadable). */
  controlId: string;
}

export class VxuProcessor {
  private ackCounter = 0;
  /** A resent MSH-10 whose content differs from the first one (a sender bug worth counting). */
  controlIdConflicts = 0;
  resends = 0;

  constructor(
    private readonly store: RegistryStore,
    private readonly options: ProcessOptions,
  ) {}

  process(hl7: string, facilityId: string | undefined): ProcessResult {
    const parsed = tryParseMessage(hl7);
    if (!parsed.ok) {
      const controlId = rawControlId(hl7);
      return this.finish(undefined, controlId, 'AR', [{ hl7Code: '100', severity: 'E', userMessage: `The message could not be read as HL7: ${parsed.error.message}` }], 0);
    }
    const msg = parsed.message;
    const facility = msg.get('MSH', 4);
    const controlId = msg.controlId;
    const earlier = controlId ? this.store.ackFor(facility, controlId) : undefined;
    if (earlier) {
      this.resends++;
      if (normalize(earlier.message) !== normalize(hl7)) this.controlIdConflicts++;
      return { ackText: earlier.ack, ackCode: ackCodeOf(earlier.ack), resend: true, storedGroups: 0, controlId };
    }

    const issues = checkVxu(msg, {
      now: this.options.now(),
      quirks: this.options.quirks,
      facilityId,
      holds: (key) => this.store.holds(key),
      registeredFacilities: this.options.registeredFacilities?.(),
      registeredLocations: this.options.registeredLocations,
    });
    const reject = issues.some((i) => i.level === 'reject');
    const messageError = issues.some((i) => i.level === 'message');
    let stored = 0;
    if (!reject && !messageError) stored = this.storeGroups(msg, issues);

    const hasErrors = issues.some((i) => i.level !== 'warning');
    const reported = this.options.quirks.has('medlar') ? issues.filter((i) => i.level !== 'warning') : issues;
    const code: AckCode = reject ? 'AR' : hasErrors ? 'AE' : reported.length > 0 ? this.options.warningsAs : 'AA';
    const result = this.finish(msg, controlId, code, reported.map(toAckError), stored);
    if (controlId && !reject) this.store.rememberAck(facility, controlId, result.ackText, hl7);
    return result;
  }

  /**
   * An enhanced-mode commit acknowledgement (MSA-1 CA): "received and stored safely", saying
   * nothing of whether the content was accepted. Registries in enhanced mode send this first and
   * the application acknowledgement later.
   */
  commitAck(hl7: string): string {
    const parsed = tryParseMessage(hl7);
    return this.finish(parsed.ok ? parsed.message : undefined, parsed.ok ? parsed.message.controlId : rawControlId(hl7), 'CA', [], 0).ackText;
  }

  private storeGroups(msg: Hl7Message, issues: RuleIssue[]): number {
    const dropped = new Set(issues.filter((i) => i.level === 'group').map((i) => i.group));
    const pid = msg.segment('PID');
    let stored = 0;
    for (const g of orderGroups(msg)) {
      if (dropped.has(g.index) || !g.orc || !g.rxa) continue;
      const rxa = g.rxa.segment;
      const action = rxa.get(21) as 'A' | 'U' | 'D';
      const groupSegments = [g.orc, g.rxa, g.rxr, ...g.obx].filter((x) => x !== undefined).map((x) => x.segment.toString(msg.delimiters));
      const result = this.store.apply(action, {
        key: doseKey(msg, g),
        facility: msg.get('MSH', 4),
        fillerOrderId: g.orc.segment.get(3),
        controlId: msg.controlId,
        patientId: pid?.get(3) ?? '',
        patientName: [pid?.get(5) ?? '', pid?.get(5, { comp: 2 }) ?? ''].filter(Boolean).join(', '),
        birthDate: pid?.get(7) ?? '',
        cvx: administeredCvx(rxa) ?? '',
        administeredAt: rxa.get(3),
        lot: rxa.get(15),
        mvx: rxa.get(17),
        segments: groupSegments.join('\r'),
      });
      if (result === 'unknown_delete') {
        issues.push({
          level: 'warning',
          group: g.index,
          location: { segment: 'ORC', sequence: g.orc.occurrence, field: 3 },
          hl7Code: '204',
          applicationCode: '3',
          message: `Delete for dose ${g.orc.segment.get(3)}, which the registry does not hold; nothing was removed.`,
        });
      } else {
        stored++;
      }
    }
    return stored;
  }

  private finish(msg: Hl7Message | undefined, controlId: string, code: AckCode, errors: AckErrorInput[], stored: number): ProcessResult {
    this.ackCounter++;
    let ack = buildAck({
      received: msg,
      receivedControlId: controlId,
      code,
      errors,
      messageControlId: `SIMACK${String(this.ackCounter).padStart(6, '0')}`,
      sentAt: this.options.now(),
      sendingApplication: msg?.get('MSH', 5) || 'DOSEDESK-SIM',
      sendingFacility: msg?.get('MSH', 6) || 'SIM',
    });
    if (this.options.quirks.has('melon')) ack = ack.replace('|ACK^V04^ACK|', '|ZZZ|').replace('|ACK^^ACK|', '|ZZZ|');
    if (this.options.ackSegmentEnd !== '\r') ack = ack.replace(/\r/g, this.options.ackSegmentEnd);
    return { ackText: ack, ackCode: code, resend: false, storedGroups: stored, controlId };
  }
}

function toAckError(i: RuleIssue): AckErrorInput {
  const e: AckErrorInput = { hl7Code: i.hl7Code, severity: i.level === 'warning' ? 'W' : 'E', userMessage: i.message };
  if (i.location) e.location = i.location;
  if (i.applicationCode) e.applicationCode = i.applicationCode;
  return e;
}

function normalize(hl7: string): string {
  return splitSegments(hl7).join('\r');
}

function rawControlId(hl7: string): string {
  const msh = splitSegments(hl7).find((s) => s.startsWith('MSH'));
  return msh && msh.length > 3 ? (msh.split(msh[3])[9] ?? '') : '';
}

function ackCodeOf(ack: string): AckCode {
  const msa = splitSegments(ack).find((s) => s.startsWith('MSA'));
  const code = msa?.split('|')[1];
  return code === 'AE' || code === 'AR' ? code : 'AA';
}
