import { app, BrowserWindow, dialog, ipcMain, protocol, safeStorage, session, shell } from 'electron';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { checkConfig } from './cli/check-config';
import type { SessionEvent } from './api';
import { EVENT_CHANNELS } from './api/channels';
import { registerIpc, windowSessionId } from './ipc';
import { APP_SCHEME_PRIVILEGES, createAppProtocolHandler } from './protocol/app-protocol';
import { respondWithSecurityHeaders } from './security/csp';
import { isAllowedRequest, isSafeExternalUrl } from './security/requests';
import { APP_ENTRY_URL, createMainWindow, denyAllPermissions, hardenWebContents, type WebContentsLike } from './security/window';
import type { AppServices } from './services/app-services';
import { ConfigError, loadConfig } from './services/config';
import { modeFiles } from './services/mode-files';
import { startApp, type StartedApp } from './services/start';
import { StoreKeyError, openStoreKey } from './services/store-key';
import { createUpdateController } from './updates/updater';

// The only module that imports electron. It wires the app's lifecycle to plain modules:
// configuration, the store, the services and their handler table, the app:// protocol, the
// window and its security settings, reporting (training simulator or MIIS), and quitting
// only once no save is in flight.

// Must happen before `ready`: app:// behaves like a secure, standard origin.
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);

const IDLE_CHECK_MS = 15_000;
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
let started: StartedApp | undefined;
let mainWindow: BrowserWindow | undefined;
let shuttingDown = false;
let shutDown = false;

function fatal(title: string, message: string): void {
  dialog.showErrorBox(title, message);
  app.exit(1);
}

function openWindow(svc: AppServices): BrowserWindow {
  const win = createMainWindow(BrowserWindow, join(__dirname, 'preload.cjs'), { isPackaged: app.isPackaged });
  const sessionId = windowSessionId({ sender: win.webContents });
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    svc.auth.endSession(sessionId);
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

function sendSessionEvent(sessionId: string, event: SessionEvent): void {
  for (const win of BrowserWindow.getAllWindows()) {
    if (!win.isDestroyed() && windowSessionId({ sender: win.webContents }) === sessionId) win.webContents.send(EVENT_CHANNELS.session, event);
  }
}

async function start(): Promise<void> {
  await app.whenReady();

  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) return fatal('DoseDesk configuration problem', `IT needs to fix the DoseDesk configuration file:\n\n${err.message}`);
    throw err;
  }

  const binding = nativeBinding();
  if (binding && !existsSync(binding)) {
    return fatal('DoseDesk cannot start', `The SQLite module built for Electron is missing (${binding}). Run "npm run build:native" once (npm start does it for you).`);
  }
  // The database key is unwrapped here, where safeStorage is, and handed to the store.
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
  try {
    started = await startApp({
      dataDir: dataDir(),
      storeKey,
      nativeBinding: binding,
      config,
      safeStorage,
      info: { name: app.getName(), version: app.getVersion(), platform: process.platform },
    });
  } catch (err) {
    return fatal('DoseDesk cannot start', (err as Error).message);
  }
  const svc = started.services;
  svc.sync.onStatus((event) => broadcast(EVENT_CHANNELS.sync, event));

  registerIpc(ipcMain, started.table, {
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

  mainWindow = openWindow(svc);

  const idleTimer = setInterval(() => {
    for (const sessionId of svc.auth.lockIdleSessions()) sendSessionEvent(sessionId, { type: 'locked', at: new Date().toISOString() });
  }, IDLE_CHECK_MS);
  idleTimer.unref();

  app.on('window-all-closed', () => app.quit());

  // Updates only from IT's feed, on IT's channel; never restart under someone's hands. Loaded
  // only in a packaged app: electron-updater requires electron itself at load time.
  if (app.isPackaged) await startUpdates(svc, config.updateFeedUrl);
}

async function startUpdates(svc: AppServices, feedUrl: string | undefined): Promise<void> {
  const { autoUpdater } = await import('electron-updater');
  const updates = createUpdateController({
    updater: autoUpdater,
    source: { channel: svc.settings.effective().values.updateChannel, feedUrl },
    blockers: () => ({
      formOpen: svc.auth.hasOpenSessions(),
      savesInFlight: svc.inFlight.size,
      sending: svc.sync.status().sending,
    }),
    log: (line) => console.log(`[dosedesk] ${line}`),
  });
  void updates.check();
  setInterval(() => void updates.check(), UPDATE_CHECK_MS).unref();
}

/** `dosedesk --check-config [--config FILE]`: for IT scripts; prints and exits, no window. */
async function runCheckConfig(argv: string[]): Promise<void> {
  await app.whenReady();
  const i = argv.indexOf('--config');
  const code = await checkConfig({
    configPath: i >= 0 ? argv[i + 1] : undefined,
    dataDir: dataDir(),
    nativeBinding: nativeBinding(),
    skipRegistry: argv.includes('--skip-registry'),
    safeStorage,
    print: (line) => console.log(line),
  });
  app.exit(code);
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
    if (shutDown || !started) return;
    event.preventDefault();
    if (shuttingDown) return;
    shuttingDown = true;
    const running = started;
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
