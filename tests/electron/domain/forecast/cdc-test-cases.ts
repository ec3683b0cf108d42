// Reads CDC's CDSi test cases (FITS export, one row per case, up to seven doses) and compares
// the engine's answer with CDC's expectations. Shared by the test runner and the benchmark.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { evaluateAndForecast } from '../../../../electron/domain/forecast';
import type { CdsiSupportingData } from '../../../../electron/domain/forecast/supporting-data';
import type { ForecastPatient, ForecastResult } from '../../../../electron/domain/forecast/types';

/** CDC's test cases as copied into the repository (build/sources/README.md says from where). */
export const TEST_CASE_DIR = fileURLToPath(new URL('../../../../build/sources/cdsi/test-cases', import.meta.url));

export interface CdcDose {
  date: string;
  cvx: string;
  mvx?: string;
  expectedStatus: string;
  expectedReason: string;
}

export interface CdcObservation {
  code: string;
  /** YYYY-MM-DD when CDC gives one (a transplant, the start of antiviral therapy). */
  date?: string;
}

export interface CdcCase {
  id: string;
  /** CDSi observation codes of the patient (underlying-conditions cases only). */
  observations: CdcObservation[];
  name: string;
  dob: string;
  gender: 'F' | 'M';
  seriesStatus: string;
  doses: CdcDose[];
  forecastNumber: string;
  earliest: string;
  recommended: string;
  pastDue: string;
  /** CDC's short name (DTAP, MCV, …). */
  vaccineGroup: string;
  assessmentDate: string;
  evaluationTestType: string;
  forecastTestType: string;
}

/** CDC test-case group names → CDSi vaccine group names. */
export const GROUP_NAMES: Record<string, string> = {
  'COVID-19': 'COVID-19',
  DTAP: 'DTaP/Tdap/Td',
  FLU: 'Influenza',
  HIB: 'Hib',
  HPV: 'HPV',
  HepA: 'HepA',
  HepB: 'HepB',
  MCV: 'Meningococcal',
  MENB: 'Meningococcal B',
  MMR: 'MMR',
  PCV: 'Pneumococcal',
  POL: 'Polio',
  ROTA: 'Rotavirus',
  RSV: 'RSV',
  VAR: 'Varicella',
  ZOSTER: 'Zoster',
  // Spellings of the underlying-conditions cases; their other groups use CDSi's own names.
  DTaP: 'DTaP/Tdap/Td',
  IPOL: 'Polio',
  Rota: 'Rotavirus',
};

export function findTestCaseFile(dir = TEST_CASE_DIR, suffix = 'FITS_Exported_TestCases.tsv'): string {
  const f = readdirSync(dir).find((n) => n.endsWith(suffix));
  if (!f) throw new Error(`No *${suffix} in ${dir}`);
  return join(dir, f);
}

/** CDC's underlying-conditions cases (the half kept in the repository, see build/sources/README.md). */
export function findConditionsCaseFile(dir = TEST_CASE_DIR): string {
  return findTestCaseFile(dir, 'underlying-conditions-test-cases-v4.6__dev-half.tsv');
}

export function loadCdcCases(file = findTestCaseFile()): CdcCase[] {
  const lines = readFileSync(file, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = (lines[0] ?? '').split('\t');
  const col = (name: string): number => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`${file}: no column ${name}`);
    return i;
  };
  const c = {
    id: col('CDC_Test_ID'),
    name: col('Test_Case_Name'),
    dob: col('DOB'),
    // The healthy export spells it "gender", the conditions sheet "Gender".
    gender: header.includes('gender') ? col('gender') : col('Gender'),
    status: col('Series_Status'),
    forecastNo: col('Forecast_#'),
    earliest: col('Earliest_Date'),
    recommended: col('Recommended_Date'),
    pastDue: col('Past_Due_Date'),
    group: col('Vaccine_Group'),
    assessment: col('Assessment_Date'),
    evalType: col('Evaluation_Test_Type'),
    forecastType: col('Forecast_Test_Type'),
  };
  return lines.slice(1).map((line) => {
    const f = line.split('\t').map((v) => v.trim());
    const doses: CdcDose[] = [];
    for (let n = 1; n <= 7; n++) {
      const date = f[col(`Date_Administered_${n}`)] ?? '';
      if (!date) continue;
      doses.push({
        date,
        cvx: f[col(`CVX_${n}`)] ?? '',
        mvx: f[col(`MVX_${n}`)] || undefined,
        expectedStatus: f[col(`Evaluation_Status_${n}`)] ?? '',
        expectedReason: f[col(`Evaluation_Reason_${n}`)] ?? '',
      });
    }
    const observations: CdcObservation[] = [];
    for (let n = 1; n <= 3; n++) {
      const i = header.indexOf(`Observation_Code_${n}`);
      const code = i >= 0 ? (f[i] ?? '') : '';
      if (!code) continue;
      const date = f[header.indexOf(`Observation_Date_${n}`)] ?? '';
      observations.push(date ? { code, date } : { code });
    }
    return {
      id: f[c.id] ?? '',
      observations,
      name: f[c.name] ?? '',
      dob: f[c.dob] ?? '',
      gender: f[c.gender] === 'M' ? 'M' : 'F',
      seriesStatus: f[c.status] ?? '',
      doses,
      forecastNumber: f[c.forecastNo] ?? '',
      earliest: f[c.earliest] ?? '',
      recommended: f[c.recommended] ?? '',
      pastDue: f[c.pastDue] ?? '',
      vaccineGroup: f[c.group] ?? '',
      assessmentDate: f[c.assessment] ?? '',
      evaluationTestType: f[c.evalType] ?? '',
      forecastTestType: f[c.forecastType] ?? '',
    };
  });
}

