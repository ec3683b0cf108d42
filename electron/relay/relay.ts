import type { ApiError, Result } from '../api';
import { parseFromBackend, type BackendInit, type BackendState, type FromBackend, type ReadyInfo } from '../backend/protocol';

// Main's side of the backend process: forwards each call with an id, answers each caller with
// the backend's own answer, and pushes backend events on. It knows no method: whatever the
// contract lists flows through. It pings the backend; a hung one is killed. A dead backend is
// restarted (at most `maxRestarts` times within `restartWindowMs`, then main shows its screen),
// and every call that was sent to it and not answered gets `backend.not_confirmed`: the change
// may or may not have been committed, so it is never reported as saved.

/** The process, as the relay sees it (Electron's UtilityProcess or a Node ChildProcess, adapted). */
export interface BackendChild {
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  onExit(listener: (code: number | null) => void): void;
  /** Ends it at once (SIGKILL). */
  kill(): void;
}

export interface RelayOptions {
  spawn: () => BackendChild;
  init: BackendInit;
  onEvent: (channel: 'sync' | 'session', event: unknown, sessionId?: string) => void;
  /** The backend stopped for good (restarts used up, or it could not start): main shows its screen. */
  onGiveUp: (title: string, message: string) => void;
  /** Told about each restart (main logs it; windows learn their session ended). */
  onRestart?: (reason: string) => void;
  /** `--check-config`: the backend's exit code. */
  onExitCode?: (code: number) => void;
  pingEveryMs?: number;
  pingTimeoutMs?: number;
  maxRestarts?: number;
  restartWindowMs?: number;
  /** How long quit waits for the backend to close the database before killing it. */
  stopTimeoutMs?: number;
  now?: () => number;
  log?: (line: string) => void;
}

export const NOT_CONFIRMED: ApiError = {
  kind: 'store',
  message: 'Not saved — check the chart. DoseDesk stopped before it could confirm this change; look at the chart before entering it again.',
  code: 'backend.not_confirmed',
};
const UNAVAILABLE: ApiError = { kind: 'internal', message: 'DoseDesk cannot reach its data right now. Nothing was changed.', code: 'backend.unavailable' };
const CLOSING: ApiError = { kind: 'internal', message: 'DoseDesk is closing; nothing was changed.', code: 'app.closing' };

interface Pending {
  resolve: (result: Result<unknown>) => void;
  message: { type: 'call'; id: number; method: string; payload: unknown; sessionId: string };
}

type Phase = 'idle' | 'starting' | 'ready' | 'failed' | 'stopping' | 'stopped';

export class BackendRelay {
  private child?: BackendChild;
  private phase: Phase = 'idle';
  private nextId = 1;
  /** Sent to the current child, not yet answered. */
  private readonly sent = new Map<number, Pending>();
  /** Not sent yet: waiting for the (re)started backend to say it is ready. */
  private readonly queued: Pending[] = [];
  private readonly restarts: number[] = [];
  private ping?: { id: number; at: number };
  private timer?: ReturnType<typeof setInterval>;
  private readyWaiters: { resolve: (info: ReadyInfo) => void; reject: (err: Error) => void }[] = [];
  private stoppedWaiter?: () => void;
  private lastState: BackendState = { formOpen: false, savesInFlight: 0, sending: 0 };
  ready?: ReadyInfo;

  constructor(private readonly options: RelayOptions) {}

  private get now(): number {
    return (this.options.now ?? Date.now)();
  }

  private log(line: string): void {
    (this.options.log ?? ((l) => console.warn(`[dosedesk relay] ${l}`)))(line);
  }

  /** Starts the backend; resolves when it answered `ready`, rejects when it gave up. */
  start(): Promise<ReadyInfo> {
    const waiting = new Promise<ReadyInfo>((resolve, reject) => this.readyWaiters.push({ resolve, reject }));
    if (this.phase === 'idle') {
      this.spawn();
      const every = this.options.pingEveryMs ?? 2_000;
      this.timer = setInterval(() => this.tick(), every);
      this.timer.unref?.();
    }
    return waiting;
  }

  /** Calls in progress (sent or waiting to be sent); quit and updates wait for them. */
  get inFlight(): number {
    return this.sent.size + this.queued.length;
  }

  /** The backend's last report (open forms, saves in flight, sending). */
  get state(): BackendState {
    return { ...this.lastState, savesInFlight: Math.max(this.lastState.savesInFlight, this.inFlight) };
  }

  call(method: string, payload: unknown, sessionId: string): Promise<Result<unknown>> {
    if (this.phase === 'failed') return Promise.resolve({ ok: false, error: UNAVAILABLE });
    if (this.phase === 'stopping' || this.phase === 'stopped') return Promise.resolve({ ok: false, error: CLOSING });
    return new Promise((resolve) => {
      const pending: Pending = { resolve, message: { type: 'call', id: this.nextId++, method, payload, sessionId } };
      if (this.phase === 'ready') this.sendCall(pending);
      else this.queued.push(pending);
    });
  }

  endSession(sessionId: string): void {
    if (this.phase === 'ready') this.post({ type: 'session-ended', sessionId });
  }

