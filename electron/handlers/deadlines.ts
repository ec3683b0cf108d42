import type { AtRiskDose } from '../api/deadlines';
import type { AppServices } from '../services/app-services';
import { signedIn } from './guard';
import { patientNames } from './patient-names';
import type { Implementations } from './types';

// The doses behind a deadline warning, named: the patient, the vaccine and its date. A person
// asked for them (the warning's "Which doses?", the work queue), so the names are an audited
// read, as the work queue's are.

const DEFAULT_WITHIN_HOURS = 24;
const DEFAULT_LIMIT = 50;
const HOUR_MS = 3_600_000;

export function deadlineHandlers({ store, settings, now }: AppServices): Implementations<'sync.deadlines'> {
  return {
    'sync.deadlines': (input, ctx) => {
      const { actor } = signedIn(ctx);
      const before = new Date(now().getTime() + (input.withinHours ?? DEFAULT_WITHIN_HOURS) * HOUR_MS).toISOString();
      const { entries, total } = store.workQueue.atRisk({ before, limit: input.limit ?? DEFAULT_LIMIT });
      const nameOf = patientNames(store, actor);
      const items = entries.map((entry): AtRiskDose => {
        const item: AtRiskDose = {
          seq: entry.seq,
          doseId: entry.doseId,
          patientId: entry.patientId,
          state: entry.state === 'rejected' ? 'rejected' : 'waiting',
          deadlineAt: entry.deadlineAt as string,
        };
        const name = nameOf(entry.patientId);
        if (name) item.patientName = name;
        const dose = store.doses.get(entry.doseId, actor);
        if (dose) {
          item.cvx = dose.cvx;
          item.administeredOn = dose.administeredOn;
        }
        return item;
      });
      return { items, total, helpDesk: settings.effective().values['registry.helpDesk'] };
    },
  };
}
