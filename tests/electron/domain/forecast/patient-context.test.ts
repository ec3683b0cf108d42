import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDuration, daysFromCivil, formatDay, parseDuration } from '../../../../electron/domain/forecast/dates';
import { PatientContext } from '../../../../electron/domain/forecast/patient-context';

// ageDate takes a shortcut for one-calendar-move durations (from the birth date's fields);
// it must land on the same day as the general rule, month-end roll-overs included.
const DURATIONS = ['1 month', '2 months', '12 months - 4 days', '4 years', '18 years + 2 weeks', '6 weeks', '0 days', '1 month + 1 month', '6 weeks + 3 months'];

describe('PatientContext.ageDate', () => {
  it('reads the one-calendar-move form of a duration', () => {
    expect(parseDuration('12 months - 4 days')).toMatchObject({ calendarMonths: 12, thenDays: -4 });
    expect(parseDuration('4 years + 1 week')).toMatchObject({ calendarMonths: 48, thenDays: 7 });
    expect(parseDuration('1 month + 1 month').calendarMonths).toBeUndefined();
    expect(parseDuration('6 weeks').calendarMonths).toBeUndefined();
  });

  it('agrees with addDuration on month ends and leap days', () => {
    for (const [y, m, d] of [[2020, 1, 31], [2020, 2, 29], [2019, 8, 31], [2021, 12, 31], [2000, 3, 1]] as const) {
      const dob = daysFromCivil(y, m, d);
      const ctx = new PatientContext(dob, 'F', dob + 10_000, new Set(), []);
      for (const text of DURATIONS) {
        const age = parseDuration(text);
        expect(formatDay(ctx.ageDate(age)), `${formatDay(dob)} + ${text}`).toBe(formatDay(addDuration(dob, age)));
        expect(ctx.ageDate(age)).toBe(addDuration(dob, age)); // memoised answer too
      }
    }
  });

  it('agrees with addDuration for any birth date', () => {
    fc.assert(
      fc.property(fc.integer({ min: daysFromCivil(1900, 1, 1), max: daysFromCivil(2100, 12, 31) }), fc.constantFrom(...DURATIONS), (dob, text) => {
        const age = parseDuration(text);
        const ctx = new PatientContext(dob, 'U', dob, new Set(), []);
        return ctx.ageDate(age) === addDuration(dob, age);
      }),
      { numRuns: 500 },
    );
  });
});
