// A small typed model of an HL7 v2 message: segments → fields → repetitions → components →
// subcomponents, holding *decoded* values. Parsing decodes escape sequences; serializing
// escapes them again and omits trailing empty separators (IG "Encoding Rules for Sending").
import {
  DEFAULT_DELIMITERS,
  HL7_NULL,
  SEGMENT_TERMINATOR,
  encodingCharacters,
  escapeHl7,
  isDefaultDelimiters,
  unescapeHl7,
  type Delimiters,
} from './encoding';

/** One repetition: components, each a list of subcomponents. */
export type Hl7Repetition = string[][];
/** One field: its repetitions. An empty field is `[]` (or `[[['']]]`). */
export type Hl7Field = Hl7Repetition[];

export interface Hl7Position {
  /** 1-based repetition (default 1). */
  rep?: number;
  /** 1-based component (default 1). */
  comp?: number;
  /** 1-based subcomponent (default 1). */
  sub?: number;
}

export interface Hl7Locator extends Hl7Position {
  /** 1-based occurrence of the segment in the message (default 1). */
  occurrence?: number;
}

const HEADER_SEGMENTS = new Set(['MSH', 'BHS', 'FHS']);
const SEGMENT_NAME_RE = /^[A-Z][A-Z0-9]{2}$/;

export class Hl7ParseError extends Error {
  override readonly name = 'Hl7ParseError';
  constructor(
    message: string,
    /** 1-based line (segment) where the problem is, when known. */
    readonly line?: number,
  ) {
    super(message);
  }
}

export class Hl7Segment {
  constructor(
    readonly name: string,
    /** `fields[n - 1]` is field n. For MSH/BHS/FHS, field 1 is the field separator and
     *  field 2 the encoding characters, both held verbatim. */
    readonly fields: Hl7Field[] = [],
  ) {}

  /** Number of the last field present. */
  get length(): number {
    return this.fields.length;
  }

  field(n: number): Hl7Field {
    return this.fields[n - 1] ?? [];
  }

  /** True when field n exists and holds any non-empty value. */
  has(n: number): boolean {
    return !isEmptyField(this.field(n));
  }

  /** True when field n is the HL7 null `""` ("delete the stored value"), not merely empty. */
  isNull(n: number): boolean {
    const f = this.fields[n - 1];
    return f !== undefined && f.length === 1 && f[0]!.length === 1 && f[0]![0]!.length === 1 && f[0]![0]![0] === HL7_NULL;
  }

  /** The decoded value at field n (rep/comp/sub default to 1); '' when empty or absent. */
  get(n: number, pos: Hl7Position = {}): string {
    const r = this.fields[n - 1]?.[(pos.rep ?? 1) - 1];
    if (r === undefined) return '';
    return r[(pos.comp ?? 1) - 1]?.[(pos.sub ?? 1) - 1] ?? '';
  }

  /** All repetitions of field n. */
  repetitions(n: number): Hl7Repetition[] {
    return this.field(n);
  }

  /** The components of one repetition of field n, each joined from its first subcomponent. */
  components(n: number, rep = 1): string[] {
    return (this.field(n)[rep - 1] ?? []).map((c) => c[0] ?? '');
  }

  set(n: number, value: FieldInput): this {
    while (this.fields.length < n - 1) this.fields.push([]);
    this.fields[n - 1] = toField(value);
    return this;
  }

  toString(d: Delimiters = DEFAULT_DELIMITERS): string {
    return serializeSegment(this, d);
  }
}

export class Hl7Message {
  constructor(
    readonly segments: Hl7Segment[],
    readonly delimiters: Delimiters = DEFAULT_DELIMITERS,
  ) {}

  /** The n-th (1-based) segment with this name. */
  segment(name: string, occurrence = 1): Hl7Segment | undefined {
    let seen = 0;
    for (const s of this.segments) if (s.name === name && ++seen === occurrence) return s;
    return undefined;
  }

  all(name: string): Hl7Segment[] {
    return this.segments.filter((s) => s.name === name);
  }

  /** `get('RXA', 5, { comp: 2 })`: decoded value, '' when absent. */
  get(segment: string, field: number, loc: Hl7Locator = {}): string {
    return this.segment(segment, loc.occurrence ?? 1)?.get(field, loc) ?? '';
  }

  get header(): Hl7Segment | undefined {
    return this.segment('MSH');
  }

  /** MSH-9 as its three components. */
  get messageType(): { code: string; event: string; structure: string } {
    return { code: this.get('MSH', 9), event: this.get('MSH', 9, { comp: 2 }), structure: this.get('MSH', 9, { comp: 3 }) };
  }

  get controlId(): string {
    return this.get('MSH', 10);
  }

  toString(): string {
    return serializeMessage(this);
  }
}

