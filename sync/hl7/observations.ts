// Patient-level observations in a registry's query answer (RSP^K11, CDC IG R1.5 §"Observations"):
// evidence of immunity, contraindications and indications ride as OBX under an order group
// (often RXA CVX 998, "no vaccine administered"). This turns them into proposals for the chart's
// CDSi observations. A proposal is never applied on its own: a person accepts it, because the
// registry's coding (SNOMED, CDCPHINVS) maps to CDSi's list only where CDC gives the mapping.
import type { RspDose, RspObservation } from './query';

/** OBX-3 LOINC codes that carry a patient observation, and what each one says. */
export const PATIENT_OBSERVATION_LOINC = {
  '59784-9': 'immunity', // disease with presumed immunity
  '75505-8': 'immunity', // serological evidence of immunity
  '30945-0': 'contraindication', // vaccination contraindication / precaution
  '59785-6': 'indication', // indication for immunization (special risk)
} as const;

export type ObservationKind = (typeof PATIENT_OBSERVATION_LOINC)[keyof typeof PATIENT_OBSERVATION_LOINC];

/** OBX-3 of the effective and expiration dates that belong with a contraindication (same OBX-4). */
const EFFECTIVE_DATE_LOINC = '30946-8';
const EXPIRATION_DATE_LOINC = '30944-3';

/** One CDSi observation and the codes CDC maps it to (from ScheduleSupportingData.xml). */
export interface CatalogueEntry {
  code: string;
  title: string;
  codedValues?: readonly { code: string; system: string; text: string }[];
}

export interface ObservationProposal {
  kind: ObservationKind;
  /** The registry's code (OBX-5.1) and text (OBX-5.2). */
  registryCode: string;
  registryText?: string;
  /** The CDSi observation it maps to; absent when CDC gives no mapping (the nurse picks one or ignores it). */
  cdsiCode?: string;
  title?: string;
  /** YYYY-MM-DD: OBX-14 or the contraindication's effective date. */
  startDate?: string;
  endDate?: string;
}

/**
 * Index of the catalogue by the registry-side codes (SNOMED, CDCPHINVS). CVX codes are left out:
 * they name vaccines, and a bare "03" would collide with nothing useful in an OBX-5 here. Where
 * CDC maps one code to several observations (VXC20 anaphylaxis → one per vaccine), the first in
 * CDC's list wins: it is the general one (080, adverse reaction to a vaccine component).
 */
export function codedValueIndex(catalogue: readonly CatalogueEntry[]): Map<string, CatalogueEntry> {
  const byCode = new Map<string, CatalogueEntry>();
  for (const entry of catalogue) {
    for (const v of entry.codedValues ?? []) {
      if (v.system === 'CVX') continue;
      if (!byCode.has(v.code)) byCode.set(v.code, entry);
    }
  }
  return byCode;
}

function isPatientObservation(o: RspObservation): o is RspObservation & { code: keyof typeof PATIENT_OBSERVATION_LOINC } {
  return Object.hasOwn(PATIENT_OBSERVATION_LOINC, o.code);
}

/** Proposals for the chart from every order group of a registry answer, one per distinct observation. */
export function observationProposals(doses: readonly RspDose[], catalogue: readonly CatalogueEntry[]): ObservationProposal[] {
  const index = codedValueIndex(catalogue);
  const out: ObservationProposal[] = [];
  const seen = new Set<string>();
  for (const dose of doses) {
    for (const o of dose.observations) {
      if (!isPatientObservation(o) || !o.value) continue;
      const kind = PATIENT_OBSERVATION_LOINC[o.code];
      const entry = index.get(o.value);
      const sameGroup = (loinc: string) => dose.observations.find((x) => x.code === loinc && x.subId === o.subId);
      const effective = kind === 'contraindication' ? sameGroup(EFFECTIVE_DATE_LOINC) : undefined;
      const expiration = kind === 'contraindication' ? sameGroup(EXPIRATION_DATE_LOINC) : undefined;
      const p: ObservationProposal = { kind, registryCode: o.value };
      if (o.valueText) p.registryText = o.valueText;
      if (entry) {
        p.cdsiCode = entry.code;
        p.title = entry.title;
      }
      const start = isoDay(effective?.value) ?? o.observedOn;
      if (start) p.startDate = start;
      const end = isoDay(expiration?.value);
      if (end) p.endDate = end;
      const key = `${kind}|${p.cdsiCode ?? o.value}|${p.startDate ?? ''}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(p);
    }
  }
  return out;
}

/** YYYYMMDD[...] (an OBX-5 of type TS/DT) as YYYY-MM-DD. */
function isoDay(value: string | undefined): string | undefined {
  const m = value ? /^(\d{4})(\d{2})(\d{2})/.exec(value) : null;
  return m ? `${m[1]}-${m[2]}-${m[3]}` : undefined;
}
