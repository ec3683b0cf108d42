import type { BrowserWindowConstructorOptions } from 'electron';
import { APP_ORIGIN } from '../api/channels';

// The main window and what its page may do. Kept out of main.ts as plain data and functions
// so that tests check them through a stubbed electron module.

export type BrowserWindowClass<W> = new (options: BrowserWindowConstructorOptions) => W;

/**
 * Opens the main window. The renderer is an untrusted page: no Node, an isolated world, the OS
 * sandbox, web security on, no <webview>, no middle-click windows. The options are written out
 * literally in this `new BrowserWindow(…)` so that electronegativity can read and check them.
 */
export function createMainWindow<W>(BrowserWindow: BrowserWindowClass<W>, preloadPath: string, opts: { isPackaged: boolean }): W {
  return new BrowserWindow({
    width: 1280,
    height: 860,
    minWidth: 960,
    minHeight: 640,
    show: false,
    title: 'DoseDesk',
    backgroundColor: '#ffffff',
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      disableBlinkFeatures: 'Auxclick',
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      // Developer tools would show PHI from the page to anyone at the PC; release builds drop them.
      devTools: !opts.isPackaged,
    },
  });
}

export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** Structural subset of WebContents that hardenWebContents touches (lets tests pass a fake). */
export interface WebContentsLike {
  on(event: 'will-navigate' | 'will-redirect' | 'will-frame-navigate', listener: (event: { preventDefault(): void; url?: string }, url?: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

/**
 * No navigation away from the app, no redirects, no <webview>, no new windows. A link the
 * page tries to open is handed to `onBlockedUrl` (main may offer to open https links in the
 * system browser), never loaded in-app.
 */
export function hardenWebContents(contents: WebContentsLike, onBlockedUrl: (url: string, how: string) => void = () => {}): void {
  const block = (how: string) => (event: { preventDefault(): void; url?: string }, url?: string) => {
    event.preventDefault();
    onBlockedUrl(url ?? event.url ?? '', how);
  };
  contents.on('will-navigate', block('navigate'));
  contents.on('will-frame-navigate', block('frame-navigate'));
  contents.on('will-redirect', block('redirect'));
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    onBlockedUrl('', 'webview');
  });
  contents.setWindowOpenHandler(({ url }) => {
    onBlockedUrl(url, 'window.open');
    return { action: 'deny' };
  });
}

/** Structural subset of Session for the permission and download denials. */
export interface SessionLike {
  setPermissionRequestHandler(handler: (webContents: unknown, permission: string, callback: (granted: boolean) => void) => void): void;
  setPermissionCheckHandler(handler: (webContents: unknown, permission: string) => boolean): void;
  setDevicePermissionHandler?(handler: () => boolean): void;
  on(event: 'will-download', listener: (event: { preventDefault(): void }) => void): unknown;
}

/** Camera, microphone, geolocation, notifications, USB, HID, serial…: all refused. */
export function denyAllPermissions(session: SessionLike, onDenied: (permission: string) => void = () => {}): void {
  session.setPermissionRequestHandler((_wc, permission, callback) => {
    onDenied(permission);
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler?.(() => false);
  session.on('will-download', (event) => event.preventDefault());
}
