// The other half of the CDC query profiles: QBP Z44 (request evaluated history and forecast) and
// the Z42 answer's forecast order groups (RXA-5 `998`, RXA-20 `NA`). Kept apart from query.ts so
// the Z34/RSP codec there stays one piece; this file only adds to what parseRsp returns.
// docs/domain.md §1.9.
import { parseMessage } from './message';
import { buildQbp, parseRsp, type RspDose, type RspObservation, type RspParseFailure, type RspResult } from './query';
import type { QbpInput } from './types';
import { PROFILE } from './vocabulary';

export type RegistryQueryProfile = typeof PROFILE.qbpHistory | typeof PROFILE.qbpForecast;

const QUERY_NAME: Record<RegistryQueryProfile, string> = {
  Z34: 'Request Immunization History',
  Z44: 'Request Evaluated History and Forecast',
};

/** QBP^Q11 for either profile: Z44 differs from Z34 only in MSH-21 and QPD-1. */
export function buildQbpFor(input: QbpInput, profile: RegistryQueryProfile): string {
  const z34 = buildQbp(input);
  if (profile === PROFILE.qbpHistory) return z34;
  return z34
    .split('\r')
    .map((segment) => {
      if (segment.startsWith('MSH')) {
        const f = segment.split('|');
        const comps = (f[20] ?? '').split('^');
        comps[0] = PROFILE.qbpForecast;
        f[20] = comps.join('^');
        return f.join('|');
      }
      if (segment.startsWith('QPD')) {
        const f = segment.split('|');
        f[1] = `${PROFILE.qbpForecast}^${QUERY_NAME.Z44}^CDCPHINVS`;
        return f.join('|');
      }
      return segment;
    })
    .join('\r');
}

/** One vaccine group's line of the registry's own forecast (Z42). */
export interface RegistryForecastItem {
  /** OBX 30956-7 / 38890-0 (or 30979-9): the CVX of the vaccine group, e.g. `45` HepB. */
  vaccineGroupCvx: string;
  vaccineGroupText?: string;
  /** ISO dates: 30981-5 earliest, 30980-7 recommended, 59778-1 overdue, 59777-3 latest. */
  earliest?: string;
  recommended?: string;
  overdue?: string;
  latest?: string;
  /** 59783-1, e.g. `complete`, `overdue`, `in progress` (the registry's words). */
  status?: string;
  doseNumber?: number;
}

/** One dose of the registry's history with what DoseDesk reconciles it by. */
export interface RegistryDose extends RspDose {
  /** RXA-11.4: the facility that administered or reported the dose, as the registry knows it. */
  reportingFacility?: string;
  /** The registry's evaluation (Z42): OBX 59781-5 dose validity, when given. */
  valid?: boolean;
}

export type RegistryAnswer =
  | (Extract<RspResult, { kind: 'history' }> & { registryDoses: RegistryDose[]; forecast: RegistryForecastItem[] })
  | Exclude<RspResult, { kind: 'history' }>;

const GROUP_CODES = new Set(['30956-7', '38890-0', '30979-9']);

function isForecastGroup(d: RspDose): boolean {
  return d.cvx === '998' || (d.completionStatus === 'NA' && d.observations.some((o) => o.code === '30980-7' || o.code === '30981-5'));
}

/** HL7 DT (YYYYMMDD) to ISO; other shapes are left as the registry wrote them. */
function isoDay(v: string): string | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})/.exec(v);
  return m ? `${m[1]}-${m[2]}-${m[3]}` : v || undefined;
}

function forecastItems(observations: readonly RspObservation[]): RegistryForecastItem[] {
  // Each vaccine group's OBX share an OBX-4 sub-id; a registry that omits it sends one group per RXA.
  const bySub = new Map<string, RspObservation[]>();
  for (const o of observations) bySub.set(o.subId || '1', [...(bySub.get(o.subId || '1') ?? []), o]);
  const out: RegistryForecastItem[] = [];
  for (const group of bySub.values()) {
    const code = group.find((o) => GROUP_CODES.has(o.code));
    if (!code?.value) continue;
    const item: RegistryForecastItem = { vaccineGroupCvx: code.value };
    if (code.valueText) item.vaccineGroupText = code.valueText;
    for (const o of group) {
      if (o.code === '30981-5') item.earliest = isoDay(o.value);
      else if (o.code === '30980-7') item.recommended = isoDay(o.value);
      else if (o.code === '59778-1') item.overdue = isoDay(o.value);
      else if (o.code === '59777-3') item.latest = isoDay(o.value);
      else if (o.code === '59783-1') item.status = o.valueText ?? o.value;
      else if (o.code === '30973-2' && /^\d+$/.test(o.value)) item.doseNumber = Number(o.value);
    }
    for (const k of Object.keys(item) as (keyof RegistryForecastItem)[]) if (item[k] === undefined) delete item[k];
    out.push(item);
  }
  return out;
}

/**
 * parseRsp plus what reconciling needs: the doses without the Z42 forecast groups, each with its
 * reporting facility (RXA-11.4) and the registry's validity, and the forecast lines. Never throws.
 */
export function parseRegistryAnswer(text: string): RegistryAnswer | RspParseFailure {
  const parsed = parseRsp(text);
  if (!parsed.ok || parsed.kind !== 'history') return parsed;
  // RXA-11 is not part of RspDose; the RXA segments come in the same order as parsed.doses.
  let facilities: string[] = [];
  try {
    facilities = parseMessage(text)
      .segments.filter((s) => s.name === 'RXA')
      .map((s) => s.get(11, { comp: 4 }));
  } catch {
    facilities = [];
  }
  const registryDoses: RegistryDose[] = [];
  const forecast: RegistryForecastItem[] = [];
  parsed.doses.forEach((d, i) => {
    if (isForecastGroup(d)) {
      forecast.push(...forecastItems(d.observations));
      return;
    }
    const dose: RegistryDose = { ...d };
    const facility = facilities[i];
    if (facility) dose.reportingFacility = facility;
    const validity = d.observations.find((o) => o.code === '59781-5');
    if (validity) dose.valid = validity.value === 'Y' || validity.value === 'V';
    registryDoses.push(dose);
  });
  return { ...parsed, registryDoses, forecast };
}
