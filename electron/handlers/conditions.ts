import type { ObservationOption } from '../api/conditions';
import { searchObservations, type ObservationInfo } from '../domain/forecast/observation-catalogue';
import type { AppServices } from '../services/app-services';
import { signedIn } from './guard';
import type { Implementations } from './types';

// Conditions on the chart: the CDSi observation picker and a patient's recorded observations.
// The store validates and audits every change; the forecast reads them (handlers/forecast.ts).

type ConditionMethods = 'conditions.search' | 'conditions.listForPatient' | 'conditions.record' | 'conditions.update' | 'conditions.remove';

const SEARCH_LIMIT = 30;

function option(o: ObservationInfo): ObservationOption {
  const out: ObservationOption = {
    code: o.code,
    title: o.title,
    indicationFor: o.indicationFor,
    contraindicates: o.contraindicates,
    immunityFor: o.immunityFor,
    needsDate: o.needsDate,
  };
  if (o.indication) out.indication = o.indication;
  if (o.contraindication) out.contraindication = o.contraindication;
  if (o.clarifying) out.clarifying = o.clarifying;
  return out;
}

export function conditionHandlers({ store }: AppServices): Implementations<ConditionMethods> {
  return {
    'conditions.search': (input) => searchObservations(input.text, input.limit ?? SEARCH_LIMIT).map(option),
    'conditions.listForPatient': (input, ctx) => store.observations.listForPatient(input.patientId, signedIn(ctx).actor),
    'conditions.record': (input, ctx) => store.observations.record(input.patientId, input.observation, signedIn(ctx).actor),
    'conditions.update': (input, ctx) => store.observations.update(input.id, input.observation, input.expectedVersion, signedIn(ctx).actor),
    'conditions.remove': (input, ctx) => store.observations.remove(input.id, input.reason, signedIn(ctx).actor),
  };
}
