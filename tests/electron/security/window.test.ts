import { FuseV1Options } from '@electron/fuses';
import { CONTENT_SECURITY_POLICY, CSP_DIRECTIVES, SECURITY_HEADERS, respondWithSecurityHeaders, withSecurityHeaders } from '../../../electron/security/csp';
import { RELEASE_FUSES } from '../../../electron/security/fuses';
import { isAllowedRequest, isSafeExternalUrl } from '../../../electron/security/requests';
import type { BrowserWindowConstructorOptions } from 'electron';
import { APP_ENTRY_URL, createMainWindow, denyAllPermissions, hardenWebContents, type SessionLike, type WebContentsLike } from '../../../electron/security/window';

/** Stands in for Electron's BrowserWindow: keeps the options it was built with. */
class RecordingWindow {
  constructor(readonly options: BrowserWindowConstructorOptions) {}
}

describe('window options', () => {
  it('isolate and sandbox the renderer with no Node and no webview', () => {
    const prefs = createMainWindow(RecordingWindow, '/app/preload.cjs', { isPackaged: true }).options.webPreferences;
    expect(prefs).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      disableBlinkFeatures: 'Auxclick',
    });
    expect(prefs).not.toHaveProperty('enableBlinkFeatures');
  });

  it('release builds have no developer tools', () => {
    expect(createMainWindow(RecordingWindow, '/p.cjs', { isPackaged: true }).options.webPreferences?.devTools).toBe(false);
    expect(createMainWindow(RecordingWindow, '/p.cjs', { isPackaged: false }).options.webPreferences?.devTools).toBe(true);
    expect(createMainWindow(RecordingWindow, '/p.cjs', { isPackaged: true }).options.show).toBe(false);
  });

  it('the UI is loaded from app://dosedesk', () => {
    expect(APP_ENTRY_URL).toBe('app://dosedesk/index.html');
  });
});

