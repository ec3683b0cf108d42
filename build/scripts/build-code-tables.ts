// Builds assets/code-tables/*.json from CDC's code tables (build/sources/*.txt) plus the
// hand-maintained value sets in build-code-tables.curated.ts.
//
//   npm run code-tables                      # reads build/sources/ (CDC's tables, copied into the repo)
//   npm run code-tables -- --from DIR --out DIR
//
// A CDC update is: swap the .txt files, run this, run `npx vitest run tests/build`. The output is
// deterministic (no timestamps; sources identified by SHA-256) so that the committed JSON can be
// compared byte for byte with a fresh build.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isGtin14 } from '../../electron/domain/barcode/gtin';
import * as curated from './build-code-tables.curated';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const defaultSourceDir = resolve(repoRoot, 'build', 'sources');
export const defaultOutDir = resolve(repoRoot, 'assets', 'code-tables');

// ── source files and their expected columns (a changed CDC layout must stop the build) ──────────

const SOURCES = {
  cvx: ['cvx_code', 'short_description', 'full_vaccine_name', 'notes', 'status', 'last_updated'],
  mvx: ['mvx_code', 'manufacturer_name', 'notes', 'status', 'last_updated'],
  cvx_vaccine_group: ['cvx_code', 'short_description', 'cvx_status', 'vaccine_group_name', 'cvx_for_vaccine_group'],
  cvx_mvx_product: [
    'cdc_product_name', 'cvx_short_description', 'cvx_code', 'manufacturer', 'mvx_code', 'mvx_status',
    'product_name_status', 'last_updated',
  ],
  vis: ['vis_document_type', 'edition_date', 'vis_fully_encoded_string', 'gdti_document_code', 'status', 'last_updated'],
  cvx_vis: ['cvx_code', 'cvx_description', 'vis_fully_encoded_string', 'vis_document_name', 'vis_edition_date', 'vis_status'],
  vis_url: ['vis_document_type', 'gdti_document_code', 'pdf_url', 'html_url'],
  ndc_unit_of_sale: [
    'sale_id', 'labeler_code', 'product_code', 'package_code', 'proprietary_name', 'generic_name', 'labeler_name',
    'start_date', 'end_date', 'package_description', 'route', 'last_updated', 'cvx_code', 'cvx_short_description',
    'ndc_5_4_2', 'gtin',
  ],
  ndc_unit_of_use: [
    'use_id', 'labeler_code', 'product_code', 'package_code', 'proprietary_name', 'generic_name', 'labeler_name',
    'start_date', 'end_date', 'package_description', 'gtin', 'cvx_code', 'cvx_short_description', 'flag_unknown',
    'ndc_5_4_2', 'last_updated', 'gtin_2',
  ],
  ndc_linker: ['linker_id', 'sale_id', 'use_id', 'mvx_code'],
} as const;

type SourceName = keyof typeof SOURCES;
type Row<N extends SourceName> = Record<(typeof SOURCES)[N][number], string>;

interface SourceInfo {
  file: string;
  rows: number;
  sha256: string;
}

export class CodeTableSourceError extends Error {}

function readTable<N extends SourceName>(dir: string, name: N, info: SourceInfo[]): Row<N>[] {
  const file = `${name}.txt`;
  const path = join(dir, file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new CodeTableSourceError(`Cannot read ${path}: ${(err as Error).message}. Pass the CDC table folder with --from DIR.`);
  }
  const lines = text.split(/\r?\n/).filter((line) => line.length > 0);
  const header = (lines[0] ?? '').split('|');
  const expected: readonly string[] = SOURCES[name];
  if (header.join('|') !== expected.join('|')) {
    throw new CodeTableSourceError(
      `${file}: header is "${header.join('|')}", expected "${expected.join('|')}". CDC changed the layout: update SOURCES in build-code-tables.ts.`,
    );
  }
  const rows = lines.slice(1).map((line, i) => {
    const cells = line.split('|').map((cell) => cell.trim());
    if (cells.length !== expected.length) {
      throw new CodeTableSourceError(`${file} line ${i + 2}: ${cells.length} columns, expected ${expected.length}.`);
    }
    return Object.fromEntries(expected.map((col, c) => [col, cells[c]])) as Row<N>;
  });
  info.push({ file, rows: rows.length, sha256: createHash('sha256').update(text).digest('hex') });
  return rows;
}

