import { useEffect, useState } from 'react';

/** The current time, refreshed every `intervalMs`, so a deadline warning appears without any new event. */
export function useNow(intervalMs: number): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const h = setInterval(() => setNow(new Date()), intervalMs);
    return () => clearInterval(h);
  }, [intervalMs]);
  return now;
}
