import type { Actor } from '../../electron/domain/actor';
import type { OutboxEntry } from '../../electron/domain/outbox';
import type { Hl7SiteConfig } from '../hl7/config';
import { buildVxu } from '../hl7/vxu';
import type { Clock, MessageBuilder, RecordReader } from './types';

// Builds an outbox entry's VXU from the records in the store. Called once per entry (on its
// first claim); the engine stores the text, so every retry resends the same bytes with the same
// MSH-7 and MSH-10, whatever the code or the records look like by then (B.5 #20).

/** The engine reads records as this actor; the audit trail shows it as the sync service. */
export const SYNC_ACTOR: Actor = { userId: 'system', label: 'system:sync' };

export class MessageBuildError extends Error {
  override readonly name = 'MessageBuildError';
}

export function createStoreMessageBuilder(
  store: RecordReader,
  config: Hl7SiteConfig | (() => Hl7SiteConfig),
  clock: Clock = { now: () => new Date() },
): MessageBuilder {
  return (entry: OutboxEntry): string => {
    const dose = store.doses.get(entry.doseId, SYNC_ACTOR);
    if (!dose) throw new MessageBuildError(`Dose ${entry.doseId} is not in the local record.`);
    const patient = store.patients.get(entry.patientId, SYNC_ACTOR);
    if (!patient) throw new MessageBuildError(`Patient ${entry.patientId} of dose ${entry.doseId} is not in the local record.`);
    const administeredBy = dose.administeringClinicianId ? store.clinicians.get(dose.administeringClinicianId) : undefined;
    const orderedBy = dose.orderingClinicianId ? store.clinicians.get(dose.orderingClinicianId) : undefined;
    // The chart's reporting status is not part of the message.
    const { reporting: _reporting, ...plainDose } = dose;
    void _reporting;
    return buildVxu({
      patient,
      dose: plainDose,
      ...(administeredBy ? { administeredBy } : {}),
      ...(orderedBy ? { orderedBy } : {}),
      action: entry.action,
      messageControlId: entry.messageControlId,
      sentAt: clock.now(),
      config: typeof config === 'function' ? config() : config,
    });
  };
}
