// electron-builder afterPack: place the Electron-ABI build of better-sqlite3-multiple-ciphers, the encrypting SQLite (made in a separate
// tree by build/scripts/build-native.ts) into app.asar.unpacked, replacing the Node-ABI binary
// that came along from node_modules, then verify the ABI of what will ship.
// DOSEDESK_LAYOUT_ONLY=1 (the offline layout test with a stand-in Electron) skips the swap: such
// an output is for inspecting the package layout and can never run.
'use strict';

const { copyFileSync, existsSync, readFileSync } = require('node:fs');
const path = require('node:path');
const { assertAddonAbi } = require('./native-abi.cjs');

const ADDON = path.join('node_modules', 'better-sqlite3-multiple-ciphers', 'build', 'Release', 'better_sqlite3.node');

function resourcesDir(context) {
  if (context.electronPlatformName === 'darwin' || context.electronPlatformName === 'mas') {
    const app = `${context.packager.appInfo.productFilename}.app`;
    return path.join(context.appOutDir, app, 'Contents', 'Resources');
  }
  return path.join(context.appOutDir, 'resources');
}

function nativeTreeFor(electronVersion, platform, arch) {
  return path.join(__dirname, '..', '.native', `electron-${electronVersion}-${platform}-${arch}`);
}

exports.default = async function afterPack(context) {
  if (process.env.DOSEDESK_LAYOUT_ONLY === '1') return;
  const electronVersion = context.packager.config.electronVersion;
  const abi = Number(readFileSync(path.join(__dirname, '..', '..', 'node_modules', 'electron', 'abi_version'), 'utf8').trim());
  const arch = ['ia32', 'x64', 'armv7l', 'arm64', 'universal'][context.arch] || String(context.arch);
  const source = path.join(nativeTreeFor(electronVersion, context.electronPlatformName, arch), ADDON);
  if (!existsSync(source)) {
    throw new Error(
      `No Electron build of better-sqlite3-multiple-ciphers at ${source}. Run \`npm run build:native -- --platform ${context.electronPlatformName} --arch ${arch}\` first (it needs Electron's headers from the internet).`,
    );
  }
  assertAddonAbi(source, abi, 'The Electron build of better-sqlite3-multiple-ciphers');
  const target = path.join(resourcesDir(context), 'app.asar.unpacked', ADDON);
  copyFileSync(source, target);
  assertAddonAbi(target, abi, 'The packaged better-sqlite3-multiple-ciphers');
};

exports.nativeTreeFor = nativeTreeFor;
