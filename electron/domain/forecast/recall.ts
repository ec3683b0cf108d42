// Reminder/recall: every patient overdue for a vaccine group on the assessment date, with an
// age band, over a whole patient store. Streams the patients (an iterable) and keeps only the
// overdue entries, so a million-patient run needs no more memory than its result.
import { type Day, civilFromDays, formatDay, parseDay } from './dates';
import { defaultSupportingData } from './default-data';
import { PatientRun, patientContext } from './engine';
import { resolveGroups } from './evaluate-and-forecast';
import { compileModel } from './model';
import type { CdsiSupportingData } from './supporting-data';
import type { ForecastPatient } from './types';

export interface AgeBand {
  label: string;
  /** Lower bound in whole months of age, inclusive. */
  fromMonths: number;
  /** Upper bound in whole months, exclusive; omit for no upper bound. */
  toMonths?: number;
}

export const DEFAULT_AGE_BANDS: readonly AgeBand[] = [
  { label: '0-23 months', fromMonths: 0, toMonths: 24 },
  { label: '2-6 years', fromMonths: 24, toMonths: 84 },
  { label: '7-18 years', fromMonths: 84, toMonths: 228 },
  { label: '19-64 years', fromMonths: 228, toMonths: 780 },
  { label: '65+ years', fromMonths: 780 },
];

export interface RecallOptions {
  /** Vaccine groups to scan (CDSi names). Default: every group. */
  vaccineGroups?: readonly string[];
  ageBands?: readonly AgeBand[];
  /** Only list patients at least this many days past the past-due date. Default 0. */
  minDaysOverdue?: number;
  /** Supporting data (tests pass their own). */
  data?: CdsiSupportingData;
  /** Receive entries one by one instead of collecting them (for very large runs). */
  onEntry?: (entry: RecallEntry) => void;
}

export interface RecallEntry {
  patientId: string;
  vaccineGroup: string;
  ageBand: string;
  ageMonths: number;
  targetDose?: number;
  pastDue: string;
  daysOverdue: number;
  vaccines: string[];
}

export interface RecallList {
  assessmentDate: string;
  patientsScanned: number;
  /** Patients whose data could not be read (bad dates), with the reason. */
  skipped: { patientId: string; reason: string }[];
  entries: RecallEntry[];
  /** Overdue counts per vaccine group and age band. */
  counts: Record<string, Record<string, number>>;
}

export type RecallPatient = ForecastPatient & { id: string };

function ageInMonths(dob: Day, on: Day): number {
  const [y1, m1, d1] = civilFromDays(dob);
  const [y2, m2, d2] = civilFromDays(on);
  return (y2 - y1) * 12 + (m2 - m1) - (d2 < d1 ? 1 : 0);
}

function bandOf(bands: readonly AgeBand[], months: number): string {
  for (const b of bands) if (months >= b.fromMonths && (b.toMonths === undefined || months < b.toMonths)) return b.label;
  return 'other';
}

export function buildRecallList(patients: Iterable<RecallPatient>, assessmentDate: string, options: RecallOptions = {}): RecallList {
  const model = compileModel(options.data ?? defaultSupportingData);
  const assessment = parseDay(assessmentDate);
  const groups = resolveGroups(model, options.vaccineGroups);
  const bands = options.ageBands ?? DEFAULT_AGE_BANDS;
  const minOverdue = options.minDaysOverdue ?? 0;
  const list: RecallList = { assessmentDate: formatDay(assessment), patientsScanned: 0, skipped: [], entries: [], counts: {} };
  for (const g of groups) list.counts[g.name] = Object.fromEntries(bands.map((b) => [b.label, 0]));
  for (const p of patients) {
    list.patientsScanned++;
    let pr: PatientRun;
    try {
      pr = new PatientRun(model, patientContext(model, p, assessment), p.doses.length);
    } catch (err) {
      list.skipped.push({ patientId: p.id, reason: err instanceof Error ? err.message : String(err) });
      continue;
    }
    let months = -1;
    let band = '';
    for (const g of groups) {
      const f = pr.group(g);
      if (f.status !== 'not_complete' || f.pastDue === undefined) continue;
      const overdue = assessment - f.pastDue;
      // Overdue and givable today (a dose that cannot be given yet is not a recall).
      if (overdue < minOverdue || overdue < 0 || f.earliest === undefined || f.earliest > assessment) continue;
      if (months < 0) {
        months = ageInMonths(pr.ctx.dob, assessment);
        band = bandOf(bands, months);
      }
      const counts = list.counts[g.name] as Record<string, number>;
      counts[band] = (counts[band] ?? 0) + 1;
      const entry: RecallEntry = {
        patientId: p.id,
        vaccineGroup: g.name,
        ageBand: band,
        ageMonths: months,
        pastDue: formatDay(f.pastDue),
        daysOverdue: overdue,
        vaccines: f.vaccines,
      };
      if (f.targetDose !== undefined) entry.targetDose = f.targetDose;
      if (options.onEntry) options.onEntry(entry);
      else list.entries.push(entry);
    }
  }
  return list;
}
