import { escapeHl7, formatHl7Timestamp, tryParseMessage, type Hl7Message } from '../hl7';
import { splitSegments } from '../transport/hl7-payload';
import { SEEDED_HISTORY, type SeededPatient } from './query-history';
import { type RegistryStore, type StoredDose } from './registry-store';

// QBP^Q11 in, RSP^K11 out (docs/domain.md §1.9): Z34 answered with Z32 (one match), Z31
// (candidates) or Z33 (none / too many); Z44 with Z42 (history, evaluation and forecast) or Z33.
// The registry's history is the seeded set (query-history.ts) plus every dose it holds from
// VXUs, so a dose DoseDesk reported comes back with DoseDesk's own ORC-3.

interface QueryFields {
  profile: string;
  tag: string;
  queryName: string;
  ids: { id: string; type: string }[];
  lastName: string;
  firstName: string;
  mothersMaidenName: string;
  dob: string;
  birthOrder: string;
  max: number;
}

interface Person {
  miisId?: string;
  mrn?: string;
  lastName: string;
  firstName: string;
  dob: string;
  sex: string;
  mothersMaidenName?: string;
  birthOrder?: number;
  objection?: boolean;
  seeded?: SeededPatient;
  stored: StoredDose[];
}

const hl7Date = (iso: string): string => iso.replace(/-/g, '');
const isoFromHl7 = (v: string): string => (/^\d{8}/.test(v) ? `${v.slice(0, 4)}-${v.slice(4, 6)}-${v.slice(6, 8)}` : v);
const same = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase();

export function isQueryMessage(hl7: string): boolean {
  const msh = splitSegments(hl7).find((s) => s.startsWith('MSH')) ?? '';
  return /\|QBP\^Q11/.test(msh);
}

function readQuery(msg: Hl7Message): QueryFields {
  const qpd = msg.segment('QPD');
  const max = Number(msg.get('RCP', 2));
  return {
    profile: msg.get('MSH', 21),
    tag: qpd?.get(2) ?? '',
    queryName: qpd?.get(1) ?? '',
    ids: (qpd?.repetitions(3) ?? []).map((r) => ({ id: r[0]?.[0] ?? '', type: r[4]?.[0] ?? '' })).filter((i) => i.id),
    lastName: qpd?.get(4) ?? '',
    firstName: qpd?.get(4, { comp: 2 }) ?? '',
    mothersMaidenName: qpd?.get(5) ?? '',
    dob: isoFromHl7(qpd?.get(6) ?? ''),
    birthOrder: qpd?.get(11) ?? '',
    max: Number.isInteger(max) && max > 0 ? max : 10,
  };
}

/** Patients the registry knows from the VXUs it accepted, by (PID-3.1, PID-7). */
function storedPeople(store: RegistryStore): Person[] {
  const people = new Map<string, Person>();
  for (const d of store.all()) {
    const key = `${d.patientId}|${d.birthDate}`;
    let p = people.get(key);
    if (!p) {
      const [lastName = '', firstName = ''] = d.patientName.split(', ');
      p = { mrn: d.patientId, lastName, firstName, dob: isoFromHl7(d.birthDate), sex: '', stored: [] };
      people.set(key, p);
    }
    p.stored.push(d);
  }
  return [...people.values()];
}

function seededPerson(s: SeededPatient): Person {
  const p: Person = { miisId: s.miisId, lastName: s.lastName, firstName: s.firstName, dob: s.dob, sex: s.sex, seeded: s, stored: [] };
  if (s.mothersMaidenName) p.mothersMaidenName = s.mothersMaidenName;
  if (s.birthOrder !== undefined) p.birthOrder = s.birthOrder;
  if (s.objection) p.objection = true;
  return p;
}

