import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { SyncEvent, SyncStatus } from '../../../electron/api';
import { api, run } from '../api';

// One subscription to the sync engine for the whole app: the status bar reads the latest
// snapshot, the chart and the work queue re-read their data when an outcome arrives.

export interface SyncView {
  status?: SyncStatus;
  /** Largest backlog seen since the outbox was last empty (for the progress bar). */
  backlogPeak: number;
  /** Bumped on every outcome event: a dependency for effects that re-read doses. */
  outcomeTick: number;
  refresh: () => void;
  retryNow: () => Promise<void>;
}

const SyncCtx = createContext<SyncView>({ backlogPeak: 0, outcomeTick: 0, refresh: () => undefined, retryNow: async () => undefined });

export function useSync(): SyncView {
  return useContext(SyncCtx);
}

export function backlogOf(status: SyncStatus | undefined): number {
  return status ? status.pending + status.sending : 0;
}

export function SyncProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<SyncStatus>();
  const [outcomeTick, setOutcomeTick] = useState(0);
  const [backlogPeak, setBacklogPeak] = useState(0);
  const alive = useRef(true);

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

  useEffect(() => {
    alive.current = true;
    refresh();
    const off = api().onSyncStatus((event: SyncEvent) => {
      if (event.type === 'status') apply(event.status);
      else if (event.type === 'outcome') {
        setOutcomeTick((n) => n + 1);
        refresh();
      } else refresh();
    });
    return () => {
      alive.current = false;
      off();
    };
  }, [apply, refresh]);

  const value = useMemo(() => ({ status, backlogPeak, outcomeTick, refresh, retryNow }), [status, backlogPeak, outcomeTick, refresh, retryNow]);
  return <SyncCtx.Provider value={value}>{children}</SyncCtx.Provider>;
}
