import type { AppServices } from '../services/app-services';
import { notFound } from '../services/errors';
import { signedIn } from './guard';
import type { Implementations } from './types';

type PatientMethods = 'patients.search' | 'patients.get' | 'patients.create' | 'patients.update';

export function patientHandlers({ store }: AppServices): Implementations<PatientMethods> {
  return {
    'patients.search': (input, ctx) => store.patients.search(input, signedIn(ctx).actor),
    'patients.get': (input, ctx) => {
      const patient = store.patients.get(input.id, signedIn(ctx).actor);
      if (!patient) throw notFound('This patient', 'patient.not_found');
      return patient;
    },
    'patients.create': (input, ctx) => {
      const { actor } = signedIn(ctx);
      if (!input.confirmDuplicate) {
        const duplicates = store.patients.findLikelyDuplicates(input.patient);
        if (duplicates.length > 0) {
          // The user saw other patients' names and dates of birth: that is a read of PHI.
          store.audit.append({ userId: actor.userId, action: 'patient.duplicate_check', entity: 'patient', detail: { matches: duplicates.map((d) => d.id) } });
          return { created: false as const, duplicates };
        }
      }
      return { created: true as const, patient: store.patients.create(input.patient, actor) };
    },
    'patients.update': (input, ctx) => store.patients.update(input.id, input.patient, input.expectedVersion, signedIn(ctx).actor),
  };
}