/** Who the query describes: by registry id first, then by the DoseDesk MRN, then by name and birth date. */
function findPeople(q: QueryFields, seeded: readonly SeededPatient[], store: RegistryStore): Person[] {
  const stored = storedPeople(store);
  const sr = q.ids.find((i) => i.type === 'SR');
  const mr = q.ids.find((i) => i.type === 'MR');
  const withStored = (p: Person): Person => {
    // The doses DoseDesk itself reported for this person are part of the registry's record.
    const mine = stored.filter((s) => (mr && s.mrn === mr.id && s.dob === p.dob) || (same(s.lastName, p.lastName) && same(s.firstName, p.firstName) && s.dob === p.dob));
    return { ...p, stored: mine.flatMap((s) => s.stored) };
  };
  if (sr) {
    const s = seeded.find((x) => x.miisId === sr.id || x.mergedIds?.includes(sr.id));
    return s ? [withStored(seededPerson(s))] : [];
  }
  let found = seeded
    .filter((s) => same(s.lastName, q.lastName) && s.dob === q.dob && (same(s.firstName, q.firstName) || s.firstName.toLowerCase().startsWith(q.firstName.trim().toLowerCase())))
    .map(seededPerson);
  if (q.birthOrder) found = found.filter((p) => p.birthOrder === undefined || String(p.birthOrder) === q.birthOrder);
  if (q.mothersMaidenName && found.length > 1) found = found.filter((p) => !p.mothersMaidenName || same(p.mothersMaidenName, q.mothersMaidenName));
  if (found.length > 0) return found.map(withStored);
  const byMrn = mr ? stored.filter((s) => s.mrn === mr.id && s.dob === q.dob) : [];
  if (byMrn.length > 0) return byMrn;
  return stored.filter((s) => same(s.lastName, q.lastName) && same(s.firstName, q.firstName) && s.dob === q.dob);
}

export interface QueryResponderOptions {
  now: () => Date;
  /** Default: the seeded history set. */
  seeded?: readonly SeededPatient[];
  segmentEnd: string;
}

export class QueryResponder {
  private counter = 0;
  constructor(
    private readonly store: RegistryStore,
    private readonly options: QueryResponderOptions,
  ) {}

