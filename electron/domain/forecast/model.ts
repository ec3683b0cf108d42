// Compiles the supporting data once (durations parsed, CVX lists as sets and maps) so the
// per-patient logic does lookups, not string work. Cached per data object.
import { type Day, type Duration, MAX_DAY, MIN_DAY, parseDay, parseDuration } from './dates';
import { type Twin, linkTwinSeries } from './series-twins';
import type {
  AgeData,
  CdsiSupportingData,
  ConditionalSkipData,
  SeriesData,
  SeriesDoseData,
  SkipConditionData,
  VaccineData,
} from './supporting-data';

export interface Window {
  effective: Day;
  cessation: Day;
}

export interface AgeRule extends Window {
  absMin?: Duration;
  min?: Duration;
  earliestRec?: Duration;
  latestRec?: Duration;
  max?: Duration;
}

export interface IntervalRule extends Window {
  fromPrevious: boolean;
  fromTargetDose?: number;
  fromMostRecent?: ReadonlySet<string>;
  fromRelevantObs?: string;
  absMin?: Duration;
  min?: Duration;
  earliestRec?: Duration;
  latestRec?: Duration;
  override: boolean;
}

export interface AllowableIntervalRule extends Window {
  fromPrevious: boolean;
  fromTargetDose?: number;
  absMin?: Duration;
}

export interface VaccineRule {
  cvx: string;
  begin?: Duration;
  end?: Duration;
  mvx?: string;
  forecast: boolean;
}

export interface SkipCondition {
  type: SkipConditionData['type'];
  start?: Day;
  end?: Day;
  beginAge?: Duration;
  endAge?: Duration;
  interval?: Duration;
  doseCount: number;
  countValidOnly: boolean;
  logic: 'greater than' | 'equal to' | 'less than';
  vaccineTypes?: ReadonlySet<string>;
  seriesGroups?: readonly string[];
}

export interface SkipSet extends Window {
  all: boolean;
  conditions: SkipCondition[];
}

export interface ConditionalSkip {
  evaluation: boolean;
  forecast: boolean;
  all: boolean;
  sets: SkipSet[];
}

export interface TargetDose {
  number: number;
  ages: AgeRule[];
  /** The age rule when there is exactly one and it is always in force (the common case). */
  onlyAge?: AgeRule;
  intervals: IntervalRule[];
  allowableIntervals: AllowableIntervalRule[];
  preferable: Map<string, VaccineRule[]>;
  preferableList: VaccineRule[];
  allowable: Map<string, VaccineRule[]>;
  inadvertent: ReadonlySet<string>;
  skips: ConditionalSkip[];
  /** The skips that apply when evaluating a dose / when forecasting. */
  evaluationSkips: ConditionalSkip[];
  forecastSkips: ConditionalSkip[];
  recurring: boolean;
  /** Previous live vaccine CVX → longest conflict window with any preferable vaccine of this dose. */
  forecastConflicts?: Map<string, Duration[]>;
  seasonStart?: Day;
  seasonEnd?: Day;
}

export interface Series {
  /** Position among all series of the data (for per-patient arrays). */
  index: number;
  antigen: string;
  /** `Antigen.index` of the series' antigen. */
  antigenIndex: number;
  name: string;
  vaccineGroup: string;
  type: SeriesData['type'];
  genders: ReadonlySet<string>;
  defaultSeries: boolean;
  productPath: boolean;
  seriesGroup: string;
  /** The series group whose best series makes this one redundant (CDSi "equivalent series groups"). */
  equivalentGroup?: string;
  priority: string;
  preference: number;
  minAgeToStart?: Duration;
  maxAgeToStart?: Duration;
  indications: { code: string; beginAge?: Duration; endAge?: Duration }[];
  doses: TargetDose[];
  /** Every CVX some target dose accepts (preferable or allowable). */
  acceptedCvx: ReadonlySet<string>;
  /** A product series that may be left out when the patient has none of its vaccines. */
  prunable: boolean;
  /** Every target dose can be skipped in a forecast, so the series may complete with no dose. */
  mayCompleteWithoutDoses: boolean;
  /** Youngest age at which any dose can count (dose 1 has no skip), if dose 1 has one. */
  firstValidAge?: Duration;
  /** Age from which no dose can count any more (dose 1's maximum age, dose 1 has no skip). */
  lastValidAge?: Duration;
  /** Some target dose's forecast waits out live virus conflicts. */
  hasLiveConflicts: boolean;
  /** A series with the same rules for another antigen of the group (see series-twins.ts). */
  twin?: Twin;
}