// ---------------------------------------------------------------------------------------------
// Building

/** A field as callers write it: a plain (unescaped) value, nothing, or a structured field. */
export type FieldInput = string | number | undefined | null | Hl7Field;
/** A component as callers write it: a value, nothing, or its subcomponents. */
export type ComponentInput = string | number | undefined | null | readonly (string | number | undefined | null)[];

const str = (v: string | number | undefined | null): string => (v === undefined || v === null ? '' : String(v));

/** One repetition of components: `comps('Rivera', 'Ana', '', '', '', '', 'L')`. */
export function comps(...parts: ComponentInput[]): Hl7Field {
  return [parts.map((p) => (Array.isArray(p) ? (p as readonly (string | number | undefined | null)[]).map(str) : [str(p as string)]))];
}

/** A repeating field from its repetitions: `reps(comps(...), comps(...))`. Empty ones dropped. */
export function reps(...fields: (Hl7Field | undefined)[]): Hl7Field {
  const out: Hl7Field = [];
  for (const f of fields) if (f) for (const r of f) if (!isEmptyRepetition(r)) out.push(r);
  return out;
}

export function toField(value: FieldInput): Hl7Field {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value;
  return [[[String(value)]]];
}

/** A segment from its fields 1..n: `seg('RXR', comps('C28161', 'Intramuscular', 'NCIT'), ...)`. */
export function seg(name: string, ...fields: FieldInput[]): Hl7Segment {
  return new Hl7Segment(name, fields.map(toField));
}

/** An MSH whose fields 3.. are given; fields 1 and 2 come from the delimiters. */
export function mshSegment(fields3on: FieldInput[], d: Delimiters = DEFAULT_DELIMITERS): Hl7Segment {
  return new Hl7Segment('MSH', [[[[d.field]]], [[[encodingCharacters(d)]]], ...fields3on.map(toField)]);
}

// ---------------------------------------------------------------------------------------------
// Serializing

function isEmptyRepetition(r: Hl7Repetition): boolean {
  for (const c of r) for (const s of c) if (s !== '') return false;
  return true;
}

function isEmptyField(f: Hl7Field): boolean {
  for (const r of f) if (!isEmptyRepetition(r)) return false;
  return true;
}

// Separators before empty items are held back and written only when a valued item follows, so
// trailing empty positions vanish while leading and inner ones keep their separators.
function serializeComponent(subs: string[], d: Delimiters): string {
  if (subs.length === 1) return escapeHl7(subs[0] as string, d);
  let out = '';
  let pending = '';
  for (let i = 0; i < subs.length; i++) {
    const sep = i > 0 ? d.subcomponent : '';
    const t = subs[i] as string;
    if (t === '') pending += sep;
    else {
      out += pending + sep + escapeHl7(t, d);
      pending = '';
    }
  }
  return out;
}

function serializeRepetition(rep: Hl7Repetition, d: Delimiters): string {
  let out = '';
  let pending = '';
  for (let i = 0; i < rep.length; i++) {
    const sep = i > 0 ? d.component : '';
    const t = serializeComponent(rep[i] as string[], d);
    if (t === '') pending += sep;
    else {
      out += pending + sep + t;
      pending = '';
    }
  }
  return out;
}

function serializeField(f: Hl7Field, d: Delimiters): string {
  let out = '';
  let pending = '';
  for (let i = 0; i < f.length; i++) {
    const sep = i > 0 ? d.repetition : '';
    const t = serializeRepetition(f[i] as Hl7Repetition, d);
    if (t === '') pending += sep;
    else {
      out += pending + sep + t;
      pending = '';
    }
  }
  return out;
}

export function serializeSegment(s: Hl7Segment, d: Delimiters = DEFAULT_DELIMITERS): string {
  const isHeader = HEADER_SEGMENTS.has(s.name);
  const first = isHeader ? 2 : 0; // MSH-1/MSH-2 are written verbatim, never escaped
  const parts: string[] = [];
  for (let i = first; i < s.fields.length; i++) parts.push(serializeField(s.fields[i] as Hl7Field, d));
  let last = parts.length - 1;
  while (last >= 0 && parts[last] === '') last--;
  parts.length = last + 1;
  if (isHeader) return s.name + d.field + encodingCharacters(d) + (parts.length ? d.field + parts.join(d.field) : '');
  return parts.length ? s.name + d.field + parts.join(d.field) : s.name;
}

