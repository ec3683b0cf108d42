import { describe, expect, it } from 'vitest';
import { deadlineUrgency, reportingDeadline } from '../../../electron/domain/deadline';

const EST = -300; // UTC offset in minutes, Boston in winter

describe('reporting deadline (105 CMR 222.100)', () => {
  it('is 72 hours after the recorded administration time', () => {
    const d = reportingDeadline({ kind: 'administered', administeredOn: '2026-11-25', administeredTime: '14:05' }, {}, EST);
    expect(d?.rule).toBe('72h_after_administration');
    expect(d?.deadline.toISOString()).toBe('2026-11-28T19:05:00.000Z');
  });

  it('starts the clock at the beginning of the day when no time was recorded (never later than the law)', () => {
    const d = reportingDeadline({ kind: 'administered', administeredOn: '2026-11-25' }, {}, EST);
    expect(d?.deadline.toISOString()).toBe('2026-11-28T05:00:00.000Z');
  });

  it('runs 24 hours from naming for a birth dose given before the newborn was named', () => {
    const d = reportingDeadline(
      { kind: 'administered', administeredOn: '2026-11-25', administeredTime: '02:00' },
      { namedAt: '2026-11-26T10:00:00-05:00' },
      EST,
    );
    expect(d?.rule).toBe('24h_after_naming');
    expect(d?.deadline.toISOString()).toBe('2026-11-27T15:00:00.000Z');
  });

  it('uses the 72-hour rule when the patient was named before the dose', () => {
    const d = reportingDeadline({ kind: 'administered', administeredOn: '2026-11-25' }, { namedAt: '2026-11-20T10:00:00-05:00' }, EST);
    expect(d?.rule).toBe('72h_after_administration');
  });

  it('does not apply to historical records or refusals', () => {
    expect(reportingDeadline({ kind: 'historical', administeredOn: '2020-01-01' }, {}, EST)).toBeUndefined();
    expect(reportingDeadline({ kind: 'refusal', administeredOn: '2026-11-25' }, {}, EST)).toBeUndefined();
  });

  it('warns a day ahead and flags an overdue dose', () => {
    const deadline = new Date('2026-11-28T19:05:00Z');
    expect(deadlineUrgency(deadline, new Date('2026-11-26T19:05:00Z'))).toBe('ok');
    expect(deadlineUrgency(deadline, new Date('2026-11-28T00:00:00Z'))).toBe('soon');
    expect(deadlineUrgency(deadline, new Date('2026-11-28T19:05:00Z'))).toBe('overdue');
  });
});
