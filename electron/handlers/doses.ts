import type { OutboxSummary } from '../api';
import type { AppServices } from '../services/app-services';
import { ApiFailure, notFound } from '../services/errors';
import type { OutboxEntry } from '../store/types';
import { signedIn } from './guard';
import type { Implementations } from './types';

type DoseMethods = 'doses.record' | 'doses.edit' | 'doses.remove' | 'doses.get' | 'doses.listForPatient';

export function outboxSummary(entry: OutboxEntry): OutboxSummary {
  const out: OutboxSummary = { seq: entry.seq, action: entry.action, state: entry.state, messageControlId: entry.messageControlId };
  if (entry.deadlineAt) out.deadlineAt = entry.deadlineAt;
  return out;
}

export function doseHandlers({ store, sync, today, settings }: AppServices): Implementations<DoseMethods> {
  /** A practice dose in a database training and production once shared never went to MIIS: leave it alone. */
  function refuseOtherModeDose(id: string): void {
    if (!settings.isLegacyPracticeDose(id)) return;
    throw new ApiFailure('conflict', 'This dose was recorded in training mode and never went to MIIS, so it cannot be changed now. Record the real dose as a new one.', {
      code: 'dose.other_mode',
    });
  }

  return {
    'doses.record': (input, ctx) => {
      const result = store.doses.record(input.dose, signedIn(ctx).actor, today());
      sync.kick('dose_saved');
      return { dose: result.dose, outbox: outboxSummary(result.outbox) };
    },
    'doses.edit': (input, ctx) => {
      refuseOtherModeDose(input.id);
      const result = store.doses.edit(input.id, input.dose, input.expectedVersion, signedIn(ctx).actor, today());
      sync.kick('dose_saved');
      return { dose: result.dose, outbox: outboxSummary(result.outbox) };
    },
    'doses.remove': (input, ctx) => {
      refuseOtherModeDose(input.id);
      const result = store.doses.remove(input.id, input.reason, signedIn(ctx).actor);
      sync.kick('dose_saved');
      return result.outbox ? { dose: result.dose, outbox: outboxSummary(result.outbox) } : { dose: result.dose };
    },
    'doses.get': (input, ctx) => {
      const dose = store.doses.get(input.id, signedIn(ctx).actor);
      if (!dose) throw notFound('This dose', 'dose.not_found');
      return dose;
    },
    'doses.listForPatient': (input, ctx) => store.doses.listForPatient(input.patientId, signedIn(ctx).actor),
  };
}
