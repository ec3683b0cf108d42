import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { build, preview, type PreviewServer } from 'vite';
import { METHOD_NAMES, type MethodName, type MethodOutput, type Result, type SyncEvent } from '../../electron/api';
import { createHandlers, type HandlerTable } from '../../electron/handlers';
import { createAppServices, type AppServices } from '../../electron/services/app-services';
import { parseConfig } from '../../electron/services/config';
import { Reporting } from '../../electron/services/reporting';
import type { RunningRegistry } from '../../electron/services/training';
import { openStore, type LocalStore } from '../../electron/store';
import { createSyncController } from '../../electron/services/engine-controller';
import type { QuirkName } from '../../sync/sim/quirks';
import { startRegistrySimulator, type RegistrySimulator, type SimulatorOptions } from '../../sync/sim/simulator';

// The real renderer in Debian's Chromium against the real main-process services: a store in a
// temporary folder, the handler table ipc.ts registers, the sync engine reporting to the
// registry simulator on loopback. Only Electron's IPC is replaced: `window.dosedesk` is built by
// an init script from the contract's method list and calls the handler table through
// `exposeBinding`; sync events are pushed into the page as main's broadcast would.

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const REPO = resolve(import.meta.dirname, '../..');
const VITE_CONFIG = join(REPO, 'renderer/vite.config.ts');
export const SHOT_DIR = join(REPO, 'test-results/e2e');
export const VIEWPORT = { width: 1366, height: 768 };
const SESSION_ID = 'e2e-window';

let built: Promise<void> | undefined;
/**
 * The e2e run builds into a folder of its own: `dist-renderer/` belongs to `npm run build`
 * and the packaging test, which may run at the same time.
 */
const RENDERER_OUT = mkdtempSync(join(tmpdir(), 'dosedesk-e2e-renderer-'));
process.once('exit', () => rmSync(RENDERER_OUT, { recursive: true, force: true }));

/** Builds the renderer once per test process with the project's own Vite config. */
export function buildRenderer(): Promise<void> {
  built ??= build({ configFile: VITE_CONFIG, logLevel: 'error', build: { outDir: RENDERER_OUT, emptyOutDir: true } }).then(() => undefined);
  return built;
}

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM);
}

/** The simulator behind the training transport; can be taken down and brought back on its port. */
export class SimulatorControl {
  sim?: RegistrySimulator;
  private options?: SimulatorOptions;
  private quirks: QuirkName[] = [];

  readonly start = async (options: SimulatorOptions): Promise<RunningRegistry> => {
    this.options = { ...options, quirks: this.quirks };
    this.sim = await startRegistrySimulator(this.options);
    const url = this.sim.url;
    return { url, stop: () => this.down() };
  };

  setQuirks(quirks: QuirkName[]): void {
    this.quirks = quirks;
    this.sim?.setQuirks(quirks);
  }

  get running(): boolean {
    return this.sim !== undefined;
  }

  /** Stops answering: connections to the port are refused. */
  async down(): Promise<void> {
    const sim = this.sim;
    this.sim = undefined;
    if (sim) await sim.stop();
  }

  /** Starts again on the same port, so the configured endpoint works again. */
  async up(port: number): Promise<void> {
    if (this.sim || !this.options) return;
    this.sim = await startRegistrySimulator({ ...this.options, port, quirks: this.quirks });
  }
}

export interface E2eEnv {
  dir: string;
  store: LocalStore;
  services: AppServices;
  handlers: HandlerTable;
  simulator: SimulatorControl;
  simPort: number;
  server: PreviewServer;
  baseUrl: string;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Calls the handler table as a separate window would (its own session). */
  call<K extends MethodName>(method: K, payload: unknown, sessionId?: string): Promise<Result<MethodOutput<K>>>;
  shot(name: string): Promise<string>;
  close(): Promise<void>;
}

const fakeSafeStorage = {
  isEncryptionAvailable: () => true,
  encryptString: (text: string) => Buffer.from(text, 'utf8').reverse(),
  decryptString: (data: Buffer) => Buffer.from(data).reverse().toString('utf8'),
  getSelectedStorageBackend: () => 'gnome_libsecret',
};

