// What to say about a lot's expiry when it is received: an expired lot must not go into the
// fridge unnoticed, and one that expires within a month is worth a word (use it first, or
// send it back). Dates are the clinic's calendar days, YYYY-MM-DD.

export const SHORT_DATED_DAYS = 30;

export type ExpiryWarning = { kind: 'expired' } | { kind: 'short'; days: number };

function dayNumber(iso: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = Date.UTC(y, mo - 1, d);
  const back = new Date(t);
  // 2027-02-30 is not a date: say nothing, the form's own check names the problem.
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return undefined;
  return Math.round(t / 86_400_000);
}

export function expiryWarning(expirationDate: string, today: string, shortDays = SHORT_DATED_DAYS): ExpiryWarning | undefined {
  const exp = dayNumber(expirationDate);
  const now = dayNumber(today);
  if (exp === undefined || now === undefined) return undefined;
  if (exp < now) return { kind: 'expired' };
  if (exp - now <= shortDays) return { kind: 'short', days: exp - now };
  return undefined;
}
