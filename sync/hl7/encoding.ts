// HL7 v2 encoding rules: delimiters, escape sequences, timestamps and dates (CDC IZ IG R1.5,
// docs/domain.md §1.2–1.3). Every text a user typed passes through `escapeHl7` before it is placed
// in a message and through `unescapeHl7` when it is read back, so that any string survives a
// round trip byte for byte.

export interface Delimiters {
  field: string;
  component: string;
  repetition: string;
  escape: string;
  subcomponent: string;
}

/** The only delimiters the IZ guide allows (conformance statements IZ-12/IZ-13). */
export const DEFAULT_DELIMITERS: Readonly<Delimiters> = Object.freeze({
  field: '|',
  component: '^',
  repetition: '~',
  escape: '\\',
  subcomponent: '&',
});

/** MSH-2 for the default delimiters. */
export const ENCODING_CHARACTERS = '^~\\&';

/** Segment terminator when sending (receivers must accept CR, LF and CRLF). */
export const SEGMENT_TERMINATOR = '\r';

/** The HL7 null: a field holding exactly `""` means "delete the stored value". */
export const HL7_NULL = '""';

export function encodingCharacters(d: Delimiters): string {
  return d.component + d.repetition + d.escape + d.subcomponent;
}

export function isDefaultDelimiters(d: Delimiters): boolean {
  return (
    d === DEFAULT_DELIMITERS ||
    (d.field === '|' && d.component === '^' && d.repetition === '~' && d.escape === '\\' && d.subcomponent === '&')
  );
}

// ---------------------------------------------------------------------------------------------
// Escaping

const DEFAULT_NEEDS_ESCAPE = /[\\|^&~\r\n]/;

function escapeChar(ch: string, d: Delimiters): string | undefined {
  const e = d.escape;
  if (ch === d.escape) return `${e}E${e}`;
  if (ch === d.field) return `${e}F${e}`;
  if (ch === d.component) return `${e}S${e}`;
  if (ch === d.subcomponent) return `${e}T${e}`;
  if (ch === d.repetition) return `${e}R${e}`;
  // A bare CR or LF would end the segment; the hex escape keeps it (HL7 2.5.1 §2.7.5).
  if (ch === '\r') return `${e}X0D${e}`;
  if (ch === '\n') return `${e}X0A${e}`;
  return undefined;
}

/** Escapes every delimiter, the escape character itself, CR and LF in a data value. */
export function escapeHl7(text: string, d: Delimiters = DEFAULT_DELIMITERS): string {
  if (d === DEFAULT_DELIMITERS || isDefaultDelimiters(d)) {
    if (!DEFAULT_NEEDS_ESCAPE.test(text)) return text;
  }
  let out = '';
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const rep = escapeChar(text[i] as string, d);
    if (rep !== undefined) {
      out += text.slice(start, i) + rep;
      start = i + 1;
    }
  }
  return start === 0 ? text : out + text.slice(start);
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

function decodeHex(hex: string): string | undefined {
  if (hex.length === 0 || hex.length % 2 !== 0 || !/^[0-9A-Fa-f]+$/.test(hex)) return undefined;
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return utf8.decode(bytes);
}

function decodeSequence(body: string, d: Delimiters): string | undefined {
  switch (body) {
    case 'F':
      return d.field;
    case 'S':
      return d.component;
    case 'T':
      return d.subcomponent;
    case 'R':
      return d.repetition;
    case 'E':
      return d.escape;
    case 'H':
    case 'N':
      return ''; // highlighting on/off carries no text
    case '.br':
      return '\n';
  }
  const kind = body[0];
  if (kind === 'X') return decodeHex(body.slice(1));
  // Character-set switches and locally defined escapes carry no displayable text.
  if (kind === 'C' || kind === 'M' || kind === 'Z') return '';
  if (kind === '.') return ''; // other formatting commands (.sp, .in, .ti, .sk, .ce, .fi, .nf)
  return undefined;
}

