// Checks a message against a NIST conformance profile (the XML of build/sources/nist-profiles):
// segment structure and cardinality, field and component usage (R/RE/X and the IG's C
// predicates), repetitions, lengths of primitive values, and value sets we hold locally.
// It is what keeps a field the profile requires from silently going missing.
import { XMLParser } from 'fast-xml-parser';
import type { Hl7Message, Hl7Repetition, Hl7Segment } from './message';

export type Usage = 'R' | 'RE' | 'O' | 'C' | 'X' | 'B' | 'W';

interface ElementDef {
  name: string;
  usage: Usage;
  datatype: string;
  maxLength?: number;
  binding?: string;
  /** 1-based component the binding applies to (CE/CWE: 1). */
  bindingLocation?: number;
}

interface FieldDef extends ElementDef {
  min: number;
  max: number;
}

interface SegmentDef {
  name: string;
  fields: FieldDef[];
  /** OBX-5 `varies`: datatype by OBX-2 (and OBX-3.1). */
  dynamic?: { position: number; reference: number; cases: { value: string; second?: string; datatype: string }[] };
}

type StructureNode =
  | { kind: 'segment'; name: string; ref: string; usage: Usage; min: number; max: number }
  | { kind: 'group'; name: string; usage: Usage; min: number; max: number; children: StructureNode[] };

export interface ConformanceProfile {
  name: string;
  structure: StructureNode[];
  segments: Map<string, SegmentDef>;
  datatypes: Map<string, ElementDef[]>;
}

export interface ProfileIssue {
  /** e.g. `RXA[1]-15`, `PID[1]-5.7`, `OBX[2]`. */
  location: string;
  rule: 'structure' | 'usage' | 'cardinality' | 'length' | 'value-set';
  message: string;
}

/** Tells whether a code belongs to a value set; undefined when we do not hold that value set. */
export type ValueSetLookup = (valueSet: string, code: string) => boolean | undefined;

type XmlNode = Record<string, unknown>;

const num = (v: unknown, dflt: number): number => {
  if (v === '*') return Number.POSITIVE_INFINITY;
  const n = Number(v);
  return v === undefined || v === '' || Number.isNaN(n) ? dflt : n;
};

function attrs(node: XmlNode): Record<string, string> {
  return (node[':@'] as Record<string, string> | undefined) ?? {};
}

function children(node: XmlNode, tag: string): XmlNode[] {
  return (node[tag] as XmlNode[] | undefined) ?? [];
}

function tagOf(node: XmlNode): string {
  return Object.keys(node).find((k) => k !== ':@') ?? '';
}

function find(nodes: XmlNode[], tag: string): XmlNode | undefined {
  return nodes.find((n) => tagOf(n) === tag);
}

function element(a: Record<string, string>): ElementDef {
  const def: ElementDef = { name: a.Name ?? '', usage: (a.Usage ?? 'O') as Usage, datatype: a.Datatype ?? 'ST' };
  const maxLength = num(a.MaxLength, Number.NaN);
  if (Number.isFinite(maxLength)) def.maxLength = maxLength;
  if (a.Binding) def.binding = a.Binding;
  if (a.BindingLocation) def.bindingLocation = Number(a.BindingLocation.split(/[.:]/)[0]);
  return def;
}

function structure(nodes: XmlNode[]): StructureNode[] {
  const out: StructureNode[] = [];
  for (const n of nodes) {
    const a = attrs(n);
    const tag = tagOf(n);
    if (tag === 'Segment') {
      out.push({ kind: 'segment', name: '', ref: a.Ref ?? '', usage: (a.Usage ?? 'O') as Usage, min: num(a.Min, 0), max: num(a.Max, 1) });
    } else if (tag === 'Group') {
      out.push({ kind: 'group', name: a.Name ?? a.ID ?? '', usage: (a.Usage ?? 'O') as Usage, min: num(a.Min, 0), max: num(a.Max, 1), children: structure(children(n, 'Group')) });
    }
  }
  return out;
}

