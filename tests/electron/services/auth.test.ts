import { hashPassword, needsRehash, verifyPassword } from '../../../electron/services/passwords';
import { ADMIN_PASSWORD, FAST_SCRYPT, PASSWORD, makeApp, type TestApp } from '../fixtures/app';

describe('password hashing', () => {
  it('verifies the right password only, with a fresh salt each time', async () => {
    const a = await hashPassword('correct horse battery', FAST_SCRYPT);
    const b = await hashPassword('correct horse battery', FAST_SCRYPT);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^scrypt\$1024\$8\$1\$/);
    expect(a).not.toContain('correct');
    expect(await verifyPassword('correct horse battery', a)).toBe(true);
    expect(await verifyPassword('correct horse batterY', a)).toBe(false);
  });

  it('uses a real cost by default and flags weaker hashes for re-hashing', async () => {
    const strong = await hashPassword('correct horse battery');
    expect(strong.split('$')[1]).toBe(String(2 ** 15));
    expect(await verifyPassword('correct horse battery', strong)).toBe(true);
    expect(needsRehash(strong)).toBe(false);
    expect(needsRehash(await hashPassword('x', FAST_SCRYPT))).toBe(true);
  });

  it('never verifies a malformed or tampered hash', async () => {
    const good = await hashPassword('pw', FAST_SCRYPT);
    const parts = good.split('$');
    for (const bad of ['', 'plain-text', 'scrypt$1024$8$1$$', ['scrypt', 2 ** 30, 8, 1, parts[4], parts[5]].join('$'), good.replace('scrypt', 'bcrypt')]) {
      expect(await verifyPassword('pw', bad)).toBe(false);
    }
  });
});

describe('sign-in and lock-out', () => {
  let app: TestApp;
  beforeEach(async () => {
    app = makeApp();
    await app.ok('auth.createFirstAdmin', { username: 'admin', displayName: 'Ada Admin', password: ADMIN_PASSWORD });
    await app.ok('users.create', { user: { username: 'nurse', displayName: 'Nora Nurse', role: 'clinician' }, password: PASSWORD });
  });
  afterEach(() => app.done());

  const signIn = (password: string, session = 'w') => app.call('auth.signIn', { username: 'nurse', password }, session);

  it('a fresh install asks for the first administrator', async () => {
    const fresh = makeApp();
    try {
      expect((await fresh.ok('auth.status', {})).state).toBe('needs_first_admin');
      const status = await fresh.ok('auth.createFirstAdmin', { username: 'Boss', displayName: 'The Boss', password: ADMIN_PASSWORD });
      expect(status).toMatchObject({ state: 'signed_in', user: { username: 'boss', role: 'administrator' }, mode: 'training' });
      const stored = fresh.store.users.byUsername('boss')!;
      expect(stored.passwordHash).toMatch(/^scrypt\$/);
      expect(stored.passwordHash).not.toContain(ADMIN_PASSWORD);
    } finally {
      fresh.done();
    }
  });

  it('wrong password and unknown user give the same answer', async () => {
    const wrong = await signIn('not the password');
    const unknown = await app.call('auth.signIn', { username: 'nobody', password: 'whatever it is' }, 'w');
    expect(wrong.ok || unknown.ok).toBe(false);
    if (!wrong.ok && !unknown.ok) {
      expect(wrong.error).toEqual(unknown.error);
      expect(wrong.error.kind).toBe('unauthorized');
    }
  });

  it('user names are case-insensitive', async () => {
    expect((await app.ok('auth.signIn', { username: '  NURSE ', password: PASSWORD }, 'w')).state).toBe('signed_in');
  });

  it('locks the account after 5 failures for 15 minutes, even for the right password', async () => {
    for (let i = 1; i <= 4; i++) expect((await signIn('wrong ' + i)).ok).toBe(false);
    const fifth = await signIn('wrong 5');
    expect(fifth.ok ? 'ok' : fifth.error).toMatchObject({ kind: 'locked', code: 'auth.account_locked' });
    if (!fifth.ok) expect(new Date(fifth.error.retryAfter!).getTime()).toBe(app.clock.now().getTime() + 15 * 60_000);
    const right = await signIn(PASSWORD);
    expect(right.ok ? 'ok' : right.error.code).toBe('auth.account_locked');
    const actions = app.store.audit.list({ limit: 20 }).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['user.locked_out', 'user.sign_in_refused']));

    app.clock.advance(15 * 60_000);
    expect((await app.ok('auth.signIn', { username: 'nurse', password: PASSWORD }, 'w')).state).toBe('signed_in');
    expect(app.store.users.byUsername('nurse')!.failedAttempts).toBe(0);
  });

  it('after a lock-out ends, a new streak of failures is needed to lock again', async () => {
    for (let i = 1; i <= 5; i++) await signIn('wrong ' + i);
    app.clock.advance(15 * 60_000);
    const once = await signIn('wrong again');
    expect(once.ok ? 'ok' : once.error.code).toBe('auth.bad_credentials');
    for (let i = 0; i < 3; i++) await signIn('still wrong');
    const fifthOfStreak = await signIn('still wrong');
    expect(fifthOfStreak.ok ? 'ok' : fifthOfStreak.error.code).toBe('auth.account_locked');
  });

  it('the lock-out threshold and duration follow the settings', async () => {
    await app.ok('settings.update', { scope: 'site', values: { 'lockout.maxAttempts': 3, 'lockout.minutes': 60 } }, 's1');
    for (let i = 1; i <= 2; i++) await signIn('wrong ' + i);
    const third = await signIn('wrong 3');
    expect(third.ok ? 'ok' : third.error.kind).toBe('locked');
    app.clock.advance(59 * 60_000);
    expect((await signIn(PASSWORD)).ok).toBe(false);
    app.clock.advance(60_000);
    expect((await signIn(PASSWORD)).ok).toBe(true);
  });

  it('an administrator reset lifts a lock-out', async () => {
    for (let i = 1; i <= 5; i++) await signIn('wrong ' + i);
    const nurse = app.store.users.byUsername('nurse')!;
    await app.ok('users.resetPassword', { id: nurse.id, newPassword: 'a brand new password' }, 's1');
    expect((await signIn('a brand new password')).ok).toBe(true);
    expect(app.store.audit.list({ limit: 10 }).map((e) => e.action)).toContain('user.lockout_lifted');
  });

  it('a turned-off account cannot sign in', async () => {
    const nurse = app.store.users.byUsername('nurse')!;
    await app.ok('users.setActive', { id: nurse.id, active: false }, 's1');
    const r = await signIn(PASSWORD);
    expect(r.ok ? 'ok' : r.error.code).toBe('auth.account_disabled');
    const wrong = await signIn('wrong password');
    expect(wrong.ok ? 'ok' : wrong.error.code).toBe('auth.bad_credentials');
  });

  it('change password needs the current one', async () => {
    await app.ok('auth.signIn', { username: 'nurse', password: PASSWORD }, 'w');
    const bad = await app.call('auth.changePassword', { currentPassword: 'nope nope nope', newPassword: 'my new passphrase' }, 'w');
    expect(bad.ok).toBe(false);
    await app.ok('auth.changePassword', { currentPassword: PASSWORD, newPassword: 'my new passphrase' }, 'w');
    await app.ok('auth.signOut', {}, 'w');
    expect((await signIn(PASSWORD)).ok).toBe(false);
    expect((await signIn('my new passphrase')).ok).toBe(true);
  });
});

