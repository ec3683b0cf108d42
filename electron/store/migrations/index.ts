import { initial } from './0010-initial';
import { patientSearch } from './0020-patient-search';
import { outboxDueOrder } from './0030-outbox-due-order';
import { workQueueReview } from './0050-work-queue-review';
import { patientObservations } from './0080-patient-observations';
import { doseFacts } from './0090-dose-facts';
import { lotAdjustIndex } from './0091-lot-adjust-index';
import type { Migration } from './types';

export type { Migration };

/** Every schema step, oldest first. Append only; never renumber or edit a shipped one. */
export const MIGRATIONS: readonly Migration[] = [initial, patientSearch, outboxDueOrder, workQueueReview, patientObservations, doseFacts, lotAdjustIndex];
