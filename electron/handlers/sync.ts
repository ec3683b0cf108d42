import type { WorkQueueItem } from '../api';
import type { AppServices } from '../services/app-services';
import type { Actor, WorkQueueEntry } from '../store/types';
import { signedIn } from './guard';
import { patientNames } from './patient-names';
import type { Implementations } from './types';

type SyncMethods = 'sync.status' | 'sync.workQueue' | 'sync.acknowledge' | 'sync.dismiss' | 'sync.resubmitRejected' | 'sync.retryDelete' | 'sync.retryNow';

const PAGE_SIZE = 50;

export function syncHandlers({ store, sync }: AppServices): Implementations<SyncMethods> {
  /** The queue's rows for one person: patient names (a PHI read the store audits) and reviewers' names. */
  function itemsFor(entries: readonly WorkQueueEntry[], actor: Actor): WorkQueueItem[] {
    const nameOf = patientNames(store, actor);
    const reviewers = new Map<string, string>();
    return entries.map((entry): WorkQueueItem => {
      const item: WorkQueueItem = {
        seq: entry.seq,
        doseId: entry.doseId,
        patientId: entry.patientId,
        action: entry.action,
        state: entry.state,
        messages: entry.registryMessages,
        updatedAt: entry.updatedAt,
      };
      const name = nameOf(entry.patientId);
      if (name) item.patientName = name;
      if (entry.ackCode) item.ackCode = entry.ackCode;
      if (entry.ackText) item.ackText = entry.ackText;
      if (entry.deadlineAt) item.deadlineAt = entry.deadlineAt;
      if (entry.review) {
        const { userId, kind, at, reason } = entry.review;
        if (!reviewers.has(userId)) reviewers.set(userId, store.users.byId(userId)?.displayName ?? userId);
        item.review = { kind, at, by: reviewers.get(userId) as string };
        if (reason) item.review.reason = reason;
      }
      return item;
    });
  }

  return {
    'sync.status': () => sync.status(),
    'sync.workQueue': (input, ctx) => {
      const { actor } = signedIn(ctx);
      const page = store.workQueue.page({ view: input.view ?? 'open', limit: input.limit ?? PAGE_SIZE, cursor: input.cursor });
      const out = { items: itemsFor(page.entries, actor), total: page.total, counts: page.counts };
      return page.nextCursor ? { ...out, nextCursor: page.nextCursor } : out;
    },
    'sync.acknowledge': (input, ctx) => store.workQueue.acknowledge(input.seqs, signedIn(ctx).actor),
    'sync.dismiss': (input, ctx) => {
      const { actor } = signedIn(ctx);
      const entry = store.workQueue.dismiss(input.seq, input.reason, actor);
      return itemsFor([entry], actor)[0] as WorkQueueItem;
    },
    'sync.resubmitRejected': (input, ctx) => {
      const { actor } = signedIn(ctx);
      const { resent, skipped } = store.workQueue.resubmitRejected(actor, input.seqs);
      if (resent.length > 0) sync.kick('user');
      return { resent: resent.map(({ doseId, seq, replacedSeqs }) => ({ doseId, seq, replacedSeqs })), skipped, status: sync.status() };
    },
    'sync.retryDelete': (input, ctx) => {
      const { doseId, seq, replacedSeqs } = store.workQueue.retryDelete(input.seq, signedIn(ctx).actor);
      // New work, like a saved dose: it wakes the sender, and does not lift a pause that waits
      // for an administrator (a refused password retried blindly can lock the account).
      sync.kick('dose_saved');
      return { doseId, seq, replacedSeqs, status: sync.status() };
    },
    'sync.retryNow': () => {
      sync.kick('user');
      return sync.status();
    },
  };
}
