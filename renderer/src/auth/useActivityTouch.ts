import { useEffect, useRef } from 'react';

// The idle auto-lock runs in the main process and only knows about calls it receives. Keys,
// clicks, scrolling and mouse movement are activity too: report them with `auth.touch`, at
// most once per `everyMs`, so that a nurse reading a chart is not locked out mid-visit and an
// unattended screen still locks on time.

export const TOUCH_EVERY_MS = 60_000;

const ACTIVITY_EVENTS = ['keydown', 'pointerdown', 'pointermove', 'wheel'] as const;

export function useActivityTouch(touch: () => void, options: { everyMs?: number; now?: () => number } = {}): void {
  const everyMs = options.everyMs ?? TOUCH_EVERY_MS;
  const now = options.now ?? Date.now;
  const touchRef = useRef(touch);
  touchRef.current = touch;
  const nowRef = useRef(now);
  nowRef.current = now;
  const last = useRef<number | undefined>(undefined);

  useEffect(() => {
    const onActivity = () => {
      const at = nowRef.current();
      if (last.current !== undefined && at - last.current < everyMs) return;
      last.current = at;
      touchRef.current();
    };
    for (const type of ACTIVITY_EVENTS) document.addEventListener(type, onActivity, { passive: true, capture: true });
    return () => {
      for (const type of ACTIVITY_EVENTS) document.removeEventListener(type, onActivity, { capture: true });
    };
  }, [everyMs]);
}
