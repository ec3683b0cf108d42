import type { DoseFields } from './dose';
import type { PatientFields } from './patient';

// 105 CMR 222.100 (A): a new dose must reach MIIS within 72 hours of administration; a birth
// dose given to a not-yet-named newborn, within 24 hours of the newborn being named. Historical
// records and refusals have no legal clock.

const HOUR_MS = 3_600_000;
export const REPORTING_WINDOW_HOURS = 72;
export const NEWBORN_WINDOW_HOURS = 24;

/**
 * When the administration started the clock. Without a recorded time we assume the start of
 * the clinic day, which makes the deadline earlier, never later, than the law's.
 */
export function administrationInstant(dose: Pick<DoseFields, 'administeredOn' | 'administeredTime'>, utcOffsetMinutes: number): Date {
  const [y, m, d] = dose.administeredOn.split('-').map(Number) as [number, number, number];
  const [hh, mm] = (dose.administeredTime ?? '00:00').split(':').map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 1, d, hh, mm) - utcOffsetMinutes * 60_000);
}

export interface ReportingDeadline {
  deadline: Date;
  rule: '72h_after_administration' | '24h_after_naming';
}

export function reportingDeadline(
  dose: Pick<DoseFields, 'kind' | 'administeredOn' | 'administeredTime'>,
  patient: Pick<PatientFields, 'namedAt'>,
  utcOffsetMinutes: number,
): ReportingDeadline | undefined {
  if (dose.kind !== 'administered') return undefined;
  const given = administrationInstant(dose, utcOffsetMinutes);
  if (patient.namedAt) {
    const named = new Date(patient.namedAt);
    if (named.getTime() > given.getTime()) {
      return { deadline: new Date(named.getTime() + NEWBORN_WINDOW_HOURS * HOUR_MS), rule: '24h_after_naming' };
    }
  }
  return { deadline: new Date(given.getTime() + REPORTING_WINDOW_HOURS * HOUR_MS), rule: '72h_after_administration' };
}

export type DeadlineUrgency = 'ok' | 'soon' | 'overdue';

/** `soon` once less than `warnHours` remain, so staff can act well before the law's limit. */
export function deadlineUrgency(deadline: Date, now: Date, warnHours = 24): DeadlineUrgency {
  const left = deadline.getTime() - now.getTime();
  if (left <= 0) return 'overdue';
  return left <= warnHours * HOUR_MS ? 'soon' : 'ok';
}
