import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { build } from 'esbuild';

// Real second processes on the same database file: a fixture under fixtures/ is bundled once
// per test file and run with plain Node, the way a second DoseDesk (or another program) would
// hold the file.

const ROOT = join(__dirname, '../../..');

/** Bundles fixtures/<name>.ts into `outDir` as CommonJS (better-sqlite3 stays external). */
export async function bundleFixture(name: string, outDir: string): Promise<string> {
  const outfile = join(outDir, `${name}.cjs`);
  await build({
    entryPoints: [join(__dirname, 'fixtures', `${name}.ts`)],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile,
    external: ['better-sqlite3', 'better-sqlite3-multiple-ciphers'],
    logLevel: 'silent',
  });
  return outfile;
}

export interface Child {
  process: ChildProcess;
  /** Resolves once the child has printed this whole line; rejects if it exits first. */
  line(text: string): Promise<void>;
  /** Complete lines printed so far. */
  lines(): string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

/** Starts a bundled fixture; it is killed after `limitMs` whatever happens, so no test hangs. */
export function startChild(script: string, args: string[], limitMs = 30_000): Child {
  const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_PATH: join(ROOT, 'node_modules') } });
  let out = '';
  let err = '';
  const waiters: { text: string; resolve: () => void; reject: (e: Error) => void }[] = [];
  const complete = () => out.split('\n').slice(0, -1);
  const settle = () => {
    for (const w of [...waiters]) {
      if (complete().includes(w.text)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
    settle();
  });
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const guard = setTimeout(() => child.kill('SIGKILL'), limitMs);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => {
    child.on('exit', (code, signal) => {
      clearTimeout(guard);
      for (const w of waiters.splice(0)) w.reject(new Error(`the child exited (code ${code}, signal ${signal}) before printing "${w.text}": ${err}`));
      resolve({ code, signal, stderr: err });
    });
  });
  return {
    process: child,
    lines: complete,
    exited,
    line(text) {
      if (complete().includes(text)) return Promise.resolve();
      return new Promise((resolve, reject) => {
        waiters.push({ text, resolve, reject });
      });
    },
  };
}
