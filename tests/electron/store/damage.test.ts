import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { StoreError, openStore, type LocalStore } from '../../../electron/store';
import { hideFromIndex } from './corruption';
import { NURSE, TODAY, countRows, patientInput, seed, tempDir, testClock } from './helpers';

// Damage that the check at open does not see: a row whose JSON no longer parses, an index that
// lost a row. Reading it must say "damaged", never show a raw SyntaxError or "not found", and
// the store must stop writing to the file from then on.

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error, nothing was thrown');
}

function expectDamage(err: unknown, path: string): StoreError {
  expect(err).toBeInstanceOf(StoreError);
  const e = err as StoreError;
  expect(e.kind).toBe('corrupt');
  expect(e.message).toContain(path);
  expect(e.message).toMatch(/call IT/);
  return e;
}

describe('damage found after the store opened', () => {
  let tmp: ReturnType<typeof tempDir>;
  let path: string;
  let ids: number;
  beforeEach(() => {
    tmp = tempDir('dosedesk-damage-');
    path = join(tmp.dir, 'dosedesk.sqlite3');
    ids = 0;
  });
  afterEach(() => tmp.cleanup());

  /** A store whose record ids are predictable (pid-0001, pid-0002, …), on a clock the test moves. */
  function open(clock = testClock()): LocalStore {
    return openStore(path, { now: clock.now, idFactory: () => `pid-${String(++ids).padStart(4, '0')}` });
  }

  it('a chart whose stored data no longer parses reads as damage, and from then on nothing is written', () => {
    const store = open();
    const s = seed(store, { lot: { dosesOnHand: 50 } });
    store.doses.record(s.dose(), NURSE, TODAY);
    const other = new Database(path);
    other.prepare('UPDATE patients SET data = ? WHERE id = ?').run('{"lastName":"Gar', s.patient.id);
    other.close();
    const before = countRows(path);

    const first = expectDamage(thrown(() => store.patients.get(s.patient.id, NURSE)), path);
    expect(first.message).toMatch(/could not be read/);
    expect(store.damage()).toBe(first);
    // Writes and reads alike are refused with the same message; the file does not change.
    expect(thrown(() => store.doses.record(s.dose(), NURSE, TODAY))).toBe(first);
    expect(thrown(() => store.patients.create(patientInput({ mrn: 'NEW-1' }), NURSE))).toBe(first);
    expect(thrown(() => store.outbox.claimDue(new Date(), 5, 60_000))).toBe(first);
    expect(thrown(() => store.lots.list())).toBe(first);
    expect(countRows(path)).toEqual(before);
    store.close();
  });

  it('damaged JSON in the reporting queue is damage too, in the calls of the sync engine', () => {
    const store = open();
    const s = seed(store, { lot: { dosesOnHand: 50 } });
    const { dose } = store.doses.record(s.dose(), NURSE, TODAY);
    const other = new Database(path);
    other.prepare("UPDATE outbox SET registry_messages = '[{' WHERE dose_id = ?").run(dose.id);
    other.close();
    expectDamage(thrown(() => store.outbox.claimDue(new Date('2030-01-01T00:00:00Z'), 5, 60_000)), path);
    store.close();
  });

  it('a patient an index lost reads as damage, not as "not found"', () => {
    const store = open();
    for (let i = 0; i < 30; i++) store.patients.create(patientInput({ mrn: `IX-${i}`, lastName: `Index${i}` }), NURSE);
    const last = store.patients.search({ mrn: 'IX-29' }, NURSE)[0]!;
    store.close();
    hideFromIndex(path, 'sqlite_autoindex_patients_1', last.id);
    // quick_check at the next start does not see it (the full check is not due for a week).
    const again = open();
    expect(again.patients.get('pid-9999', NURSE)).toBeUndefined(); // truly absent: still "not found"
    expectDamage(thrown(() => again.patients.get(last.id, NURSE)), path);
    expect(again.damage()?.message).toMatch(/missing from its index/);
    again.close();
  });

  it('the weekly full integrity check at start finds what quick_check misses, and refuses to start', () => {
    const clock = testClock('2026-11-25T15:00:00.000Z');
    const store = open(clock);
    for (let i = 0; i < 30; i++) store.patients.create(patientInput({ mrn: `W-${i}` }), NURSE);
    const last = store.patients.search({ mrn: 'W-29' }, NURSE)[0]!;
    store.close();
    hideFromIndex(path, 'sqlite_autoindex_patients_1', last.id);

    clock.advance(2 * 24 * 3600_000);
    open(clock).close(); // two days on: quick_check only, which passes
    clock.advance(6 * 24 * 3600_000);
    const bytes = readFileSync(path);
    const err = expectDamage(thrown(() => open(clock)), path);
    expect(err.message).toMatch(/integrity_check at start/);
    expect(readFileSync(path).equals(bytes)).toBe(true);
  });

  it('a clock turned back does not postpone the full check forever', () => {
    const clock = testClock('2026-11-25T15:00:00.000Z');
    open(clock).close();
    const store = open(testClock('2026-01-01T00:00:00.000Z'));
    expect(store.audit.list({ limit: 1 })[0]).toMatchObject({ action: 'store.open', detail: { check: 'integrity_check' } });
    store.close();
  });
});
