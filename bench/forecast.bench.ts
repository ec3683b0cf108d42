// CDSi forecast benchmark: CDC test-case pass rate, forecasts per second over a generated
// population with realistic histories, and a recall run over every vaccine group projected to
// 1,000,000 patients on this machine's cores.
//
// The timed work runs in worker threads on an esbuild bundle of the domain code, the form in
// which the app ships it (tsx's per-module transpilation adds call overhead the app never has),
// and a store-wide recall would be sharded across cores the same way.
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { build } from 'esbuild';
import { findConditionsCaseFile, formatRates, loadCdcCases, passRateBy, runCdcCases } from '../tests/electron/domain/forecast/cdc-test-cases';
import { type BenchResult, type BenchSuite, round } from './harness';

const REPO = fileURLToPath(new URL('..', import.meta.url));

// Worker: generates its slice of the population itself (no patient crosses threads) and
// reports wall time for the job. A real recall reads patients from the store, it does not
// generate them, so the recall job also reports how much of its wall time went to generating
// patients (\`genMs\`), measured around each patient handed to the recall.
const WORKER_SOURCE = `
import { parentPort } from 'node:worker_threads';
import { buildRecallList, evaluateAndForecast } from './electron/domain/forecast/index';
import { POPULATION_ASSESSMENT, syntheticPatient } from './tests/electron/domain/forecast/synthetic-population';

function* population(from, to) { for (let i = from; i < to; i++) yield syntheticPatient(i); }

let genMs = 0;
function* timedPopulation(from, to) {
  for (let i = from; i < to; i++) {
    const g0 = performance.now();
    const p = syntheticPatient(i);
    genMs += performance.now() - g0;
    yield p;
  }
}

parentPort.on('message', (job) => {
  if (job.kind === 'generate') {
    const t0 = performance.now();
    let doses = 0;
    for (const p of population(job.from, job.to)) doses += p.doses.length;
    parentPort.postMessage({ ms: performance.now() - t0, entries: 0, doses });
  } else if (job.kind === 'full') {
    const t0 = performance.now();
    let doses = 0;
    for (const p of population(job.from, job.to)) { doses += p.doses.length; evaluateAndForecast(p, POPULATION_ASSESSMENT); }
    parentPort.postMessage({ ms: performance.now() - t0, entries: 0, doses });
  } else {
    const t0 = performance.now();
    let entries = 0;
    genMs = 0;
    buildRecallList(timedPopulation(job.from, job.to), POPULATION_ASSESSMENT, { onEntry: () => { entries++; } });
    parentPort.postMessage({ ms: performance.now() - t0, entries, doses: 0, genMs });
  }
});
`;

interface Job {
  kind: 'generate' | 'full' | 'recall';
  from: number;
  to: number;
}
interface Reply {
  ms: number;
  entries: number;
  doses: number;
  /** Recall jobs: part of \`ms\` spent generating the synthetic patients. */
  genMs?: number;
}

async function bundleWorker(dir: string): Promise<string> {
  const out = join(dir, 'forecast-worker.mjs');
  const result = await build({
    stdin: { contents: WORKER_SOURCE, resolveDir: REPO, loader: 'ts', sourcefile: 'forecast-worker.ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    logLevel: 'silent',
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error('esbuild produced no worker bundle');
  writeFileSync(out, file.contents);
  return out;
}

/**
 * Runs a job on one worker while the others idle and returns its CPU time as well: the process
 * CPU clock (all threads) is a fair measure then, and, unlike wall time, does not depend on
 * what else the machine is running.
 */
async function askTimed(w: Worker, job: Job): Promise<Reply & { cpuMs: number }> {
  const c0 = process.cpuUsage();
  const r = await ask(w, job);
  const c = process.cpuUsage(c0);
  return { ...r, cpuMs: (c.user + c.system) / 1000 };
}

function ask(w: Worker, job: Job): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    w.once('error', onError);
    w.once('message', (r: Reply) => {
      w.off('error', onError);
      resolve(r);
    });
    w.postMessage(job);
  });
}

