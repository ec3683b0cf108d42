// Public entry point: evaluation of every dose and a forecast per vaccine group, with ISO dates.
import { type Day, formatDay, parseDay } from './dates';
import { defaultSupportingData } from './default-data';
import { type RawGroupForecast, PatientRun, patientContext } from './engine';
import { type Model, type VaccineGroup, compileModel } from './model';
import type { CdsiSupportingData } from './supporting-data';
import type { AntigenForecast, DoseEvaluation, ForecastOptions, ForecastPatient, ForecastResult, VaccineGroupForecast } from './types';

export function resolveGroups(model: Model, names: readonly string[] | undefined): VaccineGroup[] {
  if (!names) return model.groups;
  return names.map((g) => {
    const found = model.groupByName.get(g);
    if (!found) throw new Error(`Unknown CDSi vaccine group "${g}" (known: ${model.groups.map((x) => x.name).join(', ')})`);
    return found;
  });
}

const ISO_SHAPE = /^\d{4}-\d{2}-\d{2}$/;

function byDoseThenAntigen(a: DoseEvaluation, b: DoseEvaluation): number {
  return a.doseIndex - b.doseIndex || (a.antigen < b.antigen ? -1 : a.antigen > b.antigen ? 1 : 0);
}

function iso(day: Day | undefined): string | undefined {
  return day === undefined ? undefined : formatDay(day);
}

function publicForecast(model: Model, raw: RawGroupForecast): VaccineGroupForecast {
  const antigens: AntigenForecast[] = raw.outcomes.map((o) => {
    const f = o.best?.forecast;
    const due = o.status === 'not_complete' && f !== undefined;
    return {
      antigen: o.antigen.name,
      status: o.status,
      seriesName: o.best?.run.series.name,
      targetDose: due ? f.target + 1 : undefined,
      earliest: due ? iso(f.earliest) : undefined,
      recommended: due ? iso(f.recommended) : undefined,
      pastDue: due ? iso(f.pastDue) : undefined,
      latest: due ? iso(f.latest) : undefined,
    };
  });
  const out: VaccineGroupForecast = {
    vaccineGroup: raw.group.name,
    status: raw.status,
    vaccines: raw.vaccines.map((cvx) => ({ cvx, name: model.cvxName(cvx) })),
    antigens,
  };
  if (raw.reason) out.reason = raw.reason;
  if (raw.because.length > 0) out.because = [...raw.because];
  if (raw.targetDose !== undefined) out.targetDose = raw.targetDose;
  if (raw.earliest !== undefined) out.earliest = formatDay(raw.earliest);
  if (raw.recommended !== undefined) out.recommended = formatDay(raw.recommended);
  if (raw.pastDue !== undefined) out.pastDue = formatDay(raw.pastDue);
  if (raw.latest !== undefined) out.latest = formatDay(raw.latest);
  return out;
}

/**
 * Evaluates a patient's history and forecasts every vaccine group per CDC CDSi, as of
 * `assessmentDate` (YYYY-MM-DD; the logic never reads the clock). Doses dated after the
 * assessment date are ignored. Throws on an unreadable date.
 */
export function evaluateAndForecast(
  patient: ForecastPatient,
  assessmentDate: string,
  data: CdsiSupportingData = defaultSupportingData,
  options: ForecastOptions = {},
): ForecastResult {
  const model = compileModel(data);
  const assessment = parseDay(assessmentDate);
  const ctx = patientContext(model, patient, assessment);
  const pr = new PatientRun(model, ctx, patient.doses.length);
  // The caller's own date strings, once validated, are the evaluation dates.
  const isoDates = patient.doses.map((d) => (ISO_SHAPE.test(d.date) ? d.date : undefined));
  const forecasts: VaccineGroupForecast[] = [];
  const evaluations: DoseEvaluation[] = [];
  for (const group of resolveGroups(model, options.vaccineGroups)) {
    const raw = pr.group(group);
    // Travel and risk-only groups with nothing to say are left out of the chart.
    if (raw.status !== 'not_recommended' || raw.lastDose !== undefined) forecasts.push(publicForecast(model, raw));
    if (options.forecastOnly) continue;
    for (const o of raw.outcomes) {
      const doses = pr.dosesOf(o.antigen.name);
      doses.forEach((d, i) => {
        // Of several best series, the one in which the dose counted speaks for it.
        const run = o.otherBest?.find((c) => c.run.outcomes[i]?.status === 'valid' && o.best?.run.outcomes[i]?.status !== 'valid')?.run ?? o.best?.run;
        const out = run?.outcomes[i];
        const e: DoseEvaluation = {
          doseIndex: d.idx,
          cvx: d.cvx,
          date: isoDates[d.idx] ?? formatDay(d.date),
          antigen: o.antigen.name,
          vaccineGroup: group.name,
          // Without a relevant series (a risk-only antigen) a dose cannot count.
          status: out?.status ?? 'extraneous',
        };
        const id = patient.doses[d.idx]?.id;
        if (id !== undefined) e.doseId = id;
        if (out?.reason) e.reason = out.reason;
        if (run) e.seriesName = run.series.name;
        const target = run?.targetOf[i] ?? -1;
        if (out?.status === 'valid' && target >= 0) e.targetDose = target + 1;
        evaluations.push(e);
      });
    }
  }
  if (!options.forecastOnly) {
    for (const d of ctx.doses) {
      if (model.cvxAntigens.has(d.cvx)) continue;
      const e: DoseEvaluation = {
        doseIndex: d.idx,
        cvx: d.cvx,
        date: formatDay(d.date),
        antigen: '',
        vaccineGroup: '',
        status: 'not_valid',
        reason: 'Unknown vaccine (CVX not in supporting data)',
      };
      const id = patient.doses[d.idx]?.id;
      if (id !== undefined) e.doseId = id;
      evaluations.push(e);
    }
    evaluations.sort(byDoseThenAntigen);
  }
  return { assessmentDate: formatDay(assessment), dataVersion: data.version, evaluations, forecasts };
}