/** Reads a NIST conformance profile (XML text). */
export function loadProfile(xml: string): ConformanceProfile {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', preserveOrder: true, commentPropName: '#comment' });
  const doc = parser.parse(xml) as XmlNode[];
  const root = find(doc, 'ConformanceProfile');
  if (!root) throw new Error('Not a NIST conformance profile: no <ConformanceProfile> element.');
  const top = children(root, 'ConformanceProfile');
  const messages = children(find(top, 'Messages') ?? {}, 'Messages');
  const message = find(messages, 'Message');
  if (!message) throw new Error('The conformance profile has no <Message>.');
  const segments = new Map<string, SegmentDef>();
  for (const s of children(find(top, 'Segments') ?? {}, 'Segments')) {
    if (tagOf(s) !== 'Segment') continue;
    const a = attrs(s);
    const def: SegmentDef = { name: a.Name ?? '', fields: [] };
    for (const f of children(s, 'Segment')) {
      const tag = tagOf(f);
      if (tag === 'Field') {
        const fa = attrs(f);
        def.fields.push({ ...element(fa), min: num(fa.Min, 0), max: num(fa.Max, 1) });
      } else if (tag === 'DynamicMapping') {
        const mapping = find(children(f, 'DynamicMapping'), 'Mapping');
        if (mapping) {
          const ma = attrs(mapping);
          def.dynamic = {
            position: num(ma.Position, 5),
            reference: num(ma.Reference, 2),
            cases: children(mapping, 'Mapping')
              .filter((c) => tagOf(c) === 'Case')
              .map((c) => {
                const ca = attrs(c);
                return { value: ca.Value ?? '', second: ca.SecondValue, datatype: ca.Datatype ?? 'ST' };
              }),
          };
        }
      }
    }
    segments.set(a.ID ?? def.name, def);
  }
  const datatypes = new Map<string, ElementDef[]>();
  for (const d of children(find(top, 'Datatypes') ?? {}, 'Datatypes')) {
    if (tagOf(d) !== 'Datatype') continue;
    const comps = children(d, 'Datatype').filter((c) => tagOf(c) === 'Component').map((c) => element(attrs(c)));
    datatypes.set(attrs(d).ID ?? '', comps);
  }
  const str = structure(children(message, 'Message'));
  const nameRefs = (nodes: StructureNode[]): void => {
    for (const n of nodes) {
      if (n.kind === 'segment') n.name = segments.get(n.ref)?.name ?? n.ref.slice(0, 3);
      else nameRefs(n.children);
    }
  };
  nameRefs(str);
  return { name: attrs(message).Identifier ?? attrs(message).Description ?? '', structure: str, segments, datatypes };
}

// ---------------------------------------------------------------------------------------------
// Structure

function firstSegmentNames(node: StructureNode): string[] {
  if (node.kind === 'segment') return [node.name];
  const out: string[] = [];
  for (const c of node.children) {
    out.push(...firstSegmentNames(c));
    if (c.min > 0) break; // a required child ends the set of possible first segments
  }
  return out;
}

interface Placed {
  segment: Hl7Segment;
  ref: string;
  /** 1-based index among segments with this name. */
  occurrence: number;
  /** The order group's RXA, for ORC-12's predicate. */
  groupRxa?: Hl7Segment;
}

function matchStructure(
  nodes: StructureNode[],
  segs: Hl7Segment[],
  start: number,
  path: string,
  issues: ProfileIssue[],
  placed: Placed[],
  seen: Map<string, number>,
): number {
  let pos = start;
  for (const node of nodes) {
    let count = 0;
    while (count < node.max && pos < segs.length) {
      const name = segs[pos]!.name;
      if (node.kind === 'segment') {
        if (name !== node.name) break;
        const occurrence = (seen.get(name) ?? 0) + 1;
        seen.set(name, occurrence);
        placed.push({ segment: segs[pos]!, ref: node.ref, occurrence });
        pos++;
      } else {
        if (!firstSegmentNames(node).includes(name)) break;
        const before = placed.length;
        pos = matchStructure(node.children, segs, pos, `${path}${node.name}/`, issues, placed, seen);
        const rxa = placed.slice(before).find((p) => p.segment.name === 'RXA')?.segment;
        if (rxa) for (const p of placed.slice(before)) p.groupRxa = rxa;
      }
      count++;
    }
    if (count < node.min) {
      const what = node.kind === 'segment' ? `segment ${node.name}` : `group ${node.name}`;
      issues.push({ location: `${path}${node.kind === 'segment' ? node.name : node.name}`, rule: 'structure', message: `Required ${what} is missing (${count} of at least ${node.min}).` });
    }
  }
  return pos;
}

// ---------------------------------------------------------------------------------------------
// Predicates for usage C (IG R1.5 / NIST MU-2014 profile text; the 2016 XML carries none)

type Resolved = 'R' | 'RE' | 'O' | 'X';

const completed = (rxa: Hl7Segment | undefined): boolean => {
  const s = rxa?.get(20) ?? '';
  return s === '' || s === 'CP' || s === 'PA';
};
const newAdministration = (rxa: Hl7Segment | undefined): boolean => rxa?.get(9) === '00' && completed(rxa);