// ── value normalisation ───────────────────────────────────────────────────────────────────────

/** CDC's `M/D/YYYY` → ISO `YYYY-MM-DD`. */
function isoFromUsDate(value: string, where: string): string {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value);
  if (!m) throw new CodeTableSourceError(`${where}: date "${value}" is not M/D/YYYY.`);
  return `${m[3]}-${m[1]!.padStart(2, '0')}-${m[2]!.padStart(2, '0')}`;
}

/** NDC tables' `YYYYMMDD` or `YYYY-MM-DD HH:MM:SS` → ISO date, empty → null. */
function isoFromNdcDate(value: string, where: string): string | null {
  if (value === '') return null;
  const m = /^(\d{4})-?(\d{2})-?(\d{2})/.exec(value);
  if (!m) throw new CodeTableSourceError(`${where}: date "${value}" is not YYYYMMDD.`);
  return `${m[1]}-${m[2]}-${m[3]}`;
}

function cvxCode(value: string): string {
  return /^\d$/.test(value) ? `0${value}` : value;
}

const CVX_STATUSES = ['Active', 'Inactive', 'Non-US', 'Never Active'] as const;
const MVX_STATUSES = ['Active', 'Inactive'] as const;
const VIS_STATUSES = ['Current', 'Historic'] as const;

function oneOf<T extends string>(allowed: readonly T[], value: string, where: string): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new CodeTableSourceError(
    `${where}: status "${value}" is new (known: ${allowed.join(', ')}). Add it to the status type in electron/domain/codes/types.ts and here.`,
  );
}

const routeByAlias = new Map<string, string>();
for (const r of curated.routes.rows) {
  routeByAlias.set(r.code.toUpperCase(), r.code);
  for (const alias of r.aliases) routeByAlias.set(alias.toUpperCase(), r.code);
}

/** NCIT route codes named by a CDC NDC route text ("INTRAMUSCULAR; SUBCUTANEOUS" → two). */
function routesFromText(text: string): string[] {
  if (text === '') return [];
  const whole = routeByAlias.get(text.toUpperCase());
  if (whole) return [whole];
  return text
    .split(';')
    .map((part) => routeByAlias.get(part.trim().toUpperCase()))
    .filter((code): code is string => code !== undefined);
}

// ── output writing: one record per line so that a CDC update reads well in a diff ───────────────

function serialize(value: Record<string, unknown>): string {
  const parts = Object.entries(value).map(([key, v]) => {
    if (Array.isArray(v) && v.length > 0 && typeof v[0] === 'object') {
      return `  ${JSON.stringify(key)}: [\n${v.map((row) => `    ${JSON.stringify(row)}`).join(',\n')}\n  ]`;
    }
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      return `  ${JSON.stringify(key)}: ${serialize(v as Record<string, unknown>).replace(/\n/g, '\n  ')}`;
    }
    return `  ${JSON.stringify(key)}: ${JSON.stringify(v)}`;
  });
  return `{\n${parts.join(',\n')}\n}`;
}

// ── the build ─────────────────────────────────────────────────────────────────────────────────

export interface BuildOptions {
  from?: string;
  out?: string;
}

export interface BuildReport {
  outDir: string;
  files: { file: string; rows: number }[];
  sources: SourceInfo[];
  warnings: string[];
}

const CDC_NOTE =
  'CDC IIS code sets (https://www2a.cdc.gov/vaccines/iis/iisstandards/), public domain, via the copies in build/sources (see its README)';

