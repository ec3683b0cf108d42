// The Content-Security-Policy of every page DoseDesk shows. The renderer talks to nothing
// but the preload bridge: no network (connect-src 'none'), no inline or eval'd script, no
// plugins, no framing, no forms posting anywhere.

export const CSP_DIRECTIVES: Readonly<Record<string, string>> = {
  'default-src': "'self'",
  'script-src': "'self'",
  'style-src': "'self'",
  'img-src': "'self' data:",
  'font-src': "'self'",
  'connect-src': "'none'",
  'object-src': "'none'",
  'frame-src': "'none'",
  'worker-src': "'none'",
  'frame-ancestors': "'none'",
  'base-uri': "'none'",
  'form-action': "'none'",
};

export const CONTENT_SECURITY_POLICY = Object.entries(CSP_DIRECTIVES)
  .map(([k, v]) => `${k} ${v}`)
  .join('; ');

/** Headers sent with every response of the app:// protocol. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

type HeaderMap = Record<string, string[] | string>;

/**
 * For session.webRequest.onHeadersReceived: replaces any CSP a response brought with ours. The
 * policy is repeated here as a literal so that electronegativity's CSP check can read and grade
 * it; a test pins it to CONTENT_SECURITY_POLICY.
 */
export function respondWithSecurityHeaders(
  details: { responseHeaders?: HeaderMap },
  callback: (response: { responseHeaders: Record<string, string[]> }) => void,
): void {
  callback({
    responseHeaders: {
      ...withSecurityHeaders(details.responseHeaders),
      'Content-Security-Policy': [
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'none'; object-src 'none'; frame-src 'none'; worker-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
      ],
    },
  });
}

/** Security headers merged into a response's own, ours winning whatever the header case. */
export function withSecurityHeaders(headers: HeaderMap | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (Object.keys(SECURITY_HEADERS).some((h) => h.toLowerCase() === name.toLowerCase())) continue;
    out[name] = Array.isArray(value) ? value : [value];
  }
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) out[name] = [value];
  return out;
}
