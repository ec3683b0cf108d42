// Turns CDC's CDSi supporting data (XML, one file per antigen plus the schedule file) into the
// compact JSON the forecast engine ships with. A new CDC release is a folder swap and a run:
//   npx tsx build/scripts/build-cdsi.ts [xml-folder] [out-file]
// Only what the logic reads is kept: guidance text, titles and coded-value tables are dropped.
import { readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import type {
  AgeData,
  AllowableIntervalData,
  AntigenData,
  CdsiSupportingData,
  ConditionalSkipData,
  CvxData,
  IntervalData,
  LiveVirusConflictData,
  SeriesData,
  SeriesDoseData,
  SeriesType,
  SkipConditionData,
  SkipSetData,
  VaccineData,
} from '../../electron/domain/forecast/supporting-data';

const DEFAULT_SRC = resolve(dirname(new URL(import.meta.url).pathname), '../sources/cdsi/supporting-data-4.64-xml');
const DEFAULT_OUT = resolve(dirname(new URL(import.meta.url).pathname), '../../assets/cdsi/cdsi-supporting-data.json');

type Node = Record<string, unknown>;

// Elements that may repeat, always parsed as arrays so a one-element list is not a special case.
const REPEATED = new Set([
  'series', 'seriesDose', 'age', 'allowableInterval', 'preferableVaccine', 'allowableVaccine',
  'inadvertentVaccine', 'conditionalSkip', 'set', 'condition', 'indication', 'requiredGender',
  'clinicalHistory', 'dateOfBirth', 'exclusion', 'contraindication', 'contraindicatedVaccine',
  'liveVirusConflict', 'vaccineGroupMap', 'cvxMap', 'association', 'observation',
  'seriesAdminGuidance',
]);

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  // Some names mean a list in one place and a single value in another (<interval> of a series
  // dose vs. of a skip condition, <antigen>, <vaccineGroup>): decide those by path.
  isArray: (name, jpath) => {
    if (REPEATED.has(name)) return true;
    const path = String(jpath);
    return path.endsWith('vaccineGroupMap.antigen') || path.endsWith('seriesDose.interval') || path.endsWith('vaccineGroups.vaccineGroup');
  },
});

function text(node: unknown, key: string): string | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const v = (node as Node)[key];
  if (typeof v === 'string') {
    const t = v.replace(/\s+/g, ' ').trim();
    return t === '' || t.toLowerCase() === 'n/a' ? undefined : t;
  }
  if (typeof v === 'number') return String(v);
  return undefined;
}

function list(node: unknown, key: string): Node[] {
  if (!node || typeof node !== 'object') return [];
  const v = (node as Node)[key];
  if (!Array.isArray(v)) return v && typeof v === 'object' ? [v as Node] : [];
  return v.filter((x): x is Node => !!x && typeof x === 'object');
}

function child(node: unknown, key: string): Node | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const v = (node as Node)[key];
  if (Array.isArray(v)) return v.find((x): x is Node => !!x && typeof x === 'object');
  return v && typeof v === 'object' ? (v as Node) : undefined;
}

function yes(value: string | undefined): boolean {
  return value !== undefined && /^(y|yes)$/i.test(value);
}

function present<T>(x: T | undefined): x is T {
  return x !== undefined;
}

/** Drops keys whose value is undefined so the JSON stays small. */
function compact<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

function csvCodes(value: string | undefined): string[] | undefined {
  if (!value) return undefined;
  const codes = value.split(/[;,]/).map((c) => c.trim()).filter((c) => c !== '');
  return codes.length ? codes : undefined;
}

function age(n: Node): AgeData {
  return compact({
    absMinAge: text(n, 'absMinAge'),
    minAge: text(n, 'minAge'),
    earliestRecAge: text(n, 'earliestRecAge'),
    latestRecAge: text(n, 'latestRecAge'),
    maxAge: text(n, 'maxAge'),
    effectiveDate: text(n, 'effectiveDate'),
    cessationDate: text(n, 'cessationDate'),
  });
}