export interface Antigen {
  /** Position among all antigens of the data, so per-patient state is an array, not a Map by name. */
  index: number;
  name: string;
  series: Series[];
  /**
   * Series by series group (in data order), each list ordered as selection breaks ties
   * (product series first, then by preference), so evaluation can stop at a sure winner.
   * `hasDefault`: the group has a routine default series that applies to every gender.
   */
  seriesGroups: { group: string; hasDefault: boolean; series: Series[] }[];
  immunityCodes: ReadonlySet<string>;
  immunityBirthDates: { before: Day; exclusions: ReadonlySet<string> }[];
  contraindications: { code: string; beginAge?: Duration; endAge?: Duration }[];
  /** Observation code → CVX codes that may not be given. */
  vaccineContraindications: Map<string, { cvx: string; beginAge?: Duration; endAge?: Duration }[]>;
}

export interface VaccineGroup {
  name: string;
  administerFull: boolean;
  antigens: string[];
  /** The group's antigens that the data defines, in group order. */
  antigenList: Antigen[];
}

/** An antigen a CVX code carries, for doses given between two ages. */
export interface CvxAntigen {
  antigen: string;
  /** `Antigen.index`. */
  index: number;
  begin?: Duration;
  end?: Duration;
}

export interface LiveVirusConflict {
  previousCvx: string;
  begin: Duration;
  minEnd: Duration;
  end: Duration;
}

export interface Model {
  data: CdsiSupportingData;
  seriesCount: number;
  antigens: Map<string, Antigen>;
  /** The antigens by `Antigen.index`. */
  antigenList: Antigen[];
  groups: VaccineGroup[];
  groupByName: Map<string, VaccineGroup>;
  /** CVX → antigens it carries (only antigens the data defines). */
  cvxAntigens: Map<string, CvxAntigen[]>;
  /** Keyed by the CVX of the dose being evaluated. */
  liveVirusConflicts: Map<string, LiveVirusConflict[]>;
  liveVirusCvx: ReadonlySet<string>;
  cvxName(cvx: string): string;
}

const dur = (text: string | undefined): Duration | undefined => (text === undefined ? undefined : parseDuration(text));
const day = (text: string | undefined, fallback: Day): Day => (text === undefined ? fallback : parseDay(text));

function window(w: { effectiveDate?: string; cessationDate?: string }): Window {
  return { effective: day(w.effectiveDate, MIN_DAY), cessation: day(w.cessationDate, MAX_DAY) };
}

function age(a: AgeData): AgeRule {
  return {
    ...window(a),
    absMin: dur(a.absMinAge),
    min: dur(a.minAge),
    earliestRec: dur(a.earliestRecAge),
    latestRec: dur(a.latestRecAge),
    max: dur(a.maxAge),
  };
}

function vaccine(v: VaccineData): VaccineRule {
  return { cvx: v.cvx, begin: dur(v.beginAge), end: dur(v.endAge), mvx: v.mvx, forecast: v.forecast === true };
}

function byCvx(list: VaccineRule[]): Map<string, VaccineRule[]> {
  const m = new Map<string, VaccineRule[]>();
  for (const v of list) {
    const l = m.get(v.cvx);
    if (l) l.push(v);
    else m.set(v.cvx, [v]);
  }
  return m;
}

function condition(c: SkipConditionData): SkipCondition {
  return {
    type: c.type,
    start: c.startDate ? parseDay(c.startDate) : undefined,
    end: c.endDate ? parseDay(c.endDate) : undefined,
    beginAge: dur(c.beginAge),
    endAge: dur(c.endAge),
    interval: dur(c.interval),
    doseCount: c.doseCount ?? 0,
    countValidOnly: c.doseType === 'Valid',
    logic: c.doseCountLogic ?? 'greater than',
    vaccineTypes: c.vaccineTypes ? new Set(c.vaccineTypes) : undefined,
    seriesGroups: c.seriesGroups,
  };
}

