import { build, type BuildOptions, type Metafile } from 'esbuild';
import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// Bundles the main process, the preload and the backend process into dist-electron/
// (main.cjs, preload.cjs, backend.cjs).
// The preload runs sandboxed, where `require` knows only a few modules, so it must be one
// self-contained file; it imports nothing at run time but `electron`.
// Usage: tsx build/scripts/build-main.ts [--outdir dir] [--dev]

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Electron 45 ships Node 22 and Chromium 142. */
const NODE_TARGET = 'node22';
const CHROME_TARGET = 'chrome142';

export interface BuildMainOptions {
  outDir?: string;
  /** Development: sourcemaps, no minification. */
  dev?: boolean;
}

export interface BuildMainResult {
  main: string;
  preload: string;
  /** The backend process (store, services, handlers, sync engine), started by main's relay. */
  backend: string;
  /** Input files of each bundle (to check nothing unexpected was pulled in). */
  inputs: { main: string[]; preload: string[]; backend: string[] };
}

export async function buildMain(options: BuildMainOptions = {}): Promise<BuildMainResult> {
  const outDir = resolve(options.outDir ?? join(ROOT, 'dist-electron'));
  await mkdir(outDir, { recursive: true });
  const common: BuildOptions = {
    bundle: true,
    format: 'cjs',
    sourcemap: options.dev ? 'inline' : false,
    minify: !options.dev,
    legalComments: 'none',
    logLevel: 'warning',
    metafile: true,
    absWorkingDir: ROOT,
    define: { 'process.env.NODE_ENV': JSON.stringify(options.dev ? 'development' : 'production') },
  };
  const main = join(outDir, 'main.cjs');
  const preload = join(outDir, 'preload.cjs');
  const backend = join(outDir, 'backend.cjs');
  const [mainResult, preloadResult, backendResult] = await Promise.all([
    build({
      ...common,
      entryPoints: [join(ROOT, 'electron/main.ts')],
      outfile: main,
      platform: 'node',
      target: NODE_TARGET,
      // Native and Electron-provided modules stay outside the bundle (better-sqlite3 is unpacked from the asar).
      external: ['electron', 'better-sqlite3', 'better-sqlite3-multiple-ciphers'],
    }),
    build({
      ...common,
      entryPoints: [join(ROOT, 'electron/preload.ts')],
      outfile: preload,
      platform: 'browser',
      target: CHROME_TARGET,
      external: ['electron'],
    }),
    build({
      ...common,
      entryPoints: [join(ROOT, 'electron/backend/entry.ts')],
      outfile: backend,
      platform: 'node',
      target: NODE_TARGET,
      // The backend never loads electron; the SQLite addons stay outside as for main.
      external: ['electron', 'better-sqlite3', 'better-sqlite3-multiple-ciphers'],
    }),
  ]);
  const inputsOf = (m: Metafile | undefined) => Object.keys(m?.inputs ?? {});
  return { main, preload, backend, inputs: { main: inputsOf(mainResult.metafile), preload: inputsOf(preloadResult.metafile), backend: inputsOf(backendResult.metafile) } };
}

const invokedDirectly = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  const args = process.argv.slice(2);
  const outIndex = args.indexOf('--outdir');
  buildMain({ outDir: outIndex >= 0 ? args[outIndex + 1] : undefined, dev: args.includes('--dev') })
    .then((r) => console.log(`built ${r.main} (${r.inputs.main.length} inputs) and ${r.preload} (${r.inputs.preload.length} inputs)`))
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
