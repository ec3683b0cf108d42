import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, DEFAULT_SETTINGS, defaultConfigPath, loadConfig, parseConfig } from '../../../electron/services/config';
import { ADMIN_PASSWORD, makeApp } from '../fixtures/app';

const FILE = '/etc/dosedesk/config.json';

function problemsOf(text: string): string[] {
  try {
    parseConfig(FILE, text);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.map((p) => `${err.path}: ${p}`);
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('machine configuration file', () => {
  it('lives where IT expects it on each OS, or where DOSEDESK_CONFIG says', () => {
    expect(defaultConfigPath('linux', {})).toBe('/etc/dosedesk/config.json');
    expect(defaultConfigPath('darwin', {})).toBe('/Library/Application Support/DoseDesk/config.json');
    expect(defaultConfigPath('win32', { ProgramData: 'D:\\ProgramData' })).toMatch(/^D:\\ProgramData[\\/]DoseDesk[\\/]config\.json$/);
    expect(defaultConfigPath('linux', { DOSEDESK_CONFIG: '/tmp/x.json' })).toBe('/tmp/x.json');
  });

  it('a missing file means defaults and training mode', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dosedesk-config-'));
    try {
      const c = loadConfig(join(dir, 'nope.json'));
      expect(c).toMatchObject({ found: false, fixed: {}, allowUserOverride: [] });
      expect(c.mode).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads a full file IT deployed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dosedesk-config-'));
    const path = join(dir, 'config.json');
    writeFileSync(
      path,
      '\uFEFF' +
        JSON.stringify({
          mode: 'production',
          site: { name: 'Harbor Pediatrics', address: { street1: '5 Pier Rd', city: 'Salem', state: 'ma', zip: '01970' } },
          registry: { preset: 'massachusetts', endpointUrl: 'https://miis.example.org/CDCService', vaccinePin: 'PIN-123', facilityId: 'FAC9' },
          autoLockMinutes: 5,
          lockout: { maxAttempts: 4, minutes: 30 },
          updateChannel: 'off',
          updateFeedUrl: 'https://updates.harbor.example/dosedesk/',
          allowUserOverride: ['ui.theme', 'ui.theme', 'ui.textScale'],
        }),
    );
    try {
      const c = loadConfig(path);
      expect(c.found).toBe(true);
      expect(c.mode).toBe('production');
      expect(c.fixed).toMatchObject({ 'site.state': 'MA', 'registry.vaccinePin': 'PIN-123', autoLockMinutes: 5, 'lockout.maxAttempts': 4, updateChannel: 'off' });
      expect(c.allowUserOverride).toEqual(['ui.theme', 'ui.textScale']);
      expect(c.updateFeedUrl).toBe('https://updates.harbor.example/dosedesk/');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    ['{ "registry": { "endpointUrl": "http://miis.example.org/x" } }', `${FILE}: registry.endpointUrl must be an https URL`],
    ['{ "registry": { "endpointUrl": "not a url" } }', `${FILE}: registry.endpointUrl must be an https URL`],
    ['{ "autoLockMinutes": "ten" }', `${FILE}: autoLockMinutes is invalid`],
    ['{ "autoLockMinutes": 9999 }', `${FILE}: autoLockMinutes is invalid`],
    ['{ "mode": "live" }', `${FILE}: mode must be "training" or "production"`],
    ['{ "registy": {} }', `${FILE}: registy is not a known setting`],
    ['{ "registry": { "pin": "x" } }', `${FILE}: registry.pin is not a known setting`],
    ['{ "allowUserOverride": ["registry.endpointUrl", "password"] }', `${FILE}: allowUserOverride.0 may list only autoLockMinutes, ui.theme, ui.textScale`],
    ['{ "registry": { "vaccinePin": "has spaces" } }', `${FILE}: registry.vaccinePin must be the Vaccine PIN`],
    ['{ "mode": "production" }', `${FILE}: registry.endpointUrl is required when mode is "production"`],
    ['{ "registry": ', `${FILE}: is not valid JSON`],
    ['{ "updateFeedUrl": "http://updates.example/dosedesk/" }', `${FILE}: updateFeedUrl must be an https URL`],
  ])('%s → names the file and the field', (text, expected) => {
    const problems = problemsOf(text);
    expect(problems.some((p) => p.startsWith(expected)), problems.join('\n')).toBe(true);
  });

  it('a file that exists but cannot be read is an error naming it', () => {
    const read = () => {
      throw Object.assign(new Error('denied'), { code: 'EACCES' });
    };
    expect(() => loadConfig(FILE, read)).toThrow(`${FILE}: cannot be read (EACCES)`);
  });
});

describe('effective settings', () => {
  it('defaults < administrator in the app < IT file < user (where allowed)', async () => {
    const app = makeApp({ configText: JSON.stringify({ autoLockMinutes: 7, registry: { vaccinePin: 'PIN-1' }, allowUserOverride: ['ui.theme'] }) });
    try {
      await app.ok('auth.createFirstAdmin', { username: 'admin', displayName: 'Ada', password: ADMIN_PASSWORD });
      let view = await app.ok('settings.get', {});
      expect(view.values.autoLockMinutes).toBe(7);
      expect(view.sources).toMatchObject({ autoLockMinutes: 'machine', 'ui.theme': 'default', 'site.name': 'default' });
      expect(view.siteEditable).not.toContain('autoLockMinutes');
      expect(view.userEditable).toEqual(['ui.theme']);
      expect(view.configFile.found).toBe(true);

      view = await app.ok('settings.update', { scope: 'site', values: { 'site.name': 'Harbor Pediatrics', 'ui.theme': 'light' } });
      expect(view.values).toMatchObject({ 'site.name': 'Harbor Pediatrics', 'ui.theme': 'light' });
      expect(view.sources['site.name']).toBe('site');

      view = await app.ok('settings.update', { scope: 'user', values: { 'ui.theme': 'dark' } });
      expect(view.values['ui.theme']).toBe('dark');
      expect(view.sources['ui.theme']).toBe('user');

      const fixed = await app.call('settings.update', { scope: 'site', values: { autoLockMinutes: 60 } });
      expect(fixed.ok ? 'ok' : fixed.error).toMatchObject({ kind: 'forbidden', code: 'settings.not_editable' });
      const notAllowed = await app.call('settings.update', { scope: 'user', values: { 'registry.endpointUrl': 'https://x.example' } });
      expect(notAllowed.ok ? 'ok' : notAllowed.error.kind).toBe('forbidden');
      expect(app.services.settings.effective().values.autoLockMinutes).toBe(7);
    } finally {
      app.done();
    }
  });

  it('an administrator cannot set a plain-http registry address', async () => {
    const app = makeApp();
    try {
      await app.ok('auth.createFirstAdmin', { username: 'admin', displayName: 'Ada', password: ADMIN_PASSWORD });
      const r = await app.call('settings.update', { scope: 'site', values: { 'registry.endpointUrl': 'http://miis.example.org/CDCService' } });
      expect(r.ok ? 'ok' : r.error.issues?.[0]?.path).toBe('settings.registry.endpointUrl');
      expect(app.services.settings.effective().values['registry.endpointUrl']).toBe(DEFAULT_SETTINGS['registry.endpointUrl']);
    } finally {
      app.done();
    }
  });
});