describe('auto-lock', () => {
  let app: TestApp;
  beforeEach(async () => {
    app = makeApp();
    await app.ok('auth.createFirstAdmin', { username: 'admin', displayName: 'Ada Admin', password: ADMIN_PASSWORD });
  });
  afterEach(() => app.done());

  it('locks after the configured idle minutes and reports when it will', async () => {
    await app.ok('settings.update', { scope: 'site', values: { autoLockMinutes: 3 } });
    const status = await app.ok('auth.touch', {});
    expect(status.lockAt).toBe(new Date(app.clock.now().getTime() + 3 * 60_000).toISOString());
    app.clock.advance(3 * 60_000 - 1);
    expect(app.services.auth.lockIdleSessions()).toEqual([]);
    app.clock.advance(1);
    expect(app.services.auth.lockIdleSessions()).toEqual(['s1']);
    expect((await app.ok('auth.status', {})).state).toBe('locked');
    expect(app.store.audit.list({ limit: 5 }).map((e) => e.action)).toContain('user.session_locked');
  });

  it('0 minutes turns auto-lock off', async () => {
    await app.ok('settings.update', { scope: 'site', values: { autoLockMinutes: 0 } });
    app.clock.advance(24 * 60 * 60_000);
    expect((await app.ok('auth.status', {})).state).toBe('signed_in');
  });

  it('lock now, unlock with the same password; a different user signs in fresh', async () => {
    await app.ok('users.create', { user: { username: 'nurse', displayName: 'Nora', role: 'clinician' }, password: PASSWORD });
    expect((await app.ok('auth.lock', {})).state).toBe('locked');
    const r = await app.call('users.list', {});
    expect(r.ok ? 'ok' : r.error.code).toBe('auth.session_locked');
    const other = await app.call('auth.unlock', { password: PASSWORD });
    expect(other.ok).toBe(false);
    expect((await app.ok('auth.unlock', { password: ADMIN_PASSWORD })).state).toBe('signed_in');
    await app.ok('auth.lock', {});
    const nurse = await app.ok('auth.signIn', { username: 'nurse', password: PASSWORD });
    expect(nurse).toMatchObject({ state: 'signed_in', user: { username: 'nurse' } });
  });

  it('failed unlocks count toward lock-out and then end the session', async () => {
    await app.ok('auth.lock', {});
    for (let i = 1; i <= 4; i++) await app.call('auth.unlock', { password: `wrong ${i}` });
    const fifth = await app.call('auth.unlock', { password: 'wrong 5' });
    expect(fifth.ok ? 'ok' : fifth.error.code).toBe('auth.account_locked');
    expect((await app.ok('auth.status', {})).state).toBe('signed_out');
  });

  it('per-user auto-lock applies only where IT allows it', async () => {
    const allowed = makeApp({ configText: JSON.stringify({ allowUserOverride: ['autoLockMinutes'] }) });
    try {
      await allowed.ok('auth.createFirstAdmin', { username: 'admin', displayName: 'Ada', password: ADMIN_PASSWORD });
      await allowed.ok('settings.update', { scope: 'user', values: { autoLockMinutes: 30 } });
      expect((await allowed.ok('auth.status', {})).autoLockMinutes).toBe(30);
    } finally {
      allowed.done();
    }
    const r = await app.call('settings.update', { scope: 'user', values: { autoLockMinutes: 30 } });
    expect(r.ok ? 'ok' : r.error.code).toBe('settings.not_editable');
  });
});
