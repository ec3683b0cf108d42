// Helpers shared by the code-table modules.

export function once<T>(build: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= build());
}

/** Freezes a table row and everything in it: lookups hand out shared objects. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** CVX codes are at least two digits (`08`); accept `8`, ` 08 `, `008`. */
export function normalizeCvxCode(code: string): string {
  const trimmed = code.trim();
  return /^\d+$/.test(trimmed) ? String(Number(trimmed)).padStart(2, '0') : trimmed;
}
