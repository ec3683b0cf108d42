import type { WorkQueueItem } from '../api';
import { fullName } from '../domain/patient';
import type { AppServices } from '../services/app-services';
import { signedIn } from './guard';
import type { Implementations } from './types';

type SyncMethods = 'sync.status' | 'sync.workQueue' | 'sync.retryNow';

export function syncHandlers({ store, sync }: AppServices): Implementations<SyncMethods> {
  return {
    'sync.status': () => sync.status(),
    'sync.workQueue': (input, ctx) => {
      const { actor } = signedIn(ctx);
      const names = new Map<string, string | undefined>();
      return store.outbox.workQueue(input.limit ?? 100).map((entry): WorkQueueItem => {
        if (!names.has(entry.patientId)) {
          // Reading the chart's name is a PHI read: the store writes the audit row for it.
          const patient = store.patients.get(entry.patientId, actor);
          names.set(entry.patientId, patient ? fullName(patient) : undefined);
        }
        const item: WorkQueueItem = {
          seq: entry.seq,
          doseId: entry.doseId,
          patientId: entry.patientId,
          action: entry.action,
          state: entry.state,
          messages: entry.registryMessages,
          updatedAt: entry.updatedAt,
        };
        const name = names.get(entry.patientId);
        if (name) item.patientName = name;
        if (entry.ackCode) item.ackCode = entry.ackCode;
        if (entry.ackText) item.ackText = entry.ackText;
        if (entry.deadlineAt) item.deadlineAt = entry.deadlineAt;
        return item;
      });
    },
    'sync.retryNow': () => {
      sync.kick('user');
      return sync.status();
    },
  };
}