/**
 * Decodes escape sequences. Unknown sequences and lone escape characters are kept literally:
 * registries do send stray backslashes, and losing their text would hide what they meant.
 */
export function unescapeHl7(text: string, d: Delimiters = DEFAULT_DELIMITERS): string {
  const e = d.escape;
  let i = text.indexOf(e);
  if (i < 0) return text;
  let out = '';
  let start = 0;
  while (i >= 0) {
    const close = text.indexOf(e, i + 1);
    if (close < 0) break;
    const decoded = decodeSequence(text.slice(i + 1, close), d);
    if (decoded === undefined) {
      // Not a sequence: keep this escape character and try again from the next one.
      i = text.indexOf(e, i + 1);
      continue;
    }
    out += text.slice(start, i) + decoded;
    start = close + 1;
    i = text.indexOf(e, start);
  }
  return out + text.slice(start);
}

// ---------------------------------------------------------------------------------------------
// Time zones

/** Minutes east of UTC in force at `instant` (e.g. -240 for EDT). */
export type OffsetProvider = (instant: Date) => number;

/** The offset of the machine this runs on. */
export const localOffsetProvider: OffsetProvider = (instant) => -instant.getTimezoneOffset();

/** A fixed offset, for tests and for sites that configure one. */
export function fixedOffsetProvider(offsetMinutes: number): OffsetProvider {
  return () => offsetMinutes;
}

/** The offset of an IANA time zone (e.g. `America/New_York`), daylight saving included. */
export function zoneOffsetProvider(timeZone: string): OffsetProvider {
  const fmt = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
  return (instant) => {
    const name = fmt.formatToParts(instant).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
    const m = /^GMT([+-])(\d{2}):?(\d{2})?$/.exec(name);
    if (!m) return 0; // "GMT" alone means UTC
    const minutes = Number(m[2]) * 60 + Number(m[3] ?? '0');
    return m[1] === '-' ? -minutes : minutes;
  };
}

// ---------------------------------------------------------------------------------------------
// Timestamps (DTM / TS) and dates (DT)

const pad2 = (n: number): string => (n < 10 ? '0' : '') + n;
const pad4 = (n: number): string => String(n).padStart(4, '0');

export function formatZone(offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(Math.trunc(offsetMinutes));
  return sign + pad2(Math.floor(abs / 60)) + pad2(abs % 60);
}

export type TimestampPrecision = 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second';

/**
 * Formats an instant as an HL7 timestamp in the wall-clock time of `offsetMinutes`.
 * Default: `YYYYMMDDHHMMSS±ZZZZ` (TS_Z, which MSH-7 requires).
 */
export function formatHl7Timestamp(
  instant: Date,
  offsetMinutes: number,
  precision: 'day' | 'minute' | 'second' = 'second',
  withZone = precision !== 'day',
): string {
  const t = instant.getTime();
  if (!Number.isFinite(t)) throw new RangeError('formatHl7Timestamp: invalid Date');
  const w = new Date(t + offsetMinutes * 60_000);
  let s = pad4(w.getUTCFullYear()) + pad2(w.getUTCMonth() + 1) + pad2(w.getUTCDate());
  if (precision !== 'day') s += pad2(w.getUTCHours()) + pad2(w.getUTCMinutes());
  if (precision === 'second') s += pad2(w.getUTCSeconds());
  return withZone ? s + formatZone(offsetMinutes) : s;
}

export interface Hl7Timestamp {
  year: number;
  month?: number;
  day?: number;
  hour?: number;
  minute?: number;
  second?: number;
  /** Fraction of a second as written (`"1234"` for `.1234`). */
  fraction?: string;
  /** Minutes east of UTC when the timestamp carries a zone. */
  offsetMinutes?: number;
  precision: TimestampPrecision;
  /** `YYYY-MM-DD` when the timestamp has day precision or finer. */
  isoDate?: string;
  /** The exact instant, when the timestamp has a zone and minute precision or finer. */
  instant?: Date;
}

