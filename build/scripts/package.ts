// Release packaging entry point for IT and CI:
//   npm run package -- --win            signed NSIS + MSI (x64)
//   npm run package -- --mac            signed + notarized dmg + zip (universal)
//   npm run package -- --linux          AppImage + deb
//   npm run package -- --linux --unsigned-test-build   explicitly unsigned, for testing only
// A release build without signing credentials stops here with the variables to set, instead
// of producing an unsigned installer.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkSigningEnvironment, type TargetPlatform } from './signing';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const argv = process.argv.slice(2);
const unsigned = argv.includes('--unsigned-test-build');
const platforms: TargetPlatform[] = (['win', 'mac', 'linux'] as const).filter((p) => argv.includes(`--${p}`));
if (platforms.length === 0) platforms.push(process.platform === 'win32' ? 'win' : process.platform === 'darwin' ? 'mac' : 'linux');

const signing = checkSigningEnvironment(platforms, process.env);
for (const note of signing.notes) console.log(note);
if (!signing.ok && !unsigned) {
  console.error('Refusing to build an unsigned release installer:');
  for (const p of signing.problems) console.error(`  - ${p}`);
  console.error('For a test build that must never be distributed, add --unsigned-test-build.');
  process.exit(2);
}
if (unsigned) console.warn('UNSIGNED TEST BUILD: do not distribute these installers.');

const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit', env: process.env });

run('npm', ['run', 'build']);
for (const p of platforms) {
  const platform = p === 'win' ? 'win32' : p === 'mac' ? 'darwin' : 'linux';
  const archs = p === 'mac' ? ['x64', 'arm64'] : ['x64'];
  for (const arch of archs) run('npm', ['run', 'build:native', '--', '--platform', platform, '--arch', arch]);
}
const builderArgs = [join(root, 'node_modules/electron-builder/cli.js'), '--config', 'build/electron-builder.config.cjs', ...platforms.map((p) => `--${p}`), '--publish', argv.includes('--publish') ? 'always' : 'never'];
if (unsigned) builderArgs.push('-c.forceCodeSigning=false', '-c.mac.notarize=false');
run(process.execPath, builderArgs);