/** The message text, each segment ended by CR. */
export function serializeMessage(m: Hl7Message): string {
  let out = '';
  for (const s of m.segments) out += serializeSegment(s, m.delimiters) + SEGMENT_TERMINATOR;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Parsing

const EMPTY_FIELD_TEXT = '';

function parseFieldDefault(raw: string): Hl7Field {
  if (raw === EMPTY_FIELD_TEXT) return [[['']]];
  // Fast path: nothing to split or decode (most fields of a real message).
  if (raw.indexOf('^') < 0 && raw.indexOf('~') < 0 && raw.indexOf('&') < 0) {
    return [[[raw.indexOf('\\') < 0 ? raw : unescapeHl7(raw)]]];
  }
  if (raw.indexOf('~') < 0 && raw.indexOf('&') < 0 && raw.indexOf('\\') < 0) {
    // One repetition of plain components: the common CE/XPN/XAD shape.
    const parts = raw.split('^');
    const rep: Hl7Repetition = new Array(parts.length);
    for (let i = 0; i < parts.length; i++) rep[i] = [parts[i] as string];
    return [rep];
  }
  return parseFieldWith(raw, DEFAULT_DELIMITERS);
}

function parseFieldWith(raw: string, d: Delimiters): Hl7Field {
  const hasEscape = raw.indexOf(d.escape) >= 0;
  return raw.split(d.repetition).map((rep) =>
    rep.split(d.component).map((comp) => {
      const subs = comp.split(d.subcomponent);
      if (hasEscape) for (let i = 0; i < subs.length; i++) subs[i] = unescapeHl7(subs[i] as string, d);
      return subs;
    }),
  );
}

function readDelimiters(first: string): Delimiters {
  const name = first.slice(0, 3);
  if (!HEADER_SEGMENTS.has(name)) {
    throw new Hl7ParseError(`The message does not start with an MSH segment (it starts with "${first.slice(0, 20)}").`, 1);
  }
  const field = first[3];
  const enc = first.slice(4, 8);
  if (field === undefined || enc.length < 4) throw new Hl7ParseError(`${name} is too short to declare the delimiters.`, 1);
  const d: Delimiters = { field, component: enc[0]!, repetition: enc[1]!, escape: enc[2]!, subcomponent: enc[3]! };
  const all = [d.field, d.component, d.repetition, d.escape, d.subcomponent];
  if (new Set(all).size !== 5 || all.some((c) => /[A-Za-z0-9\s]/.test(c))) {
    throw new Hl7ParseError(`${name}-1/${name}-2 declare invalid delimiters "${first.slice(3, 8)}".`, 1);
  }
  return isDefaultDelimiters(d) ? DEFAULT_DELIMITERS : d;
}

/**
 * Parses message text. Segments may end with CR, LF or CRLF; blank lines are ignored; a
 * leading BOM or whitespace is tolerated. Throws `Hl7ParseError` when the text is not HL7.
 */
export function parseMessage(text: string): Hl7Message {
  const body = text.replace(/^[\uFEFF\s]+/, '');
  if (body === '') throw new Hl7ParseError('The message is empty.');
  const lines = body.indexOf('\n') < 0 ? body.split('\r') : body.split(/\r\n|\r|\n/);
  const d = readDelimiters(lines[0] as string);
  const fast = d === DEFAULT_DELIMITERS;
  const enc = encodingCharacters(d);
  const segments: Hl7Segment[] = [];
  for (let li = 0; li < lines.length; li++) {
    let line = lines[li] as string;
    if (line.length === 0 || line.trim() === '') continue;
    // Pretty-printed SOAP bodies indent the segments; the indentation is not data.
    if (line.charCodeAt(0) <= 32) line = line.trimStart();
    const raw = line.split(d.field);
    const name = raw[0] as string;
    if (!SEGMENT_NAME_RE.test(name)) {
      throw new Hl7ParseError(`Line ${li + 1} is not an HL7 segment (it starts with "${line.slice(0, 20)}").`, li + 1);
    }
    const fields: Hl7Field[] = [];
    if (HEADER_SEGMENTS.has(name)) {
      if (raw[1] !== enc) throw new Hl7ParseError(`${name}-2 on line ${li + 1} is "${raw[1] ?? ''}", expected "${enc}".`, li + 1);
      fields.push([[[d.field]]], [[[enc]]]);
      for (let i = 2; i < raw.length; i++) fields.push(fast ? parseFieldDefault(raw[i] as string) : parseFieldWith(raw[i] as string, d));
    } else {
      for (let i = 1; i < raw.length; i++) fields.push(fast ? parseFieldDefault(raw[i] as string) : parseFieldWith(raw[i] as string, d));
    }
    segments.push(new Hl7Segment(name, fields));
  }
  return new Hl7Message(segments, d);
}

export type ParseResult = { ok: true; message: Hl7Message } | { ok: false; error: Hl7ParseError };

/** Like `parseMessage`, but returns the error instead of throwing. */
export function tryParseMessage(text: string): ParseResult {
  try {
    return { ok: true, message: parseMessage(text) };
  } catch (err) {
    if (err instanceof Hl7ParseError) return { ok: false, error: err };
    throw err;
  }
}
