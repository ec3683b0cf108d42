import type { Api, ApiError, FieldIssue, Result } from '../../electron/api';

// The renderer's access to `window.dosedesk`, plus the small helpers every screen uses to turn
// results into state: errors stay data (never thrown across IPC), field issues become a map.

export function api(): Api {
  return window.dosedesk;
}

type SessionListener = (error: ApiError) => void;
const sessionListeners = new Set<SessionListener>();

/** Called when any call fails because the session ended or locked, so the app can show sign-in. */
export function onSessionProblem(listener: SessionListener): () => void {
  sessionListeners.add(listener);
  return () => sessionListeners.delete(listener);
}

/** The code main gives every call it refuses because the database is damaged. */
export const STORE_DAMAGED = 'store.corrupt';
const damageListeners = new Set<SessionListener>();

/** Called when any call finds the database damaged, so the app can show its recovery screen. */
export function onStoreDamage(listener: SessionListener): () => void {
  damageListeners.add(listener);
  return () => damageListeners.delete(listener);
}

/** Awaits a call; a session problem or a damaged database is also announced to the app shell. */
export async function run<T>(call: Promise<Result<T>>): Promise<Result<T>> {
  let result: Result<T>;
  try {
    result = await call;
  } catch (e) {
    result = { ok: false, error: { kind: 'internal', message: e instanceof Error ? e.message : String(e) } };
  }
  if (!result.ok && (result.error.kind === 'unauthorized' || result.error.code === 'auth.session_locked')) {
    for (const l of sessionListeners) l(result.error);
  }
  if (!result.ok && result.error.code === STORE_DAMAGED) {
    for (const l of damageListeners) l(result.error);
  }
  return result;
}

export type FieldErrors = Record<string, string>;

/**
 * Field issues keyed by form path without the leading form name (`dose.lotNumber` → `lotNumber`
 * for prefix `dose`). Issues for other records stay under their full path.
 */
export function fieldErrors(issues: readonly FieldIssue[] | undefined, prefix: string): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of issues ?? []) {
    const key = issue.path.startsWith(`${prefix}.`) ? issue.path.slice(prefix.length + 1) : issue.path;
    if (!(key in out)) out[key] = issue.message;
  }
  return out;
}

/** Today on the clinic's clock, as the forms and the domain rules reason (YYYY-MM-DD). */
export function todayIso(now: Date = new Date()): string {
  const y = now.getFullYear();
  const m = String(now.getMonth() + 1).padStart(2, '0');
  const d = String(now.getDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

export function formatDateTime(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/** Accepts YYYY-MM-DD or US MM/DD/YYYY (how dates are read out at the counter). */
export function normalizeDateInput(text: string): string {
  const v = text.trim();
  const us = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(v);
  if (us) return `${us[3]}-${us[1]!.padStart(2, '0')}-${us[2]!.padStart(2, '0')}`;
  const compact = /^(\d{4})(\d{2})(\d{2})$/.exec(v);
  if (compact) return `${compact[1]}-${compact[2]}-${compact[3]}`;
  return v;
}
