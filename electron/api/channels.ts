// IPC channel names shared by main and the preload. Kept free of zod and Node so the sandboxed
// preload bundle stays tiny: it needs the names, never the schemas.

/** Prefix of every request channel; one channel per contract method (`dosedesk:patients.search`). */
export const METHOD_CHANNEL_PREFIX = 'dosedesk:';

export function methodChannel(method: string): string {
  return `${METHOD_CHANNEL_PREFIX}${method}`;
}

/** Main → renderer pushes. Each carries one discriminated event object. */
export const EVENT_CHANNELS = {
  sync: 'dosedesk:event:sync',
  session: 'dosedesk:event:session',
} as const;

/** The only origin the UI is served from (custom protocol, see electron/protocol/). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'dosedesk';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