function skip(s: ConditionalSkipData): ConditionalSkip {
  return {
    evaluation: s.context !== 'Forecast',
    forecast: s.context !== 'Evaluation',
    all: s.logic === 'AND',
    sets: s.sets.map((set) => ({ ...window(set), all: set.logic !== 'OR', conditions: set.conditions.map(condition) })),
  };
}

function targetDose(d: SeriesDoseData): TargetDose {
  const preferableList = d.preferable.map(vaccine);
  const ages = d.ages.map(age);
  const skips = d.skips.map(skip);
  const only = ages.length === 1 ? ages[0] : undefined;
  return {
    number: d.doseNumber,
    ages,
    onlyAge: only && only.effective === MIN_DAY && only.cessation === MAX_DAY ? only : undefined,
    intervals: d.intervals.map((i) => ({
      ...window(i),
      fromPrevious: i.fromPrevious,
      fromTargetDose: i.fromTargetDose,
      fromMostRecent: i.fromMostRecent ? new Set(i.fromMostRecent) : undefined,
      fromRelevantObs: i.fromRelevantObs,
      absMin: dur(i.absMinInt),
      min: dur(i.minInt),
      earliestRec: dur(i.earliestRecInt),
      latestRec: dur(i.latestRecInt),
      override: i.priorityOverride === true,
    })),
    allowableIntervals: d.allowableIntervals.map((i) => ({
      ...window(i),
      fromPrevious: i.fromPrevious,
      fromTargetDose: i.fromTargetDose,
      absMin: dur(i.absMinInt),
    })),
    preferable: byCvx(preferableList),
    preferableList,
    allowable: byCvx(d.allowable.map(vaccine)),
    inadvertent: new Set(d.inadvertent),
    skips,
    evaluationSkips: skips.filter((k) => k.evaluation),
    forecastSkips: skips.filter((k) => k.forecast),
    recurring: d.recurring,
    seasonStart: d.season?.start ? parseDay(d.season.start) : undefined,
    seasonEnd: d.season?.end ? parseDay(d.season.end) : undefined,
  };
}

function series(antigen: string, antigenIndex: number, s: SeriesData, index: number): Series {
  return {
    index,
    antigen,
    antigenIndex,
    name: s.name,
    vaccineGroup: s.vaccineGroup,
    type: s.type,
    genders: new Set(s.genders),
    defaultSeries: s.defaultSeries,
    productPath: s.productPath,
    seriesGroup: s.seriesGroup,
    equivalentGroup: s.equivalentSeriesGroups,
    priority: s.priority,
    preference: s.preference,
    minAgeToStart: dur(s.minAgeToStart),
    maxAgeToStart: dur(s.maxAgeToStart),
    indications: s.indications.map((i) => ({ code: i.code, beginAge: dur(i.beginAge), endAge: dur(i.endAge) })),
    doses: s.doses.map(targetDose),
    acceptedCvx: new Set(s.doses.flatMap((d) => [...d.preferable.map((v) => v.cvx), ...d.allowable.map((v) => v.cvx)])),
    prunable: false,
    mayCompleteWithoutDoses: s.doses.every((d) => d.skips.some((k) => k.context !== 'Evaluation')),
    firstValidAge: dose1Age(s.doses[0], 'absMinAge'),
    lastValidAge: dose1Age(s.doses[0], 'maxAge'),
    hasLiveConflicts: false,
  };
}

/** An age of dose 1 when it has a single rule row and dose 1 cannot be skipped. */
function dose1Age(d: SeriesDoseData | undefined, key: 'absMinAge' | 'maxAge'): Duration | undefined {
  if (!d || d.skips.length > 0 || d.ages.length !== 1) return undefined;
  return dur(d.ages[0]?.[key]);
}

const cache = new WeakMap<CdsiSupportingData, Model>();

