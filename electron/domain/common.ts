import { z } from 'zod';
import { optionalTextField, requiredTextField } from './text';

// Dates travel as ISO calendar dates (YYYY-MM-DD) because a dose is given on a day, and the
// registry, the forms and the forecast all reason in days. Timestamps carry their offset.

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isValidIsoDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1850 || mo < 1 || mo > 12 || d < 1) return false;
  return d <= daysInMonth(y, mo);
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export const isoDate = z
  .string()
  .trim()
  .refine(isValidIsoDate, { message: 'Enter a real date as YYYY-MM-DD.' });

export const isoDateTime = z.iso.datetime({ offset: true, message: 'Enter a date and time with its time zone.' });

/** Optional single-line free text (the `line` rule of text.ts: no control characters, no emoji). */
export const optionalText = (max: number, what = 'This field') => optionalTextField({ what, max, kind: 'line' });

/** Required single-line free text. */
export const requiredText = (max: number, what: string) => requiredTextField({ what, max, kind: 'line' });

/** Compare two ISO dates as calendar days. */
export function compareIsoDates(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The local calendar date of an instant, as the clinic's clock shows it. */
export function localIsoDate(at: Date): string {
  const y = at.getFullYear();
  const m = String(at.getMonth() + 1).padStart(2, '0');
  const d = String(at.getDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

/** The calendar date at an instant on a clock `offsetMinutes` east of UTC (-300 for Boston in winter). */
export function isoDateAtOffset(at: Date, offsetMinutes: number): string {
  return new Date(at.getTime() + offsetMinutes * 60_000).toISOString().slice(0, 10);
}

export function addDaysIso(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return t.toISOString().slice(0, 10);
}

/** Whole years of age on a date (birthday rule: the day of the birthday counts). */
export function ageInYears(dob: string, on: string): number {
  const [by, bm, bd] = dob.split('-').map(Number) as [number, number, number];
  const [y, m, d] = on.split('-').map(Number) as [number, number, number];
  let age = y - by;
  if (m < bm || (m === bm && d < bd)) age -= 1;
  return age;
}
