import { cvx as lookupCvx, mvx as lookupMvx, normalizeCvxCode } from '../../electron/domain/codes';
import { parseHl7Timestamp, type ErrorLocation, type Hl7Message, type Hl7Segment } from '../hl7';
import { type QuirkName } from './quirks';

// The checks the CDC IG (R1.5, NIST Z22 profile) and MIIS would apply to a VXU (docs/domain.md
// §1.5–1.8), with the IG's cascade: a bad MSH/PID rejects the message, a bad order group drops
// that dose only, warnings keep the data.

/**
 * 'reject' → AR (not processed: unsupported type, version, processing id);
 * 'message' → AE, nothing stored; 'group' → AE, that dose dropped; 'warning' → stored.
 */
export type IssueLevel = 'reject' | 'message' | 'group' | 'warning';

export interface RuleIssue {
  level: IssueLevel;
  /** 1-based order group, for level 'group' (and warnings about a group). */
  group?: number;
  location?: ErrorLocation;
  /** HL7 table 0357. */
  hl7Code: string;
  /** HL7 table 0533. */
  applicationCode?: string;
  message: string;
}

interface Located {
  segment: Hl7Segment;
  occurrence: number;
}

export interface OrderGroup {
  index: number;
  orc?: Located;
  rxa?: Located;
  rxr?: Located;
  obx: Located[];
}

export interface RuleContext {
  now: Date;
  quirks: ReadonlySet<QuirkName>;
  /** The SOAP facilityID (for the soursop quirk). */
  facilityId?: string;
  /** Dose keys the registry holds, for the cranberry quirk: `MSH-4|ORC-3.1^ORC-3.2`. */
  holds?: (key: string) => boolean;
  /** When set, the only MSH-4 sending facilities the registry knows; any other is refused (AR). */
  registeredFacilities?: ReadonlySet<string>;
  /** When set, the only administering locations (RXA-11.4) it knows; a dose given elsewhere is dropped. */
  registeredLocations?: ReadonlySet<string>;
}

export const SUPPORTED_PROCESSING_IDS = new Set(['P', 'T', 'D']);
const RACE_CODES = new Set(['1002-5', '2028-9', '2054-5', '2076-8', '2106-3', '2131-1']);
const ETHNICITY_CODES = new Set(['2135-2', '2186-5']);

/** Splits the message into ORC/RXA/RXR/OBX order groups, counting each segment's occurrences. */
export function orderGroups(msg: Hl7Message): OrderGroup[] {
  const counts = new Map<string, number>();
  const groups: OrderGroup[] = [];
  let current: OrderGroup | undefined;
  for (const segment of msg.segments) {
    const occurrence = (counts.get(segment.name) ?? 0) + 1;
    counts.set(segment.name, occurrence);
    const at = { segment, occurrence };
    if (segment.name === 'ORC' || (segment.name === 'RXA' && (!current || current.rxa))) {
      current = { index: groups.length + 1, obx: [] };
      groups.push(current);
    }
    if (!current) continue;
    if (segment.name === 'ORC') current.orc = at;
    else if (segment.name === 'RXA') current.rxa = at;
    else if (segment.name === 'RXR') current.rxr ??= at;
    else if (segment.name === 'OBX') current.obx.push(at);
  }
  return groups;
}

/** The dose key a registry matches updates and deletes on: sending facility + ORC-3 id^namespace. */
export function doseKey(msg: Hl7Message, group: OrderGroup): string {
  const orc = group.orc?.segment;
  return `${msg.get('MSH', 4)}|${orc?.get(3) ?? ''}^${orc?.get(3, { comp: 2 }) ?? ''}`;
}

