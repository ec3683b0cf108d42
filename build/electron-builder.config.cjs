// electron-builder configuration for DoseDesk release builds.
// Run through `npm run package -- --win|--mac|--linux` (build/scripts/package.ts), which
// refuses a release build without signing credentials unless asked for an unsigned test build.
// Signing material comes only from electron-builder's own environment variables
// (CSC_LINK/CSC_KEY_PASSWORD, WIN_CSC_LINK/WIN_CSC_KEY_PASSWORD, CSC_NAME, APPLE_ID/
// APPLE_APP_SPECIFIC_PASSWORD/APPLE_TEAM_ID or APPLE_API_KEY/APPLE_API_KEY_ID/APPLE_API_ISSUER):
// nothing secret is ever in this file or in the repository.
'use strict';

const path = require('node:path');
const pkg = require('../package.json');

const electronVersion = require('../node_modules/electron/package.json').version;

/** @type {import('electron-builder').Configuration} */
const config = {
  appId: 'org.dosedesk.app',
  productName: 'DoseDesk',
  copyright: 'Copyright © DoseDesk',
  electronVersion,
  directories: { output: 'out', buildResources: 'build/packaging' },
  // The main process and preload are esbuild bundles; the renderer is a Vite build.
  files: ['dist-electron/**/*', 'dist-renderer/**/*', 'assets/**/*', 'package.json', '!**/*.map'],
  extraMetadata: { main: 'dist-electron/main.cjs' },
  asar: true,
  // Native modules cannot load from inside an ASAR archive.
  asarUnpack: ['**/*.node'],
  // The Node build of better-sqlite3-multiple-ciphers stays in node_modules for `npm test`; the Electron-ABI
  // build comes from a separate tree (build/scripts/build-native.ts) and is placed by afterPack.
  npmRebuild: false,
  nodeGypRebuild: false,
  buildDependenciesFromSource: false,
  afterPack: path.join(__dirname, 'hooks', 'after-pack.cjs'),
  // A release build must be signed; `--unsigned-test-build` turns this off explicitly.
  forceCodeSigning: true,
  electronFuses: {
    runAsNode: false,
    enableCookieEncryption: true,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    grantFileProtocolExtraPrivileges: false,
  },
  publish: [
    {
      // IT hosts the feed: latest.yml / beta.yml with SHA-512 per artifact.
      provider: 'generic',
      url: '${env.DOSEDESK_UPDATE_URL}',
      channel: 'latest',
    },
  ],
  win: {
    target: [
      { target: 'nsis', arch: ['x64'] },
      { target: 'msi', arch: ['x64'] },
    ],
    icon: 'assets/icons/icon.png',
    signtoolOptions: {
      // electron-updater checks that an update is signed by this publisher before installing.
      publisherName: ['DoseDesk'],
      signingHashAlgorithms: ['sha256'],
      rfc3161TimeStampServer: 'http://timestamp.digicert.com',
    },
    verifyUpdateCodeSignature: true,
    requestedExecutionLevel: 'asInvoker',
  },
  nsis: {
    oneClick: false,
    perMachine: true,
    allowElevation: true,
    allowToChangeInstallationDirectory: true,
    createDesktopShortcut: true,
    createStartMenuShortcut: true,
    deleteAppDataOnUninstall: false,
    include: 'build/packaging/installer.nsh',
    artifactName: 'DoseDesk-Setup-${version}.${ext}',
  },
  msi: {
    perMachine: true,
    oneClick: true,
    runAfterFinish: false,
    // Stable across versions so Group Policy/Intune treat a new MSI as an upgrade.
    upgradeCode: 'b8d3c1f4-5a7e-4c2b-9f0d-6e1a2b3c4d5e',
    createDesktopShortcut: true,
    artifactName: 'DoseDesk-${version}.${ext}',
  },
  mac: {
    target: [
      { target: 'dmg', arch: ['universal'] },
      { target: 'zip', arch: ['universal'] },
    ],
    icon: 'assets/icons/icon.png',
    category: 'public.app-category.medical',
    hardenedRuntime: true,
    gatekeeperAssess: false,
    entitlements: 'build/packaging/entitlements.mac.plist',
    entitlementsInherit: 'build/packaging/entitlements.mac.inherit.plist',
    // Notarization runs when APPLE_ID/APPLE_APP_SPECIFIC_PASSWORD/APPLE_TEAM_ID (or the
    // APPLE_API_KEY trio) are in the environment; package.ts requires them for a release.
    notarize: true,
  },
  dmg: { sign: false },
  linux: {
    target: [
      { target: 'AppImage', arch: ['x64'] },
      { target: 'deb', arch: ['x64'] },
    ],
    icon: 'assets/icons/icon.png',
    category: 'MedicalSoftware',
    maintainer: 'DoseDesk <it@dosedesk.invalid>',
    synopsis: 'Record vaccine doses and report them to MIIS',
    description: pkg.description,
  },
  deb: {
    depends: ['libgtk-3-0', 'libnotify4', 'libnss3', 'libxss1', 'libxtst6', 'xdg-utils', 'libatspi2.0-0', 'libuuid1', 'libsecret-1-0'],
  },
};

module.exports = config;