function interval(n: Node): IntervalData | undefined {
  const target = text(n, 'fromTargetDose');
  const obs = child(n, 'fromRelevantObs');
  const out: IntervalData = compact({
    fromPrevious: yes(text(n, 'fromPrevious')),
    fromTargetDose: target ? Number(target) : undefined,
    fromMostRecent: csvCodes(text(n, 'fromMostRecent')),
    fromRelevantObs: obs ? text(obs, 'code') : undefined,
    absMinInt: text(n, 'absMinInt'),
    minInt: text(n, 'minInt'),
    earliestRecInt: text(n, 'earliestRecInt'),
    latestRecInt: text(n, 'latestRecInt'),
    priorityOverride: text(n, 'intervalPriority') === 'override' ? true : undefined,
    effectiveDate: text(n, 'effectiveDate'),
    cessationDate: text(n, 'cessationDate'),
  });
  const hasReference = out.fromPrevious || out.fromTargetDose !== undefined || out.fromMostRecent || out.fromRelevantObs;
  return hasReference ? out : undefined;
}

function allowableInterval(n: Node): AllowableIntervalData | undefined {
  const target = text(n, 'fromTargetDose');
  const out: AllowableIntervalData = compact({
    fromPrevious: yes(text(n, 'fromPrevious')),
    fromTargetDose: target ? Number(target) : undefined,
    absMinInt: text(n, 'absMinInt'),
    effectiveDate: text(n, 'effectiveDate'),
    cessationDate: text(n, 'cessationDate'),
  });
  return out.fromPrevious || out.fromTargetDose !== undefined ? out : undefined;
}

function vaccine(n: Node, preferable: boolean): VaccineData | undefined {
  const cvx = text(n, 'cvx');
  if (!cvx) return undefined;
  return compact({
    cvx,
    beginAge: text(n, 'beginAge'),
    endAge: text(n, 'endAge'),
    mvx: preferable ? text(n, 'mvx') : undefined,
    forecast: preferable ? yes(text(n, 'forecastVaccineType')) : undefined,
  });
}

const CONDITION_TYPES: Record<string, SkipConditionData['type']> = {
  'age': 'Age',
  'completed series': 'Completed Series',
  'interval': 'Interval',
  'vaccine count by age': 'Vaccine Count by Age',
  'vaccine count by date': 'Vaccine Count by Date',
  'vaccine count by date and age': 'Vaccine Count by Date and Age',
};

function condition(n: Node, where: string): SkipConditionData {
  const rawType = (text(n, 'conditionType') ?? '').toLowerCase();
  const type = CONDITION_TYPES[rawType];
  if (!type) throw new Error(`${where}: unknown conditional-skip condition type "${rawType}"`);
  const count = text(n, 'doseCount');
  const doseType = text(n, 'doseType')?.toLowerCase();
  const logic = text(n, 'doseCountLogic')?.toLowerCase();
  return compact({
    type,
    startDate: text(n, 'startDate'),
    endDate: text(n, 'endDate'),
    beginAge: text(n, 'beginAge'),
    endAge: text(n, 'endAge'),
    interval: text(n, 'interval'),
    doseCount: count !== undefined ? Number(count) : undefined,
    doseType: doseType === 'valid' ? 'Valid' : doseType === 'total' ? 'Total' : undefined,
    doseCountLogic: logic === 'greater than' || logic === 'equal to' || logic === 'less than' ? logic : undefined,
    vaccineTypes: csvCodes(text(n, 'vaccineTypes')),
    seriesGroups: csvCodes(text(n, 'seriesGroups')),
  });
}

function skip(n: Node, where: string): ConditionalSkipData | undefined {
  const context = text(n, 'context');
  if (!context) return undefined;
  if (context !== 'Evaluation' && context !== 'Forecast' && context !== 'Both') throw new Error(`${where}: unknown skip context "${context}"`);
  const sets: SkipSetData[] = list(n, 'set').map((s) =>
    compact({
      effectiveDate: text(s, 'effectiveDate'),
      cessationDate: text(s, 'cessationDate'),
      logic: text(s, 'conditionLogic')?.toUpperCase() === 'OR' ? ('OR' as const) : ('AND' as const),
      conditions: list(s, 'condition').map((c) => condition(c, where)),
    }),
  );
  return { context, logic: text(n, 'setLogic')?.toUpperCase() === 'AND' ? 'AND' : 'OR', sets };
}

