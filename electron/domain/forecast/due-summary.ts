// Turns a forecast into what the chart shows: what is overdue, due today, due soon.
import { addText, formatDay, parseDay } from './dates';
import type { ForecastResult, ForecastStatus, VaccineGroupForecast } from './types';

export interface DueItem {
  vaccineGroup: string;
  targetDose?: number;
  earliest?: string;
  recommended?: string;
  pastDue?: string;
  latest?: string;
  /** The dose may be given on the assessment date (earliest date reached). */
  canGiveToday: boolean;
  /** Whole days past the past-due date (overdue items only). */
  daysOverdue?: number;
  vaccines: { cvx: string; name: string }[];
  /** CDSi observation codes the dose is due because of (a risk series' indication). */
  because?: string[];
}

export interface NotDueItem {
  vaccineGroup: string;
  status: ForecastStatus;
  reason?: string;
  /** For a series in progress: when the next dose becomes due. */
  recommended?: string;
  /** CDSi observation codes behind the status (a contraindication, a risk series' indication). */
  because?: string[];
}

export interface DueSummary {
  assessmentDate: string;
  overdue: DueItem[];
  dueToday: DueItem[];
  dueSoon: DueItem[];
  notDue: NotDueItem[];
}

function item(f: VaccineGroupForecast, today: number): DueItem {
  const out: DueItem = {
    vaccineGroup: f.vaccineGroup,
    canGiveToday: f.earliest !== undefined && parseDay(f.earliest) <= today,
    vaccines: f.vaccines,
  };
  if (f.targetDose !== undefined) out.targetDose = f.targetDose;
  if (f.earliest) out.earliest = f.earliest;
  if (f.recommended) out.recommended = f.recommended;
  if (f.pastDue) out.pastDue = f.pastDue;
  if (f.latest) out.latest = f.latest;
  if (f.because) out.because = f.because;
  return out;
}

/**
 * Buckets a forecast for the patient chart. A group is overdue from its past-due date on,
 * due today once its recommended date (or, without one, its earliest date) has come, and
 * due soon when that date falls within `soonDays`. Everything else is listed as not due,
 * with the reason (complete, immune, aged out, contraindicated, next dose later).
 */
export function dueSummary(result: ForecastResult, assessmentDate: string = result.assessmentDate, soonDays = 30): DueSummary {
  const today = parseDay(assessmentDate);
  const soon = addText(today, `${Math.max(0, Math.floor(soonDays))} days`);
  const summary: DueSummary = { assessmentDate: formatDay(today), overdue: [], dueToday: [], dueSoon: [], notDue: [] };
  for (const f of result.forecasts) {
    if (f.status !== 'not_complete') {
      const nd: NotDueItem = { vaccineGroup: f.vaccineGroup, status: f.status };
      if (f.reason) nd.reason = f.reason;
      if (f.because) nd.because = f.because;
      summary.notDue.push(nd);
      continue;
    }
    const due = f.recommended ?? f.earliest;
    const dueDay = due !== undefined ? parseDay(due) : undefined;
    const i = item(f, today);
    if (f.pastDue !== undefined && today >= parseDay(f.pastDue) && i.canGiveToday) {
      i.daysOverdue = today - parseDay(f.pastDue);
      summary.overdue.push(i);
    } else if (dueDay !== undefined && dueDay <= today && i.canGiveToday) {
      summary.dueToday.push(i);
    } else if (dueDay !== undefined && dueDay <= soon) {
      summary.dueSoon.push(i);
    } else {
      const nd: NotDueItem = { vaccineGroup: f.vaccineGroup, status: f.status, reason: 'Next dose not yet due' };
      if (due) nd.recommended = due;
      if (f.because) nd.because = f.because;
      summary.notDue.push(nd);
    }
  }
  summary.overdue.sort((a, b) => (b.daysOverdue ?? 0) - (a.daysOverdue ?? 0) || a.vaccineGroup.localeCompare(b.vaccineGroup));
  summary.dueSoon.sort((a, b) => (a.recommended ?? a.earliest ?? '').localeCompare(b.recommended ?? b.earliest ?? ''));
  return summary;
}

/**
 * Orders the CVX codes of a dose-entry picker: vaccines due now (overdue, then due today,
 * then due soon) first, in forecast order, then every other code in its original order.
 */
export function dueVaccinesFirst(summary: DueSummary, allCvx: readonly string[]): string[] {
  const first: string[] = [];
  for (const bucket of [summary.overdue, summary.dueToday, summary.dueSoon]) {
    for (const i of bucket) for (const v of i.vaccines) if (!first.includes(v.cvx)) first.push(v.cvx);
  }
  if (allCvx.length === 0) return first;
  const offered = first.filter((c) => allCvx.includes(c));
  return [...offered, ...allCvx.filter((c) => !offered.includes(c))];
}
