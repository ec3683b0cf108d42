import { fork } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { METHOD_NAMES } from '../../electron/api';
import { methodChannel } from '../../electron/api/channels';
import { CONTENT_SECURITY_POLICY } from '../../electron/security/csp';

// electron/main.ts through a stubbed electron module: the lifecycle wiring, the window and its
// security settings, the protocol, IPC registration, the single-instance lock, configuration
// errors at start, and quitting only after a save in flight has finished. utilityProcess.fork
// starts the real backend entry as a Node child, so every call crosses the process boundary.

type Listener = (...args: unknown[]) => unknown;

const h = vi.hoisted(() => {
  const state = {
    lockGranted: true,
    userData: '',
    appListeners: new Map<string, Listener[]>(),
    windows: [] as FakeWindow[],
    ipcHandlers: new Map<string, Listener>(),
    protocolHandlers: new Map<string, Listener>(),
    privileged: [] as unknown[],
    errorBoxes: [] as [string, string][],
    exitCodes: [] as number[],
    quitCalls: 0,
    opened: [] as string[],
    session: {
      permissionRequest: undefined as Listener | undefined,
      permissionCheck: undefined as Listener | undefined,
      beforeRequest: undefined as Listener | undefined,
      headersReceived: undefined as Listener | undefined,
    },
  };
  interface FakeWindow {
    options: Record<string, unknown>;
    loaded: string[];
    focused: number;
    sent: [string, unknown][];
    webContents: { id: number; send(channel: string, e: unknown): void };
  }
  let nextId = 1;
  class BrowserWindow implements FakeWindow {
    options: Record<string, unknown>;
    loaded: string[] = [];
    focused = 0;
    sent: [string, unknown][] = [];
    webContents: FakeWindow['webContents'];
    constructor(options: Record<string, unknown>) {
      this.options = options;
      const id = nextId++;
      this.webContents = { id, send: (channel, e) => this.sent.push([channel, e]) };
      state.windows.push(this);
    }
    static getAllWindows() {
      return state.windows;
    }
    once() {}
    on() {}
    show() {}
    isDestroyed() {
      return false;
    }
    isMinimized() {
      return false;
    }
    restore() {}
    focus() {
      this.focused += 1;
    }
    async loadURL(url: string) {
      this.loaded.push(url);
    }
  }
  const app = {
    isPackaged: false,
    requestSingleInstanceLock: () => state.lockGranted,
    whenReady: () => Promise.resolve(),
    getPath: (name: string) => (name === 'userData' ? state.userData : '/nonexistent'),
    getName: () => 'DoseDesk',
    getVersion: () => '0.1.0',
    on(event: string, listener: Listener) {
      state.appListeners.set(event, [...(state.appListeners.get(event) ?? []), listener]);
      return app;
    },
    quit() {
      state.quitCalls += 1;
      if (state.quitCalls > 50) return;
      let prevented = false;
      for (const l of state.appListeners.get('before-quit') ?? []) l({ preventDefault: () => (prevented = true) });
      if (!prevented) state.quitCalls += 1000;
    },
    exit(code: number) {
      state.exitCodes.push(code);
    },
  };
  const electron = {
    app,
    BrowserWindow,
    dialog: { showErrorBox: (title: string, message: string) => state.errorBoxes.push([title, message]), showMessageBox: async () => ({ response: 0 }) },
    ipcMain: {
      handle: (channel: string, listener: Listener) => state.ipcHandlers.set(channel, listener),
      removeHandler: (channel: string) => state.ipcHandlers.delete(channel),
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => state.privileged.push(...schemes),
      handle: (scheme: string, handler: Listener) => state.protocolHandlers.set(scheme, handler),
    },
    safeStorage: {
      isEncryptionAvailable: () => true,
      encryptString: (s: string) => Buffer.from(`x${s}`),
      decryptString: (b: Buffer) => b.toString().slice(1),
      getSelectedStorageBackend: () => 'gnome_libsecret',
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (l: Listener) => (state.session.permissionRequest = l),
        setPermissionCheckHandler: (l: Listener) => (state.session.permissionCheck = l),
        setDevicePermissionHandler: () => {},
        on: () => {},
        webRequest: {
          onBeforeRequest: (l: Listener) => (state.session.beforeRequest = l),
          onHeadersReceived: (l: Listener) => (state.session.headersReceived = l),
        },
      },
    },
    shell: { openExternal: async (url: string) => void state.opened.push(url) },
    utilityProcess: {
      // Called after the imports ran, so `startBackendChild` is defined by then.
      fork: () => startBackendChild(),
    },
  };
  return { state, electron };
});

vi.mock('electron', () => ({ ...h.electron, default: h.electron }));

