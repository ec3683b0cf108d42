// What the evaluation of one patient needs at hand: dates as day numbers and the patient's
// age dates memoised per duration (the same "6 weeks" appears in dozens of rules).
import { type Day, type Duration, addDuration, addMonthsToCivil, civilFromDays, durationCount } from './dates';
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

const NO_DATES: ReadonlyMap<string, Day> = new Map();

export class PatientContext {
  /**
   * Age dates by duration id; a hole until computed. A plain array of small integers lives in
   * the young generation; a Float64Array of this size needs an off-heap buffer per patient.
   */
  private readonly memo: (Day | undefined)[];
  /** The birth date's year, month and day, for ages of the one-calendar-move form. */
  private readonly dobFields: readonly [number, number, number];

  constructor(
    readonly dob: Day,
    readonly gender: string,
    readonly assessment: Day,
    readonly observations: ReadonlySet<string>,
    /** The whole history, by date. */
    readonly doses: readonly AdministeredDose[],
    /** The live-virus doses of the history, by date (for conflict checks). */
    readonly liveDoses: readonly AdministeredDose[] = doses,
    /** Observation code → the date it began, for intervals "from relevant observation". */
    readonly observationDates: ReadonlyMap<string, Day> = NO_DATES,
  ) {
    this.memo = new Array<Day | undefined>(durationCount() + 16);
    this.dobFields = civilFromDays(dob);
  }

  /** Date the patient reaches an age (DOB + duration). */
  ageDate(age: Duration): Day {
    const m = this.memo;
    const id = age.id;
    const hit = m[id];
    if (hit !== undefined) return hit;
    const months = age.calendarMonths;
    const [y, mo, dd] = this.dobFields;
    const d = months === undefined ? addDuration(this.dob, age) : addMonthsToCivil(y, mo, dd, months) + (age.thenDays ?? 0);
    if (id < m.length) m[id] = d;
    return d;
  }
}