const TS_RE = /^(\d{4})(?:(\d{2})(?:(\d{2})(?:(\d{2})(?:(\d{2})(?:(\d{2})(?:\.(\d{1,4}))?)?)?)?)?)?([+-]\d{4})?$/;

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  if (month === 2 && (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0))) return 29;
  return DAYS[month - 1] ?? 0;
}

/** Parses an HL7 DTM/TS value; `undefined` when it is not a valid timestamp. */
export function parseHl7Timestamp(text: string): Hl7Timestamp | undefined {
  const m = TS_RE.exec(text.trim());
  if (!m) return undefined;
  const year = Number(m[1]);
  const ts: Hl7Timestamp = { year, precision: 'year' };
  if (m[2] !== undefined) {
    const month = Number(m[2]);
    if (month < 1 || month > 12) return undefined;
    ts.month = month;
    ts.precision = 'month';
  }
  if (m[3] !== undefined) {
    const day = Number(m[3]);
    if (day < 1 || day > daysInMonth(year, ts.month as number)) return undefined;
    ts.day = day;
    ts.precision = 'day';
    ts.isoDate = `${pad4(year)}-${pad2(ts.month as number)}-${pad2(day)}`;
  }
  if (m[4] !== undefined) {
    const hour = Number(m[4]);
    if (hour > 23) return undefined;
    ts.hour = hour;
    ts.precision = 'hour';
  }
  if (m[5] !== undefined) {
    const minute = Number(m[5]);
    if (minute > 59) return undefined;
    ts.minute = minute;
    ts.precision = 'minute';
  }
  if (m[6] !== undefined) {
    const second = Number(m[6]);
    if (second > 59) return undefined;
    ts.second = second;
    ts.precision = 'second';
  }
  if (m[7] !== undefined) ts.fraction = m[7];
  if (m[8] !== undefined) {
    const zh = Number(m[8].slice(1, 3));
    const zm = Number(m[8].slice(3, 5));
    if (zh > 14 || zm > 59) return undefined;
    ts.offsetMinutes = (m[8][0] === '-' ? -1 : 1) * (zh * 60 + zm);
    if (ts.hour !== undefined) {
      const ms = ts.fraction ? Math.round(Number(`0.${ts.fraction}`) * 1000) : 0;
      const wall = Date.UTC(year, (ts.month as number) - 1, ts.day as number, ts.hour, ts.minute ?? 0, ts.second ?? 0, ms);
      ts.instant = new Date(wall - ts.offsetMinutes * 60_000);
    }
  }
  return ts;
}

const ISO_DATE_RE = /^(\d{4})-?(\d{2})(?:-?(\d{2}))?$/;

/**
 * Formats a calendar date (`YYYY-MM-DD`, `YYYY-MM`, or already `YYYYMMDD`) as HL7 DT
 * (`YYYYMMDD` / `YYYYMM`). Throws a RangeError naming the value when it is not a real date.
 */
export function formatHl7Date(date: string): string {
  const m = ISO_DATE_RE.exec(date.trim());
  if (!m) throw new RangeError(`Not a calendar date: "${date}" (expected YYYY-MM-DD)`);
  const year = Number(m[1]);
  const month = Number(m[2]);
  if (month < 1 || month > 12) throw new RangeError(`Not a calendar date: "${date}" (month ${m[2]})`);
  if (m[3] === undefined) return `${m[1]}${m[2]}`;
  const day = Number(m[3]);
  if (day < 1 || day > daysInMonth(year, month)) throw new RangeError(`Not a calendar date: "${date}" (day ${m[3]})`);
  return `${m[1]}${m[2]}${m[3]}`;
}

/** `20251015` (or any TS with day precision) → `2025-10-15`; `undefined` when not a date. */
export function parseHl7Date(text: string): string | undefined {
  return parseHl7Timestamp(text)?.isoDate;
}
