import { dirname } from 'node:path';
import { damageError } from './damage';
import { StoreError, classifyError } from './errors';

// Every repository method runs through here: callers see a classified StoreError, never a raw
// SqliteError or a SyntaxError from a damaged row. Damage of any kind, wherever it is found,
// puts the open store in a damaged state: from then on every call is refused with the same
// damage error (what was found, which file, which verified backup), so nothing more is
// written to a damaged file and every screen can show the recovery message.

export class StoreHealth {
  private damage: StoreError | undefined;

  constructor(
    private readonly path: string,
    private readonly nativeBinding?: string,
  ) {}

  /** The damage found so far, if any. */
  get damaged(): StoreError | undefined {
    return this.damage;
  }

  /** Puts the store in the damaged state (keeps the first damage found). */
  markDamaged(err: StoreError): StoreError {
    this.damage ??= err;
    return this.damage;
  }

  refuseIfDamaged(): void {
    if (this.damage) throw this.damage;
  }

  /** Turns anything thrown while `doing` into what the caller should see, noting damage. */
  classify(err: unknown, doing: string): unknown {
    if (err instanceof SyntaxError) {
      // Only stored JSON is parsed in the store: a row that no longer parses is damage.
      return this.markDamaged(damageError(this.path, `a stored record could not be read while ${doing} (${err.message})`, { nativeBinding: this.nativeBinding, code: 'DOSEDESK_UNREADABLE_ROW', cause: err }));
    }
    const classified = classifyError(err, doing, dirname(this.path));
    if (classified instanceof StoreError && classified.kind === 'corrupt') {
      if (classified.message.includes(this.path)) return this.markDamaged(classified);
      const detail = classified.cause instanceof Error ? classified.cause.message : classified.message;
      return this.markDamaged(damageError(this.path, `SQLite reported damage while ${doing}: ${detail}`, { nativeBinding: this.nativeBinding, code: classified.code, cause: err }));
    }
    return classified;
  }
}

function isIterator(value: unknown): value is Iterator<unknown> & Iterable<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as Iterator<unknown>).next === 'function' && Symbol.iterator in value;
}

/** Iterates `inner` under the same rules: a page read from a damaged file is damage too. */
function* guardedIterator(inner: Iterator<unknown>, health: StoreHealth, doing: string): Generator<unknown, unknown, undefined> {
  for (;;) {
    health.refuseIfDamaged();
    let step: IteratorResult<unknown>;
    try {
      step = inner.next();
    } catch (err) {
      throw health.classify(err, doing);
    }
    if (step.done) return step.value;
    yield step.value;
  }
}

/** Wraps every method of `repo` (and the iterators they return) with the store's health rules. */
export function guarded<T extends object>(repo: T, doing: string, health: StoreHealth): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(repo) as [string, unknown][]) {
    if (typeof value !== 'function') {
      out[key] = value;
      continue;
    }
    const fn = value as (...args: unknown[]) => unknown;
    out[key] = (...args: unknown[]) => {
      health.refuseIfDamaged();
      try {
        const result = fn(...args);
        return isIterator(result) ? guardedIterator(result, health, doing) : result;
      } catch (err) {
        throw health.classify(err, doing);
      }
    };
  }
  return out as T;
}
