// Shape of the compact CDSi supporting data that `build/scripts/build-cdsi.ts` derives from
// CDC's XML. Durations stay in CDC's own text ("6 weeks - 4 days") so the JSON can be read
// side by side with the XML; the engine compiles them once per data object.

export interface CdsiSupportingData {
  /** CDC supporting-data release, e.g. "4.64". */
  version: string;
  /** Where the XML came from, for the About box and for audits. */
  source: string;
  antigens: Record<string, AntigenData>;
  vaccineGroups: VaccineGroupData[];
  /** CVX code → short description and the antigens it carries (by patient age). */
  cvx: Record<string, CvxData>;
  liveVirusConflicts: LiveVirusConflictData[];
  /** Observation code → title (conditions, contraindications, immunity evidence). */
  observations: Record<string, ObservationData>;
}

export interface ObservationData {
  title: string;
  group?: string;
}

export interface CvxData {
  name: string;
  antigens: { antigen: string; beginAge?: string; endAge?: string }[];
}

export interface VaccineGroupData {
  name: string;
  /** "Yes" for MMR: a dose is due for every antigen as soon as one is due. */
  administerFullVaccineGroup: boolean;
  antigens: string[];
}

export interface LiveVirusConflictData {
  previousCvx: string;
  currentCvx: string;
  begin: string;
  minEnd: string;
  end: string;
}

export interface AntigenData {
  immunity: {
    /** Observation codes that are evidence of immunity (lab evidence, history of disease). */
    guidelines: string[];
    birthDate: { before: string; country?: string; exclusions: string[] }[];
  };
  contraindications: {
    antigen: { code: string; beginAge?: string; endAge?: string }[];
    vaccine: { code: string; vaccines: { cvx: string; beginAge?: string; endAge?: string }[] }[];
  };
  series: SeriesData[];
}

export type SeriesType = 'Standard' | 'Risk' | 'Evaluation Only';

export interface SeriesData {
  name: string;
  vaccineGroup: string;
  type: SeriesType;
  equivalentSeriesGroups?: string;
  /** Empty means every gender. Values: F, M, U. */
  genders: string[];
  defaultSeries: boolean;
  productPath: boolean;
  seriesGroup: string;
  seriesGroupName: string;
  priority: string;
  preference: number;
  minAgeToStart?: string;
  maxAgeToStart?: string;
  indications: { code: string; beginAge?: string; endAge?: string }[];
  doses: SeriesDoseData[];
}

export interface AgeData {
  absMinAge?: string;
  minAge?: string;
  earliestRecAge?: string;
  latestRecAge?: string;
  maxAge?: string;
  effectiveDate?: string;
  cessationDate?: string;
}

export interface IntervalData {
  fromPrevious: boolean;
  fromTargetDose?: number;
  fromMostRecent?: string[];
  fromRelevantObs?: string;
  absMinInt?: string;
  minInt?: string;
  earliestRecInt?: string;
  latestRecInt?: string;
  priorityOverride?: boolean;
  effectiveDate?: string;
  cessationDate?: string;
}

export interface AllowableIntervalData {
  fromPrevious: boolean;
  fromTargetDose?: number;
  absMinInt?: string;
  effectiveDate?: string;
  cessationDate?: string;
}

export interface VaccineData {
  cvx: string;
  beginAge?: string;
  endAge?: string;
  mvx?: string;
  /** Preferable vaccines only: may be offered in the forecast. */
  forecast?: boolean;
}

export interface SkipConditionData {
  type: 'Age' | 'Completed Series' | 'Interval' | 'Vaccine Count by Age' | 'Vaccine Count by Date' | 'Vaccine Count by Date and Age';
  startDate?: string;
  endDate?: string;
  beginAge?: string;
  endAge?: string;
  interval?: string;
  doseCount?: number;
  doseType?: 'Valid' | 'Total';
  doseCountLogic?: 'greater than' | 'equal to' | 'less than';
  vaccineTypes?: string[];
  seriesGroups?: string[];
}

export interface SkipSetData {
  effectiveDate?: string;
  cessationDate?: string;
  logic: 'AND' | 'OR';
  conditions: SkipConditionData[];
}

export interface ConditionalSkipData {
  context: 'Evaluation' | 'Forecast' | 'Both';
  logic: 'AND' | 'OR';
  sets: SkipSetData[];
}

export interface SeriesDoseData {
  doseNumber: number;
  ages: AgeData[];
  intervals: IntervalData[];
  allowableIntervals: AllowableIntervalData[];
  preferable: VaccineData[];
  allowable: VaccineData[];
  inadvertent: string[];
  skips: ConditionalSkipData[];
  recurring: boolean;
  season?: { start?: string; end?: string };
}
