// Stand-in for the `electron` package under vitest. Main-process code takes Electron's pieces
// as parameters; a test that needs a specific behaviour builds its own fakes. This module only
// guarantees that an accidental import never triggers the Electron binary download.
export const app = undefined;
export const BrowserWindow = undefined;
export const ipcMain = undefined;
export const contextBridge = undefined;
export const ipcRenderer = undefined;
export const safeStorage = undefined;
export const protocol = undefined;
export const session = undefined;
export const net = undefined;
export const shell = undefined;
export const dialog = undefined;
export default {};
