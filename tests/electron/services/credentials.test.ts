import { CredentialStore } from '../../../electron/services/credentials';
import { ApiFailure } from '../../../electron/services/errors';
import { ADMIN_PASSWORD, fakeSafeStorage, makeApp, snapshot } from '../fixtures/app';

const ACTOR = { userId: 'admin-1' };
const SECRET = 'Miis-Pa55word!';

describe('MIIS credentials', () => {
  it('are stored only as safeStorage ciphertext and read back', () => {
    const app = makeApp();
    try {
      const creds = new CredentialStore(fakeSafeStorage(), app.store.settings, 'linux');
      creds.save({ username: 'clinic-user', password: SECRET }, ACTOR);
      expect(snapshot(app.path)).not.toContain(SECRET);
      expect(creds.status()).toMatchObject({ stored: true, username: 'clinic-user', protectionAvailable: true, backend: 'gnome_libsecret' });
      expect(creds.load()).toEqual({ username: 'clinic-user', password: SECRET });
    } finally {
      app.done();
    }
  });

  it.each([
    ['no encryption at all', { available: false }],
    ["Linux's basic_text backend (a fixed key)", { backend: 'basic_text' }],
    ['an unknown Linux backend', { backend: 'unknown' }],
  ])('refuses to store with %s', (_label, opts) => {
    const app = makeApp();
    try {
      const creds = new CredentialStore(fakeSafeStorage(opts), app.store.settings, 'linux');
      const before = snapshot(app.path);
      expect(() => creds.save({ username: 'u', password: SECRET }, ACTOR)).toThrow(ApiFailure);
      expect(snapshot(app.path)).toBe(before);
      expect(creds.status()).toMatchObject({ stored: false, protectionAvailable: false });
    } finally {
      app.done();
    }
  });

  it('the storage backend only matters on Linux', () => {
    const app = makeApp();
    try {
      const creds = new CredentialStore(fakeSafeStorage({ backend: 'basic_text' }), app.store.settings, 'win32');
      expect(creds.protection().available).toBe(true);
    } finally {
      app.done();
    }
  });

  it('ciphertext that no longer decrypts asks for the credentials again', () => {
    const app = makeApp();
    try {
      new CredentialStore(fakeSafeStorage(), app.store.settings, 'linux').save({ username: 'u', password: SECRET }, ACTOR);
      const otherMachine = fakeSafeStorage();
      otherMachine.decryptString = () => {
        throw new Error('wrong key');
      };
      const creds = new CredentialStore(otherMachine, app.store.settings, 'linux');
      expect(() => creds.load()).toThrow(/enter them again/);
    } finally {
      app.done();
    }
  });

  it('through the API: administrators only, and the password never comes back', async () => {
    const app = makeApp();
    try {
      await app.ok('auth.createFirstAdmin', { username: 'admin', displayName: 'Ada', password: ADMIN_PASSWORD });
      const view = await app.ok('registry.saveCredentials', { username: 'clinic-user', password: SECRET });
      expect(view.credentials).toMatchObject({ stored: true, username: 'clinic-user' });
      expect(JSON.stringify(view)).not.toContain(SECRET);
      expect(JSON.stringify(app.store.audit.list({ limit: 100 }))).not.toContain(SECRET);
      expect(snapshot(app.path)).not.toContain(SECRET);
    } finally {
      app.done();
    }
  });
});