  answer(hl7: string): string {
    const parsed = tryParseMessage(hl7);
    const now = this.options.now();
    const ts = formatHl7Timestamp(now, -now.getTimezoneOffset());
    const controlId = parsed.ok ? parsed.message.controlId : '';
    const sender = parsed.ok ? [parsed.message.get('MSH', 3), parsed.message.get('MSH', 4)] : ['', ''];
    const msh = (profile: string) =>
      `MSH|^~\\&|MIIS|99990|${escapeHl7(sender[0] ?? '')}|${escapeHl7(sender[1] ?? '')}|${ts}||RSP^K11^RSP_K11|RSP${++this.counter}|P|2.5.1|||NE|NE|||||${profile}^CDCPHINVS`;
    if (!parsed.ok) {
      return this.join([msh('Z33'), `MSA|AR|${controlId}`, 'ERR||MSH^1^1|102^Data type error^HL70357|E||||The query could not be read as HL7.', 'QAK||AR']);
    }
    const q = readQuery(parsed.message);
    const qpd = parsed.message.segment('QPD')?.toString(parsed.message.delimiters) ?? 'QPD';
    const kind = q.queryName.split('^')[0] ?? '';
    const qak = (status: string) => `QAK|${escapeHl7(q.tag)}|${status}|${q.queryName}`;
    if (kind !== 'Z34' && kind !== 'Z44') {
      return this.join([msh('Z33'), `MSA|AR|${controlId}`, `ERR||QPD^1^1|202^Unsupported protocol^HL70357|E||||The registry answers the Z34 and Z44 queries only, not "${escapeHl7(kind)}".`, qak('AR'), qpd]);
    }
    if (!q.ids.length && (!q.lastName || !q.dob)) {
      return this.join([
        msh('Z33'),
        `MSA|AE|${controlId}`,
        'ERR||QPD^1^4|101^Required field missing^HL70357|E||||A query needs the patient name and date of birth, or a registry id.',
        qak('AE'),
        qpd,
      ]);
    }
    const people = findPeople(q, this.options.seeded ?? SEEDED_HISTORY, this.store).filter((p) => !p.objection);
    if (people.length === 0) return this.join([msh('Z33'), `MSA|AA|${controlId}`, qak('NF'), qpd]);
    if (people.length > 1) {
      if (kind === 'Z44' || people.length > q.max) return this.join([msh('Z33'), `MSA|AA|${controlId}`, qak('TM'), qpd]);
      const lines = [msh('Z31'), `MSA|AA|${controlId}`, qak('OK'), qpd];
      people.forEach((p, i) => lines.push(this.pid(p, i + 1)));
      return this.join(lines);
    }
    const p = people[0]!;
    const forecast = kind === 'Z44';
    const lines = [msh(forecast ? 'Z42' : 'Z32'), `MSA|AA|${controlId}`, qak('OK'), qpd, this.pid(p, 1)];
    for (const d of p.seeded?.doses ?? []) {
      lines.push(`ORC|RE||${escapeHl7(d.orderId)}^${escapeHl7(d.orderNamespace)}`);
      const src = d.source === '00' ? '00^New immunization record^NIP001' : `${d.source}^Historical information^NIP001`;
      lines.push(`RXA|0|1|${hl7Date(d.on)}|${hl7Date(d.on)}|${d.cvx}^${escapeHl7(d.cvxText)}^CVX|999|||${src}||^^^${escapeHl7(d.facility)}||||||||CP|A`);
      if (forecast) {
        lines.push(`OBX|1|CE|30956-7^vaccine type^LN|1|${d.groupCvx}^${escapeHl7(d.groupName)}^CVX||||||F`);
        lines.push('OBX|2|CE|59781-5^Dose validity^LN|1|Y^Yes^HL70136||||||F');
      }
    }
    for (const s of p.stored) for (const seg of s.segments.split('\r')) if (!forecast || !seg.startsWith('OBX')) lines.push(seg);
    if (forecast) {
      (p.seeded?.forecast ?? []).forEach((f, i) => {
        const sub = String(i + 1);
        lines.push('ORC|RE||9999^DCS');
        lines.push(`RXA|0|1|${hl7Date(isoFromHl7(ts.slice(0, 8)))}|${hl7Date(isoFromHl7(ts.slice(0, 8)))}|998^No vaccine administered^CVX|999||||||||||||||NA`);
        lines.push(`OBX|1|CE|30979-9^Vaccines due next^LN|${sub}|${f.groupCvx}^${escapeHl7(f.groupName)}^CVX||||||F`);
        lines.push(`OBX|2|DT|30981-5^Earliest date to give^LN|${sub}|${hl7Date(f.earliest)}||||||F`);
        lines.push(`OBX|3|DT|30980-7^Date vaccine due^LN|${sub}|${hl7Date(f.recommended)}||||||F`);
        if (f.overdue) lines.push(`OBX|4|DT|59778-1^Date dose is overdue^LN|${sub}|${hl7Date(f.overdue)}||||||F`);
        lines.push(`OBX|5|NM|30973-2^Dose number in series^LN|${sub}|${f.doseNumber}||||||F`);
        lines.push(`OBX|6|CE|59783-1^Status in immunization series^LN|${sub}|${escapeHl7(f.status)}^${escapeHl7(f.status)}^L||||||F`);
      });
    }
    return this.join(lines);
  }

  private pid(p: Person, setId: number): string {
    const ids = [p.mrn ? `${escapeHl7(p.mrn)}^^^DoseDesk^MR` : '', p.miisId ? `${p.miisId}^^^MIIS^SR` : ''].filter(Boolean).join('~');
    const mmn = p.mothersMaidenName ? `${escapeHl7(p.mothersMaidenName)}^^^^^^M` : '';
    const multiple = p.birthOrder !== undefined ? `Y|${p.birthOrder}` : '|';
    return `PID|${setId}||${ids}||${escapeHl7(p.lastName)}^${escapeHl7(p.firstName)}^^^^^L|${mmn}|${hl7Date(p.dob)}|${p.sex}||||||||||||||||${multiple}`;
  }

  private join(lines: string[]): string {
    const end = this.options.segmentEnd;
    return lines.join(end) + end;
  }
}
