import { APP_SCHEME } from '../api/channels';

// What the app's own session may load. The UI comes from app:// only; nothing remote is ever
// fetched into a window (the registry is reached from the main process, not the renderer).

const ALLOWED_SCHEMES = new Set([`${APP_SCHEME}:`, 'devtools:', 'data:']);

export function isAllowedRequest(rawUrl: string): boolean {
  try {
    return ALLOWED_SCHEMES.has(new URL(rawUrl).protocol);
  } catch {
    return false;
  }
}

/** Public health sites whose links (VIS sheets, MIIS help) may open in the system browser. */
const EXTERNAL_HOSTS = ['cdc.gov', 'mass.gov', 'miis.dph.mass.gov', 'contactmiis.info'];

export function isSafeExternalUrl(rawUrl: string): boolean {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:' || url.username || url.password || url.port) return false;
  const host = url.hostname.toLowerCase();
  return EXTERNAL_HOSTS.some((allowed) => host === allowed || host.endsWith(`.${allowed}`));
}
