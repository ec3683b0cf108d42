// Shared shape for every benchmark suite: each `bench/*.bench.ts` default-exports a
// `BenchSuite`; `bench/run.ts` runs them in one process, prints each figure and, with
// `--json FILE`, writes `{"results":[{"name","value","unit"}]}` under the names the issues give.

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
}

export interface BenchContext {
  /** Print a human line next to the figures (ratios, notes). */
  log(line: string): void;
  /** Scale factor from `--quick` (0.1) or 1: suites shrink their workloads by it. */
  scale: number;
  /** A fresh temporary directory removed after the suite. */
  tmpDir: string;
}

export interface BenchSuite {
  name: string;
  run(ctx: BenchContext): Promise<BenchResult[]>;
}

export function percentile(sortedAscending: readonly number[], p: number): number {
  if (sortedAscending.length === 0) return Number.NaN;
  const rank = Math.min(sortedAscending.length - 1, Math.max(0, Math.ceil((p / 100) * sortedAscending.length) - 1));
  return sortedAscending[rank] as number;
}

export function summarize(samplesMs: number[]): { p50: number; p95: number; p99: number; mean: number } {
  const s = [...samplesMs].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / Math.max(1, s.length);
  return { p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99), mean };
}

export function round(value: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
