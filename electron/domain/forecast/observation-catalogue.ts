// CDSi's observation list (conditions, contraindications, evidence of immunity) as the chart's
// condition picker needs it: CDC's code and plain-language texts, what each observation does in
// the forecast (which vaccine groups it opens a risk series for, contraindicates or counts as
// immunity for), and which ones CDSi reasons from a date of (a transplant, the start of
// antiviral therapy, the onset of a pregnancy).
import json from '../../../assets/cdsi/cdsi-observations.json';
import { defaultSupportingData } from './default-data';
import type { CdsiSupportingData } from './supporting-data';

export interface ObservationEntry {
  /** CDSi observation code, three digits ("160"). */
  code: string;
  title: string;
  indication?: string;
  contraindication?: string;
  clarifying?: string;
  /** Codes CDC maps the observation to (SNOMED, CDCPHINVS, …). */
  codedValues?: { code: string; system: string; text: string }[];
}

export interface ObservationCatalogue {
  source: string;
  observations: ObservationEntry[];
}

export interface ObservationInfo extends ObservationEntry {
  /** Vaccine groups the observation opens a risk series for. */
  indicationFor: string[];
  /** Vaccine groups it contraindicates (the whole group, or some of its vaccines). */
  contraindicates: string[];
  /** Vaccine groups for which it is evidence of immunity. */
  immunityFor: string[];
  /** CDSi counts intervals from the observation's start date: the date is needed. */
  needsDate: boolean;
}

export const observationCatalogue = json as ObservationCatalogue;

function groupOf(data: CdsiSupportingData): Map<string, string[]> {
  const byAntigen = new Map<string, string[]>();
  for (const g of data.vaccineGroups) for (const a of g.antigens) byAntigen.set(a, [...(byAntigen.get(a) ?? []), g.name]);
  return byAntigen;
}

function add(map: Map<string, Set<string>>, code: string, groups: readonly string[]): void {
  let s = map.get(code);
  if (!s) map.set(code, (s = new Set()));
  for (const g of groups) s.add(g);
}

let cached: { list: ObservationInfo[]; byCode: Map<string, ObservationInfo> } | undefined;

/** Every CDSi observation with its role in the forecast, in CDC's code order. */
export function observationInfo(data: CdsiSupportingData = defaultSupportingData, catalogue: ObservationCatalogue = observationCatalogue): ObservationInfo[] {
  if (cached && data === defaultSupportingData && catalogue === observationCatalogue) return cached.list;
  const groups = groupOf(data);
  const indication = new Map<string, Set<string>>();
  const contra = new Map<string, Set<string>>();
  const immunity = new Map<string, Set<string>>();
  const dated = new Set<string>();
  for (const [antigen, a] of Object.entries(data.antigens)) {
    const g = groups.get(antigen) ?? [];
    for (const s of a.series) {
      for (const i of s.indications) add(indication, i.code, [s.vaccineGroup]);
      for (const d of s.doses) for (const iv of d.intervals) if (iv.fromRelevantObs) dated.add(iv.fromRelevantObs);
    }
    for (const c of a.contraindications.antigen) add(contra, c.code, g);
    for (const c of a.contraindications.vaccine) add(contra, c.code, g);
    for (const code of a.immunity.guidelines) add(immunity, code, g);
  }
  const sorted = (m: Map<string, Set<string>>, code: string): string[] => [...(m.get(code) ?? [])].sort();
  const list = catalogue.observations.map((o) => ({
    ...o,
    indicationFor: sorted(indication, o.code),
    contraindicates: sorted(contra, o.code),
    immunityFor: sorted(immunity, o.code),
    needsDate: dated.has(o.code),
  }));
  if (data === defaultSupportingData && catalogue === observationCatalogue) cached = { list, byCode: new Map(list.map((o) => [o.code, o])) };
  return list;
}

export function observationByCode(code: string): ObservationInfo | undefined {
  observationInfo();
  return cached?.byCode.get(code);
}

function fold(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

/**
 * Observations matching what the nurse typed: a code ("160") or words in any order
 * ("asplenia", "stem cell"), every word matching the start of a word of the title or texts.
 * Title matches come first; an empty query lists the observations that change a forecast.
 */
export function searchObservations(query: string, limit = 30, list: readonly ObservationInfo[] = observationInfo()): ObservationInfo[] {
  const q = fold(query.trim());
  const active = (o: ObservationInfo): boolean => o.indicationFor.length + o.contraindicates.length + o.immunityFor.length > 0 || o.needsDate;
  if (/^\d{1,3}$/.test(q)) return list.filter((o) => o.code === q.padStart(3, '0') || o.code.startsWith(q)).slice(0, limit);
  const words = q.split(/[^a-z0-9]+/).filter((w) => w.length > 0);
  // Nothing searchable typed (empty, or only punctuation): the observations that matter first.
  if (words.length === 0) return list.filter(active).slice(0, limit);
  const hasAll = (text: string): boolean => {
    const tokens = fold(text).split(/[^a-z0-9]+/);
    return words.every((w) => tokens.some((t) => t.startsWith(w)));
  };
  const inTitle: ObservationInfo[] = [];
  const inText: ObservationInfo[] = [];
  for (const o of list) {
    if (hasAll(o.title)) inTitle.push(o);
    else if (hasAll([o.title, o.indication, o.contraindication, o.clarifying, ...(o.codedValues ?? []).map((c) => c.text)].join(' '))) inText.push(o);
  }
  const byRelevance = (a: ObservationInfo, b: ObservationInfo): number => Number(active(b)) - Number(active(a));
  return [...inTitle.sort(byRelevance), ...inText.sort(byRelevance)].slice(0, limit);
}
