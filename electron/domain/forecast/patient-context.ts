// What the evaluation of one patient needs at hand: dates as day numbers and the patient's
// age dates memoised per duration (the same "6 weeks" appears in dozens of rules).
import { type Day, type Duration, addDuration, durationCount } from './dates';
import type { LiveVirusConflict } from './model';

export interface AdministeredDose {
  /** Index in the caller's dose array. */
  idx: number;
  cvx: string;
  mvx?: string;
  date: Day;
  /** Live virus conflict rules for this dose's CVX (null: none), looked up once. */
  liveRules?: readonly LiveVirusConflict[] | null;
}

export class PatientContext {
  /** Age dates by duration id; NaN until computed. */
  private readonly memo: Float64Array;

  constructor(
    readonly dob: Day,
    readonly gender: string,
    readonly assessment: Day,
    readonly observations: ReadonlySet<string>,
    /** The whole history, by date. */
    readonly doses: readonly AdministeredDose[],
    /** The live-virus doses of the history, by date (for conflict checks). */
    readonly liveDoses: readonly AdministeredDose[] = doses,
  ) {
    this.memo = new Float64Array(durationCount() + 16).fill(Number.NaN);
  }

  /** Date the patient reaches an age (DOB + duration). */
  ageDate(age: Duration): Day {
    const m = this.memo;
    const id = age.id;
    const hit = m[id];
    if (hit !== undefined && hit === hit) return hit;
    const d = addDuration(this.dob, age);
    if (id < m.length) m[id] = d;
    return d;
  }
}
