import { METHOD_NAMES, type MethodName, type Result, type SessionEvent } from '../api';
import { checkConfig } from '../cli/check-config';
import { ConfigError, defaultConfigPath, loadConfig } from '../services/config';
import { startApp, type StartedApp } from '../services/start';
import { createSyncController } from '../services/engine-controller';
import { keyedSafeStorage } from '../services/keyed-safe-storage';
import { parseToBackend, type BackendInit, type FromBackend } from './protocol';

// The backend process: the store, the services, the handler table, the sync engine and the
// forecaster, behind one message channel. Main's relay is its only caller; every call is
// answered only once the handler returned, i.e. after its transaction committed, so an answer
// lost with a dead process can never have said "saved".

const IDLE_CHECK_MS = 15_000;
const METHODS = new Set<string>(METHOD_NAMES);

export interface BackendHostOptions {
  send(message: FromBackend): void;
  /** Ends the process (the entry passes process.exit). */
  exit(code: number): void;
  log?: (line: string) => void;
}

export function createBackendHost(options: BackendHostOptions): (raw: unknown) => void {
  const log = options.log ?? ((line) => console.error(`[dosedesk backend] ${line}`));
  let starting: Promise<StartedApp | undefined> | undefined;
  let started: StartedApp | undefined;
  let stopping = false;
  const offs: (() => void)[] = [];

  const start = async (init: BackendInit): Promise<StartedApp | undefined> => {
    const safeStorage = keyedSafeStorage(Buffer.from(init.dataKey, 'base64'), init.protection);
    if (init.checkConfig) {
      const code = await checkConfig({
        configPath: init.configPath,
        dataDir: init.dataDir,
        nativeBinding: init.nativeBinding,
        skipRegistry: init.checkConfig.skipRegistry,
        safeStorage,
        print: (line) => console.log(line),
      });
      options.send({ type: 'exit-code', code });
      return undefined;
    }
    let config;
    try {
      config = loadConfig(init.configPath ?? defaultConfigPath());
    } catch (err) {
      if (err instanceof ConfigError) {
        options.send({ type: 'start-failed', title: 'DoseDesk configuration problem', message: `IT needs to fix the DoseDesk configuration file:\n\n${err.message}` });
        return undefined;
      }
      throw err;
    }
    const registryUrl = init.trainingRegistryUrl;
    const engine = init.engine;
    const app = await startApp({
      dataDir: init.dataDir,
      ...(init.storeKey ? { storeKey: Buffer.from(init.storeKey, 'base64') } : {}),
      nativeBinding: init.nativeBinding,
      config,
      safeStorage,
      info: init.info,
      reporting: init.reporting ?? true,
      scrypt: init.scrypt,
      startSimulator: registryUrl ? async () => ({ url: registryUrl, stop: async () => undefined }) : undefined,
      createController: engine
        ? (parts) => createSyncController({ ...parts, backoff: { baseMs: engine.baseMs, capMs: engine.capMs }, maxAttemptsPerHour: 10_000, statusIntervalMs: engine.statusIntervalMs ?? 50 })
        : undefined,
    });
    const svc = app.services;
    offs.push(svc.sync.onStatus((event) => options.send({ type: 'event', channel: 'sync', event })));
    const idle = setInterval(() => {
      for (const sessionId of svc.auth.lockIdleSessions()) {
        const event: SessionEvent = { type: 'locked', at: new Date().toISOString() };
        options.send({ type: 'event', channel: 'session', event, sessionId });
      }
    }, IDLE_CHECK_MS);
    idle.unref();
    offs.push(() => clearInterval(idle));
    const values = svc.settings.effective().values;
    const info = { databasePath: app.store.active.path, updateChannel: String(values.updateChannel), ...(config.updateFeedUrl ? { updateFeedUrl: config.updateFeedUrl } : {}) };
    options.send({ type: 'ready', info });
    return app;
  };

  const call = async (id: number, method: string, payload: unknown, sessionId: string): Promise<void> => {
    const app = started ?? (await starting);
    let result: Result<unknown>;
    if (!app) result = { ok: false, error: { kind: 'internal', message: 'DoseDesk has not finished starting. Try again in a moment.', code: 'backend.not_started' } };
    else if (!METHODS.has(method)) result = { ok: false, error: { kind: 'internal', message: `DoseDesk has no request called "${method}".`, code: 'backend.unknown_method' } };
    else result = await app.table[method as MethodName](payload, { sessionId });
    options.send({ type: 'result', id, result });
  };

  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    try {
      const app = started ?? (await starting?.catch(() => undefined));
      for (const off of offs.splice(0)) off();
      await app?.stop();
    } catch (err) {
      log(`error while stopping: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      options.send({ type: 'stopped' });
      options.exit(0);
    }
  };

  return (raw) => {
    const message = parseToBackend(raw);
    if (!message) {
      log('dropped a message that is not part of the protocol');
      return;
    }
    switch (message.type) {
      case 'init':
        if (starting) return log('dropped a second init');
        starting = start(message.init).then(
          (app) => {
            started = app;
            return app;
          },
          (err: unknown) => {
            options.send({ type: 'start-failed', title: 'DoseDesk cannot start', message: err instanceof Error ? err.message : String(err) });
            return undefined;
          },
        );
        return;
      case 'call':
        void call(message.id, message.method, message.payload, message.sessionId).catch((err: unknown) => {
          log(`call ${message.method} failed: ${err instanceof Error ? err.message : String(err)}`);
          options.send({ type: 'result', id: message.id, result: { ok: false, error: { kind: 'internal', message: 'Something went wrong in DoseDesk. Nothing was changed.', code: 'backend.internal' } } });
        });
        return;
      case 'ping': {
        const svc = started?.services;
        options.send({ type: 'pong', id: message.id, state: { formOpen: svc?.auth.hasOpenSessions() ?? false, savesInFlight: svc?.inFlight.size ?? 0, sending: svc?.sync.status().sending ?? 0 } });
        return;
      }
      case 'session-ended':
        started?.services.auth.endSession(message.sessionId);
        return;
      case 'stop':
        void stop();
        return;
    }
  };
}
