// The messages between main (the relay) and the backend process. Both sides treat whatever
// arrives as untrusted until one of these guards accepts it: a stray or garbled message is
// dropped (and logged), never acted on.

export interface BackendInit {
  /** The user-data folder with both databases and the mode record. */
  dataDir: string;
  /** The machine configuration file; absent means the platform default. */
  configPath?: string;
  /** See OpenStoreOptions.nativeBinding (main knows where the Electron build of SQLite is). */
  nativeBinding?: string;
  /**
   * base64 of the 32-byte key the backend seals registry credentials with. Main keeps it
   * wrapped by Electron's safeStorage (which only main can reach) and unwraps it at start.
   */
  dataKey: string;
  /** base64 of the database key (SQLCipher), unwrapped by main from the keychain (services/store-key.ts). */
  storeKey?: string;
  /** What Electron's safeStorage said about the OS keychain (the settings screen shows it). */
  protection: { available: boolean; backend?: string };
  info: { name: string; version: string; platform: string };
  /** Default true: the training simulator or the MIIS transport and the sync engine. */
  reporting?: boolean;
  /** Tests and benches: cheaper password hashing. */
  scrypt?: { N: number; r: number; p: number };
  /** Tests: the engine's retry backoff and status cadence. */
  engine?: { baseMs: number; capMs: number; statusIntervalMs?: number };
  /** Tests: report to a registry simulator already running at this URL instead of starting one. */
  trainingRegistryUrl?: string;
  /** `--check-config`: run the check, print its lines, exit with its code; no app. */
  checkConfig?: { skipRegistry: boolean };
}

export type ToBackend =
  | { type: 'init'; init: BackendInit }
  | { type: 'call'; id: number; method: string; payload: unknown; sessionId: string }
  | { type: 'ping'; id: number }
  | { type: 'session-ended'; sessionId: string }
  | { type: 'stop' };

/** What main's updater and quit need to know about the backend (sent with every pong). */
export interface BackendState {
  formOpen: boolean;
  savesInFlight: number;
  sending: number;
}

export interface ReadyInfo {
  /** The database file of the mode in use (tests read it with a connection of their own). */
  databasePath: string;
  updateChannel: string;
  updateFeedUrl?: string;
}

export type FromBackend =
  | { type: 'ready'; info: ReadyInfo }
  | { type: 'start-failed'; title: string; message: string }
  | { type: 'result'; id: number; result: unknown }
  | { type: 'pong'; id: number; state: BackendState }
  | { type: 'event'; channel: 'sync' | 'session'; event: unknown; sessionId?: string }
  | { type: 'exit-code'; code: number }
  | { type: 'stopped' };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isId = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;
const isText = (v: unknown, max = 4096): v is string => typeof v === 'string' && v.length > 0 && v.length <= max;

function isInit(v: unknown): v is BackendInit {
  if (!isObject(v) || !isText(v.dataDir) || !isText(v.dataKey) || !isObject(v.protection) || !isObject(v.info)) return false;
  if (typeof v.protection.available !== 'boolean') return false;
  return ['name', 'version', 'platform'].every((k) => typeof (v.info as Record<string, unknown>)[k] === 'string');
}

export function parseToBackend(v: unknown): ToBackend | undefined {
  if (!isObject(v)) return undefined;
  switch (v.type) {
    case 'init':
      return isInit(v.init) ? { type: 'init', init: v.init } : undefined;
    case 'call':
      return isId(v.id) && isText(v.method, 100) && isText(v.sessionId, 200) ? { type: 'call', id: v.id, method: v.method, payload: v.payload, sessionId: v.sessionId } : undefined;
    case 'ping':
      return isId(v.id) ? { type: 'ping', id: v.id } : undefined;
    case 'session-ended':
      return isText(v.sessionId, 200) ? { type: 'session-ended', sessionId: v.sessionId } : undefined;
    case 'stop':
      return { type: 'stop' };
    default:
      return undefined;
  }
}

export function parseFromBackend(v: unknown): FromBackend | undefined {
  if (!isObject(v)) return undefined;
  switch (v.type) {
    case 'ready': {
      const info = v.info;
      if (!isObject(info) || typeof info.databasePath !== 'string' || typeof info.updateChannel !== 'string') return undefined;
      const out: ReadyInfo = { databasePath: info.databasePath, updateChannel: info.updateChannel };
      if (typeof info.updateFeedUrl === 'string') out.updateFeedUrl = info.updateFeedUrl;
      return { type: 'ready', info: out };
    }
    case 'start-failed':
      return typeof v.title === 'string' && typeof v.message === 'string' ? { type: 'start-failed', title: v.title, message: v.message } : undefined;
    case 'result':
      // A result is a Result: { ok: true, value } or { ok: false, error: { kind, message } }.
      if (!isId(v.id) || !isObject(v.result) || typeof v.result.ok !== 'boolean') return undefined;
      if (v.result.ok === false && !(isObject(v.result.error) && typeof v.result.error.kind === 'string' && typeof v.result.error.message === 'string')) return undefined;
      return { type: 'result', id: v.id, result: v.result };
    case 'pong': {
      const s = v.state;
      if (!isId(v.id) || !isObject(s) || typeof s.formOpen !== 'boolean' || typeof s.savesInFlight !== 'number' || typeof s.sending !== 'number') return undefined;
      return { type: 'pong', id: v.id, state: { formOpen: s.formOpen, savesInFlight: s.savesInFlight, sending: s.sending } };
    }
    case 'event':
      if (v.channel !== 'sync' && v.channel !== 'session') return undefined;
      if (v.sessionId !== undefined && !isText(v.sessionId, 200)) return undefined;
      return v.sessionId === undefined ? { type: 'event', channel: v.channel, event: v.event } : { type: 'event', channel: v.channel, event: v.event, sessionId: v.sessionId };
    case 'exit-code':
      return typeof v.code === 'number' ? { type: 'exit-code', code: v.code } : undefined;
    case 'stopped':
      return { type: 'stopped' };
    default:
      return undefined;
  }
}
