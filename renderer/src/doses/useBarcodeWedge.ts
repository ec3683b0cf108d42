import { useEffect, useRef } from 'react';

// A keyboard-wedge scanner "types" the barcode as a burst of keystrokes ending in Enter, far
// faster than a person. We watch keydown in the capture phase and remember, since the last
// Enter, each character, when it was pressed and a snapshot of the form taken just before it
// reached the field. On Enter we look for the earliest position from which the text is a
// barcode (`accepts`) typed at scanner speed; `onScan` gets that text and the snapshot from
// before its first character, so the caller can undo what the scanner typed into the field
// that had focus. The first gap may be slow (the page re-renders after the first character).

export interface WedgeOptions<S> {
  snapshot: () => S;
  /** Return true when `text` was a barcode and has been handled (the Enter is then swallowed). */
  onScan: (text: string, before: S) => boolean;
  accepts?: (text: string) => boolean;
  /** Largest gap between two keys of a scan, after the first one (scanners and busy pages jitter). */
  maxGapMs?: number;
  /** Largest average gap: what tells a scanner from a fast typist (40 ms is 300 words a minute). */
  maxMeanGapMs?: number;
  maxFirstGapMs?: number;
  minLength?: number;
  enabled?: boolean;
}

const MAX_KEPT = 200;

export function useBarcodeWedge<S>({ snapshot, onScan, accepts = looksLikeGs1, maxGapMs = 150, maxMeanGapMs = 40, maxFirstGapMs = 300, minLength = 16, enabled = true }: WedgeOptions<S>): void {
  const handlers = useRef({ snapshot, onScan, accepts });
  handlers.current = { snapshot, onScan, accepts };

  useEffect(() => {
    if (!enabled) return;
    let chars: string[] = [];
    let times: number[] = [];
    let snaps: S[] = [];
    const reset = () => {
      chars = [];
      times = [];
      snaps = [];
    };
    const onKey = (e: KeyboardEvent) => {
      // When the key was pressed, not when we got to it: a slow render must not split a burst.
      const now = e.timeStamp || performance.now();
      if (e.key === 'Enter') {
        const found = findScan(chars, times, { maxGapMs, maxMeanGapMs, maxFirstGapMs, minLength, accepts: handlers.current.accepts }, now);
        const before = found === undefined ? undefined : snaps[found];
        const text = found === undefined ? '' : chars.slice(found).join('');
        reset();
        if (before !== undefined && handlers.current.onScan(text, before)) {
          e.preventDefault();
          e.stopPropagation();
        }
        return;
      }
      if (e.key.length !== 1 || e.ctrlKey || e.altKey || e.metaKey) return;
      if (chars.length >= MAX_KEPT) {
        chars = chars.slice(-MAX_KEPT / 2);
        times = times.slice(-MAX_KEPT / 2);
        snaps = snaps.slice(-MAX_KEPT / 2);
      }
      chars.push(e.key);
      times.push(now);
      snaps.push(handlers.current.snapshot());
    };
    document.addEventListener('keydown', onKey, true);
    return () => document.removeEventListener('keydown', onKey, true);
  }, [enabled, maxGapMs, maxMeanGapMs, maxFirstGapMs, minLength]);
}

/** Earliest start index of a scanner-speed barcode ending at the Enter pressed at `enterAt`. */
export function findScan(
  chars: readonly string[],
  times: readonly number[],
  o: { maxGapMs: number; maxMeanGapMs: number; maxFirstGapMs: number; minLength: number; accepts: (text: string) => boolean },
  enterAt: number,
): number | undefined {
  const n = chars.length;
  if (n < o.minLength || enterAt - times[n - 1]! > o.maxFirstGapMs) return undefined;
  // Walk back while the keys came at scanner speed; allow one slow gap right after the first key.
  let start = n - 1;
  while (start > 0 && times[start]! - times[start - 1]! <= o.maxGapMs) start--;
  const candidates = start > 0 && times[start]! - times[start - 1]! <= o.maxFirstGapMs ? [start - 1, start] : [start];
  for (const from of candidates) {
    for (let i = from; i <= n - o.minLength; i++) {
      const meanGap = (times[n - 1]! - times[i + 1]!) / Math.max(1, n - i - 2);
      if (meanGap <= o.maxMeanGapMs && o.accepts(chars.slice(i).join(''))) return i;
    }
  }
  return undefined;
}

/** What a GS1 DataMatrix on a vial looks like once typed: symbology prefix, (01) or 01+GTIN. */
export function looksLikeGs1(text: string): boolean {
  return /^(\]d2|\]C1|\(01\)\d{14}|01\d{14}(1[0-7]|21))/.test(text);
}