describe('Content-Security-Policy', () => {
  it('is the strict policy: self only, no network, no plugins, no framing, no forms', () => {
    for (const part of [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self' data:",
      "connect-src 'none'",
      "object-src 'none'",
      "frame-ancestors 'none'",
      "base-uri 'none'",
      "form-action 'none'",
    ]) {
      expect(CONTENT_SECURITY_POLICY).toContain(part);
    }
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|\*|https?:/);
    expect(Object.keys(CSP_DIRECTIVES)).toContain('frame-src');
  });

  it('replaces any policy a response brought, whatever the header case', () => {
    const out = withSecurityHeaders({ 'content-security-policy': ["default-src *"], 'X-Other': 'kept' });
    expect(out['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY]);
    expect(out['content-security-policy']).toBeUndefined();
    expect(out['X-Other']).toEqual(['kept']);
    expect(out['X-Content-Type-Options']).toEqual(['nosniff']);
    expect(SECURITY_HEADERS['Cache-Control']).toBe('no-store');
  });

  it('the header callback sends exactly the same policy', () => {
    let sent: Record<string, string[]> = {};
    respondWithSecurityHeaders({ responseHeaders: { 'Content-Security-Policy': ['default-src *'], Server: 'x' } }, (r) => (sent = r.responseHeaders));
    expect(sent['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY]);
    expect(sent.Server).toEqual(['x']);
  });
});

function fakeContents() {
  const listeners = new Map<string, (event: { preventDefault(): void; url?: string }, url?: string) => void>();
  let openHandler: ((d: { url: string }) => { action: 'deny' }) | undefined;
  const contents: WebContentsLike = {
    on(event: string, listener: (event: { preventDefault(): void; url?: string }, url?: string) => void) {
      listeners.set(event, listener);
      return contents;
    },
    setWindowOpenHandler(handler) {
      openHandler = handler;
    },
  } as WebContentsLike;
  return { contents, listeners, open: (url: string) => openHandler!({ url }) };
}

describe('navigation and new windows', () => {
  it.each(['will-navigate', 'will-frame-navigate', 'will-redirect'])('%s is prevented and reported', (eventName) => {
    const { contents, listeners } = fakeContents();
    const blocked: [string, string][] = [];
    hardenWebContents(contents, (url, how) => blocked.push([url, how]));
    let prevented = false;
    listeners.get(eventName)!({ preventDefault: () => (prevented = true) }, 'https://evil.example/');
    expect(prevented).toBe(true);
    expect(blocked[0]![0]).toBe('https://evil.example/');
  });

  it('<webview> attachment is prevented', () => {
    const { contents, listeners } = fakeContents();
    hardenWebContents(contents);
    let prevented = false;
    listeners.get('will-attach-webview')!({ preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
  });

  it('window.open is always denied, the URL is handed on', () => {
    const { contents, open } = fakeContents();
    const blocked: string[] = [];
    hardenWebContents(contents, (url) => blocked.push(url));
    expect(open('https://www.cdc.gov/vaccines/hcp/current-vis/')).toEqual({ action: 'deny' });
    expect(open('app://dosedesk/other')).toEqual({ action: 'deny' });
    expect(blocked).toHaveLength(2);
  });

  it('only https links to public-health sites may go to the system browser', () => {
    expect(isSafeExternalUrl('https://www.cdc.gov/vaccines/hcp/current-vis/hepatitis-b.html')).toBe(true);
    expect(isSafeExternalUrl('https://resourcecenter.miis.dph.mass.gov/')).toBe(true);
    for (const bad of ['http://www.cdc.gov/', 'https://cdc.gov.evil.example/', 'https://evilcdc.gov/', 'file:///etc/passwd', 'javascript:alert(1)', 'https://user:pw@www.cdc.gov/', 'smb://share/x']) {
      expect(isSafeExternalUrl(bad), bad).toBe(false);
    }
  });

  it('the session loads nothing but app:// (no remote content)', () => {
    expect(isAllowedRequest('app://dosedesk/assets/index.js')).toBe(true);
    for (const bad of ['https://cdn.example/x.js', 'http://127.0.0.1:8080/', 'file:///etc/passwd', 'ws://x', 'garbage']) expect(isAllowedRequest(bad), bad).toBe(false);
  });
});

describe('permissions', () => {
  it('every permission request and check is denied, downloads are cancelled', () => {
    let request: ((wc: unknown, permission: string, cb: (granted: boolean) => void) => void) | undefined;
    let check: ((wc: unknown, permission: string) => boolean) | undefined;
    let device: (() => boolean) | undefined;
    let download: ((e: { preventDefault(): void }) => void) | undefined;
    const session: SessionLike = {
      setPermissionRequestHandler: (h) => (request = h),
      setPermissionCheckHandler: (h) => (check = h),
      setDevicePermissionHandler: (h) => (device = h),
      on: (_event, listener) => (download = listener),
    };
    const denied: string[] = [];
    denyAllPermissions(session, (p) => denied.push(p));
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'hid', 'serial', 'usb', 'openExternal']) {
      let granted: boolean | undefined;
      request!({}, permission, (g) => (granted = g));
      expect(granted, permission).toBe(false);
      expect(check!({}, permission)).toBe(false);
    }
    expect(device!()).toBe(false);
    expect(denied).toContain('media');
    let prevented = false;
    download!({ preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
  });
});

describe('release fuses', () => {
  it('close RunAsNode, NODE_OPTIONS and --inspect; encrypt cookies; enforce ASAR integrity', () => {
    expect(RELEASE_FUSES.strictlyRequireAllFuses).toBe(true);
    expect(RELEASE_FUSES[FuseV1Options.RunAsNode]).toBe(false);
    expect(RELEASE_FUSES[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(false);
    expect(RELEASE_FUSES[FuseV1Options.EnableNodeCliInspectArguments]).toBe(false);
    expect(RELEASE_FUSES[FuseV1Options.EnableCookieEncryption]).toBe(true);
    expect(RELEASE_FUSES[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(true);
    expect(RELEASE_FUSES[FuseV1Options.OnlyLoadAppFromAsar]).toBe(true);
    expect(RELEASE_FUSES[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(false);
    // Every fuse the installed @electron/fuses knows is set explicitly.
    const known = Object.values(FuseV1Options).filter((v) => typeof v === 'number');
    for (const fuse of known) expect(RELEASE_FUSES).toHaveProperty(String(fuse));
  });
});