export function compileModel(data: CdsiSupportingData): Model {
  const hit = cache.get(data);
  if (hit) return hit;
  const antigens = new Map<string, Antigen>();
  let seriesIndex = 0;
  for (const [name, a] of Object.entries(data.antigens)) {
    const vaccineContraindications = new Map<string, { cvx: string; beginAge?: Duration; endAge?: Duration }[]>();
    for (const c of a.contraindications.vaccine) {
      vaccineContraindications.set(
        c.code,
        c.vaccines.map((v) => ({ cvx: v.cvx, beginAge: dur(v.beginAge), endAge: dur(v.endAge) })),
      );
    }
    const antigenIndex = antigens.size;
    const compiled = a.series.map((s) => series(name, antigenIndex, s, seriesIndex++));
    const seriesGroups: { group: string; hasDefault: boolean; series: Series[] }[] = [];
    for (const s of compiled) {
      let g = seriesGroups.find((x) => x.group === s.seriesGroup);
      if (!g) seriesGroups.push((g = { group: s.seriesGroup, hasDefault: false, series: [] }));
      g.series.push(s);
      if (s.defaultSeries && s.genders.size === 0 && s.type !== 'Risk') g.hasDefault = true;
    }
    for (const g of seriesGroups) g.series.sort((x, y) => Number(y.productPath) - Number(x.productPath) || x.preference - y.preference);
    antigens.set(name, {
      index: antigenIndex,
      name,
      series: compiled,
      seriesGroups,
      immunityCodes: new Set(a.immunity.guidelines),
      immunityBirthDates: a.immunity.birthDate.map((b) => ({ before: parseDay(b.before), exclusions: new Set(b.exclusions) })),
      contraindications: a.contraindications.antigen.map((c) => ({ code: c.code, beginAge: dur(c.beginAge), endAge: dur(c.endAge) })),
      vaccineContraindications,
    });
  }
  const groups: VaccineGroup[] = data.vaccineGroups.map((g) => ({
    name: g.name,
    administerFull: g.administerFullVaccineGroup,
    antigens: g.antigens,
    antigenList: g.antigens.flatMap((n) => antigens.get(n) ?? []),
  }));
  const cvxAntigens = new Map<string, CvxAntigen[]>();
  for (const [code, c] of Object.entries(data.cvx)) {
    // An antigen the data has no rules for can never be evaluated, so its doses need no list.
    const known = c.antigens.flatMap((a) => {
      const antigen = antigens.get(a.antigen);
      return antigen ? [{ antigen: a.antigen, index: antigen.index, begin: dur(a.beginAge), end: dur(a.endAge) }] : [];
    });
    cvxAntigens.set(code, known);
  }
  const liveVirusConflicts = new Map<string, LiveVirusConflict[]>();
  const liveVirusCvx = new Set<string>();
  for (const c of data.liveVirusConflicts) {
    const rule = { previousCvx: c.previousCvx, begin: parseDuration(c.begin), minEnd: parseDuration(c.minEnd), end: parseDuration(c.end) };
    const l = liveVirusConflicts.get(c.currentCvx);
    if (l) l.push(rule);
    else liveVirusConflicts.set(c.currentCvx, [rule]);
    liveVirusCvx.add(c.previousCvx);
    liveVirusCvx.add(c.currentCvx);
  }
  for (const a of antigens.values()) {
    // Product series are prunable when their series group keeps a non-product series to fall back on.
    for (const s of a.series) {
      s.prunable = s.productPath && a.series.some((o) => !o.productPath && o.seriesGroup === s.seriesGroup && o.type === s.type);
    }
    for (const s of a.series) {
      for (const td of s.doses) {
        const m = new Map<string, Duration[]>();
        for (const cvx of td.preferable.keys()) {
          for (const r of liveVirusConflicts.get(cvx) ?? []) {
            const l = m.get(r.previousCvx);
            if (!l) m.set(r.previousCvx, [r.end]);
            else if (!l.includes(r.end)) l.push(r.end);
          }
        }
        if (m.size > 0) {
          td.forecastConflicts = m;
          s.hasLiveConflicts = true;
        }
      }
    }
  }
  for (const [s, twin] of linkTwinSeries(data, antigens)) s.twin = twin;
  const model: Model = {
    data,
    seriesCount: seriesIndex,
    antigens,
    antigenList: [...antigens.values()],
    groups,
    groupByName: new Map(groups.map((g) => [g.name, g])),
    cvxAntigens,
    liveVirusConflicts,
    liveVirusCvx,
    cvxName: (cvx) => data.cvx[cvx]?.name ?? `CVX ${cvx}`,
  };
  cache.set(data, model);
  return model;
}
