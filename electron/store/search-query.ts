// Turns what a receptionist types into the search box into filters: name prefixes (any order,
// accents ignored), a date of birth typed as YYYY-MM-DD or MM/DD/YYYY, and an MRN.

export interface ParsedSearch {
  /** Lower-cased, accent-stripped name prefixes; every one must match some name part. */
  nameTokens: string[];
  dob?: string;
  mrn?: string;
}

const ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const US = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;

export function parseDob(token: string): string | undefined {
  let y: number, m: number, d: number;
  const iso = ISO.exec(token);
  const us = US.exec(token);
  if (iso) [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else if (us) [m, d, y] = [Number(us[1]), Number(us[2]), Number(us[3])];
  else return undefined;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return undefined;
  return date.toISOString().slice(0, 10);
}

/** Folds case and accents the way the FTS tokenizer (unicode61, remove_diacritics 2) does. */
export function foldName(text: string): string {
  return text.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase();
}

/** Splits into the tokens the FTS index holds: runs of letters and digits. */
export function nameParts(text: string): string[] {
  return foldName(text).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

export function parseSearchText(text: string): ParsedSearch {
  const out: ParsedSearch = { nameTokens: [] };
  for (const raw of text.trim().split(/[\s,;]+/).filter(Boolean)) {
    const dob = parseDob(raw);
    if (dob) {
      out.dob = dob;
    } else if (/\d/.test(raw)) {
      // Names do not carry digits; a token with one is a medical record number.
      out.mrn = raw;
    } else {
      out.nameTokens.push(...nameParts(raw));
    }
  }
  return out;
}

/** An FTS5 MATCH expression: each token a quoted prefix, all required. */
export function ftsExpression(tokens: readonly string[]): string {
  return tokens.map((t) => `"${t.replace(/"/g, '""')}"*`).join(' ');
}

/** Whether a patient's name parts satisfy every typed prefix (used where FTS is not in play). */
export function namesMatch(tokens: readonly string[], names: string): boolean {
  const parts = nameParts(names);
  return tokens.every((t) => parts.some((p) => p.startsWith(t)));
}
