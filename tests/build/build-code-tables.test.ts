import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  CodeTableSourceError,
  buildCodeTables,
  defaultOutDir,
  defaultSourceDir,
  type BuildReport,
} from '../../build/scripts/build-code-tables';

const repoRoot = resolve(__dirname, '..', '..');
const haveSources = existsSync(join(defaultSourceDir, 'cvx.txt'));

/** Data rows of a CDC pipe table, counted without the build script's parser. */
function sourceRows(file: string): string[][] {
  return readFileSync(join(defaultSourceDir, file), 'utf8')
    .split('\n')
    .slice(1)
    .filter((line) => line.trim() !== '')
    .map((line) => line.split('|'));
}

function readJson(dir: string, file: string): { rowCount?: number; rows: unknown[]; [key: string]: unknown } {
  return JSON.parse(readFileSync(join(dir, file), 'utf8'));
}

describe.skipIf(!haveSources)(`build-code-tables (CDC sources in ${defaultSourceDir})`, () => {
  let tmp: string;
  let report: BuildReport;

  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'code-tables-'));
    report = buildCodeTables({ out: join(tmp, 'out') });
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('the committed assets equal a fresh build (run `npm run code-tables` if this fails)', () => {
    const fresh = readdirSync(join(tmp, 'out')).sort();
    expect(readdirSync(defaultOutDir).sort()).toEqual(fresh);
    for (const file of fresh) {
      const committed = readFileSync(join(defaultOutDir, file), 'utf8');
      expect(committed === readFileSync(join(tmp, 'out', file), 'utf8'), `${file} is stale`).toBe(true);
    }
  });

  it('records every source file with its row count and checksum', () => {
    const manifest = readJson(join(tmp, 'out'), 'manifest.json') as unknown as { sources: { file: string; rows: number; sha256: string }[] };
    expect(manifest.sources).toHaveLength(10);
    for (const s of manifest.sources) {
      const name = s.file.replace('build/sources/', '');
      expect(s.rows, name).toBe(sourceRows(name).length);
      expect(s.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('keeps one output row per source row', () => {
    const out = join(tmp, 'out');
    expect(readJson(out, 'cvx.json').rows).toHaveLength(sourceRows('cvx.txt').length);
    expect(readJson(out, 'cvx.json').rowCount).toBe(288);
    expect(readJson(out, 'mvx.json').rows).toHaveLength(sourceRows('mvx.txt').length);
    expect(readJson(out, 'products.json').rows).toHaveLength(sourceRows('cvx_mvx_product.txt').length);
    expect(readJson(out, 'vis.json').rows).toHaveLength(sourceRows('vis.txt').length);
    expect(readJson(out, 'vis.json').cvxVis).toHaveLength(sourceRows('cvx_vis.txt').length);
    // NDC rows are merged per (NDC, table) because CDC repeats an NDC once per CVX.
    const distinct = new Set([
      ...sourceRows('ndc_unit_of_sale.txt').map((r) => `sale ${r[14]}`),
      ...sourceRows('ndc_unit_of_use.txt').map((r) => `use ${r[14]}`),
    ]);
    expect(readJson(out, 'ndc.json').rows).toHaveLength(distinct.size);
    const groups = new Set(sourceRows('cvx_vaccine_group.txt').map((r) => `${r[0]} ${r[3]}`));
    const built = (readJson(out, 'cvx.json').rows as { code: string; vaccineGroups: string[] }[]).flatMap((c) =>
      c.vaccineGroups.map((g) => `${c.code} ${g}`),
    );
    expect(new Set(built)).toEqual(groups);
  });

  it('reports data problems as warnings instead of hiding them', () => {
    expect(report.warnings.some((w) => w.includes('0380631207017'))).toBe(true);
    expect(report.files.map((f) => f.file)).toContain('curated.json');
  });

  describe('with a damaged source folder', () => {
    let src: string;
    beforeEach(() => {
      src = join(tmp, `src-${Math.random().toString(36).slice(2)}`);
      mkdirSync(src);
      for (const file of readdirSync(defaultSourceDir).filter((f) => f.endsWith('.txt'))) {
        cpSync(join(defaultSourceDir, file), join(src, file));
      }
    });

    it('stops on a changed header, naming the file', () => {
      const file = join(src, 'mvx.txt');
      writeFileSync(file, readFileSync(file, 'utf8').replace('mvx_code|', 'mvx|'));
      expect(() => buildCodeTables({ from: src, out: join(src, 'out') })).toThrow(CodeTableSourceError);
      expect(() => buildCodeTables({ from: src, out: join(src, 'out') })).toThrow(/mvx\.txt: header/);
    });

    it('stops on a status CDC has not used before', () => {
      const file = join(src, 'cvx.txt');
      writeFileSync(file, readFileSync(file, 'utf8').replace('|Active|', '|Pending|'));
      expect(() => buildCodeTables({ from: src, out: join(src, 'out') })).toThrow(/status "Pending" is new/);
    });

    it('stops on a row with a missing column', () => {
      const file = join(src, 'vis_url.txt');
      writeFileSync(file, `${readFileSync(file, 'utf8')}only|three|cells\n`);
      expect(() => buildCodeTables({ from: src, out: join(src, 'out') })).toThrow(/vis_url\.txt line \d+: 3 columns, expected 4/);
    });

    it('stops when a file is missing, pointing at --from', () => {
      rmSync(join(src, 'ndc_linker.txt'));
      expect(() => buildCodeTables({ from: src, out: join(src, 'out') })).toThrow(/ndc_linker\.txt.*--from DIR/);
    });
  });

  it('runs as `npm run code-tables` with --from/--out, and fails with a usage line on a bad argument', () => {
    const tsx = join(repoRoot, 'node_modules', '.bin', 'tsx');
    const script = join(repoRoot, 'build', 'scripts', 'build-code-tables.ts');
    const out = join(tmp, 'cli-out');
    const stdout = execFileSync(tsx, [script, '--from', defaultSourceDir, '--out', out], { encoding: 'utf8' });
    expect(stdout).toMatch(/read {2}cvx\.txt\s+288 rows/);
    expect(readFileSync(join(out, 'cvx.json'), 'utf8')).toBe(readFileSync(join(defaultOutDir, 'cvx.json'), 'utf8'));
    let stderr = '';
    try {
      execFileSync(tsx, [script, '--bogus'], { encoding: 'utf8', stdio: 'pipe' });
    } catch (err) {
      stderr = String((err as { stderr?: string }).stderr);
    }
    expect(stderr).toMatch(/Unknown argument --bogus/);
  });
});
