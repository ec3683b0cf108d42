import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { SyncEvent, SyncStatus } from '../../../electron/api';
import { api, run } from '../api';

// One subscription to the sync engine for the whole app: the status bar reads the latest
// snapshot; the chart and the work queue hear each outcome and update what they show from the
// event itself. Nothing here re-reads patient data: a read of a chart is audited as something
// a person did, and an answer arriving from the registry is not a person doing anything.

export type OutcomeEvent = Extract<SyncEvent, { type: 'outcome' }>;
export type OutcomeListener = (event: OutcomeEvent) => void;

export interface SyncView {
  status?: SyncStatus;
  /** Largest backlog seen since the outbox was last empty (for the progress bar). */
  backlogPeak: number;
  /** Hears every outcome (accepted, warning, rejected, retry) until the returned function is called. */
  subscribeOutcomes: (listener: OutcomeListener) => () => void;
  refresh: () => void;
  retryNow: () => Promise<void>;
}

const SyncCtx = createContext<SyncView>({
  backlogPeak: 0,
  subscribeOutcomes: () => () => undefined,
  refresh: () => undefined,
  retryNow: async () => undefined,
});

export function useSync(): SyncView {
  return useContext(SyncCtx);
}

/** Calls `listener` for every outcome while the component is mounted (the latest listener, no re-subscribing). */
export function useSyncOutcomes(listener: OutcomeListener): void {
  const { subscribeOutcomes } = useSync();
  const latest = useRef(listener);
  latest.current = listener;
  useEffect(() => subscribeOutcomes((e) => latest.current(e)), [subscribeOutcomes]);
}

export function backlogOf(status: SyncStatus | undefined): number {
  return status ? status.pending + status.sending : 0;
}

export function SyncProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<SyncStatus>();
  const [backlogPeak, setBacklogPeak] = useState(0);
  const alive = useRef(true);
  const outcomeListeners = useRef(new Set<OutcomeListener>());

  const apply = useCallback((next: SyncStatus) => {
    if (!alive.current) return;
    setStatus(next);
    const backlog = backlogOf(next);
    setBacklogPeak((peak) => (backlog === 0 ? 0 : Math.max(peak, backlog)));
  }, []);

  const refresh = useCallback(() => {
    void run(api().sync.status({})).then((r) => {
      if (r.ok) apply(r.value);
    });
  }, [apply]);

  const retryNow = useCallback(async () => {
    const r = await run(api().sync.retryNow({}));
    if (r.ok) apply(r.value);
  }, [apply]);

  const subscribeOutcomes = useCallback((listener: OutcomeListener) => {
    outcomeListeners.current.add(listener);
    return () => {
      outcomeListeners.current.delete(listener);
    };
  }, []);

  useEffect(() => {
    alive.current = true;
    refresh();
    const off = api().onSyncStatus((event: SyncEvent) => {
      if (event.type === 'status') apply(event.status);
      // The engine follows outcomes with a status snapshot of its own; asking for one per
      // outcome would double the traffic while a backlog drains.
      else if (event.type === 'outcome') for (const l of [...outcomeListeners.current]) l(event);
      else refresh();
    });
    return () => {
      alive.current = false;
      off();
    };
  }, [apply, refresh]);

  const value = useMemo(() => ({ status, backlogPeak, subscribeOutcomes, refresh, retryNow }), [status, backlogPeak, subscribeOutcomes, refresh, retryNow]);
  return <SyncCtx.Provider value={value}>{children}</SyncCtx.Provider>;
}