const BACKEND_ENTRY = resolve(import.meta.dirname, '../../electron/backend/entry.ts');
/** The part of Electron's UtilityProcess main.ts uses, over a Node child of the same entry file. */
function startBackendChild() {
  const child = fork(BACKEND_ENTRY, [], { execArgv: ['--import', 'tsx'], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return {
    pid: child.pid,
    postMessage: (m: unknown) => {
      if (child.connected) child.send(m as never);
    },
    on: (event: string, l: Listener) => child.on(event, l),
    once: (event: string, l: Listener) => child.once(event, l),
    kill: () => child.kill(),
  };
}

const s = h.state;

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

function resetState(dir: string) {
  s.userData = dir;
  s.appListeners.clear();
  s.windows.length = 0;
  s.ipcHandlers.clear();
  s.protocolHandlers.clear();
  s.errorBoxes.length = 0;
  s.exitCodes.length = 0;
  s.quitCalls = 0;
  s.privileged.length = 0;
}

const appFrame = { sender: { id: 1 }, senderFrame: { url: 'app://dosedesk/index.html', parent: null } };
const invoke = (method: string, payload: unknown) => s.ipcHandlers.get(methodChannel(method))!(appFrame, payload) as Promise<{ ok: boolean; value?: unknown; error?: unknown }>;

describe('main process wiring', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dosedesk-main-'));
    resetState(dir);
    vi.stubEnv('DOSEDESK_CONFIG', join(dir, 'no-config.json'));
    vi.resetModules();
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts: secure window on app://, protocol, every IPC method, denials, CSP; quit waits for a save', async () => {
    s.lockGranted = true;
    await import('../../electron/main');
    await until(() => s.windows.length === 1, 'the main window');

    expect(s.privileged).toEqual([expect.objectContaining({ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) })]);
    const [win] = s.windows;
    expect(win!.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false });
    expect(String((win!.options.webPreferences as { preload: string }).preload)).toMatch(/preload\.cjs$/);
    expect(win!.loaded).toEqual(['app://dosedesk/index.html']);
    expect([...s.protocolHandlers.keys()]).toEqual(['app']);
    expect([...s.ipcHandlers.keys()].sort()).toEqual(METHOD_NAMES.map(methodChannel).sort());

    let granted: boolean | undefined;
    s.session.permissionRequest!({}, 'media', (g: boolean) => (granted = g));
    expect(granted).toBe(false);
    expect(s.session.permissionCheck!({}, 'geolocation')).toBe(false);
    let cancelled: boolean | undefined;
    s.session.beforeRequest!({ url: 'https://cdn.example/x.js' }, (r: { cancel: boolean }) => (cancelled = r.cancel));
    expect(cancelled).toBe(true);
    let headers: Record<string, string[]> = {};
    s.session.headersReceived!({ responseHeaders: {} }, (r: { responseHeaders: Record<string, string[]> }) => (headers = r.responseHeaders));
    expect(headers['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY]);

    // Every web contents created later is hardened too.
    const created = s.appListeners.get('web-contents-created')![0]!;
    const events = new Map<string, Listener>();
    let openHandler: Listener | undefined;
    created({}, { on: (e: string, l: Listener) => events.set(e, l), setWindowOpenHandler: (l: Listener) => (openHandler = l) });
    let prevented = false;
    events.get('will-navigate')!({ preventDefault: () => (prevented = true) }, 'https://evil.example/');
    expect(prevented).toBe(true);
    expect(openHandler!({ url: 'https://www.cdc.gov/vis.pdf' })).toEqual({ action: 'deny' });
    expect(s.opened).toEqual(['https://www.cdc.gov/vis.pdf']);

    // Training mode out of the box, through the real handlers, on the training database in userData.
    expect(await invoke('app.info', {})).toMatchObject({ ok: true, value: { mode: 'training', trainingBanner: expect.stringMatching(/MIIS/) } });
    expect(existsSync(join(dir, 'dosedesk-training.sqlite3'))).toBe(true);
    expect(existsSync(join(dir, 'dosedesk.sqlite3'))).toBe(false);
    expect(JSON.parse(readFileSync(join(dir, 'dosedesk-mode.json'), 'utf8'))).toMatchObject({ mode: 'training' });
    expect(await invoke('auth.createFirstAdmin', { username: 'admin', displayName: 'Ada', password: 'correct horse battery' })).toMatchObject({ ok: true });

    // A second start focuses the existing window.
    s.appListeners.get('second-instance')![0]!();
    expect(win!.focused).toBe(1);

    // Quit while a save (a real-cost password hash, then the write) is in flight.
    const save = invoke('users.create', { user: { username: 'nurse', displayName: 'Nora', role: 'clinician' }, password: 'staple sandwich 42' });
    let prevent = 0;
    for (const l of s.appListeners.get('before-quit')!) l({ preventDefault: () => (prevent += 1) });
    expect(prevent).toBe(1);
    const saved = await save;
    expect(saved).toMatchObject({ ok: true, value: { username: 'nurse' } });
    await until(() => s.quitCalls > 0, 'the deferred quit');
    // After shutdown the store is closed: further calls fail instead of writing.
    const after = await invoke('users.list', {});
    expect(after).toMatchObject({ ok: false, error: { code: 'app.closing' } });
    expect(s.exitCodes).toEqual([]);
  });

  it('a second instance quits at once and opens nothing', async () => {
    s.lockGranted = false;
    await import('../../electron/main');
    await new Promise((r) => setTimeout(r, 50));
    expect(s.quitCalls).toBeGreaterThan(0);
    expect(s.windows).toHaveLength(0);
    expect(s.ipcHandlers.size).toBe(0);
    s.lockGranted = true;
  });

  it('a bad configuration file stops the start with a message naming the file and field', async () => {
    s.lockGranted = true;
    const configPath = join(dir, 'config.json');
    writeFileSync(configPath, JSON.stringify({ registry: { endpointUrl: 'http://miis.example.org/x' } }));
    vi.stubEnv('DOSEDESK_CONFIG', configPath);
    await import('../../electron/main');
    await until(() => s.exitCodes.length > 0, 'the exit');
    expect(s.exitCodes).toEqual([1]);
    expect(s.errorBoxes[0]![1]).toContain(`${configPath}: registry.endpointUrl must be an https URL`);
    expect(s.windows).toHaveLength(0);
  });
});
