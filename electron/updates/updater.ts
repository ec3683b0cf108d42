import { feedFor, mayRestartForUpdate, type FeedOptions, type RestartBlockers, type UpdateSource } from './update-policy';

// Drives electron-updater (passed in, so tests use a fake and no Electron loads). Downloads in
// the background; electron-updater verifies the SHA-512 from the feed and, on Windows, the
// installer's Authenticode publisher (verifyUpdateCodeSignature); macOS's Squirrel checks the
// code signature. The pending outbox survives because the database lives outside the install
// folder and migrations run on the next start.

/** The subset of electron-updater's AppUpdater this module uses. */
export interface UpdaterLike {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  allowPrerelease: boolean;
  allowDowngrade: boolean;
  channel: string | null;
  setFeedURL(options: FeedOptions): void;
  checkForUpdates(): Promise<unknown>;
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void;
  on(event: 'update-downloaded', listener: (info: { version: string }) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

export interface UpdateControllerOptions {
  updater: UpdaterLike;
  source: UpdateSource;
  blockers: () => RestartBlockers;
  log: (line: string) => void;
  /** How often to retry a deferred restart (ms). */
  retryMs?: number;
  setTimer?: (fn: () => void, ms: number) => { unref?: () => void } | number;
}

export type UpdateState =
  | { state: 'disabled'; reason: string }
  | { state: 'idle' }
  | { state: 'downloaded'; version: string; waitingFor?: string }
  | { state: 'error'; message: string };

export function createUpdateController(opts: UpdateControllerOptions) {
  const decision = feedFor(opts.source);
  let state: UpdateState = decision.enabled ? { state: 'idle' } : { state: 'disabled', reason: decision.reason };
  const setTimer = opts.setTimer ?? ((fn: () => void, ms: number) => setTimeout(fn, ms));
  const retryMs = opts.retryMs ?? 60_000;

  function tryInstall(version: string): void {
    const verdict = mayRestartForUpdate(opts.blockers());
    if (verdict.ok) {
      opts.log(`Installing update ${version} and restarting.`);
      opts.updater.quitAndInstall(true, true);
      return;
    }
    state = { state: 'downloaded', version, waitingFor: verdict.reason };
    const t = setTimer(() => tryInstall(version), retryMs);
    if (typeof t === 'object') t.unref?.();
  }

  if (decision.enabled) {
    const u = opts.updater;
    u.autoDownload = true;
    // Whatever happens to the deferred restart, a normal quit installs the update.
    u.autoInstallOnAppQuit = true;
    u.allowPrerelease = decision.allowPrerelease;
    u.allowDowngrade = false;
    u.channel = decision.feed.channel;
    u.setFeedURL({ ...decision.feed });
    u.on('update-downloaded', (info) => tryInstall(info.version));
    u.on('error', (error) => {
      state = { state: 'error', message: error.message };
      opts.log(`Update check failed: ${error.message}`);
    });
  }

  return {
    state: (): UpdateState => state,
    async check(): Promise<void> {
      if (!decision.enabled) return;
      try {
        await opts.updater.checkForUpdates();
      } catch (err) {
        state = { state: 'error', message: (err as Error).message };
        opts.log(`Update check failed: ${(err as Error).message}`);
      }
    },
  };
}
