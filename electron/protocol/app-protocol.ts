import { readFile } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import { APP_HOST, APP_SCHEME } from '../api/channels';
import { SECURITY_HEADERS } from '../security/csp';

// The UI is served from `app://dosedesk/…` out of the built renderer folder, never from
// file:// or the network. The path guard is a pure function so it can be tested without
// Electron: only GET/HEAD, only our host, only files inside the root.

export type Resolution = { ok: true; filePath: string } | { ok: false; status: 400 | 403 | 404 | 405 };

const MIME: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

export function contentTypeFor(filePath: string): string | undefined {
  return MIME[extname(filePath).toLowerCase()];
}

/**
 * Maps a request to a file under `root`, or says why not. Paths without an extension are
 * client-side routes and get `index.html`.
 */
export function resolveAppRequest(root: string, method: string, rawUrl: string): Resolution {
  if (method !== 'GET' && method !== 'HEAD') return { ok: false, status: 405 };
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return { ok: false, status: 400 };
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST || url.username || url.password || url.port) return { ok: false, status: 403 };
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return { ok: false, status: 400 };
  }
  // NUL bytes, backslashes (Windows separators) and drive letters never belong in a UI path.
  if (pathname.includes('\0') || pathname.includes('\\') || /^\/?[a-zA-Z]:/.test(pathname.slice(1))) return { ok: false, status: 403 };
  const segments = pathname.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '..' || s === '.')) return { ok: false, status: 403 };
  let relativePath = segments.join('/');
  if (relativePath === '' || extname(relativePath) === '') relativePath = 'index.html';
  const base = resolve(root);
  const filePath = resolve(base, relativePath);
  const rel = relative(base, filePath);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel) || !filePath.startsWith(base + sep)) return { ok: false, status: 403 };
  if (!contentTypeFor(filePath)) return { ok: false, status: 404 };
  return { ok: true, filePath };
}

export type ReadAppFile = (filePath: string) => Promise<Uint8Array>;

/** The handler for `protocol.handle('app', …)`: a Fetch API Request in, a Response out. */
export function createAppProtocolHandler(root: string, read: ReadAppFile = (p) => readFile(p)): (request: Request) => Promise<Response> {
  return async (request) => {
    const resolved = resolveAppRequest(root, request.method, request.url);
    if (!resolved.ok) return new Response(null, { status: resolved.status, headers: SECURITY_HEADERS });
    try {
      const body = await read(resolved.filePath);
      const headers = { ...SECURITY_HEADERS, 'Content-Type': contentTypeFor(resolved.filePath) ?? 'application/octet-stream' };
      return new Response(request.method === 'HEAD' ? null : (body as BodyInit), { status: 200, headers });
    } catch {
      return new Response(null, { status: 404, headers: SECURITY_HEADERS });
    }
  };
}

/** For `protocol.registerSchemesAsPrivileged` before the app is ready. */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: false, stream: false, bypassCSP: false },
} as const;
