// The local store: what recording a dose costs against the cheapest durable write SQLite can do
// (one row, one commit, same WAL + synchronous=FULL), measured interleaved in the same run; and
// patient search while typing at 100,000 and 1,000,000 generated patients.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { PatientInput } from '../electron/domain/patient';
import { openStore, type LocalStore } from '../electron/store';
import { NURSE, TODAY, seed } from '../tests/electron/store/helpers';
import { type BenchResult, type BenchSuite, round, summarize } from './harness';

/** Deterministic generator so runs compare. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const POPULATION_SEED = 42;
const COMMON_LAST = ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin', 'Lee', 'Perez', 'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson', 'Nguyen', 'Silva', 'Santos', 'Oliveira', "O'Brien", 'Murphy', 'Sullivan', 'Kelly', 'Ng', 'Chen'];
const FIRST = ['Maria', 'Mary', 'James', 'John', 'Robert', 'Michael', 'William', 'David', 'Linda', 'Barbara', 'Sofia', 'Lucas', 'Mateo', 'Emma', 'Olivia', 'Liam', 'Noah', 'Ava', 'Ana', 'Marco', 'Chloé', 'José', 'Zoë', 'Aiden', 'Mia', 'Ethan', 'Isabella', 'Mason', 'Amelia', 'Harper', 'Elijah', 'Abigail', 'Logan', 'Emily', 'Jacob', 'Ella', 'Madison', 'Jayden', 'Nathan', 'Grace'];
const SYLLABLES = ['ba', 'ka', 'ma', 'ro', 'li', 'ne', 'so', 'ta', 'vi', 'do', 'ra', 'mi', 'lo', 'pe', 'qu', 'zo', 'fe', 'gu', 'ha', 'jo', 'ke', 'nu', 'sa', 'te', 'wi', 'ya', 'be', 'ci', 'de', 'ga'];

function* patients(from: number, to: number, random: () => number): Generator<PatientInput> {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  for (let i = from; i < to; i++) {
    // A third carry a very common surname (the worst case for a prefix), the rest a generated one.
    let last: string;
    if (random() < 0.33) last = pick(COMMON_LAST);
    else {
      last = '';
      const n = 2 + Math.floor(random() * 2);
      for (let k = 0; k < n; k++) last += pick(SYLLABLES);
      last = last[0]!.toUpperCase() + last.slice(1);
    }
    const y = 1930 + Math.floor(random() * 95);
    const m = 1 + Math.floor(random() * 12);
    const d = 1 + Math.floor(random() * 28);
    yield {
      mrn: `M${i}`,
      lastName: last,
      firstName: pick(FIRST),
      dob: `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`,
      sex: random() < 0.5 ? 'F' : 'M',
    };
  }
}

/** What a receptionist types: prefixes of a real patient's name, common prefixes, a DOB, an MRN. */
function queries(n: number, population: number, random: () => number): string[] {
  // Same seed as the load, so these are the first `population` patients really on file.
  const sample = [...patients(0, population, rng(POPULATION_SEED))];
  const prefix = (s: string) => s.slice(0, 1 + Math.floor(random() * Math.min(4, s.length)));
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const p = sample[Math.floor(random() * sample.length)]!;
    const r = random();
    if (r < 0.3) out.push(prefix(p.lastName));
    else if (r < 0.6) out.push(`${prefix(p.lastName)} ${prefix(p.firstName)}`);
    else if (r < 0.7) out.push(['ma', 'm', 'jo', 'sm', 'mar', 'ma jo', 'j m'][i % 7]!);
    else if (r < 0.85) out.push(`${p.lastName} ${p.dob}`);
    else out.push(p.mrn);
  }
  return out;
}

function searchFigures(store: LocalStore, population: number, count: number): { p50: number; p95: number; meanResults: number } {
  const qs = queries(count, Math.min(population, 200_000), rng(population));
  for (const q of qs.slice(0, 50)) store.patients.search({ text: q }, NURSE); // warm the page cache
  const samples: number[] = [];
  let found = 0;
  for (const q of qs) {
    const t0 = performance.now();
    found += store.patients.search({ text: q }, NURSE).length;
    samples.push(performance.now() - t0);
  }
  const s = summarize(samples);
  return { p50: s.p50, p95: s.p95, meanResults: found / qs.length };
}

