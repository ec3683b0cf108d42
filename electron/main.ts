import { app, BrowserWindow, dialog, ipcMain, protocol, safeStorage, session, shell, utilityProcess } from 'electron';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UPDATE_CHANNELS, type SessionEvent } from './api';
import type { BackendInit } from './backend/protocol';
import { EVENT_CHANNELS } from './api/channels';
import { registerIpc, windowSessionId } from './ipc';
import { APP_SCHEME_PRIVILEGES, createAppProtocolHandler } from './protocol/app-protocol';
import { loadDataKey } from './relay/data-key';
import { ConfigError, loadConfig } from './services/config';
import { modeFiles } from './services/mode-files';
import { StoreKeyError, openStoreKey } from './services/store-key';
import { BackendRelay, type BackendChild } from './relay/relay';
import { respondWithSecurityHeaders } from './security/csp';
import { isAllowedRequest, isSafeExternalUrl } from './security/requests';
import { APP_ENTRY_URL, createMainWindow, denyAllPermissions, hardenWebContents, type WebContentsLike } from './security/window';
import { createUpdateController } from './updates/updater';

// The only module that imports electron, and a thin one: windows, the app:// protocol, the
// window's security settings, safeStorage, updates and the relay. The store, the services, the
// handler table, the sync engine and the forecaster run in the backend process
// (electron/backend, dist-electron/backend.cjs); every call goes there through the relay, and
// quitting waits for the saves in flight.

// Must happen before `ready`: app:// behaves like a secure, standard origin.
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);

const UPDATE_CHECK_MS = 4 * 60 * 60_000;
/** Both databases (training and production) and the mode record live here (services/mode-files.ts). */
const dataDir = () => app.getPath('userData');
/**
 * Under `npm start` the SQLite addon comes from build/.native/ (built for Electron's ABI by
 * `npm run build:native`); node_modules keeps the Node build for tests. A packaged app has the
 * Electron build in app.asar.unpacked, where the default lookup finds it.
 */
function nativeBinding(): string | undefined {
  if (app.isPackaged || !process.versions.electron) return undefined;
  const tree = `electron-${process.versions.electron}-${process.platform}-${process.arch}`;
  return join(__dirname, '..', 'build', '.native', tree, 'node_modules', 'better-sqlite3-multiple-ciphers', 'build', 'Release', 'better_sqlite3.node');
}
let relay: BackendRelay | undefined;
let mainWindow: BrowserWindow | undefined;
let shuttingDown = false;
let shutDown = false;

function fatal(title: string, message: string): void {
  dialog.showErrorBox(title, message);
  app.exit(1);
}

/** The backend as a utilityProcess: Electron's MessagePort-backed child, with Node inside. */
function utilityBackend(): BackendChild {
  const child = utilityProcess.fork(join(__dirname, 'backend.cjs'), [], { serviceName: 'DoseDesk backend', stdio: 'inherit' });
  return {
    send: (message) => child.postMessage(message),
    onMessage: (listener) => child.on('message', listener),
    onExit: (listener) => child.once('exit', (code) => listener(code)),
    kill: () => {
      if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
      else child.kill();
    },
  };
}

function backendInit(extra: Partial<BackendInit> = {}, storeKey?: Buffer): BackendInit {
  const i = process.argv.indexOf('--config');
  const configPath = i >= 0 ? process.argv[i + 1] : undefined;
  const backend = process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : undefined;
  return {
    dataDir: dataDir(),
    ...(configPath ? { configPath } : {}),
    ...(nativeBinding() ? { nativeBinding: nativeBinding() } : {}),
    dataKey: loadDataKey(dataDir(), safeStorage).toString('base64'),
    protection: backend ? { available: safeStorage.isEncryptionAvailable(), backend } : { available: safeStorage.isEncryptionAvailable() },
    info: { name: app.getName(), version: app.getVersion(), platform: process.platform },
    ...(storeKey ? { storeKey: storeKey.toString('base64') } : {}),
    ...extra,
  };
}

function openWindow(): BrowserWindow {
  const win = createMainWindow(BrowserWindow, join(__dirname, 'preload.cjs'), { isPackaged: app.isPackaged });
  const sessionId = windowSessionId({ sender: win.webContents });
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    relay?.endSession(sessionId);
    if (mainWindow === win) mainWindow = undefined;
  });
  void win.loadURL(APP_ENTRY_URL);
  return win;
}

function broadcast(channel: string, event: unknown): void {
  for (const win of BrowserWindow.getAllWindows()) {
    if (!win.isDestroyed()) win.webContents.send(channel, event);
  }
}

function sendSessionEvent(sessionId: string, event: unknown): void {
  for (const win of BrowserWindow.getAllWindows()) {
    if (!win.isDestroyed() && windowSessionId({ sender: win.webContents }) === sessionId) win.webContents.send(EVENT_CHANNELS.session, event);
  }
}

/** The backend gave up: every window says so plainly instead of failing field by field. */
function showStoppedScreen(title: string, message: string): void {
  const page = `<!doctype html><meta charset="utf-8"><title>${escapeHtml(title)}</title><body style="font:16px system-ui;margin:3rem;max-width:40rem"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></body>`;
  const windows = BrowserWindow.getAllWindows().filter((w) => !w.isDestroyed());
  if (windows.length === 0) return fatal(title, message);
  for (const win of windows) void win.loadURL(`data:text/html;charset=utf-8,${encodeURIComponent(page)}`);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);
}