/** Defines `window.dosedesk` with the contract's methods (runs in the page before its scripts). */
function installApi(methods: readonly string[]): void {
  type Listener = (event: unknown) => void;
  const listeners: Record<string, Set<Listener>> = { sync: new Set(), session: new Set() };
  type Invoke = (method: string, payload: unknown) => Promise<unknown>;
  const api: Record<string, unknown> = {};
  for (const method of methods) {
    const [ns, name] = method.split('.') as [string, string];
    const group = (api[ns] ??= {}) as Record<string, unknown>;
    // Looked up at call time: the binding is installed by Playwright, not by this script.
    group[name] = (input: unknown) => (window as unknown as { __dosedeskInvoke: Invoke }).__dosedeskInvoke(method, input);
  }
  const subscribe = (channel: string) => (listener: Listener) => {
    listeners[channel]!.add(listener);
    return () => listeners[channel]!.delete(listener);
  };
  api.onSyncStatus = subscribe('sync');
  api.onSessionChange = subscribe('session');
  Object.defineProperty(window, '__dosedeskEmit', {
    value: (channel: string, event: unknown) => listeners[channel]?.forEach((l) => l(event)),
  });
  Object.defineProperty(window, 'dosedesk', { value: Object.freeze(api) });
}

export interface EnvOptions {
  quirks?: QuirkName[];
  /** Engine retry backoff for the test (real default waits seconds to minutes). */
  backoff?: { baseMs: number; capMs: number };
}

export async function startEnv(options: EnvOptions = {}): Promise<E2eEnv> {
  const dir = mkdtempSync(join(tmpdir(), 'dosedesk-e2e-'));
  const cleanups: (() => Promise<void> | void)[] = [() => rmSync(dir, { recursive: true, force: true })];
  const close = async () => {
    for (const c of cleanups.splice(0).reverse()) {
      try {
        await c();
      } catch (err) {
        console.error('[e2e] cleanup failed:', err);
      }
    }
  };
  try {
    await buildRenderer();
    const store = openStore(join(dir, 'dosedesk.sqlite3'));
    cleanups.push(() => store.close());
    const services = createAppServices({
      store,
      config: parseConfig(join(dir, 'dosedesk.json'), undefined),
      safeStorage: fakeSafeStorage,
      info: { name: 'DoseDesk', version: '0.0.0-e2e', platform: process.platform },
      // Fast password hashing: the test is about the UI, not scrypt's cost.
      scrypt: { N: 2 ** 10, r: 8, p: 1 },
      logError: (context, err) => console.error(`[e2e main] ${context}:`, err),
    });
    const simulator = new SimulatorControl();
    simulator.setQuirks(options.quirks ?? []);
    const reporting = new Reporting({
      services,
      startSimulator: simulator.start,
      createController: (parts) =>
        createSyncController({
          store: parts.store,
          transport: parts.transport,
          hl7Config: parts.hl7Config,
          mode: parts.mode,
          backoff: options.backoff ?? { baseMs: 250, capMs: 1500 },
          maxAttemptsPerHour: 10_000,
          statusIntervalMs: 50,
        }),
    });
    await reporting.start(services.settings.mode(), store);
    cleanups.push(() => reporting.stop());
    const simPort = simulator.sim!.port;
    const handlers = createHandlers(services);

    const server = await preview({ configFile: VITE_CONFIG, logLevel: 'error', build: { outDir: RENDERER_OUT }, preview: { host: '127.0.0.1', port: 0, strictPort: false, open: false } });
    cleanups.push(() => new Promise<void>((res) => server.httpServer.close(() => res())));
    const address = server.httpServer.address();
    if (!address || typeof address === 'string') throw new Error('The preview server has no TCP address.');
    const baseUrl = `http://127.0.0.1:${address.port}/`;

    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    cleanups.push(() => browser.close());
    const context = await browser.newContext({ viewport: VIEWPORT, locale: 'en-US', timezoneId: Intl.DateTimeFormat().resolvedOptions().timeZone });
    const page = await context.newPage();
    page.on('pageerror', (err) => console.error('[e2e page error]', err));
    await page.exposeBinding('__dosedeskInvoke', async (_source, method: string, payload: unknown) => {
      if (!(METHOD_NAMES as string[]).includes(method)) return { ok: false, error: { kind: 'internal', message: `Unknown method ${method}` } };
      return handlers[method as MethodName](payload, { sessionId: SESSION_ID });
    });
    await page.addInitScript(installApi, METHOD_NAMES);
    const off = services.sync.onStatus((event: SyncEvent) => {
      void page.evaluate(([e]) => (window as unknown as { __dosedeskEmit?: (c: string, e: unknown) => void }).__dosedeskEmit?.('sync', e), [event] as const).catch(() => undefined);
    });
    cleanups.push(off);
    await page.goto(baseUrl);

    mkdirSync(SHOT_DIR, { recursive: true });
    return {
      dir,
      store,
      services,
      handlers,
      simulator,
      simPort,
      server,
      baseUrl,
      browser,
      context,
      page,
      call: (method, payload, sessionId = 'e2e-seed') => handlers[method](payload, { sessionId }),
      shot: async (name) => {
        const path = join(SHOT_DIR, `${name}.png`);
        await page.screenshot({ path, fullPage: false });
        return path;
      },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