const suite: BenchSuite = {
  name: 'store',
  async run(ctx) {
    const results: BenchResult[] = [];

    // ── recordDose against a bare durable insert, interleaved ──
    const store = openStore(join(ctx.tmpDir, 'record.sqlite'));
    const s = seed(store, { lot: { dosesOnHand: 100_000 } });
    const bare = new Database(join(ctx.tmpDir, 'bare.sqlite'));
    bare.pragma('journal_mode = WAL');
    bare.pragma('synchronous = FULL');
    bare.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, data TEXT NOT NULL)');
    bare.prepare('INSERT INTO t (data) VALUES (?)').run('warm-up');
    if (bare.pragma('synchronous', { simple: true }) !== 2) throw new Error('bare insert is not synchronous=FULL');
    const insert = bare.prepare('INSERT INTO t (data) VALUES (?)');
    const input = s.dose();
    const payload = JSON.stringify(input);
    const n = Math.max(200, Math.round(3000 * ctx.scale));
    for (let i = 0; i < 50; i++) {
      store.doses.record(input, NURSE, TODAY);
      insert.run(payload);
    }
    const recordMs: number[] = [];
    const bareMs: number[] = [];
    for (let i = 0; i < n; i++) {
      let t0 = performance.now();
      store.doses.record(input, NURSE, TODAY);
      recordMs.push(performance.now() - t0);
      t0 = performance.now();
      insert.run(payload);
      bareMs.push(performance.now() - t0);
    }
    bare.close();
    store.close();
    const rec = summarize(recordMs);
    const b = summarize(bareMs);
    ctx.log(`recordDose p50 ${round(rec.p50)} ms p99 ${round(rec.p99)} ms; bare insert p50 ${round(b.p50)} ms p99 ${round(b.p99)} ms (${n} each, interleaved)`);
    results.push(
      { name: 'store.record_dose.p50_ms', value: round(rec.p50), unit: 'ms' },
      { name: 'store.record_dose.p99_ms', value: round(rec.p99), unit: 'ms' },
      { name: 'store.bare_insert.p50_ms', value: round(b.p50), unit: 'ms' },
      { name: 'store.bare_insert.p99_ms', value: round(b.p99), unit: 'ms' },
      { name: 'store.record_dose.ratio_vs_bare_insert', value: round(rec.p50 / b.p50, 2), unit: 'x (median)' },
      { name: 'store.record_dose.ratio_p99_vs_bare_insert', value: round(rec.p99 / b.p99, 2), unit: 'x (p99)' },
    );

    // ── search at two population sizes, growing one file ──
    const searchStore = openStore(join(ctx.tmpDir, 'search.sqlite'));
    const random = rng(POPULATION_SEED);
    let loaded = 0;
    const queriesPerSize = Math.max(200, Math.round(1000 * ctx.scale));
    for (const target of [100_000, 1_000_000].map((x) => Math.round(x * ctx.scale))) {
      const t0 = performance.now();
      const batch = 100_000;
      while (loaded < target) {
        const end = Math.min(target, loaded + batch);
        searchStore.patients.importMany(patients(loaded, end, random), NURSE);
        loaded = end;
      }
      ctx.log(`loaded ${target} patients in ${round((performance.now() - t0) / 1000, 1)} s`);
      const f = searchFigures(searchStore, target, queriesPerSize);
      ctx.log(`search at ${target}: p50 ${round(f.p50)} ms, p95 ${round(f.p95)} ms over ${queriesPerSize} typed queries (${round(f.meanResults, 1)} results each on average, 50 at most)`);
      results.push(
        { name: `store.search.p50_ms.${target}`, value: round(f.p50), unit: 'ms' },
        { name: `store.search.p95_ms.${target}`, value: round(f.p95), unit: 'ms' },
      );
    }
    searchStore.close();
    return results;
  },
};

export default suite;
