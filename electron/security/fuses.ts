import { FuseV1Options, FuseVersion, type FuseConfig } from '@electron/fuses';

// Electron fuses for a release build, flipped into the binary at packaging time (the
// packaging step imports this; the running app never does). Each one closes a way to turn
// the signed DoseDesk binary into something else on a shared clinic PC.

export const RELEASE_FUSES = {
  version: FuseVersion.V1,
  strictlyRequireAllFuses: true,
  // `ELECTRON_RUN_AS_NODE=1 DoseDesk.exe script.js` would be a signed Node interpreter.
  [FuseV1Options.RunAsNode]: false,
  // Cookies (and other Chromium storage) encrypted with the OS key, like Chrome.
  [FuseV1Options.EnableCookieEncryption]: true,
  // NODE_OPTIONS / --inspect would let anyone inject code into the main process.
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  // The app.asar must match the hash recorded at build time, and only app.asar is loaded.
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
  // The UI is served from app://, never file://: file:// gets no extra powers.
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
  [FuseV1Options.WasmTrapHandlers]: true,
} satisfies FuseConfig;