/** The CVX code of RXA-5 from whichever triplet is coded CVX (the other may be NDC). */
export function administeredCvx(rxa: Hl7Segment): string | undefined {
  if (rxa.get(5, { comp: 3 }).toUpperCase() === 'CVX') return normalizeCvxCode(rxa.get(5));
  if (rxa.get(5, { comp: 6 }).toUpperCase() === 'CVX') return normalizeCvxCode(rxa.get(5, { comp: 4 }));
  // No coding system named: a bare number is read as CVX, as lenient registries do.
  return /^\d{1,3}$/.test(rxa.get(5).trim()) ? normalizeCvxCode(rxa.get(5)) : undefined;
}

function isoDay(d: Date, plusDays = 0): string {
  return new Date(d.getTime() + plusDays * 86_400_000).toISOString().slice(0, 10);
}

export function checkVxu(msg: Hl7Message, ctx: RuleContext): RuleIssue[] {
  const issues: RuleIssue[] = [];
  const add = (i: RuleIssue) => issues.push(i);
  const at = (segment: string, field: number, sequence = 1): ErrorLocation => ({ segment, sequence, field });
  const q = ctx.quirks;
  // One day of slack: the sender's local date may be ahead of UTC.
  const latestDay = isoDay(ctx.now, 1);

  // ── MSH: whether the message can be processed at all ──
  const type = msg.messageType;
  if (type.code !== 'VXU') {
    add({ level: 'reject', location: at('MSH', 9), hl7Code: '200', message: `Message type ${type.code || '(empty)'} is not supported; this registry accepts VXU^V04.` });
  } else if (type.event !== 'V04') {
    add({ level: 'reject', location: at('MSH', 9), hl7Code: '201', message: `Event ${type.event || '(empty)'} is not supported; send VXU^V04^VXU_V04.` });
  } else if (type.structure !== 'VXU_V04') {
    add({ level: 'warning', location: at('MSH', 9), hl7Code: '101', applicationCode: '7', message: 'MSH-9.3 message structure should be VXU_V04.' });
  }
  const version = msg.get('MSH', 12);
  if (version !== '2.5.1') {
    add({ level: 'reject', location: at('MSH', 12), hl7Code: '203', message: `HL7 version ${version || '(empty)'} is not supported; this registry accepts only 2.5.1.` });
  }
  const processingId = msg.get('MSH', 11);
  if (!SUPPORTED_PROCESSING_IDS.has(processingId)) {
    add({ level: 'reject', location: at('MSH', 11), hl7Code: '202', message: `Processing ID ${processingId || '(empty)'} is not supported; use P, T or D.` });
  }
  const facility = msg.get('MSH', 4);
  if (ctx.registeredFacilities && !ctx.registeredFacilities.has(facility)) {
    // What a registry answers for an unknown or misspelt org code / Vaccine PIN: nothing in the
    // message can be processed, and no edit of the dose would change that.
    add({
      level: 'reject',
      location: at('MSH', 4),
      hl7Code: '204',
      applicationCode: '3',
      message: `Sending facility "${facility || '(empty)'}" (MSH-4) is not registered with this registry. Message rejected.`,
    });
  }
  if (issues.some((i) => i.level === 'reject')) return issues;

  if (msg.controlId === '') {
    add({ level: 'message', location: at('MSH', 10), hl7Code: '101', applicationCode: '7', message: 'MSH-10 message control ID is required. Message rejected.' });
  }
  const profiles = (msg.header?.repetitions(21) ?? []).map((r) => r[0]?.[0] ?? '');
  if (!profiles.some((p) => p === 'Z22')) {
    add({ level: 'message', location: at('MSH', 21), hl7Code: '101', applicationCode: '7', message: 'MSH-21 must name the Z22^CDCPHINVS profile. Message rejected.' });
  }
  if (q.has('soursop') && ctx.facilityId !== undefined && msg.get('MSH', 4) !== ctx.facilityId) {
    add({
      level: 'message',
      location: at('MSH', 4),
      hl7Code: '101',
      applicationCode: '3',
      message: `MSH-4 sending facility "${msg.get('MSH', 4)}" does not match the facilityID "${ctx.facilityId}" of the request. Message rejected.`,
    });
  }

  // ── PID: without a usable patient the whole message is rejected ──
  const pid = msg.segment('PID');
  let dob: string | undefined;
  if (!pid) {
    add({ level: 'message', location: { segment: 'PID' }, hl7Code: '100', message: 'PID is a required segment. Message rejected.' });
  } else {
    if (!pid.has(3)) add({ level: 'message', location: at('PID', 3), hl7Code: '101', applicationCode: '7', message: 'PID-3 patient identifier is required. Message rejected.' });
    if (pid.get(5) === '') add({ level: 'message', location: at('PID', 5), hl7Code: '101', applicationCode: '7', message: 'PID-5 patient name (last name) is required. Message rejected.' });
    const dobText = pid.get(7);
    if (dobText === '') {
      add({ level: 'message', location: at('PID', 7), hl7Code: '101', applicationCode: '7', message: 'PID-7 date of birth is required. Message rejected.' });
    } else {
      dob = parseHl7Timestamp(dobText)?.isoDate;
      if (dob === undefined) {
        add({ level: 'message', location: at('PID', 7), hl7Code: '102', applicationCode: '2', message: `PID-7 date of birth "${dobText}" is not a valid date. Message rejected.` });
      } else if (dob > latestDay && !q.has('cantaloupe')) {
        add({ level: 'message', location: at('PID', 7), hl7Code: '102', applicationCode: '1', message: `PID-7 date of birth ${dob} is in the future. Message rejected.` });
      }
    }
    if (pid.get(8) === '') add({ level: 'warning', location: at('PID', 8), hl7Code: '101', applicationCode: '7', message: 'PID-8 administrative sex is missing.' });
    if (!pid.has(11)) {
      add({
        level: q.has('blackberry') ? 'message' : 'warning',
        location: at('PID', 11),
        hl7Code: '101',
        applicationCode: '7',
        message: q.has('blackberry') ? 'PID-11 patient address is required. Message rejected.' : 'PID-11 patient address is missing.',
      });
    }
    if (q.has('fig')) {
      for (const [field, codes, name] of [[10, RACE_CODES, 'race'], [22, ETHNICITY_CODES, 'ethnicity']] as const) {
        for (const rep of pid.repetitions(field)) {
          const code = rep[0]?.[0] ?? '';
          if (code !== '' && !codes.has(code)) {
            add({ level: 'message', location: at('PID', field), hl7Code: '103', applicationCode: '5', message: `PID-${field} ${name} code "${code}" is not a CDCREC code. Message rejected.` });
          }
        }
      }
    }
  }

  // ── Order groups: a bad dose is dropped, the rest kept ──
  const groups = orderGroups(msg);
  for (const g of groups) {
    const err = (location: ErrorLocation, hl7Code: string, applicationCode: string, message: string) =>
      add({ level: 'group', group: g.index, location, hl7Code, applicationCode, message });
    const warn = (location: ErrorLocation, hl7Code: string, applicationCode: string, message: string) =>
      add({ level: 'warning', group: g.index, location, hl7Code, applicationCode, message });
    if (!g.orc) {
      err({ segment: 'ORC' }, '100', '7', `Order group ${g.index}: ORC is required before RXA. Dose not recorded.`);
      continue;
    }
    if (!g.rxa) {
      err({ segment: 'ORC', sequence: g.orc.occurrence }, '100', '7', `Order group ${g.index}: ORC has no RXA. Nothing recorded for it.`);
      continue;
    }
    const orcAt = (f: number) => at('ORC', f, g.orc?.occurrence);
    const rxaAt = (f: number) => at('RXA', f, g.rxa?.occurrence);
    const orc = g.orc.segment;
    const rxa = g.rxa.segment;
    if (orc.get(3) === '') err(orcAt(3), '101', '7', 'ORC-3 filler order number (the dose ID) is required. Dose not recorded.');

    const givenText = rxa.get(3);
    const given = parseHl7Timestamp(givenText)?.isoDate;
    if (givenText === '') err(rxaAt(3), '101', '7', 'RXA-3 administration date is required. Dose not recorded.');
    else if (given === undefined) err(rxaAt(3), '102', '2', `RXA-3 administration date "${givenText}" is not a valid date. Dose not recorded.`);
    else if (given > latestDay && !q.has('cantaloupe')) err(rxaAt(3), '102', '1', `RXA-3 administration date ${given} is in the future. Dose not recorded.`);
    else if (dob !== undefined && given < dob && !q.has('clementine')) err(rxaAt(3), '102', '1', `RXA-3 administration date ${given} is before the date of birth ${dob}. Dose not recorded.`);

    if (rxa.get(5) === '') {
      err(rxaAt(5), '101', '7', 'RXA-5 vaccine code is required. Dose not recorded.');
    } else {
      const code = administeredCvx(rxa);
      if (code === undefined) err(rxaAt(5), '103', '5', `RXA-5 "${rxa.get(5)}" carries no CVX code. Dose not recorded.`);
      else if (!lookupCvx(code)) err(rxaAt(5), '103', '5', `RXA-5 CVX code "${code}" is not a known vaccine. Dose not recorded.`);
    }

    const action = rxa.get(21);
    if (action === '') err(rxaAt(21), '101', '7', 'RXA-21 action code (A, U or D) is required. Dose not recorded.');
    else if (!['A', 'U', 'D'].includes(action)) err(rxaAt(21), '103', '5', `RXA-21 action code "${action}" is not A, U or D. Dose not recorded.`);
    else if (action === 'U' && q.has('cranberry') && ctx.holds && !ctx.holds(doseKey(msg, g))) {
      err(orcAt(3), '204', '3', `Update for dose ${orc.get(3)}, which the registry does not hold. Dose not recorded.`);
    }

    const status = rxa.get(20) || 'CP';
    const isNew = rxa.get(9) === '00' && (status === 'CP' || status === 'PA');
    if (isNew) {
      if (rxa.get(15) === '') err(rxaAt(15), '101', '7', 'RXA-15 lot number is required for a newly administered dose. Dose not recorded.');
      const mvxCode = rxa.get(17);
      if (mvxCode === '') err(rxaAt(17), '101', '7', 'RXA-17 manufacturer (MVX) is required for a newly administered dose. Dose not recorded.');
      else if (!lookupMvx(mvxCode)) warn(rxaAt(17), '103', '5', `RXA-17 manufacturer "${mvxCode}" is not a known MVX code; it was ignored.`);
      if (!g.obx.some((o) => o.segment.get(3) === '64994-7')) {
        err({ segment: 'RXA', sequence: g.rxa.occurrence }, '101', '6', 'OBX 64994-7 (VFC eligibility for this dose) is required for a newly administered dose. Dose not recorded.');
      }
      // A vaccinator is identified by an id (NPI, local) and/or a name: a clinician without an NPI is fine.
      if (rxa.get(10) === '' && rxa.get(10, { comp: 2 }) === '') warn(rxaAt(10), '101', '7', 'RXA-10 administering provider is missing.');
    }
    if (isNew && ctx.registeredLocations) {
      // A site's facility id the registry has not set up for this organization: the dose's
      // record names a place it cannot file it under, whatever else is right about the dose.
      const location = rxa.get(11, { comp: 4 });
      if (!ctx.registeredLocations.has(location)) {
        err(rxaAt(11), '103', '5', `RXA-11 administered-at location "${location || '(empty)'}" is not a facility registered for this organization. Dose not recorded.`);
      }
    }
    if (!g.rxr && status !== 'RE' && status !== 'NA' && isNew) {
      if (q.has('spruce')) err({ segment: 'RXR' }, '100', '7', `Order group ${g.index}: RXR route is required. Dose not recorded.`);
      else warn({ segment: 'RXR' }, '100', '7', `Order group ${g.index}: RXR route is missing.`);
    }
  }
  return issues;
}