function seriesDose(n: Node, where: string): SeriesDoseData {
  const num = Number((text(n, 'doseNumber') ?? '').replace(/\D+/g, ''));
  if (!Number.isFinite(num) || num < 1) throw new Error(`${where}: unreadable dose number`);
  const season = child(n, 'seasonalRecommendation');
  const seasonStart = season ? text(season, 'startDate') : undefined;
  const seasonEnd = season ? text(season, 'endDate') : undefined;
  return compact({
    doseNumber: num,
    ages: list(n, 'age').map(age).filter((a) => Object.keys(a).length > 0),
    intervals: list(n, 'interval').map(interval).filter(present),
    allowableIntervals: list(n, 'allowableInterval').map(allowableInterval).filter(present),
    preferable: list(n, 'preferableVaccine').map((v) => vaccine(v, true)).filter(present),
    allowable: list(n, 'allowableVaccine').map((v) => vaccine(v, false)).filter(present),
    inadvertent: list(n, 'inadvertentVaccine').map((v) => text(v, 'cvx')).filter(present),
    skips: list(n, 'conditionalSkip').map((s) => skip(s, `${where} dose ${num}`)).filter(present),
    recurring: yes(text(n, 'recurringDose')),
    season: seasonStart || seasonEnd ? compact({ start: seasonStart, end: seasonEnd }) : undefined,
  });
}

const GENDERS: Record<string, string> = { female: 'F', male: 'M', unknown: 'U' };

function series(n: Node, file: string): SeriesData {
  const name = text(n, 'seriesName') ?? '(unnamed series)';
  const where = `${file}: ${name}`;
  const type = text(n, 'seriesType') as SeriesType | undefined;
  if (type !== 'Standard' && type !== 'Risk' && type !== 'Evaluation Only') throw new Error(`${where}: unknown series type "${type}"`);
  const select = child(n, 'selectSeries') ?? {};
  const genders = (Array.isArray(n.requiredGender) ? (n.requiredGender as unknown[]) : [])
    .map((g) => (typeof g === 'string' ? GENDERS[g.trim().toLowerCase()] : undefined))
    .filter((g): g is string => !!g);
  const pref = text(select, 'seriesPreference');
  return compact({
    name,
    vaccineGroup: text(n, 'vaccineGroup') ?? '',
    type,
    equivalentSeriesGroups: text(n, 'equivalentSeriesGroups'),
    genders,
    defaultSeries: yes(text(select, 'defaultSeries')),
    productPath: yes(text(select, 'productPath')),
    seriesGroup: text(select, 'seriesGroup') ?? '1',
    seriesGroupName: text(select, 'seriesGroupName') ?? '',
    priority: text(select, 'seriesPriority') ?? 'A',
    preference: pref ? Number(pref) : 99,
    minAgeToStart: text(select, 'minAgeToStart'),
    maxAgeToStart: text(select, 'maxAgeToStart'),
    indications: list(n, 'indication')
      .map((i) => {
        const code = text(child(i, 'observationCode'), 'code');
        return code ? compact({ code, beginAge: text(i, 'beginAge'), endAge: text(i, 'endAge') }) : undefined;
      })
      .filter(present),
    doses: list(n, 'seriesDose').map((d) => seriesDose(d, where)),
  });
}

function antigenFile(path: string): { name: string; data: AntigenData } {
  const root = child(parser.parse(readFileSync(path, 'utf8')), 'antigenSupportingData');
  if (!root) throw new Error(`${path}: no <antigenSupportingData> root`);
  const file = basename(path);
  const allSeries = list(root, 'series').map((s) => series(s, file));
  const name = text(list(root, 'series')[0], 'targetDisease');
  if (!name) throw new Error(`${path}: no target disease`);
  const immunity = child(root, 'immunity');
  const contra = child(root, 'contraindications');
  return {
    name,
    data: {
      immunity: {
        guidelines: list(immunity, 'clinicalHistory').map((c) => text(c, 'guidelineCode')).filter(present),
        birthDate: list(immunity, 'dateOfBirth')
          .map((d) => {
            const before = text(d, 'immunityBirthDate');
            if (!before) return undefined;
            const [m, dd, y] = before.split('/');
            return compact({
              before: `${y}-${m?.padStart(2, '0')}-${dd?.padStart(2, '0')}`,
              country: text(d, 'birthCountry'),
              exclusions: list(d, 'exclusion').map((e) => text(e, 'exclusionCode')).filter(present),
            });
          })
          .filter(present),
      },
      contraindications: {
        antigen: list(child(contra, 'vaccineGroup'), 'contraindication')
          .map((c) => {
            const code = text(c, 'observationCode');
            return code ? compact({ code, beginAge: text(c, 'beginAge'), endAge: text(c, 'endAge') }) : undefined;
          })
          .filter(present),
        vaccine: list(child(contra, 'vaccine'), 'contraindication')
          .map((c) => {
            const code = text(c, 'observationCode');
            if (!code) return undefined;
            return {
              code,
              vaccines: list(c, 'contraindicatedVaccine')
                .map((v) => {
                  const cvx = text(v, 'cvx');
                  return cvx ? compact({ cvx, beginAge: text(v, 'beginAge'), endAge: text(v, 'endAge') }) : undefined;
                })
                .filter(present),
            };
          })
          .filter(present),
      },
      series: allSeries,
    },
  };
}