const FIELD_PREDICATES: Record<string, (p: Placed) => Resolved> = {
  'PID-25': (p) => (p.segment.get(24) === 'Y' ? 'RE' : 'O'),
  'PID-29': (p) => (p.segment.get(30) === 'Y' ? 'RE' : 'X'),
  'PD1-13': (p) => (p.segment.has(12) ? 'RE' : 'X'),
  'PD1-17': (p) => (p.segment.has(16) ? 'RE' : 'X'),
  'PD1-18': (p) => (p.segment.has(11) ? 'RE' : 'X'),
  'ORC-12': (p) => (newAdministration(p.groupRxa) ? 'RE' : 'O'),
  'RXA-7': (p) => (p.segment.get(6) !== '999' ? 'R' : 'O'),
  'RXA-9': (p) => (completed(p.segment) ? 'R' : 'O'),
  'RXA-10': (p) => (newAdministration(p.segment) ? 'RE' : 'O'),
  'RXA-11': (p) => (newAdministration(p.segment) ? 'RE' : 'O'),
  'RXA-15': (p) => (newAdministration(p.segment) ? 'R' : 'O'),
  'RXA-16': (p) => (p.segment.has(15) ? 'RE' : 'O'),
  'RXA-17': (p) => (newAdministration(p.segment) ? 'R' : 'O'),
  'RXA-18': (p) => (p.segment.get(20) === 'RE' ? 'R' : 'X'),
  // R1.5 deleted "empty means add": DoseDesk always sends the action code.
  'RXA-21': () => 'R',
  'OBX-6': (p) => (['NM', 'SN'].includes(p.segment.get(2)) ? 'R' : 'O'),
  'OBX-17': (p) => (p.segment.get(3) === '64994-7' ? 'R' : 'O'),
};

const valued = (rep: Hl7Repetition, comp: number): boolean => (rep[comp - 1] ?? []).some((s) => s !== '');

const COMPONENT_PREDICATES: Record<string, (rep: Hl7Repetition) => Resolved> = {
  'CWE_IZ.3': (r) => (valued(r, 1) ? 'R' : 'O'),
  'CE_IZ.5': (r) => (valued(r, 4) ? 'RE' : 'O'),
  'CE_IZ.6': (r) => (valued(r, 4) ? 'R' : 'O'),
  'XCN_IZ.9': (r) => (valued(r, 1) ? 'R' : 'O'),
  'XCN_IZ.13': (r) => (valued(r, 1) ? 'R' : 'O'),
  'XTN_IZ.4': (r) => ((r[1]?.[0] ?? '') === 'NET' ? 'R' : 'X'),
  'XTN_IZ.6': (r) => ((r[1]?.[0] ?? '') !== 'NET' ? 'RE' : 'X'),
  'XTN_IZ.7': (r) => ((r[1]?.[0] ?? '') !== 'NET' ? 'R' : 'X'),
  'XON_IZ.6': (r) => (valued(r, 10) ? 'R' : 'O'),
  'XON_IZ.7': (r) => (valued(r, 10) ? 'R' : 'O'),
  'HD_IZ.1': (r) => (valued(r, 2) ? 'O' : 'R'),
  'HD_IZ.2': (r) => (valued(r, 1) ? 'O' : 'R'),
  'HD_IZ.3': (r) => (valued(r, 2) ? 'R' : 'X'),
};

function resolveUsage(usage: Usage, predicate: (() => Resolved) | undefined): Resolved {
  if (usage === 'C') return predicate ? predicate() : 'O';
  if (usage === 'B' || usage === 'W') return 'O';
  return usage;
}

// ---------------------------------------------------------------------------------------------
// Fields and components

function checkBinding(binding: string | undefined, value: string, where: string, lookup: ValueSetLookup, issues: ProfileIssue[]): void {
  if (!binding || value === '') return;
  const sets = binding.split(':');
  const answers = sets.map((s) => lookup(s, value));
  if (answers.every((a) => a === undefined)) return;
  if (!answers.some((a) => a === true)) {
    issues.push({ location: where, rule: 'value-set', message: `"${value}" is not in value set ${binding}.` });
  }
}

function checkLength(def: ElementDef, value: string, where: string, issues: ProfileIssue[]): void {
  if (def.maxLength !== undefined && value.length > def.maxLength) {
    issues.push({ location: where, rule: 'length', message: `${def.name} is ${value.length} characters; the profile allows ${def.maxLength}.` });
  }
}

