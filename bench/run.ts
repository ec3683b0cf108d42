// Runs every benchmark suite in bench/*.bench.ts in one process.
//   npm run bench                      all suites, printed
//   npm run bench -- --json FILE       also write the figures as JSON
//   npm run bench -- --only store      suites whose name contains "store"
//   npm run bench -- --quick           a tenth of each workload (smoke run)
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchResult, BenchSuite } from './harness';

function argValue(flag: string): string | undefined {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const jsonFile = argValue('--json');
  const only = argValue('--only');
  const scale = process.argv.includes('--quick') ? 0.1 : 1;
  const here = dirname(fileURLToPath(import.meta.url));
  const files = readdirSync(here).filter((f) => f.endsWith('.bench.ts')).sort();
  const all: BenchResult[] = [];
  for (const file of files) {
    const mod = (await import(pathToFileURL(join(here, file)).href)) as { default: BenchSuite };
    const suite = mod.default;
    if (only && !suite.name.includes(only)) continue;
    const tmpDir = mkdtempSync(join(tmpdir(), `dosedesk-bench-${suite.name}-`));
    console.log(`\n== ${suite.name} (${file})`);
    try {
      const results = await suite.run({ log: (line) => console.log(`   ${line}`), scale, tmpDir });
      for (const r of results) console.log(`   ${r.name.padEnd(44)} ${String(r.value).padStart(14)} ${r.unit}`);
      all.push(...results);
    } finally {
      rmSync(tmpDir, { recursive: true, force: true });
    }
  }
  if (jsonFile) {
    writeFileSync(jsonFile, JSON.stringify({ results: all }, null, 2) + '\n');
    console.log(`\nwrote ${all.length} figures to ${jsonFile}`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
