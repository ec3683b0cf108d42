// CDSi date arithmetic. Dates are whole days since 1970-01-01 (a plain number) so comparisons
// are integer comparisons; ISO `YYYY-MM-DD` strings only at the edges.
//
// CDSi rules (Logic Specification 4.x, "Date calculations"):
// - a duration is a signed sum of years, months, weeks and days, applied left to right
//   ("6 months - 4 days": add six months, then take away four days);
// - years and months move the calendar fields; when the day does not exist in the target month
//   (31 April, 29 February in a common year) the date becomes the first of the next month;
// - weeks are seven days, days are days.

export type Day = number;

/** Sentinel dates the specification uses when a value is absent. */
export const MIN_DAY: Day = daysFromCivil(1900, 1, 1);
export const MAX_DAY: Day = daysFromCivil(2999, 12, 31);

export function daysFromCivil(y: number, m: number, d: number): Day {
  // Howard Hinnant's algorithm: exact for the proleptic Gregorian calendar.
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const mp = (m + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function civilFromDays(z: Day): [number, number, number] {
  civilInto(z);
  return [CIVIL[0] as number, CIVIL[1] as number, CIVIL[2] as number];
}

/**
 * Year, month, day of `z`, written to `CIVIL` rather than returned as a tuple: calendar
 * arithmetic runs for every month-based rule of every dose, and a fresh array per call was a
 * measurable share of the recall's allocation. Read the result before the next call.
 */
const CIVIL = new Int32Array(3);
function civilInto(z: Day): void {
  const zz = z + 719468;
  const era = Math.floor(zz / 146097);
  const doe = zz - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  CIVIL[0] = m <= 2 ? yoe + era * 400 + 1 : yoe + era * 400;
  CIVIL[1] = m;
  CIVIL[2] = d;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
const US = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;

/** Reads `YYYY-MM-DD`, CDC's `YYYYMMDD` or `MM/DD/YYYY`; throws on anything else or an impossible date. */
export function parseDay(text: string): Day {
  // Fast path for the common, well-formed YYYY-MM-DD.
  if (text.length === 10 && text.charCodeAt(4) === 45 && text.charCodeAt(7) === 45) {
    const y = digits(text, 0, 4);
    const m = digits(text, 5, 7);
    const d = digits(text, 8, 10);
    if (y >= 0 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m)) return daysFromCivil(y, m, d);
  }
  const s = text.trim();
  let y: number, m: number, d: number;
  let match = ISO.exec(s) ?? COMPACT.exec(s);
  if (match) {
    y = Number(match[1]);
    m = Number(match[2]);
    d = Number(match[3]);
  } else if ((match = US.exec(s))) {
    y = Number(match[3]);
    m = Number(match[1]);
    d = Number(match[2]);
  } else {
    throw new Error(`"${text}" is not a date (expected YYYY-MM-DD)`);
  }
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) throw new Error(`"${text}" is not a real calendar date`);
  return daysFromCivil(y, m, d);
}

function digits(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

export function formatDay(day: Day): string {
  const [y, m, d] = civilFromDays(day);
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

export type Unit = 'year' | 'month' | 'week' | 'day';
export interface DurationPart {
  amount: number;
  unit: Unit;
}
/** A parsed CDSi duration: parts applied in order; `id` is a small integer unique per text. */
export interface Duration {
  readonly text: string;
  readonly parts: readonly DurationPart[];
  readonly id: number;
  /** Total days when the duration has only weeks and days (no calendar arithmetic needed). */
  readonly fixedDays?: number;
  /**
   * Set when the duration is one calendar move followed only by weeks and days ("4 years",
   * "12 months - 4 days"), the form of nearly every CDSi age: months to add (years × 12),
   * then `thenDays`. Lets a patient's age dates start from the birth date's fields, worked
   * out once, instead of converting the birth date again for every age.
   */
  readonly calendarMonths?: number;
  readonly thenDays?: number;
}

const PART = /([+-]?)\s*(\d+)\s*(years?|months?|weeks?|days?)/gi;
const durationCache = new Map<string, Duration>();

/** Parses "12 months - 4 days", "3 months + 4 weeks", "0 days". Throws on text it cannot read. */
export function parseDuration(text: string): Duration {
  const cached = durationCache.get(text);
  if (cached) return cached;
  const parts: DurationPart[] = [];
  let consumed = '';
  for (const m of text.matchAll(PART)) {
    const sign = m[1] === '-' ? -1 : 1;
    const unit = (m[3] as string).toLowerCase().replace(/s$/, '') as Unit;
    parts.push({ amount: sign * Number(m[2]), unit });
    consumed += m[0];
  }
  if (parts.length === 0 || consumed.replace(/\s+/g, '') !== text.replace(/\s+/g, '')) {
    throw new Error(`CDSi duration "${text}" is not readable (expected e.g. "6 weeks - 4 days")`);
  }
  const calendar = parts.some((p) => p.unit === 'year' || p.unit === 'month');
  const days = (list: readonly DurationPart[]): number => list.reduce((n, p) => n + (p.unit === 'week' ? 7 : 1) * p.amount, 0);
  const fixedDays = calendar ? undefined : days(parts);
  const [first, ...rest] = parts as [DurationPart, ...DurationPart[]];
  const oneMove = calendar && rest.every((p) => p.unit === 'week' || p.unit === 'day');
  const calendarMonths = oneMove ? (first.unit === 'year' ? 12 : 1) * first.amount : undefined;
  const thenDays = oneMove ? days(rest) : undefined;
  const duration: Duration = { text, parts, id: durationCache.size, fixedDays, calendarMonths, thenDays };
  durationCache.set(text, duration);
  return duration;
}

/** How many distinct durations have been parsed (ids are below this). */
export function durationCount(): number {
  return durationCache.size;
}

/** Adds one duration to a date per the CDSi calendar rules. */
export function addDuration(day: Day, duration: Duration): Day {
  if (duration.fixedDays !== undefined) return day + duration.fixedDays;
  let result = day;
  for (const p of duration.parts) {
    if (p.unit === 'day') result += p.amount;
    else if (p.unit === 'week') result += 7 * p.amount;
    else result = addMonths(result, p.unit === 'year' ? 12 * p.amount : p.amount);
  }
  return result;
}

function addMonths(day: Day, months: number): Day {
  civilInto(day);
  return addMonthsToCivil(CIVIL[0] as number, CIVIL[1] as number, CIVIL[2] as number, months);
}

/** `addMonths` for a date already split into year, month (1-12) and day. */
export function addMonthsToCivil(y: number, m: number, d: number, months: number): Day {
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = (total % 12) + 1;
  // A day that does not exist in the target month rolls to the first of the next month.
  if (d > daysInMonth(ny, nm)) return daysFromCivil(ny, nm, daysInMonth(ny, nm)) + 1;
  return daysFromCivil(ny, nm, d);
}

export function addText(day: Day, duration: string): Day {
  return addDuration(day, parseDuration(duration));
}