  /** Quit: refuses new calls, waits for the answers of calls in progress, then stops the backend. */
  async stop(): Promise<void> {
    if (this.phase === 'stopped' || this.phase === 'stopping') return;
    const wasReady = this.phase === 'ready';
    this.phase = 'stopping';
    for (const p of this.queued.splice(0)) p.resolve({ ok: false, error: CLOSING });
    clearInterval(this.timer);
    if (!this.child) {
      this.phase = 'stopped';
      return;
    }
    await this.settled();
    const child = this.child;
    await new Promise<void>((resolve) => {
      this.stoppedWaiter = resolve;
      const killer = setTimeout(() => {
        this.log('the backend did not stop in time; ending it');
        child.kill();
      }, this.options.stopTimeoutMs ?? 10_000);
      killer.unref?.();
      if (wasReady) this.post({ type: 'stop' });
      else child.kill();
    });
    this.phase = 'stopped';
  }

  private settled(): Promise<void> {
    if (this.sent.size === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const check = setInterval(() => {
        if (this.sent.size === 0 || !this.child) {
          clearInterval(check);
          resolve();
        }
      }, 10);
    });
  }

  private sendCall(pending: Pending): void {
    this.sent.set(pending.message.id, pending);
    this.post(pending.message);
  }

  private post(message: unknown): void {
    try {
      this.child?.send(message);
    } catch (err) {
      this.log(`could not write to the backend: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private spawn(): void {
    this.phase = 'starting';
    this.ping = undefined;
    const child = this.options.spawn();
    this.child = child;
    child.onMessage((raw) => {
      if (this.child === child) this.receive(raw);
    });
    child.onExit((code) => {
      if (this.child === child) this.exited(code);
    });
    this.post({ type: 'init', init: this.options.init });
  }

  private receive(raw: unknown): void {
    const message = parseFromBackend(raw);
    if (!message) {
      this.log('dropped a message from the backend that is not part of the protocol');
      return;
    }
    this.handle(message);
  }

  private handle(message: FromBackend): void {
    switch (message.type) {
      case 'ready':
        if (this.phase !== 'starting') return;
        this.phase = 'ready';
        this.ready = message.info;
        for (const w of this.readyWaiters.splice(0)) w.resolve(message.info);
        for (const p of this.queued.splice(0)) this.sendCall(p);
        return;
      case 'start-failed':
        this.giveUp(message.title, message.message);
        return;
      case 'result': {
        const pending = this.sent.get(message.id);
        if (!pending) return this.log(`dropped an answer to no call (${message.id})`);
        this.sent.delete(message.id);
        pending.resolve(message.result as Result<unknown>);
        return;
      }
      case 'pong':
        if (this.ping?.id === message.id) this.ping = undefined;
        this.lastState = message.state;
        return;
      case 'event':
        this.options.onEvent(message.channel, message.event, message.sessionId);
        return;
      case 'exit-code':
        this.options.onExitCode?.(message.code);
        return;
      case 'stopped':
        return;
    }
  }

  private tick(): void {
    if (this.phase !== 'ready' || !this.child) return;
    const timeout = this.options.pingTimeoutMs ?? 10_000;
    if (this.ping && this.now - this.ping.at > timeout) {
      this.log(`the backend did not answer for ${timeout} ms; restarting it`);
      this.ping = undefined;
      this.child.kill();
      return;
    }
    if (!this.ping) {
      this.ping = { id: this.nextId++, at: this.now };
      this.post({ type: 'ping', id: this.ping.id });
    }
  }

  private exited(code: number | null): void {
    this.child = undefined;
    // Sent and unanswered: the backend may or may not have committed. Never "saved".
    for (const [, p] of this.sent) p.resolve({ ok: false, error: NOT_CONFIRMED });
    this.sent.clear();
    if (this.phase === 'stopping') {
      this.stoppedWaiter?.();
      return;
    }
    if (this.phase === 'failed' || this.phase === 'stopped') return;
    const windowMs = this.options.restartWindowMs ?? 10 * 60_000;
    const now = this.now;
    while (this.restarts.length > 0 && now - (this.restarts[0] as number) > windowMs) this.restarts.shift();
    if (this.restarts.length >= (this.options.maxRestarts ?? 3)) {
      this.giveUp(
        'DoseDesk stopped working',
        `DoseDesk's data service stopped ${this.restarts.length + 1} times in ${Math.round(windowMs / 60_000)} minutes (last exit code ${code ?? 'none'}). Saved doses are safe on disk. Close DoseDesk and start it again; if this keeps happening, call IT.`,
      );
      return;
    }
    this.restarts.push(now);
    const reason = `the backend exited (code ${code ?? 'none'}); restart ${this.restarts.length}`;
    this.log(reason);
    this.options.onRestart?.(reason);
    this.spawn();
  }

  private giveUp(title: string, message: string): void {
    if (this.phase === 'failed') return;
    this.phase = 'failed';
    clearInterval(this.timer);
    for (const p of this.queued.splice(0)) p.resolve({ ok: false, error: UNAVAILABLE });
    for (const [, p] of this.sent) p.resolve({ ok: false, error: NOT_CONFIRMED });
    this.sent.clear();
    const child = this.child;
    this.child = undefined;
    child?.kill();
    for (const w of this.readyWaiters.splice(0)) w.reject(new Error(message));
    this.options.onGiveUp(title, message);
  }
}
