import { fullName } from '../domain/patient';
import type { AppServices } from '../services/app-services';
import type { Actor } from '../store/types';

/**
 * Names for rows that list patients (work queue, deadline warnings): each chart's name is read
 * once per answer. Reading a name is a PHI read, so it goes through the store, which audits it
 * for the person who asked.
 */
export function patientNames(store: AppServices['store'], actor: Actor): (patientId: string) => string | undefined {
  const names = new Map<string, string | undefined>();
  return (patientId) => {
    if (!names.has(patientId)) {
      const patient = store.patients.get(patientId, actor);
      names.set(patientId, patient ? fullName(patient) : undefined);
    }
    return names.get(patientId);
  };
}
