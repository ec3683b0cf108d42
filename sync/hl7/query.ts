// Query for a patient's complete immunization history: QBP^Q11 (profile Z34) out, RSP^K11 back
// as Z32 (history), Z31 (candidates) or Z33 (no match / too many / error). docs/domain.md §1.9.
import { ACK_CODES, type AckCode } from './ack-types';
import { readErrors, type AckError } from './ack-parse';
import { cx, xad, xpn, xtnPhone } from './datatypes';
import { formatHl7Date, parseHl7Date } from './encoding';
import { Hl7ParseError, comps, parseMessage, reps, seg, serializeMessage, Hl7Message, type Hl7Segment } from './message';
import type { QbpInput } from './types';
import { CODING_SYSTEM, PROFILE } from './vocabulary';
import { Hl7BuildError, mshFor } from './vxu';

// ---------------------------------------------------------------------------------------------
// QBP^Q11 Z34

/** The QBP^Q11 (Z34, request complete immunization history) message text. */
export function buildQbp(input: QbpInput): string {
  const { patient: p, config } = input;
  const tag = input.queryTag ?? input.messageControlId;
  if (!tag.trim()) throw new Hl7BuildError('The query tag (QPD-2) is empty.');
  let dob: string;
  try {
    dob = formatHl7Date(p.dob);
  } catch (err) {
    throw new Hl7BuildError(`patient.dob: ${err instanceof Error ? err.message : String(err)}`, 'patient.dob');
  }
  const msh = mshFor(config, comps('QBP', 'Q11', 'QBP_Q11'), input.messageControlId, input.sentAt, PROFILE.qbpHistory);
  const qpd = seg(
    'QPD',
    comps(PROFILE.qbpHistory, 'Request Immunization History', CODING_SYSTEM.cdcphinvs),
    tag,
    reps(cx(p.mrn, config.patientIdAuthority, 'MR'), p.miisId ? cx(p.miisId, config.registryIdAuthority, 'SR') : undefined),
    xpn(p.lastName, p.firstName, p.middleName, p.suffix, 'L'),
    p.mothersMaidenName ? xpn(p.mothersMaidenName, '', '', '', 'M') : undefined,
    dob,
    p.sex,
    xad(p.address, config.patientAddressType),
    xtnPhone(p.phone),
    p.multipleBirth ? (p.multipleBirth.indicator ? 'Y' : 'N') : undefined,
    p.multipleBirth?.indicator && p.multipleBirth.order !== undefined ? String(p.multipleBirth.order) : undefined,
  );
  const rcp = seg('RCP', 'I', comps(String(input.maxCandidates ?? 10), ['RD', 'records', 'HL70126']));
  return serializeMessage(new Hl7Message([msh, qpd, rcp]));
}

// ---------------------------------------------------------------------------------------------
// RSP^K11

export interface RspIdentifier {
  id: string;
  authority: string;
  type: string;
}

export interface RspPatient {
  identifiers: RspIdentifier[];
  lastName: string;
  firstName: string;
  middleName?: string;
  suffix?: string;
  /** ISO date. */
  dob?: string;
  sex?: string;
  mothersMaidenName?: string;
  address?: { street1: string; street2?: string; city: string; state: string; zip: string; country?: string };
  phones: string[];
  guardians: { lastName: string; firstName: string; relationship: string }[];
  /** PD1-12 `Y`: the registry keeps the record but limits sharing. */
  protected?: boolean;
}

export interface RspObservation {
  valueType: string;
  /** OBX-3.1 (LOINC). */
  code: string;
  text: string;
  subId: string;
  value: string;
  valueText?: string;
  /** ISO date of OBX-14, when given. */
  observedOn?: string;
}

export interface RspDose {
  /** ORC-3, the submitter's id for this record. */
  orderId?: { id: string; namespace: string };
  /** ISO date of RXA-3. */
  administeredOn?: string;
  cvx?: string;
  cvxText?: string;
  ndc?: string;
  amount?: string;
  units?: string;
  /** RXA-9.1 (NIP001): `00` new, `01`–`08` historical. */
  informationSource?: string;
  historical: boolean;
  lotNumbers: string[];
  expirationDate?: string;
  mvx?: string;
  refusalReason?: string;
  completionStatus?: string;
  action?: string;
  route?: string;
  site?: string;
  observations: RspObservation[];
}

interface RspCommon {
  ok: true;
  /** MSA-1 and MSA-2. */
  code: AckCode;
  acknowledgedControlId: string;
  /** QAK-1 (our QPD-2) and QAK-2 (HL7 0208: OK, NF, TM, AE, AR, PD). */
  queryTag: string;
  status: string;
  /** MSH-21 of the response: Z31, Z32, Z33, Z42. */
  profile: string;
  errors: AckError[];
}

