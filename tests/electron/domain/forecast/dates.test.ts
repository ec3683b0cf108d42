import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addText, daysFromCivil, formatDay, parseDay, parseDuration } from '../../../../electron/domain/forecast/dates';

const add = (date: string, duration: string): string => formatDay(addText(parseDay(date), duration));

describe('CDSi date arithmetic', () => {
  it('reads CDSi durations with several signed parts', () => {
    expect(parseDuration('6 weeks - 4 days').parts).toEqual([
      { amount: 6, unit: 'week' },
      { amount: -4, unit: 'day' },
    ]);
    expect(parseDuration('3 months + 4 weeks').parts).toEqual([
      { amount: 3, unit: 'month' },
      { amount: 4, unit: 'week' },
    ]);
    expect(parseDuration('1 year').parts).toEqual([{ amount: 1, unit: 'year' }]);
    expect(parseDuration('0 days').parts).toEqual([{ amount: 0, unit: 'day' }]);
  });

  it('refuses text that is not a duration, naming it', () => {
    expect(() => parseDuration('six weeks')).toThrow(/"six weeks"/);
    expect(() => parseDuration('6 weeks and change')).toThrow(/not readable/);
  });

  it('adds years, months, weeks and days in the order written', () => {
    expect(add('2025-01-15', '6 weeks - 4 days')).toBe('2025-02-22');
    expect(add('2025-01-15', '2 months')).toBe('2025-03-15');
    expect(add('2025-01-15', '1 year + 6 months')).toBe('2026-07-15');
    expect(add('2025-03-10', '- 4 days')).toBe('2025-03-06');
  });

  it('rolls a day that does not exist in the target month to the first of the next month', () => {
    expect(add('2025-01-31', '1 month')).toBe('2025-03-01');
    expect(add('2024-01-31', '1 month')).toBe('2024-03-01');
    expect(add('2025-03-31', '1 month')).toBe('2025-05-01');
    expect(add('2024-02-29', '1 year')).toBe('2025-03-01');
    expect(add('2024-02-29', '4 years')).toBe('2028-02-29');
    expect(add('2025-08-31', '6 months - 4 days')).toBe('2026-02-25');
  });

  it('crosses year ends in both directions', () => {
    expect(add('2025-11-30', '3 months')).toBe('2026-03-01');
    expect(add('2025-12-15', '1 month')).toBe('2026-01-15');
    expect(add('2026-01-02', '- 4 days')).toBe('2025-12-29');
  });

  it('reads YYYY-MM-DD, CDC YYYYMMDD and MM/DD/YYYY, and rejects impossible dates', () => {
    expect(formatDay(parseDay('20250827'))).toBe('2025-08-27');
    expect(formatDay(parseDay('01/01/1957'))).toBe('1957-01-01');
    expect(() => parseDay('2025-02-29')).toThrow(/real calendar date/);
    expect(() => parseDay('2025-13-01')).toThrow(/real calendar date/);
    expect(() => parseDay('next tuesday')).toThrow(/not a date/);
  });

  it('formats and parses back every day between 1900 and 2200', () => {
    fc.assert(
      fc.property(fc.integer({ min: daysFromCivil(1900, 1, 1), max: daysFromCivil(2200, 12, 31) }), (day) => {
        expect(parseDay(formatDay(day))).toBe(day);
      }),
    );
  });

  it('agrees with the JavaScript calendar when adding days and weeks', () => {
    fc.assert(
      fc.property(fc.integer({ min: daysFromCivil(1950, 1, 1), max: daysFromCivil(2100, 1, 1) }), fc.integer({ min: -400, max: 400 }), (day, n) => {
        const viaJs = new Date(Date.UTC(1970, 0, 1 + day + n)).toISOString().slice(0, 10);
        expect(formatDay(addText(day, `${n} days`))).toBe(viaJs);
      }),
    );
  });
});