function checkComposite(
  profile: ConformanceProfile,
  datatype: string,
  parts: string[][],
  depth: 'component' | 'subcomponent',
  where: string,
  lookup: ValueSetLookup,
  issues: ProfileIssue[],
): void {
  const comps = profile.datatypes.get(datatype) ?? [];
  const rep: Hl7Repetition = parts;
  comps.forEach((c, i) => {
    const n = i + 1;
    const here = `${where}.${n}`;
    const values = parts[i] ?? [];
    const present = values.some((v) => v !== '');
    const usage = resolveUsage(c.usage, COMPONENT_PREDICATES[`${datatype}.${n}`] ? () => COMPONENT_PREDICATES[`${datatype}.${n}`]!(rep) : undefined);
    if (usage === 'R' && !present) issues.push({ location: here, rule: 'usage', message: `${c.name} (${datatype}.${n}) is required but empty.` });
    if (usage === 'X' && present) issues.push({ location: here, rule: 'usage', message: `${c.name} (${datatype}.${n}) must not be sent.` });
    if (!present) return;
    const sub = profile.datatypes.get(c.datatype) ?? [];
    if (sub.length > 0 && depth === 'component') {
      checkComposite(profile, c.datatype, values.map((v) => [v]), 'subcomponent', here, lookup, issues);
    } else {
      const value = depth === 'component' ? (values[0] ?? '') : values.join('');
      checkLength(c, value, here, issues);
      checkBinding(c.binding, value, here, lookup, issues);
    }
  });
}

function datatypeFor(def: FieldDef, fieldNo: number, segDef: SegmentDef, segment: Hl7Segment): string {
  if (def.datatype !== 'varies' || !segDef.dynamic || segDef.dynamic.position !== fieldNo) return def.datatype;
  const ref = segment.get(segDef.dynamic.reference);
  const second = segment.get(3);
  const hit = segDef.dynamic.cases.find((c) => c.value === ref && c.second === second) ?? segDef.dynamic.cases.find((c) => c.value === ref && !c.second);
  return hit?.datatype ?? 'ST';
}

function checkSegment(profile: ConformanceProfile, p: Placed, lookup: ValueSetLookup, issues: ProfileIssue[]): void {
  const def = profile.segments.get(p.ref);
  if (!def) return;
  const s = p.segment;
  const isHeader = s.name === 'MSH';
  def.fields.forEach((f, i) => {
    const n = i + 1;
    if (isHeader && n <= 2) return; // the delimiters, checked by the parser
    const where = `${s.name}[${p.occurrence}]-${n}`;
    const field = s.field(n);
    const repsPresent = field.filter((r) => r.some((c) => c.some((v) => v !== '')));
    const present = repsPresent.length > 0;
    const predicate = FIELD_PREDICATES[`${s.name}-${n}`];
    const usage = resolveUsage(f.usage, predicate ? () => predicate(p) : undefined);
    if (usage === 'R' && !present) issues.push({ location: where, rule: 'usage', message: `${f.name} (${s.name}-${n}) is required but empty.` });
    if (usage === 'X' && present) issues.push({ location: where, rule: 'usage', message: `${f.name} (${s.name}-${n}) must not be sent.` });
    if (!present) return;
    if (field.length > f.max) issues.push({ location: where, rule: 'cardinality', message: `${f.name} repeats ${field.length} times; at most ${f.max} allowed.` });
    const datatype = datatypeFor(f, n, def, s);
    const composite = (profile.datatypes.get(datatype) ?? []).length > 0;
    field.forEach((rep, r) => {
      const here = field.length > 1 ? `${where}~${r + 1}` : where;
      if (composite) {
        checkComposite(profile, datatype, rep, 'component', here, lookup, issues);
        const at = (f.bindingLocation ?? 1) - 1;
        checkBinding(f.binding, rep[at]?.[0] ?? '', `${here}.${at + 1}`, lookup, issues);
      } else {
        const value = rep[0]?.[0] ?? '';
        checkLength(f, value, here, issues);
        checkBinding(f.binding, value, here, lookup, issues);
      }
    });
  });
}

/** Every way `message` departs from `profile`; an empty list means conformant as far as we check. */
export function checkProfile(message: Hl7Message, profile: ConformanceProfile, lookup: ValueSetLookup = () => undefined): ProfileIssue[] {
  const issues: ProfileIssue[] = [];
  const placed: Placed[] = [];
  const end = matchStructure(profile.structure, message.segments, 0, '', issues, placed, new Map());
  for (let i = end; i < message.segments.length; i++) {
    const s = message.segments[i]!;
    issues.push({ location: `${s.name}`, rule: 'structure', message: `Segment ${s.name} (position ${i + 1}) is out of place or not in the profile.` });
  }
  for (const p of placed) checkSegment(profile, p, lookup, issues);
  return issues;
}