export type RspResult =
  | (RspCommon & { kind: 'history'; patient: RspPatient; doses: RspDose[] })
  | (RspCommon & { kind: 'candidates'; candidates: RspPatient[] })
  | (RspCommon & { kind: 'no-match' | 'too-many' | 'protected' | 'error' });

export interface RspParseFailure {
  ok: false;
  kind: 'empty' | 'not_hl7' | 'not_rsp' | 'missing_msa';
  message: string;
  excerpt: string;
}

const opt = (v: string): string | undefined => (v === '' ? undefined : v);

function readPatient(pid: Hl7Segment, pd1: Hl7Segment | undefined, nk1s: Hl7Segment[]): RspPatient {
  const p: RspPatient = {
    identifiers: pid.repetitions(3).map((r) => ({ id: r[0]?.[0] ?? '', authority: r[3]?.[0] ?? '', type: r[4]?.[0] ?? '' })).filter((i) => i.id),
    lastName: pid.get(5),
    firstName: pid.get(5, { comp: 2 }),
    phones: pid
      .repetitions(13)
      .map((r) => (r[3]?.[0] ? r[3][0] : `${r[5]?.[0] ?? ''}${r[6]?.[0] ?? ''}`))
      .filter(Boolean),
    guardians: nk1s.map((n) => ({ lastName: n.get(2), firstName: n.get(2, { comp: 2 }), relationship: n.get(3) })),
  };
  const set = <K extends keyof RspPatient>(k: K, v: RspPatient[K] | undefined): void => {
    if (v !== undefined) p[k] = v;
  };
  set('middleName', opt(pid.get(5, { comp: 3 })));
  set('suffix', opt(pid.get(5, { comp: 4 })));
  set('dob', parseHl7Date(pid.get(7)));
  set('sex', opt(pid.get(8)));
  set('mothersMaidenName', opt(pid.get(6)));
  if (pid.has(11)) {
    const a = pid.components(11);
    const address: NonNullable<RspPatient['address']> = { street1: a[0] ?? '', city: a[2] ?? '', state: a[3] ?? '', zip: a[4] ?? '' };
    if (a[1]) address.street2 = a[1];
    if (a[5]) address.country = a[5];
    p.address = address;
  }
  if (pd1?.has(12)) p.protected = pd1.get(12) === 'Y';
  return p;
}

function readDose(orc: Hl7Segment | undefined, rxa: Hl7Segment, rxr: Hl7Segment | undefined, obx: Hl7Segment[]): RspDose {
  const source = rxa.get(9);
  const d: RspDose = {
    historical: source !== '' && source !== '00',
    lotNumbers: rxa.repetitions(15).map((r) => r[0]?.[0] ?? '').filter(Boolean),
    observations: obx.map((o) => {
      const ob: RspObservation = { valueType: o.get(2), code: o.get(3), text: o.get(3, { comp: 2 }), subId: o.get(4), value: o.get(5) };
      if (o.get(5, { comp: 2 })) ob.valueText = o.get(5, { comp: 2 });
      const on = parseHl7Date(o.get(14));
      if (on) ob.observedOn = on;
      return ob;
    }),
  };
  const set = <K extends keyof RspDose>(k: K, v: RspDose[K] | undefined): void => {
    if (v !== undefined) d[k] = v;
  };
  if (orc?.has(3)) d.orderId = { id: orc.get(3), namespace: orc.get(3, { comp: 2 }) };
  set('administeredOn', parseHl7Date(rxa.get(3)));
  // RXA-5 may carry the CVX in either triplet, with an NDC in the other.
  for (const base of [0, 3]) {
    const system = rxa.get(5, { comp: base + 3 }).toUpperCase();
    const code = opt(rxa.get(5, { comp: base + 1 }));
    if (system === 'CVX' && code && d.cvx === undefined) {
      d.cvx = code;
      set('cvxText', opt(rxa.get(5, { comp: base + 2 })));
    }
    if (system === 'NDC' && code) d.ndc = code;
  }
  if (d.cvx === undefined && rxa.get(5, { comp: 3 }) === '') set('cvx', opt(rxa.get(5)));
  set('amount', opt(rxa.get(6)));
  set('units', opt(rxa.get(7)));
  set('informationSource', opt(source));
  set('expirationDate', parseHl7Date(rxa.get(16)) ?? opt(rxa.get(16)));
  set('mvx', opt(rxa.get(17)));
  set('refusalReason', opt(rxa.get(18)));
  set('completionStatus', opt(rxa.get(20)));
  set('action', opt(rxa.get(21)));
  if (rxr) {
    set('route', opt(rxr.get(1)));
    set('site', opt(rxr.get(2)));
  }
  return d;
}

