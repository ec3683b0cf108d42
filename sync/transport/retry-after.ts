// Retry-After (RFC 9110 §10.2.3): either delay-seconds or an HTTP date.

/** Longest wait we honour: a registry asking for more is treated as asking for this. */
export const MAX_RETRY_AFTER_MS = 6 * 60 * 60 * 1000;

export function parseRetryAfter(value: string | undefined | null, nowMs: number = Date.now()): number | undefined {
  if (value === undefined || value === null) return undefined;
  const v = value.trim();
  if (v === '') return undefined;
  let ms: number;
  if (/^\d+$/.test(v)) {
    ms = Number(v) * 1000;
  } else {
    const at = Date.parse(v);
    if (Number.isNaN(at)) return undefined;
    ms = at - nowMs;
  }
  return Math.min(Math.max(0, ms), MAX_RETRY_AFTER_MS);
}
