import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../../../electron/security/csp';
import { createAppProtocolHandler, resolveAppRequest } from '../../../electron/protocol/app-protocol';

const ROOT = join(sep, 'opt', 'dosedesk', 'dist-renderer');

describe('app:// path guard', () => {
  it.each([
    ['app://dosedesk/', 'index.html'],
    ['app://dosedesk/index.html', 'index.html'],
    ['app://dosedesk/assets/index-abc.js', join('assets', 'index-abc.js')],
    ['app://dosedesk/patients/123', 'index.html'],
    ['app://dosedesk/assets/a%20b.css', join('assets', 'a b.css')],
    ['app://dosedesk/assets/index.js?v=1#x', join('assets', 'index.js')],
  ])('%s → %s', (url, file) => {
    expect(resolveAppRequest(ROOT, 'GET', url)).toEqual({ ok: true, filePath: join(ROOT, file) });
  });

  it.each(['app://dosedesk/../secret.js', 'app://dosedesk/%2e%2e/%2e%2e/etc/passwd.txt', 'app://dosedesk/./../../x.js'])(
    '%s: the URL parser folds the dots, the result stays inside the root',
    (url) => {
      const r = resolveAppRequest(ROOT, 'GET', url);
      expect(!r.ok || r.filePath.startsWith(ROOT + sep)).toBe(true);
    },
  );

  it.each([
    ['app://dosedesk/assets/..%2f..%2f..%2fetc/passwd.txt', 403],
    ['app://dosedesk/assets/%2e%2e%5c%2e%2e%5cwindows%5cwin.ini.txt', 403],
    ['app://dosedesk/..%5c..%5cboot.ini.txt', 403],
    ['app://dosedesk/C:/Windows/win.ini.txt', 403],
    ['app://dosedesk/index.html%00.js', 403],
    ['app://dosedesk/%E0%A4%A.js', 400],
    ['app://evil/index.html', 403],
    ['app://user:pw@dosedesk/index.html', 403],
    ['app://dosedesk:444/index.html', 403],
    ['https://dosedesk/index.html', 403],
    ['app://dosedesk/database.sqlite3', 404],
  ] as const)('%s → %i', (url, status) => {
    expect(resolveAppRequest(ROOT, 'GET', url)).toEqual({ ok: false, status });
  });

  it('only GET and HEAD', () => {
    expect(resolveAppRequest(ROOT, 'POST', 'app://dosedesk/index.html')).toEqual({ ok: false, status: 405 });
    expect(resolveAppRequest(ROOT, 'HEAD', 'app://dosedesk/index.html').ok).toBe(true);
  });
});

describe('app:// handler', () => {
  it('serves files from the root with the CSP and a content type, and nothing outside it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dosedesk-proto-'));
    try {
      const root = join(dir, 'dist-renderer');
      mkdirSync(join(root, 'assets'), { recursive: true });
      writeFileSync(join(root, 'index.html'), '<!doctype html><title>DoseDesk</title>');
      writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
      writeFileSync(join(dir, 'secret.txt'), 'PHI');
      const handle = createAppProtocolHandler(root);

      const page = await handle(new Request('app://dosedesk/'));
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(await page.text()).toContain('DoseDesk');

      const js = await handle(new Request('app://dosedesk/assets/app.js'));
      expect(js.headers.get('content-type')).toMatch(/javascript/);

      const escape = await handle(new Request('app://dosedesk/assets/..%2f..%2fsecret.txt'));
      expect(escape.status).toBe(403);
      expect(await escape.text()).toBe('');
      expect((await handle(new Request('app://dosedesk/missing.js'))).status).toBe(404);
      expect((await handle(new Request('app://dosedesk/index.html', { method: 'POST', body: 'x' }))).status).toBe(405);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
