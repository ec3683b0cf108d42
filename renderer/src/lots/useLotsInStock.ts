import { useEffect, useState } from 'react';
import type { Lot } from '../../../electron/api';
import { api, run } from '../api';

// The clinic's active lots, for screens that point at what is in the fridge (the Due panel).
// Read again whenever `refreshKey` changes (a dose saved takes a dose from its lot); a failed
// read leaves the previous list: pointing at stock is a help, never a gate.

export function useLotsInStock(refreshKey: string): Lot[] {
  const [lots, setLots] = useState<Lot[]>([]);
  useEffect(() => {
    let alive = true;
    void run(api().lots.list({})).then((r) => {
      if (alive && r.ok) setLots(r.value);
    });
    return () => {
      alive = false;
    };
  }, [refreshKey]);
  return lots;
}