export function buildCodeTables(options: BuildOptions = {}): BuildReport {
  const from = resolve(options.from ?? defaultSourceDir);
  const outDir = resolve(options.out ?? defaultOutDir);
  const sources: SourceInfo[] = [];
  const warnings: string[] = [];

  const cvxRows = readTable(from, 'cvx', sources);
  const mvxRows = readTable(from, 'mvx', sources);
  const groupRows = readTable(from, 'cvx_vaccine_group', sources);
  const productRows = readTable(from, 'cvx_mvx_product', sources);
  const visRows = readTable(from, 'vis', sources);
  const cvxVisRows = readTable(from, 'cvx_vis', sources);
  const visUrlRows = readTable(from, 'vis_url', sources);
  const saleRows = readTable(from, 'ndc_unit_of_sale', sources);
  const useRows = readTable(from, 'ndc_unit_of_use', sources);
  const linkerRows = readTable(from, 'ndc_linker', sources);

  const knownCvx = new Set(cvxRows.map((r) => cvxCode(r.cvx_code)));
  const checkCvx = (code: string, where: string): string => {
    const c = cvxCode(code);
    if (!knownCvx.has(c)) warnings.push(`${where}: CVX ${c} is not in cvx.txt`);
    return c;
  };

  // NDC ---------------------------------------------------------------------------------------
  const saleRoute = new Map<string, string>();
  for (const r of saleRows) if (r.route !== '' && !saleRoute.has(r.sale_id)) saleRoute.set(r.sale_id, r.route);
  const mvxBySale = new Map<string, string>();
  const mvxByUse = new Map<string, string>();
  const useIdsBySale = new Map<string, string[]>();
  const saleIdsByUse = new Map<string, string[]>();
  const push = (m: Map<string, string[]>, k: string, v: string) => m.set(k, [...(m.get(k) ?? []), v]);
  for (const l of linkerRows) {
    if (l.mvx_code !== '') {
      mvxBySale.set(l.sale_id, l.mvx_code);
      mvxByUse.set(l.use_id, l.mvx_code);
    }
    push(useIdsBySale, l.sale_id, l.use_id);
    push(saleIdsByUse, l.use_id, l.sale_id);
  }

  interface NdcOut {
    ndc11: string;
    ndc10: string;
    unitOfUse: boolean;
    gtin: string | null;
    cvx: string[];
    mvx: string | null;
    proprietaryName: string;
    genericName: string;
    labeler: string;
    packageDescription: string;
    routeText: string | null;
    route: string | null;
    startDate: string | null;
    endDate: string | null;
    linkedNdc11: string[];
  }
  const ndcByKey = new Map<string, NdcOut>();
  const ndc11ById = new Map<string, string>();

  const normaliseGtin = (raw: string, ndc10: string, where: string): string | null => {
    if (raw === '') return null;
    const gtin = raw.length === 13 ? `0${raw}` : raw;
    if (!isGtin14(gtin)) {
      warnings.push(`${where}: GTIN "${raw}" fails the GS1 check digit; dropped`);
      return null;
    }
    if (gtin !== raw) warnings.push(`${where}: GTIN "${raw}" has 13 digits; read as ${gtin}`);
    if (gtin.slice(3, 13) !== ndc10.replace(/-/g, '')) warnings.push(`${where}: GTIN ${gtin} does not carry NDC ${ndc10}`);
    return gtin;
  };

  const addNdc = (
    table: 'ndc_unit_of_sale' | 'ndc_unit_of_use',
    id: string,
    r: Row<'ndc_unit_of_sale'> | Row<'ndc_unit_of_use'>,
    rawGtin: string,
    routeText: string,
    mvx: string | undefined,
    line: number,
  ) => {
    const where = `${table}.txt row ${line}`;
    const segments = [r.labeler_code, r.product_code, r.package_code];
    const ndc10 = segments.join('-');
    const ndc11 = `${r.labeler_code.padStart(5, '0')}-${r.product_code.padStart(4, '0')}-${r.package_code.padStart(2, '0')}`;
    if (segments.join('').length !== 10 || !/^\d+$/.test(segments.join(''))) {
      throw new CodeTableSourceError(`${where}: NDC segments ${ndc10} are not a 10-digit NDC.`);
    }
    if (ndc11 !== r.ndc_5_4_2) warnings.push(`${where}: ndc_5_4_2 ${r.ndc_5_4_2} differs from ${ndc11}; used ${ndc11}`);
    const unitOfUse = table === 'ndc_unit_of_use';
    ndc11ById.set(`${unitOfUse ? 'use' : 'sale'}:${id}`, ndc11);
    const key = `${ndc11}|${unitOfUse ? 'use' : 'sale'}`;
    const cvx = checkCvx(r.cvx_code, where);
    const routes = routesFromText(routeText);
    if (routeText !== '' && routes.length === 0) warnings.push(`${where}: route "${routeText}" is not a known route`);
    const existing = ndcByKey.get(key);
    if (existing) {
      // CDC lists one NDC under several CVX (e.g. Engerix-B 43 adult / 44 dialysis): keep all.
      if (!existing.cvx.includes(cvx)) existing.cvx.push(cvx);
      return;
    }
    ndcByKey.set(key, {
      ndc11,
      ndc10,
      unitOfUse,
      gtin: normaliseGtin(rawGtin, ndc10, where),
      cvx: [cvx],
      mvx: mvx ?? null,
      proprietaryName: r.proprietary_name,
      genericName: r.generic_name,
      labeler: r.labeler_name,
      packageDescription: r.package_description,
      routeText: routeText === '' ? null : routeText,
      route: routes.length === 1 ? routes[0]! : null,
      startDate: isoFromNdcDate(r.start_date, where),
      endDate: isoFromNdcDate(r.end_date, where),
      linkedNdc11: [],
    });
  };
  saleRows.forEach((r, i) => addNdc('ndc_unit_of_sale', r.sale_id, r, r.gtin, r.route, mvxBySale.get(r.sale_id), i + 2));
  useRows.forEach((r, i) => {
    const route = (saleIdsByUse.get(r.use_id) ?? []).map((s) => saleRoute.get(s)).find((x) => x !== undefined) ?? '';
    addNdc('ndc_unit_of_use', r.use_id, r, r.gtin !== '' ? r.gtin : r.gtin_2, route, mvxByUse.get(r.use_id), i + 2);
  });
  let unmatchedLinks = 0;
  for (const l of linkerRows) {
    const sale = ndc11ById.get(`sale:${l.sale_id}`);
    const use = ndc11ById.get(`use:${l.use_id}`);
    if (!sale || !use) {
      unmatchedLinks++;
      continue;
    }
    const saleEntry = ndcByKey.get(`${sale}|sale`)!;
    const useEntry = ndcByKey.get(`${use}|use`)!;
    if (!saleEntry.linkedNdc11.includes(use)) saleEntry.linkedNdc11.push(use);
    if (!useEntry.linkedNdc11.includes(sale)) useEntry.linkedNdc11.push(sale);
  }
  if (unmatchedLinks > 0) warnings.push(`ndc_linker.txt: ${unmatchedLinks} rows name a sale_id or use_id that is not in the NDC tables`);
  const ndcEntries = [...ndcByKey.values()]
    .map((e) => ({ ...e, cvx: [...e.cvx].sort(byCode), linkedNdc11: [...e.linkedNdc11].sort() }))
    .sort((a, b) => a.ndc11.localeCompare(b.ndc11) || Number(b.unitOfUse) - Number(a.unitOfUse));

  // CVX + vaccine groups + default route -----------------------------------------------------
  const groupsByCvx = new Map<string, string[]>();
  const groupCvx = new Map<string, string>();
  groupRows.forEach((g, i) => {
    const code = checkCvx(g.cvx_code, `cvx_vaccine_group.txt row ${i + 2}`);
    groupsByCvx.set(code, [...(groupsByCvx.get(code) ?? []), g.vaccine_group_name]);
    if (g.cvx_for_vaccine_group !== '') groupCvx.set(g.vaccine_group_name, cvxCode(g.cvx_for_vaccine_group));
  });

  const ncitByHl70162 = new Map(curated.routes.rows.filter((r) => r.hl70162).map((r) => [r.hl70162!, r.code]));
  const routeOrder = curated.routes.rows.map((r) => r.code);
  const defaultRoute = (code: string): { route: string; source: 'curated' | 'ndc' } | null => {
    const override = curated.defaultRouteOverrides.byCvx[code];
    if (override) {
      const ncit = ncitByHl70162.get(override);
      if (!ncit) throw new CodeTableSourceError(`defaultRouteOverrides: ${override} is not an HL70162 route in the curated table.`);
      return { route: ncit, source: 'curated' };
    }
    const counts = new Map<string, number>();
    for (const e of ndcEntries) if (e.cvx.includes(code) && e.route) counts.set(e.route, (counts.get(e.route) ?? 0) + 1);
    const best = [...counts.entries()].sort((a, b) => b[1] - a[1] || routeOrder.indexOf(a[0]) - routeOrder.indexOf(b[0]))[0];
    return best ? { route: best[0], source: 'ndc' } : null;
  };

  const cvxOut = cvxRows.map((r, i) => {
    const code = cvxCode(r.cvx_code);
    const route = defaultRoute(code);
    return {
      code,
      shortName: r.short_description,
      fullName: r.full_vaccine_name,
      status: oneOf(CVX_STATUSES, r.status, `cvx.txt row ${i + 2}`),
      notes: r.notes,
      lastUpdated: isoFromUsDate(r.last_updated, `cvx.txt row ${i + 2}`),
      vaccineGroups: groupsByCvx.get(code) ?? [],
      defaultRoute: route?.route ?? null,
      defaultRouteSource: route?.source ?? null,
    };
  });
  const groupsOut = [...groupCvx.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([name, cvx]) => ({ name, cvx }));

  // MVX + products -----------------------------------------------------------------------------
  const mvxOut = mvxRows.map((r, i) => ({
    code: r.mvx_code,
    name: r.manufacturer_name,
    notes: r.notes,
    status: oneOf(MVX_STATUSES, r.status, `mvx.txt row ${i + 2}`),
    lastUpdated: isoFromUsDate(r.last_updated, `mvx.txt row ${i + 2}`),
  }));
  const knownMvx = new Set(mvxOut.map((m) => m.code));
  const productsOut = productRows.map((r, i) => {
    const where = `cvx_mvx_product.txt row ${i + 2}`;
    if (r.mvx_code !== '' && !knownMvx.has(r.mvx_code)) warnings.push(`${where}: MVX ${r.mvx_code} is not in mvx.txt`);
    return {
      productName: r.cdc_product_name,
      cvx: checkCvx(r.cvx_code, where),
      mvx: r.mvx_code === '' ? null : r.mvx_code,
      manufacturer: r.manufacturer,
      mvxStatus: oneOf(MVX_STATUSES, r.mvx_status, where),
      productStatus: oneOf(MVX_STATUSES, r.product_name_status, where),
      lastUpdated: isoFromUsDate(r.last_updated, where),
    };
  });

  // VIS ----------------------------------------------------------------------------------------
  const urlByGdti = new Map(visUrlRows.map((u) => [u.gdti_document_code, u]));
  const editionsOut = visRows.map((r, i) => {
    const where = `vis.txt row ${i + 2}`;
    if (!/^\d{24}$/.test(r.vis_fully_encoded_string)) throw new CodeTableSourceError(`${where}: encoded string is not 24 digits.`);
    const url = urlByGdti.get(r.gdti_document_code);
    const status = oneOf(VIS_STATUSES, r.status, where);
    return {
      documentType: r.vis_document_type,
      editionDate: isoFromUsDate(r.edition_date, where),
      encodedString: r.vis_fully_encoded_string,
      gdti: r.gdti_document_code,
      status,
      pdfUrl: status === 'Current' && url ? url.pdf_url : null,
    };
  });
  const cvxVisOut = cvxVisRows.map((r, i) => {
    const where = `cvx_vis.txt row ${i + 2}`;
    return {
      cvx: checkCvx(r.cvx_code, where),
      encodedString: r.vis_fully_encoded_string,
      documentType: r.vis_document_name,
      editionDate: isoFromUsDate(r.vis_edition_date, where),
      status: oneOf(VIS_STATUSES, r.vis_status, where),
    };
  });

  const curatedTables = [
    curated.routes, curated.bodySites, curated.vfcEligibility, curated.fundingSources, curated.completionStatuses,
    curated.refusalReasons, curated.historicalSources, curated.actionCodes, curated.administeredUnits,
    curated.eligibilityCaptureMethods,
  ];

  // Write --------------------------------------------------------------------------------------
  const cdcFiles = (...names: SourceName[]) => names.map((n) => `build/sources/${n}.txt`);
  const outputs: [string, Record<string, unknown>, number][] = [
    ['cvx.json', { source: CDC_NOTE, generatedFrom: cdcFiles('cvx', 'cvx_vaccine_group'), rowCount: cvxOut.length, rows: cvxOut, groups: groupsOut }, cvxOut.length],
    ['mvx.json', { source: CDC_NOTE, generatedFrom: cdcFiles('mvx'), rowCount: mvxOut.length, rows: mvxOut }, mvxOut.length],
    ['products.json', { source: CDC_NOTE, generatedFrom: cdcFiles('cvx_mvx_product'), rowCount: productsOut.length, rows: productsOut }, productsOut.length],
    [
      'vis.json',
      { source: CDC_NOTE, generatedFrom: cdcFiles('vis', 'cvx_vis', 'vis_url'), rowCount: editionsOut.length, rows: editionsOut, cvxVis: cvxVisOut },
      editionsOut.length,
    ],
    [
      'ndc.json',
      {
        source: CDC_NOTE,
        generatedFrom: cdcFiles('ndc_unit_of_sale', 'ndc_unit_of_use', 'ndc_linker'),
        note: 'one row per (NDC, unit of use | unit of sale); route is NCIT (unit-of-use rows take it from their linked unit of sale); cvx lists every CVX CDC gives for the NDC',
        rowCount: ndcEntries.length,
        rows: ndcEntries,
      },
      ndcEntries.length,
    ],
    [
      'curated.json',
      {
        source: 'HAND-MAINTAINED in build/scripts/build-code-tables.curated.ts (each table names its source)',
        tables: {
          routes: curated.routes,
          bodySites: curated.bodySites,
          vfcEligibility: curated.vfcEligibility,
          fundingSources: curated.fundingSources,
          completionStatuses: curated.completionStatuses,
          refusalReasons: curated.refusalReasons,
          historicalSources: curated.historicalSources,
          actionCodes: curated.actionCodes,
          administeredUnits: curated.administeredUnits,
          eligibilityCaptureMethods: curated.eligibilityCaptureMethods,
        },
        defaultRouteOverrides: curated.defaultRouteOverrides,
      },
      curatedTables.reduce((n, t) => n + t.rows.length, 0),
    ],
  ];
  mkdirSync(outDir, { recursive: true });
  const files = outputs.map(([file, body, rows]) => {
    writeFileSync(join(outDir, file), `${serialize(body)}\n`);
    return { file, rows };
  });
  const manifest = {
    generator: 'build/scripts/build-code-tables.ts',
    sources: sources.map((s) => ({ ...s, file: `build/sources/${s.file}` })),
    outputs: files,
    warnings,
  };
  writeFileSync(join(outDir, 'manifest.json'), `${serialize(manifest)}\n`);
  return { outDir, files: [...files, { file: 'manifest.json', rows: files.length }], sources, warnings };
}

function byCode(a: string, b: string): number {
  return a.length - b.length || a.localeCompare(b);
}

function parseArgs(argv: string[]): BuildOptions {
  const options: BuildOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--from' || arg === '--out') {
      const value = argv[++i];
      if (!value) throw new CodeTableSourceError(`${arg} needs a folder.`);
      options[arg === '--from' ? 'from' : 'out'] = value;
    } else {
      throw new CodeTableSourceError(`Unknown argument ${arg}. Usage: build-code-tables [--from DIR] [--out DIR]`);
    }
  }
  return options;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  try {
    const report = buildCodeTables(parseArgs(process.argv.slice(2)));
    for (const s of report.sources) console.log(`read  ${basename(s.file).padEnd(24)} ${String(s.rows).padStart(5)} rows`);
    for (const f of report.files) console.log(`wrote ${join(report.outDir, f.file)} (${f.rows} rows)`);
    for (const w of report.warnings) console.warn(`warning: ${w}`);
  } catch (err) {
    console.error(err instanceof CodeTableSourceError ? err.message : err);
    process.exitCode = 1;
  }
}