function scheduleFile(path: string): Omit<CdsiSupportingData, 'version' | 'source' | 'antigens'> {
  const root = child(parser.parse(readFileSync(path, 'utf8')), 'scheduleSupportingData');
  if (!root) throw new Error(`${path}: no <scheduleSupportingData> root`);
  const conflicts: LiveVirusConflictData[] = list(child(root, 'liveVirusConflicts'), 'liveVirusConflict').map((c) => {
    const previousCvx = text(child(c, 'previous'), 'cvx');
    const currentCvx = text(child(c, 'current'), 'cvx');
    const begin = text(c, 'conflictBeginInterval');
    const minEnd = text(c, 'minConflictEndInterval');
    const end = text(c, 'conflictEndInterval');
    if (!previousCvx || !currentCvx || !begin || !end) throw new Error(`${path}: incomplete live virus conflict`);
    return { previousCvx, currentCvx, begin, minEnd: minEnd ?? end, end };
  });
  const groupAntigens = new Map<string, string[]>();
  for (const m of list(child(root, 'vaccineGroupToAntigenMap'), 'vaccineGroupMap')) {
    const name = text(m, 'name');
    const antigens = Array.isArray(m.antigen) ? (m.antigen as unknown[]).filter((a): a is string => typeof a === 'string').map((a) => a.trim()) : [];
    if (name) groupAntigens.set(name, antigens);
  }
  const vaccineGroups = list(child(root, 'vaccineGroups'), 'vaccineGroup').map((g) => {
    const name = text(g, 'name') ?? '';
    return { name, administerFullVaccineGroup: yes(text(g, 'administerFullVaccineGroup')), antigens: groupAntigens.get(name) ?? [] };
  });
  const cvx: Record<string, CvxData> = {};
  for (const m of list(child(root, 'cvxToAntigenMap'), 'cvxMap')) {
    const code = text(m, 'cvx');
    if (!code) continue;
    cvx[code] = {
      name: text(m, 'shortDescription') ?? code,
      antigens: list(m, 'association')
        .map((a) => {
          const antigen = text(a, 'antigen');
          return antigen ? compact({ antigen, beginAge: text(a, 'associationBeginAge'), endAge: text(a, 'associationEndAge') }) : undefined;
        })
        .filter(present),
    };
  }
  const observations: CdsiSupportingData['observations'] = {};
  for (const o of list(child(root, 'observations'), 'observation')) {
    const code = text(o, 'observationCode');
    if (code) observations[code] = compact({ title: text(o, 'observationTitle') ?? code, group: text(o, 'group') });
  }
  return { vaccineGroups, cvx, liveVirusConflicts: conflicts, observations };
}

export function buildCdsi(srcDir: string): CdsiSupportingData {
  const files = readdirSync(srcDir).filter((f) => /^AntigenSupportingData.*\.xml$/i.test(f)).sort();
  if (files.length === 0) throw new Error(`${srcDir}: no AntigenSupportingData-*.xml files found`);
  const antigens: Record<string, AntigenData> = {};
  for (const f of files) {
    const { name, data } = antigenFile(join(srcDir, f));
    antigens[name] = data;
  }
  const schedule = scheduleFile(join(srcDir, 'ScheduleSupportingData.xml'));
  const version = /(\d+\.\d+)/.exec(basename(srcDir))?.[1] ?? 'unknown';
  return { version, source: `CDC CDSi supporting data ${version} (${basename(srcDir)})`, antigens, ...schedule };
}

const isMain = process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname);
if (isMain) {
  const src = process.argv[2] ?? DEFAULT_SRC;
  const out = process.argv[3] ?? DEFAULT_OUT;
  const data = buildCdsi(src);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(data) + '\n');
  const series = Object.values(data.antigens).reduce((n, a) => n + a.series.length, 0);
  console.log(`CDSi ${data.version}: ${Object.keys(data.antigens).length} antigens, ${series} series, ${Object.keys(data.cvx).length} CVX → ${out}`);
}