export function patientOf(tc: CdcCase): ForecastPatient {
  const p: ForecastPatient = { dob: tc.dob, gender: tc.gender, doses: tc.doses.map((d, i) => ({ id: String(i + 1), cvx: d.cvx, mvx: d.mvx, date: d.date })) };
  if (tc.observations.length > 0) p.observations = tc.observations.map((o) => (o.date ? { code: o.code, date: o.date } : o.code));
  return p;
}

const STATUS_TEXT: Record<string, string> = {
  not_complete: 'Not complete',
  complete: 'Complete',
  immune: 'Immune',
  aged_out: 'Aged out',
  contraindicated: 'Contraindicated',
  not_recommended: 'Not recommended',
};

const DOSE_TEXT: Record<string, string> = { valid: 'Valid', not_valid: 'Not Valid', extraneous: 'Extraneous', sub_standard: 'Sub-standard' };

export interface CaseOutcome {
  tc: CdcCase;
  differences: string[];
}

/** Compares one case; returns the list of differences (empty when it passes). */
export function compareCase(tc: CdcCase, result: ForecastResult): string[] {
  const group = GROUP_NAMES[tc.vaccineGroup] ?? tc.vaccineGroup;
  const diffs: string[] = [];
  const antigens = new Set(result.forecasts.find((f) => f.vaccineGroup === group)?.antigens.map((a) => a.antigen) ?? []);
  tc.doses.forEach((d, i) => {
    if (!d.expectedStatus) return;
    const evs = result.evaluations.filter((e) => e.doseIndex === i);
    // A combination dose is judged for the case's vaccine group; a dose of another group
    // (an MMR in a varicella case) by its own antigens.
    const mine = evs.filter((e) => antigens.has(e.antigen));
    const pool = mine.length > 0 ? mine : evs;
    if (pool.length === 0) {
      diffs.push(`dose ${i + 1} (CVX ${d.cvx} ${d.date}): expected ${d.expectedStatus}, got no evaluation`);
      return;
    }
    // A Tdap booster is valid for tetanus and diphtheria even when pertussis is already complete.
    const worst = pool.find((e) => e.status === 'not_valid') ?? pool.find((e) => e.status === 'valid') ?? pool[0];
    const got = DOSE_TEXT[worst?.status ?? ''] ?? worst?.status;
    if (got?.toLowerCase() !== d.expectedStatus.toLowerCase()) {
      diffs.push(`dose ${i + 1} (CVX ${d.cvx} ${d.date}): expected ${d.expectedStatus}${d.expectedReason ? ` (${d.expectedReason})` : ''}, got ${got}${worst?.reason ? ` (${worst.reason})` : ''} [${worst?.antigen}: ${worst?.seriesName}]`);
    }
  });
  const f = result.forecasts.find((x) => x.vaccineGroup === group);
  const status = f ? STATUS_TEXT[f.status] : 'no forecast';
  if (status?.toLowerCase() !== tc.seriesStatus.toLowerCase()) diffs.push(`status: expected ${tc.seriesStatus}, got ${status}${f?.reason ? ` (${f.reason})` : ''}`);
  const cmp = (label: string, expected: string, got: string | undefined): void => {
    const e = expected === '-' ? '' : expected;
    if (e !== (got ?? '')) diffs.push(`${label}: expected ${e || '(none)'}, got ${got || '(none)'}`);
  };
  cmp('earliest', tc.earliest, f?.earliest);
  cmp('recommended', tc.recommended, f?.recommended);
  cmp('pastDue', tc.pastDue, f?.pastDue);
  if (diffs.length > 0 && f) {
    diffs.push(`  antigens: ${f.antigens.map((a) => `${a.antigen}=${a.status}${a.targetDose ? `#${a.targetDose}` : ''} [${a.seriesName}] ${a.earliest ?? ''}/${a.recommended ?? ''}/${a.pastDue ?? ''}`).join('; ')}`);
  }
  return diffs;
}

export function runCdcCases(cases: CdcCase[], data?: CdsiSupportingData): CaseOutcome[] {
  return cases.map((tc) => {
    try {
      const result = evaluateAndForecast(patientOf(tc), tc.assessmentDate, data);
      return { tc, differences: compareCase(tc, result) };
    } catch (err) {
      return { tc, differences: [`threw: ${err instanceof Error ? err.message : String(err)}`] };
    }
  });
}

export function formatFailure(o: CaseOutcome): string {
  const { tc } = o;
  const doses = tc.doses.map((d) => `${d.cvx}@${d.date}`).join(' ');
  return `${tc.id} [${tc.vaccineGroup}] ${tc.name}\n    dob ${tc.dob} ${tc.gender}, assessed ${tc.assessmentDate}, doses: ${doses || '(none)'}\n    ${o.differences.join('\n    ')}`;
}

/** Pass counts per key (vaccine group, forecast test type), in first-seen order. */
export function passRateBy(outcomes: readonly CaseOutcome[], key: (o: CaseOutcome) => string): Map<string, { pass: number; total: number }> {
  const by = new Map<string, { pass: number; total: number }>();
  for (const o of outcomes) {
    const g = by.get(key(o)) ?? { pass: 0, total: 0 };
    g.total++;
    if (o.differences.length === 0) g.pass++;
    by.set(key(o), g);
  }
  return by;
}

export function formatRates(rates: Map<string, { pass: number; total: number }>): string {
  return [...rates].map(([g, r]) => `${g} ${r.pass}/${r.total}`).join(', ');
}