const suite: BenchSuite = {
  name: 'forecast',
  async run(ctx) {
    const results: BenchResult[] = [];

    const cases = loadCdcCases();
    const outcomes = runCdcCases(cases);
    const passed = outcomes.filter((o) => o.differences.length === 0).length;
    results.push({ name: 'forecast.cdsi_healthy.pass_rate', value: round(passed / cases.length, 4), unit: 'ratio' });
    ctx.log(`CDC healthy test cases: ${passed}/${cases.length} pass`);

    // Underlying-conditions cases (the half kept in the repository), observations passed in.
    const conditionCases = loadCdcCases(findConditionsCaseFile());
    const conditionOutcomes = runCdcCases(conditionCases);
    const conditionPassed = conditionOutcomes.filter((o) => o.differences.length === 0).length;
    results.push({ name: 'forecast.cdsi_conditions.pass_rate', value: round(conditionPassed / conditionCases.length, 4), unit: 'ratio' });
    ctx.log(`CDC underlying-conditions test cases: ${conditionPassed}/${conditionCases.length} pass`);
    const byGroup = passRateBy(conditionOutcomes, (o) => o.tc.vaccineGroup);
    const byType = passRateBy(conditionOutcomes, (o) => o.tc.forecastTestType);
    ctx.log(`  by vaccine group: ${formatRates(byGroup)}`);
    ctx.log(`  by forecast test type: ${formatRates(byType)}`);
    // The breakdowns as results too, from the same run, so a regression in one group shows in --json.
    for (const [axis, rates] of [['by_group', byGroup], ['by_test_type', byType]] as const) {
      for (const [k, r] of rates) {
        const slug = k.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');
        results.push({ name: `forecast.cdsi_conditions.pass_rate.${axis}.${slug}`, value: round(r.pass / r.total, 4), unit: 'ratio' });
      }
    }

    const script = await bundleWorker(ctx.tmpDir);
    const threads = Math.max(1, Math.min(2, availableParallelism()));
    const workers = Array.from({ length: threads }, () => new Worker(script));
    try {
      const [first] = workers as [Worker];
      // Warm up: JIT and the one-time compile of the supporting data, in every worker.
      await Promise.all(workers.map((w, k) => ask(w, { kind: 'recall', from: 5_000_000 + k * 3000, to: 5_000_000 + (k + 1) * 3000 })));
      await ask(first, { kind: 'full', from: 6_000_000, to: 6_002_000 });

      const n = Math.max(2000, Math.round(40_000 * ctx.scale));
      const gen = await askTimed(first, { kind: 'generate', from: 0, to: n });
      const full = await askTimed(first, { kind: 'full', from: 0, to: n });
      const perS = n / ((full.ms - gen.ms) / 1000);
      results.push({ name: 'forecast.per_s', value: Math.round(perS), unit: 'patients/s' });
      ctx.log(
        `evaluateAndForecast (every dose, every vaccine group): ${Math.round(perS)} patients/s on one thread, ` +
          `${(((full.cpuMs - gen.cpuMs) / n) * 1000).toFixed(0)} µs CPU each (${n} patients, ${(full.doses / n).toFixed(1)} doses each; generation excluded)`,
      );

      const single = await askTimed(first, { kind: 'recall', from: 0, to: n });
      const recallPerS = n / ((single.ms - gen.ms) / 1000);
      const recallCpuUs = ((single.cpuMs - gen.cpuMs) / n) * 1000;
      const genCpuUs = (gen.cpuMs / n) * 1000;
      results.push({ name: 'forecast.recall_per_s', value: Math.round(recallPerS), unit: 'patients/s' });
      results.push({ name: 'forecast.recall_cpu_us', value: round(recallCpuUs, 1), unit: 'µs/patient' });
      const cpuProjectedS = (((recallCpuUs + genCpuUs) * 1_000_000) / threads) / 1e6;
      results.push({ name: 'forecast.recall_1m_cpu_projected_s', value: round(cpuProjectedS, 1), unit: 's' });
      ctx.log(
        `recall list (overdue per vaccine group, all groups): ${Math.round(recallPerS)} patients/s on one thread, ${recallCpuUs.toFixed(0)} µs CPU each ` +
          `(+${genCpuUs.toFixed(0)} µs to generate the patient) → 1,000,000 patients on ${threads} cores ≈ ${cpuProjectedS.toFixed(0)} s of CPU per core`,
      );

      // Both workers run the recall at once, each on its own half of the population. The wall
      // figure of a real recall is the slower worker's recall time (generation taken out); the
      // figure with generation is the whole elapsed wall time, as earlier versions reported it.
      const total = Math.max(20_000, Math.round(200_000 * ctx.scale));
      const per = Math.ceil(total / threads);
      const t0 = performance.now();
      const replies = await Promise.all(workers.map((w, k) => ask(w, { kind: 'recall', from: k * per, to: Math.min(total, (k + 1) * per) })));
      const wallMs = performance.now() - t0;
      const recallWallMs = Math.max(...replies.map((r) => r.ms - (r.genMs ?? 0)));
      const genWallMs = Math.max(...replies.map((r) => r.genMs ?? 0));
      const entries = replies.reduce((s, r) => s + r.entries, 0);
      const projectedS = ((recallWallMs / total) * 1_000_000) / 1000;
      const withGenerationS = ((wallMs / total) * 1_000_000) / 1000;
      results.push({ name: 'forecast.recall_1m_projected_s', value: round(projectedS, 1), unit: 's' });
      results.push({ name: 'forecast.recall_1m_with_generation_s', value: round(withGenerationS, 1), unit: 's' });
      ctx.log(
        `recall list (overdue per vaccine group, all groups), ${threads} threads: ${total} patients, ${entries} overdue entries; ` +
          `recall ${(recallWallMs / 1000).toFixed(1)} s (slowest worker, generation excluded) → 1,000,000 patients ≈ ${projectedS.toFixed(0)} s; ` +
          `with generation (≈${(genWallMs / 1000).toFixed(1)} s per worker) ${(wallMs / 1000).toFixed(1)} s → ≈ ${withGenerationS.toFixed(0)} s`,
      );
    } finally {
      await Promise.all(workers.map((w) => w.terminate()));
    }
    return results;
  },
};

export default suite;
