// Public input and output shapes of the forecast engine.

export type Gender = 'F' | 'M' | 'U' | 'X';

export interface ForecastDose {
  /** The caller's own dose id, echoed back in the evaluations. */
  id?: string;
  cvx: string;
  mvx?: string;
  /** YYYY-MM-DD */
  date: string;
}

/** A CDSi observation with the dates CDSi reasons from. */
export interface ForecastObservation {
  /** CDSi observation code, e.g. "171" (date of hematopoietic stem cell transplant). */
  code: string;
  /** YYYY-MM-DD the observation began (transplant, start of antiviral therapy, pregnancy); intervals count from it. */
  date?: string;
  /** YYYY-MM-DD it ended (a pregnancy); not in force after it. */
  endDate?: string;
}

export interface ForecastPatient {
  /** YYYY-MM-DD */
  dob: string;
  gender: Gender;
  doses: ForecastDose[];
  /**
   * CDSi observations (conditions, contraindications, evidence of immunity): a bare code
   * ("055") or a code with its dates. One not yet begun or already ended on the assessment
   * date is not in force.
   */
  observations?: readonly (string | ForecastObservation)[];
}

export type DoseStatus = 'valid' | 'not_valid' | 'extraneous' | 'sub_standard';

/** The specification's evaluation reasons, worded as CDC's test cases word them. */
export type DoseReason =
  | 'Age: Too Young'
  | 'Age: Too Old'
  | 'Grace Period'
  | 'Interval: Too Soon'
  | 'Live Virus Conflict'
  | 'Not a preferable or allowable vaccine'
  | 'Inadvertent Vaccine'
  | 'Series Already Complete'
  | 'Unknown vaccine (CVX not in supporting data)';

export interface DoseEvaluation {
  /** Position of the dose in the patient's `doses` array. */
  doseIndex: number;
  doseId?: string;
  cvx: string;
  date: string;
  antigen: string;
  vaccineGroup: string;
  status: DoseStatus;
  reason?: DoseReason;
  /** The patient series the dose was evaluated in (the best series for its antigen). */
  seriesName?: string;
  /** Target dose (1-based) the dose satisfied, when valid. */
  targetDose?: number;
}

export type ForecastStatus = 'not_complete' | 'complete' | 'immune' | 'aged_out' | 'contraindicated' | 'not_recommended';

export interface AntigenForecast {
  antigen: string;
  status: ForecastStatus;
  seriesName?: string;
  targetDose?: number;
  earliest?: string;
  recommended?: string;
  pastDue?: string;
  latest?: string;
}

export interface VaccineGroupForecast {
  vaccineGroup: string;
  status: ForecastStatus;
  /** Next target dose number (of the first antigen still needing one). */
  targetDose?: number;
  earliest?: string;
  recommended?: string;
  pastDue?: string;
  latest?: string;
  /** Vaccine types that may be given for the next dose. */
  vaccines: { cvx: string; name: string }[];
  /** Why no dose is due, for the chart. */
  reason?: string;
  /**
   * The patient's CDSi observation codes behind the status: what opened the risk series a dose
   * is due in ("160" asplenia), or the contraindication. Absent when age alone decides.
   */
  because?: string[];
  antigens: AntigenForecast[];
}

export interface ForecastResult {
  assessmentDate: string;
  dataVersion: string;
  evaluations: DoseEvaluation[];
  forecasts: VaccineGroupForecast[];
}

export interface ForecastOptions {
  /** Limit the work to these vaccine groups (by CDSi name, e.g. "MMR"). Default: every group. */
  vaccineGroups?: readonly string[];
  /** Skip the per-dose evaluation list in the result (faster for recall runs). */
  forecastOnly?: boolean;
}
