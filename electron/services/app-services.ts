import { AsyncLocalStorage } from 'node:async_hooks';
import type { SyncEvent, SyncStatus } from '../api';
import { localIsoDate } from '../domain/common';
import type { Store } from '../store/types';
import { AuthService, type AuthPolicy } from './auth';
import { createCodeCatalog, type CodeCatalog } from './codes';
import { ApiFailure } from './errors';
import type { MachineConfig } from './config';
import { CredentialStore, type SafeStorageLike } from './credentials';
import type { ScryptParams } from './passwords';
import type { CheckConnection } from './registry';
import { singleDatabaseModes, type ModeControl } from './mode-control';
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

/**
 * Counts handler calls in progress so that quitting waits for a save to finish, and lets one
 * call run alone (a mode switch): calls already running finish first, and calls arriving
 * meanwhile are refused rather than queued, so a save is never written to the other mode's
 * database behind the back of the person who pressed Save.
 */
export class InFlight {
  private count = 0;
  private closed = false;
  private barrier?: ApiFailure;
  private waiters: { upTo: number; wake: () => void }[] = [];
  /** Marks the async context of a tracked call, so `exclusive` does not wait for itself. */
  private readonly tracked = new AsyncLocalStorage<true>();

  /** After this, new calls are refused (the app is shutting down); calls in progress finish. */
  close(): void {
    this.closed = true;
  }

  get size(): number {
    return this.count;
  }

  async track<T>(work: () => Promise<T>): Promise<T> {
    if (this.closed) throw new ApiFailure('internal', 'DoseDesk is closing; nothing was changed.', { code: 'app.closing' });
    if (this.barrier) throw this.barrier;
    this.count += 1;
    try {
      return await this.tracked.run(true, work);
    } finally {
      this.count -= 1;
      this.wakeWaiters();
    }
  }

  /** Resolves once nothing is in flight. */
  idle(): Promise<void> {
    return this.settled(0);
  }

  /**
   * Runs `work` alone: new calls are refused with `refusal` from now on, calls in progress
   * (other than the caller's own) finish first, then `work` runs; afterwards calls are let in
   * again.
   */
  async exclusive<T>(refusal: ApiFailure, work: () => Promise<T>): Promise<T> {
    if (this.barrier) throw new ApiFailure('conflict', 'DoseDesk is already switching modes. Wait a moment and look at the mode shown on the screen.', { code: 'app.switching_mode' });
    this.barrier = refusal;
    try {
      await this.settled(this.tracked.getStore() ? 1 : 0);
      return await work();
    } finally {
      this.barrier = undefined;
    }
  }

  private settled(upTo: number): Promise<void> {
    return this.count <= upTo ? Promise.resolve() : new Promise((wake) => this.waiters.push({ upTo, wake }));
  }

  private wakeWaiters(): void {
    const ready = this.waiters.filter((w) => this.count <= w.upTo);
    this.waiters = this.waiters.filter((w) => this.count > w.upTo);
    for (const w of ready) w.wake();
  }
}

/**
 * The sync controller in use changes with the mode (training simulator or MIIS); listeners stay
 * subscribed. `detach` stops the one running (its in-flight sends finish or are aborted and go
 * back to pending in its own database) before `attach` puts the next one in place, so two
 * engines never run at once. In between, the last status is shown, as stopped.
 */
export class SyncHost implements SyncController {
  private readonly listeners = new Set<(event: SyncEvent) => void>();
  private unsubscribe: () => void;

  constructor(
    private current: SyncController,
    /** Who to call about the registry (a setting): every status carries it for the deadline warnings. */
    private readonly helpDesk: () => string | undefined = () => undefined,
  ) {
    this.unsubscribe = current.onStatus((e) => this.emit(e));
  }

  async detach(): Promise<void> {
    const previous = this.current;
    this.unsubscribe();
    this.unsubscribe = () => {};
    // Reading the status reads the database, which may be damaged or already closed (quitting):
    // stopping must not fail on that, or the app could not quit and the file would stay open.
    const before = readStatus(previous);
    await previous.stop();
    const after = readStatus(previous);
    const last = 'status' in after ? after : before;
    this.current = stoppedController('status' in last ? { ...last.status, state: 'stopped' } : last.error);
    if ('status' in last) this.emit({ type: 'status', status: this.current.status() });
  }

  attach(next: SyncController): void {
    this.unsubscribe();
    this.current = next;
    this.unsubscribe = next.onStatus((e) => this.emit(e));
    this.emit({ type: 'status', status: next.status() });
  }

  status(): SyncStatus {
    return this.withHelpDesk(this.current.status());
  }

  kick(reason: KickReason): void {
    this.current.kick(reason);
  }

  onStatus(listener: (event: SyncEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  stop(): Promise<void> {
    return this.detach();
  }

  private emit(event: SyncEvent): void {
    const out = event.type === 'status' ? { ...event, status: this.withHelpDesk(event.status) } : event;
    for (const listener of this.listeners) listener(out);
  }

  private withHelpDesk(status: SyncStatus): SyncStatus {
    let helpDesk: string | undefined;
    try {
      helpDesk = this.helpDesk();
    } catch {
      // A settings read failing (a damaged database) must not hide the reporting status.
    }
    return helpDesk ? { ...status, helpDesk } : status;
  }
}

/** Stands in while no engine runs (during a switch, after quitting): reports `status`, sends nothing. */
function stoppedController(last: unknown): SyncController {
  const status = (): SyncStatus => {
    // No status could be read (a damaged database): asking again gives the same error.
    if (!isStatus(last)) throw last;
    return last;
  };
  return { status, kick: () => {}, onStatus: () => () => {}, stop: async () => {} };
}

function isStatus(value: unknown): value is SyncStatus {
  return typeof value === 'object' && value !== null && 'state' in value && 'pending' in value;
}

function readStatus(controller: SyncController): { status: SyncStatus } | { error: unknown } {
  try {
    return { status: controller.status() };
  } catch (error) {
    return { error };
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
  /** The mode in use and the switch between the two databases. */
  modes: ModeControl;
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
  /** startApp passes its mode switcher; without one the app runs on one database and cannot switch. */
  modes?: ModeControl;
  /** startApp passes the one its mode switcher runs alone in. */
  inFlight?: InFlight;
  logError?: (context: string, err: unknown) => void;
}

export function createAppServices(options: AppServicesOptions): AppServices {
  const { store, config } = options;
  const now = options.now ?? (() => new Date());
  const modes = options.modes ?? singleDatabaseModes(config);
  const settings = new SettingsService(store.settings, config, () => modes.current());
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
    sync: new SyncHost(options.sync ?? createOutboxStatusController(store.outbox, () => settings.mode()), () => settings.effective().values['registry.helpDesk']),
    inFlight: options.inFlight ?? new InFlight(),
    checkConnection:
      options.checkConnection ??
      (async () => ({ ok: false, kind: 'needs_person', code: 'endpoint_misconfigured', reason: 'No registry connection is available in this build.' })),
    modes,
    now,
    today: () => localIsoDate(now()),
    info: options.info,
    logError: options.logError ?? ((context, err) => console.error(`[dosedesk] ${context}:`, err)),
  };
}
