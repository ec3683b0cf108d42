// Which update feed to follow and when an installed update may restart the app. Pure, so the
// rules IT relies on are tested without electron-updater or a network.

export type UpdateChannel = 'stable' | 'beta' | 'off';

export interface UpdateSource {
  channel: UpdateChannel;
  /** IT's HTTPS feed holding latest.yml/beta.yml and the signed installers. */
  feedUrl?: string;
  /** Alternatively GitHub releases (`owner/repo`). */
  github?: { owner: string; repo: string };
}

export type FeedOptions =
  | { provider: 'generic'; url: string; channel: 'latest' | 'beta' }
  | { provider: 'github'; owner: string; repo: string; channel: 'latest' | 'beta' };

export type FeedDecision = { enabled: true; feed: FeedOptions; allowPrerelease: boolean } | { enabled: false; reason: string };

export function feedFor(source: UpdateSource): FeedDecision {
  if (source.channel === 'off') return { enabled: false, reason: 'Updates are turned off by IT (updateChannel "off").' };
  const channel = source.channel === 'beta' ? 'beta' : 'latest';
  const allowPrerelease = source.channel === 'beta';
  if (source.feedUrl) {
    let url: URL;
    try {
      url = new URL(source.feedUrl);
    } catch {
      return { enabled: false, reason: `The update feed "${source.feedUrl}" is not a valid URL.` };
    }
    // The installer's signature and the feed's SHA-512 protect the payload; https keeps the
    // feed itself from being swapped on the way.
    if (url.protocol !== 'https:') return { enabled: false, reason: `The update feed ${url.origin} must use https.` };
    return { enabled: true, feed: { provider: 'generic', url: url.toString(), channel }, allowPrerelease };
  }
  if (source.github) return { enabled: true, feed: { provider: 'github', ...source.github, channel }, allowPrerelease };
  return { enabled: false, reason: 'No update feed is configured; IT installs new versions.' };
}

export interface RestartBlockers {
  /** A dose or patient form with unsaved input is open in some window. */
  formOpen: boolean;
  /** Store writes in flight (a save the nurse is waiting on). */
  savesInFlight: number;
  /** Outbox entries being sent right now (an ACK we would otherwise have to re-fetch). */
  sending: number;
}

/** Never restart under someone's hands: only when nothing is being typed, saved or sent. */
export function mayRestartForUpdate(b: RestartBlockers): { ok: true } | { ok: false; reason: string } {
  if (b.formOpen) return { ok: false, reason: 'A form is open; the update will install when it is closed or at the next quit.' };
  if (b.savesInFlight > 0) return { ok: false, reason: 'A save is in progress.' };
  if (b.sending > 0) return { ok: false, reason: 'Doses are being sent to the registry.' };
  return { ok: true };
}
