import { describe, expect, it } from 'vitest';
import { feedFor, mayRestartForUpdate } from '../../../electron/updates/update-policy';
import { createUpdateController, type UpdaterLike } from '../../../electron/updates/updater';

function fakeUpdater() {
  const listeners: Record<string, ((arg: never) => void)[]> = {};
  const calls = { feed: [] as Record<string, unknown>[], quitAndInstall: 0, checks: 0 };
  const updater: UpdaterLike = {
    autoDownload: false,
    autoInstallOnAppQuit: false,
    allowPrerelease: true,
    allowDowngrade: true,
    channel: null,
    setFeedURL: (o) => void calls.feed.push(o),
    checkForUpdates: async () => void calls.checks++,
    quitAndInstall: () => void calls.quitAndInstall++,
    on: (event: string, listener: (arg: never) => void) => ((listeners[event] ??= []).push(listener), updater),
  };
  const emit = (event: string, arg: unknown) => (listeners[event] ?? []).forEach((l) => l(arg as never));
  return { updater, calls, emit };
}

describe('update feed', () => {
  it('follows the HTTPS feed IT hosts, on the channel IT set', () => {
    expect(feedFor({ channel: 'stable', feedUrl: 'https://updates.clinic.example/dosedesk/' })).toEqual({
      enabled: true,
      feed: { provider: 'generic', url: 'https://updates.clinic.example/dosedesk/', channel: 'latest' },
      allowPrerelease: false,
    });
    const beta = feedFor({ channel: 'beta', feedUrl: 'https://updates.clinic.example/dosedesk/' });
    expect(beta.enabled && beta.feed.channel).toBe('beta');
  });

  it('can use GitHub releases instead', () => {
    const d = feedFor({ channel: 'stable', github: { owner: 'dosedesk', repo: 'dosedesk' } });
    expect(d.enabled && d.feed.provider).toBe('github');
  });

  it('is off when IT says so, when no feed is set, or when the feed is not https', () => {
    expect(feedFor({ channel: 'off', feedUrl: 'https://x.example' })).toMatchObject({ enabled: false, reason: expect.stringMatching(/turned off/) });
    expect(feedFor({ channel: 'stable' })).toMatchObject({ enabled: false });
    expect(feedFor({ channel: 'stable', feedUrl: 'http://x.example/feed' })).toMatchObject({ enabled: false, reason: expect.stringMatching(/https/) });
  });
});

describe('restart for an update', () => {
  it('never happens while a form is open, a save is in flight or doses are being sent', () => {
    expect(mayRestartForUpdate({ formOpen: true, savesInFlight: 0, sending: 0 }).ok).toBe(false);
    expect(mayRestartForUpdate({ formOpen: false, savesInFlight: 1, sending: 0 }).ok).toBe(false);
    expect(mayRestartForUpdate({ formOpen: false, savesInFlight: 0, sending: 2 }).ok).toBe(false);
    expect(mayRestartForUpdate({ formOpen: false, savesInFlight: 0, sending: 0 }).ok).toBe(true);
  });

  it('waits for the dose form to close, then installs', () => {
    const { updater, calls, emit } = fakeUpdater();
    let formOpen = true;
    const timers: (() => void)[] = [];
    const c = createUpdateController({
      updater,
      source: { channel: 'stable', feedUrl: 'https://updates.clinic.example/' },
      blockers: () => ({ formOpen, savesInFlight: 0, sending: 0 }),
      log: () => {},
      setTimer: (fn) => timers.push(fn),
    });
    expect(updater.autoInstallOnAppQuit).toBe(true);
    expect(updater.allowDowngrade).toBe(false);
    expect(calls.feed).toEqual([{ provider: 'generic', url: 'https://updates.clinic.example/', channel: 'latest' }]);

    emit('update-downloaded', { version: '0.2.0' });
    expect(calls.quitAndInstall).toBe(0);
    expect(c.state()).toMatchObject({ state: 'downloaded', version: '0.2.0', waitingFor: expect.stringMatching(/form is open/) });

    formOpen = false;
    timers.shift()?.();
    expect(calls.quitAndInstall).toBe(1);
  });

  it('does not touch the updater when updates are off', async () => {
    const { updater, calls } = fakeUpdater();
    const c = createUpdateController({ updater, source: { channel: 'off' }, blockers: () => ({ formOpen: false, savesInFlight: 0, sending: 0 }), log: () => {} });
    await c.check();
    expect(calls.checks).toBe(0);
    expect(calls.feed).toHaveLength(0);
    expect(c.state().state).toBe('disabled');
  });

  it('keeps a failed check visible instead of throwing', async () => {
    const { updater, emit } = fakeUpdater();
    const c = createUpdateController({ updater, source: { channel: 'stable', feedUrl: 'https://u.example/' }, blockers: () => ({ formOpen: false, savesInFlight: 0, sending: 0 }), log: () => {} });
    emit('error', new Error('sha512 checksum mismatch'));
    expect(c.state()).toEqual({ state: 'error', message: 'sha512 checksum mismatch' });
  });
});
