import type { RunMode, SyncEvent } from '../api';
import { localIsoDate } from '../domain/common';
import type { Store } from '../store/types';
import { AuthService, type AuthPolicy } from './auth';
import { createCodeCatalog, type CodeCatalog } from './codes';
import { ApiFailure } from './errors';
import type { MachineConfig } from './config';
import { CredentialStore, type SafeStorageLike } from './credentials';
import type { ScryptParams } from './passwords';
import type { CheckConnection } from './registry';
import { SettingsService } from './settings';
import { createOutboxStatusController, type KickReason, type SyncController } from './sync-controller';

// Everything the handlers need, built from plain parts: the store, IT's configuration and
// Electron's safeStorage (passed in, so this module never imports electron). Main builds one
// of these; the tests and the end-to-end harness build theirs the same way.

export interface AppInfoParts {
  name: string;
  version: string;
  platform: string;
}

/** Counts handler calls in progress so that quitting waits for a save to finish. */
export class InFlight {
  private count = 0;
  private closed = false;
  private waiters: (() => void)[] = [];

  /** After this, new calls are refused (the app is shutting down); calls in progress finish. */
  close(): void {
    this.closed = true;
  }

  get size(): number {
    return this.count;
  }

  async track<T>(work: () => Promise<T>): Promise<T> {
    if (this.closed) throw new ApiFailure('internal', 'DoseDesk is closing; nothing was changed.', { code: 'app.closing' });
    this.count += 1;
    try {
      return await work();
    } finally {
      this.count -= 1;
      if (this.count === 0) for (const wake of this.waiters.splice(0)) wake();
    }
  }

  /** Resolves once nothing is in flight. */
  idle(): Promise<void> {
    return this.count === 0 ? Promise.resolve() : new Promise((resolve) => this.waiters.push(resolve));
  }
}

/** The sync controller in use can change (training ↔ production); listeners stay subscribed. */
export class SyncHost implements SyncController {
  private readonly listeners = new Set<(event: SyncEvent) => void>();
  private unsubscribe: () => void;

  constructor(private current: SyncController) {
    this.unsubscribe = current.onStatus((e) => this.emit(e));
  }

  async replace(next: SyncController): Promise<void> {
    const previous = this.current;
    this.unsubscribe();
    this.current = next;
    this.unsubscribe = next.onStatus((e) => this.emit(e));
    await previous.stop();
    this.emit({ type: 'status', status: next.status() });
  }

  status() {
    return this.current.status();
  }

  kick(reason: KickReason): void {
    this.current.kick(reason);
  }

  onStatus(listener: (event: SyncEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async stop(): Promise<void> {
    this.unsubscribe();
    await this.current.stop();
  }

  private emit(event: SyncEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}

export interface AppServices {
  store: Store;
  auth: AuthService;
  settings: SettingsService;
  credentials: CredentialStore;
  codes: CodeCatalog;
  sync: SyncHost;
  inFlight: InFlight;
  checkConnection: CheckConnection;
  /** Main restarts reporting when the mode changes (stops the simulator, builds the transport). */
  onModeChange: (mode: RunMode) => Promise<void>;
  now: () => Date;
  /** The clinic's calendar date (local time). */
  today: () => string;
  info: AppInfoParts;
  /** Unexpected errors go here (main writes them to the log file), never to the renderer. */
  logError: (context: string, err: unknown) => void;
}

export interface AppServicesOptions {
  store: Store;
  config: MachineConfig;
  safeStorage: SafeStorageLike;
  info: AppInfoParts;
  platform?: NodeJS.Platform;
  now?: () => Date;
  scrypt?: ScryptParams;
  codes?: CodeCatalog;
  sync?: SyncController;
  checkConnection?: CheckConnection;
  onModeChange?: (mode: RunMode) => Promise<void>;
  logError?: (context: string, err: unknown) => void;
}

export function createAppServices(options: AppServicesOptions): AppServices {
  const { store, config } = options;
  const now = options.now ?? (() => new Date());
  const settings = new SettingsService(store.settings, config);
  const policy = (userId?: string): AuthPolicy => {
    const v = settings.effective(userId).values;
    return { maxAttempts: v['lockout.maxAttempts'], lockoutMinutes: v['lockout.minutes'], autoLockMinutes: v.autoLockMinutes };
  };
  const auth = new AuthService({ users: store.users, audit: store.audit, now, policy, mode: () => settings.mode(), scrypt: options.scrypt });
  return {
    store,
    auth,
    settings,
    credentials: new CredentialStore(options.safeStorage, store.settings, options.platform ?? process.platform),
    codes: options.codes ?? createCodeCatalog(),
    sync: new SyncHost(options.sync ?? createOutboxStatusController(store.outbox, () => settings.mode())),
    inFlight: new InFlight(),
    checkConnection:
      options.checkConnection ??
      (async () => ({ ok: false, kind: 'needs_person', code: 'endpoint_misconfigured', reason: 'No registry connection is available in this build.' })),
    onModeChange: options.onModeChange ?? (async () => {}),
    now,
    today: () => localIsoDate(now()),
    info: options.info,
    logError: options.logError ?? ((context, err) => console.error(`[dosedesk] ${context}:`, err)),
  };
}