async function start(): Promise<void> {
  await app.whenReady();

  const binding = nativeBinding();
  if (binding && !existsSync(binding)) {
    return fatal('DoseDesk cannot start', `The SQLite module built for Electron is missing (${binding}). Run "npm run build:native" once (npm start does it for you).`);
  }
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) return fatal('DoseDesk configuration problem', `IT needs to fix the DoseDesk configuration file:\n\n${err.message}`);
    throw err;
  }
  // The database key is unwrapped here, where safeStorage is, and handed to the backend.
  let storeKey;
  try {
    const files = modeFiles(dataDir());
    const opened = openStoreKey({ dir: dataDir(), safeStorage, databases: [files.production, files.training], escrowFolder: config.storage.keyEscrowFolder });
    storeKey = opened.key;
    if (opened.recoveryKey && !opened.escrowedAt) {
      await dialog.showMessageBox({
        type: 'info',
        title: 'DoseDesk recovery key',
        message: 'Write down or print this recovery key and keep it locked away. It is shown only this once.',
        detail: `${opened.recoveryKey}\n\nWith it, the DoseDesk database opens on another computer or after this computer's keychain is lost.`,
      });
    }
  } catch (err) {
    if (err instanceof StoreKeyError) return fatal('DoseDesk is locked', err.message);
    throw err;
  }
  let windowsOpen = false;
  relay = new BackendRelay({
    spawn: utilityBackend,
    init: backendInit({}, storeKey),
    onEvent: (channel, event, sessionId) => {
      if (channel === 'sync') broadcast(EVENT_CHANNELS.sync, event);
      else if (sessionId) sendSessionEvent(sessionId, event);
    },
    onGiveUp: (title, message) => (windowsOpen ? showStoppedScreen(title, message) : fatal(title, message)),
    // A restarted backend has no sessions: each window learns it must sign in again.
    onRestart: () => broadcast(EVENT_CHANNELS.session, { type: 'signed_out', at: new Date().toISOString() } satisfies SessionEvent),
  });
  const backend = relay;
  let ready;
  try {
    ready = await backend.start();
  } catch {
    return; // onGiveUp said why.
  }

  registerIpc(ipcMain, (method, payload, ctx) => backend.call(method, payload, ctx.sessionId), {
    onUntrusted: (method, url) => console.warn(`[dosedesk] refused ${method} from ${url ?? 'an unknown frame'}`),
  });

  const rendererDir = join(__dirname, '..', 'dist-renderer');
  protocol.handle('app', createAppProtocolHandler(rendererDir));

  const ses = session.defaultSession;
  denyAllPermissions(ses, (permission) => console.warn(`[dosedesk] denied permission ${permission}`));
  ses.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !isAllowedRequest(details.url) }));
  ses.webRequest.onHeadersReceived((details, callback) => respondWithSecurityHeaders(details, callback));

  app.on('web-contents-created', (_event, contents) => {
    hardenWebContents(contents as unknown as WebContentsLike, (url) => {
      if (isSafeExternalUrl(url)) void shell.openExternal(url);
    });
  });

  mainWindow = openWindow();
  windowsOpen = true;

  app.on('window-all-closed', () => app.quit());

  // Updates only from IT's feed, on IT's channel; never restart under someone's hands. Loaded
  // only in a packaged app: electron-updater requires electron itself at load time.
  if (app.isPackaged) await startUpdates(backend, ready.updateChannel, ready.updateFeedUrl);
}

async function startUpdates(backend: BackendRelay, channel: string, feedUrl: string | undefined): Promise<void> {
  const { autoUpdater } = await import('electron-updater');
  const updates = createUpdateController({
    updater: autoUpdater,
    source: { channel: (UPDATE_CHANNELS as readonly string[]).includes(channel) ? (channel as (typeof UPDATE_CHANNELS)[number]) : 'stable', feedUrl },
    blockers: () => backend.state,
    log: (line) => console.log(`[dosedesk] ${line}`),
  });
  void updates.check();
  setInterval(() => void updates.check(), UPDATE_CHECK_MS).unref();
}

/** `dosedesk --check-config [--config FILE]`: for IT scripts; the backend checks and prints, then exits. */
async function runCheckConfig(argv: string[]): Promise<void> {
  await app.whenReady();
  await new Promise<void>((resolve) => {
    const check = new BackendRelay({
      spawn: utilityBackend,
      init: backendInit({ checkConfig: { skipRegistry: argv.includes('--skip-registry') } }),
      onEvent: () => undefined,
      onGiveUp: (_title, message) => {
        console.error(`FAIL check-config: ${message}`);
        app.exit(1);
        resolve();
      },
      onExitCode: (code) => {
        app.exit(code);
        resolve();
      },
    });
    void check.start().catch(() => undefined);
  });
}

// One DoseDesk per user session: a second start focuses the first window instead of opening
// a second writer on the same database.
if (process.argv.includes('--check-config')) {
  runCheckConfig(process.argv).catch((err: unknown) => {
    console.error(`FAIL check-config: ${err instanceof Error ? err.message : String(err)}`);
    app.exit(1);
  });
} else if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  // Quit waits for saves in flight, then stops reporting and closes the store cleanly.
  app.on('before-quit', (event) => {
    if (shutDown || !relay) return;
    event.preventDefault();
    if (shuttingDown) return;
    shuttingDown = true;
    const running = relay;
    void (async () => {
      try {
        await running.stop();
      } catch (err) {
        console.error('[dosedesk] error while shutting down:', err);
      } finally {
        shutDown = true;
        app.quit();
      }
    })();
  });

  start().catch((err: unknown) => fatal('DoseDesk could not start', err instanceof Error ? err.message : String(err)));
}
