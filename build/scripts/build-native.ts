// Builds better-sqlite3-multiple-ciphers (the store's encrypting SQLite, electron/store/driver.ts) for Electron's ABI in a tree of its own (build/.native/…), so the
// copy in node_modules stays built for Node and keeps serving `npm test` and the benchmarks
// (Actual Budget's split, docs/anchors.md §A.6 item 9). afterPack copies the result into the package.
//
//   npm run build:native [-- --platform linux|win32|darwin --arch x64|arm64]
//
// Needs Electron's headers from the internet. The result is checked: a binary built for
// Node's ABI (what an offline "successful" rebuild produces) is refused.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertAddonAbi } from '../hooks/native-abi.cjs';

const MODULE = 'better-sqlite3-multiple-ciphers';
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? (process.argv[i + 1] as string) : fallback;
}

const electronVersion = (JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')) as { version: string }).version;
const abi = Number(readFileSync(join(root, 'node_modules/electron/abi_version'), 'utf8').trim());
const sqliteVersion = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies[MODULE];
const platform = arg('platform', process.platform);
const arch = arg('arch', process.arch);
const tree = join(root, 'build', '.native', `electron-${electronVersion}-${platform}-${arch}`);

const addon = join(tree, `node_modules/${MODULE}/build/Release/better_sqlite3.node`);
if (existsSync(addon) && !process.argv.includes('--force')) {
  try {
    assertAddonAbi(addon, abi, `The Electron build of ${MODULE}`);
    console.log(`Up to date: ${addon} targets Electron's ABI ${abi} (--force rebuilds).`);
    process.exit(0);
  } catch {
    console.log('The existing build targets another ABI; rebuilding.');
  }
}

mkdirSync(tree, { recursive: true });
writeFileSync(
  join(tree, 'package.json'),
  JSON.stringify({ name: 'dosedesk-native-electron', private: true, dependencies: { [MODULE]: sqliteVersion } }, null, 2),
);

// npm exports npm_config_nodedir to children; with it node-gyp would build against Node's
// headers while @electron/rebuild still reports success (docs/environment.md §4).
const env = { ...process.env };
for (const key of Object.keys(env)) if (key.toLowerCase() === 'npm_config_nodedir') delete env[key];

console.log(`Installing ${MODULE} ${sqliteVersion} into ${tree} (no build yet)…`);
execFileSync('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--omit=dev'], { cwd: tree, env, stdio: 'inherit' });

console.log(`Rebuilding for Electron ${electronVersion} (ABI ${abi}), ${platform}-${arch}…`);
execFileSync(
  process.execPath,
  [join(root, 'node_modules/@electron/rebuild/lib/cli.js'), '--version', electronVersion, '--arch', arch, '--module-dir', tree, '--only', MODULE, '--force'],
  { cwd: tree, env, stdio: 'inherit' },
);

assertAddonAbi(addon, abi, `The rebuilt ${MODULE}`);
console.log(`OK: ${addon} targets Electron's ABI ${abi}.`);