/** Splits the body after QPD into patients, each with its NK1s and order groups. */
function walk(msg: Hl7Message): { pid: Hl7Segment; pd1?: Hl7Segment; nk1: Hl7Segment[]; doses: RspDose[] }[] {
  const out: { pid: Hl7Segment; pd1?: Hl7Segment; nk1: Hl7Segment[]; doses: RspDose[] }[] = [];
  let current: (typeof out)[number] | undefined;
  let orc: Hl7Segment | undefined;
  let group: { orc?: Hl7Segment; rxa: Hl7Segment; rxr?: Hl7Segment; obx: Hl7Segment[] } | undefined;
  const flush = (): void => {
    if (group && current) current.doses.push(readDose(group.orc, group.rxa, group.rxr, group.obx));
    group = undefined;
  };
  for (const s of msg.segments) {
    switch (s.name) {
      case 'PID':
        flush();
        current = { pid: s, nk1: [], doses: [] };
        out.push(current);
        orc = undefined;
        break;
      case 'PD1':
        if (current) current.pd1 = s;
        break;
      case 'NK1':
        current?.nk1.push(s);
        break;
      case 'ORC':
        flush();
        orc = s;
        break;
      case 'RXA':
        flush();
        group = { rxa: s, obx: [] };
        if (orc) group.orc = orc;
        orc = undefined;
        break;
      case 'RXR':
        if (group) group.rxr = s;
        break;
      case 'OBX':
        group?.obx.push(s);
        break;
    }
  }
  flush();
  return out;
}

/** Parses an RSP^K11 answer to a Z34 query. Never throws. */
export function parseRsp(text: string): RspResult | RspParseFailure {
  const input = typeof text === 'string' ? text : '';
  const fail = (kind: RspParseFailure['kind'], message: string): RspParseFailure => ({ ok: false, kind, message, excerpt: input.slice(0, 500) });
  try {
    if (input.trim() === '') return fail('empty', 'The registry answered the query with an empty message.');
    let msg: Hl7Message;
    try {
      msg = parseMessage(input);
    } catch (err) {
      return fail('not_hl7', `The registry's answer is not HL7: ${err instanceof Hl7ParseError ? err.message : String(err)}`);
    }
    const type = msg.messageType.code;
    const msa = msg.segment('MSA');
    if (!msa) return fail('missing_msa', 'The query response has no MSA segment.');
    const rawCode = msa.get(1).trim().toUpperCase();
    const code = ((ACK_CODES as readonly string[]).includes(rawCode) ? rawCode : 'AE') as AckCode;
    if (type !== 'RSP') {
      // A Z23 ACK (unsupported message etc.) answers a query the registry could not take at all.
      if (type === 'ACK') {
        return { ok: true, kind: 'error', code, acknowledgedControlId: msa.get(2), queryTag: '', status: 'AR', profile: msg.get('MSH', 21), errors: readErrors(msg) };
      }
      return fail('not_rsp', `Expected an RSP^K11 query response, got ${type || 'no message type'}.`);
    }
    const common: RspCommon = {
      ok: true,
      code,
      acknowledgedControlId: msa.get(2),
      queryTag: msg.get('QAK', 1),
      status: msg.get('QAK', 2).toUpperCase(),
      profile: msg.get('MSH', 21),
      errors: readErrors(msg),
    };
    const patients = walk(msg);
    if (common.status === 'NF') return { ...common, kind: 'no-match' };
    if (common.status === 'TM') return { ...common, kind: 'too-many' };
    if (common.status === 'PD') return { ...common, kind: 'protected' };
    if (common.status === 'AE' || common.status === 'AR' || code === 'AR') return { ...common, kind: 'error' };
    if (patients.length === 0) return { ...common, kind: code === 'AE' ? 'error' : 'no-match' };
    if (common.profile === PROFILE.rspCandidates || (common.profile !== PROFILE.rspHistory && patients.length > 1)) {
      return { ...common, kind: 'candidates', candidates: patients.map((p) => readPatient(p.pid, p.pd1, p.nk1)) };
    }
    const first = patients[0]!;
    return { ...common, kind: 'history', patient: readPatient(first.pid, first.pd1, first.nk1), doses: first.doses };
  } catch (err) {
    return fail('not_hl7', `The query response could not be read: ${err instanceof Error ? err.message : String(err)}`);
  }
}
