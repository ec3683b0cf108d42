import type { AuthStatus, RunMode, SessionUser } from '../api';
import type { Role } from '../domain/user';
import type { AuditRepo, UserRecord, UserRepo } from '../store/types';
import { ApiFailure } from './errors';
import { DEFAULT_SCRYPT, hashPassword, needsRehash, verifyPassword, type ScryptParams } from './passwords';

// Who is at the keyboard. Every window has a session (keyed by an id main chooses, e.g. the
// webContents id); a session is signed out, signed in, or locked after inactivity. Lock-out
// after repeated failures protects the local accounts of a shared clinic PC.

export interface AuthPolicy {
  /** Failed passwords in a row before the account locks. */
  maxAttempts: number;
  lockoutMinutes: number;
  /** Idle minutes before a session locks; 0 turns auto-lock off. */
  autoLockMinutes: number;
}

export const DEFAULT_AUTH_POLICY: AuthPolicy = { maxAttempts: 5, lockoutMinutes: 15, autoLockMinutes: 10 };

export interface AuthDeps {
  users: UserRepo;
  audit: AuditRepo;
  now: () => Date;
  /** The policy for a user (auto-lock may be a per-user setting where IT allows it). */
  policy: (userId?: string) => AuthPolicy;
  mode: () => RunMode;
  scrypt?: ScryptParams;
}

interface Session {
  userId: string;
  lastActivity: number;
  locked: boolean;
}

const BAD_CREDENTIALS = 'The user name or password is not right. Check Caps Lock and try again.';

export function toSessionUser(user: Pick<UserRecord, 'id' | 'username' | 'displayName' | 'role' | 'clinicianId'>): SessionUser {
  const out: SessionUser = { id: user.id, username: user.username, displayName: user.displayName, role: user.role };
  if (user.clinicianId) out.clinicianId = user.clinicianId;
  return out;
}

export class AuthService {
  private readonly sessions = new Map<string, Session>();
  private dummyHash?: Promise<string>;

  constructor(private readonly deps: AuthDeps) {}

  hash(password: string): Promise<string> {
    return hashPassword(password, this.deps.scrypt ?? DEFAULT_SCRYPT);
  }

  status(sessionId: string): AuthStatus {
    const session = this.liveSession(sessionId);
    const policy = this.deps.policy(session?.userId);
    const base = { autoLockMinutes: policy.autoLockMinutes, mode: this.deps.mode() };
    if (this.deps.users.count() === 0) return { state: 'needs_first_admin', ...base };
    if (!session) return { state: 'signed_out', ...base };
    const user = this.deps.users.byId(session.userId);
    if (!user) return { state: 'signed_out', ...base };
    const status: AuthStatus = { state: session.locked ? 'locked' : 'signed_in', user: toSessionUser(user), ...base };
    if (!session.locked && policy.autoLockMinutes > 0) {
      status.lockAt = new Date(session.lastActivity + policy.autoLockMinutes * 60_000).toISOString();
    }
    return status;
  }

  /** First run only: creates the first administrator and signs them in. */
  async createFirstAdmin(sessionId: string, input: { username: string; displayName: string; password: string }): Promise<AuthStatus> {
    if (this.deps.users.count() > 0) {
      throw new ApiFailure('forbidden', 'DoseDesk already has an administrator. Sign in, or ask an administrator to create your account.', {
        code: 'auth.already_initialized',
      });
    }
    const passwordHash = await this.hash(input.password);
    // Re-check after the (async) hash: two first-run submissions must not make two admins.
    if (this.deps.users.count() > 0) throw new ApiFailure('conflict', 'An administrator was just created. Sign in instead.', { code: 'auth.already_initialized' });
    const user = this.deps.users.create({ username: input.username, displayName: input.displayName, role: 'administrator', passwordHash }, null);
    this.deps.audit.append({ userId: user.id, action: 'user.first_admin_created', entity: 'user', entityId: user.id });
    this.startSession(sessionId, user.id);
    return this.status(sessionId);
  }

  async signIn(sessionId: string, username: string, password: string): Promise<AuthStatus> {
    const user = this.deps.users.byUsername(username.trim().toLowerCase());
    if (!user) {
      // Spend the same time as a real check so response time does not reveal which names exist.
      await verifyPassword(password, await this.dummy());
      this.deps.audit.append({ userId: null, action: 'user.sign_in_failed', detail: { reason: 'unknown_user' } });
      throw new ApiFailure('unauthorized', BAD_CREDENTIALS, { code: 'auth.bad_credentials' });
    }
    if (!user.active) {
      // A turned-off account signs in for nobody; only the holder of its password learns why.
      const ok = await verifyPassword(password, user.passwordHash);
      this.deps.audit.append({ userId: user.id, action: 'user.sign_in_refused', entity: 'user', entityId: user.id, detail: { reason: 'inactive' } });
      if (!ok) throw new ApiFailure('unauthorized', BAD_CREDENTIALS, { code: 'auth.bad_credentials' });
      throw new ApiFailure('forbidden', 'This account is turned off. Ask an administrator to turn it back on.', { code: 'auth.account_disabled' });
    }
    // The store writes the `user.sign_in` / `user.sign_in_failed` rows itself.
    await this.checkPassword(user, password, 'sign_in');
    const previous = this.sessions.get(sessionId);
    if (previous && previous.userId !== user.id) {
      this.deps.audit.append({ userId: previous.userId, action: 'user.sign_out', detail: { reason: 'replaced' } });
    }
    this.startSession(sessionId, user.id);
    return this.status(sessionId);
  }

  signOut(sessionId: string, reason = 'user'): AuthStatus {
    const session = this.sessions.get(sessionId);
    if (session) {
      this.sessions.delete(sessionId);
      this.deps.audit.append({ userId: session.userId, action: 'user.sign_out', detail: { reason } });
    }
    return this.status(sessionId);
  }

  /** Forget a window's session without an audit row (the window closed). */
  endSession(sessionId: string): void {
    const session = this.sessions.get(sessionId);
    if (session) this.signOut(sessionId, 'window_closed');
  }

  lock(sessionId: string, reason: 'user' | 'idle' = 'user'): AuthStatus {
    const session = this.sessions.get(sessionId);
    if (session && !session.locked) {
      session.locked = true;
      this.deps.audit.append({ userId: session.userId, action: 'user.session_locked', detail: { reason } });
    }
    return this.status(sessionId);
  }

  async unlock(sessionId: string, password: string): Promise<AuthStatus> {
    const session = this.liveSession(sessionId);
    if (!session) throw new ApiFailure('unauthorized', 'Nobody is signed in on this window. Sign in with your user name and password.', { code: 'auth.signed_out' });
    const user = this.deps.users.byId(session.userId);
    if (!user || !user.active) {
      this.signOut(sessionId, 'account_gone');
      throw new ApiFailure('unauthorized', 'This account can no longer sign in. Ask an administrator.', { code: 'auth.account_disabled' });
    }
    try {
      await this.checkPassword(user, password, 'unlock');
    } catch (err) {
      // An account locked out while its session was locked must sign in again from scratch.
      if (err instanceof ApiFailure && err.code === 'auth.account_locked') this.signOut(sessionId, 'account_locked');
      throw err;
    }
    session.locked = false;
    session.lastActivity = this.deps.now().getTime();
    this.deps.audit.append({ userId: user.id, action: 'user.session_unlocked' });
    return this.status(sessionId);
  }

  /** Keyboard or mouse activity in the window: pushes the auto-lock back. */
  touch(sessionId: string): AuthStatus {
    const session = this.liveSession(sessionId);
    if (session && !session.locked) session.lastActivity = this.deps.now().getTime();
    return this.status(sessionId);
  }

  async changePassword(sessionId: string, currentPassword: string, newPassword: string): Promise<void> {
    const user = this.requireUser(sessionId);
    const record = this.deps.users.byId(user.id);
    if (!record) throw new ApiFailure('unauthorized', 'Sign in again.', { code: 'auth.signed_out' });
    await this.checkPassword(record, currentPassword, 'change_password');
    this.deps.users.setPasswordHash(record.id, await this.hash(newPassword), { userId: record.id });
  }

  /**
   * The signed-in, unlocked user of a session, re-read from the store so that a role change or
   * a deactivation takes effect on the very next call. Throws `unauthorized` or `locked`.
   */
  requireUser(sessionId: string): SessionUser {
    const session = this.liveSession(sessionId);
    if (!session) throw new ApiFailure('unauthorized', 'Please sign in first.', { code: 'auth.signed_out' });
    const user = this.deps.users.byId(session.userId);
    if (!user || !user.active) {
      this.signOut(sessionId, 'account_disabled');
      throw new ApiFailure('unauthorized', 'This account can no longer sign in. Ask an administrator.', { code: 'auth.account_disabled' });
    }
    if (session.locked) {
      throw new ApiFailure('locked', `The screen is locked. ${user.displayName}, enter your password to continue.`, { code: 'auth.session_locked' });
    }
    return toSessionUser(user);
  }

  /** The role of a session's user if signed in and unlocked, without throwing. */
  currentRole(sessionId: string): Role | undefined {
    try {
      return this.requireUser(sessionId).role;
    } catch {
      return undefined;
    }
  }

  /** Whether any window has a session, locked or not: a locked screen may hide a form with unsaved input. */
  hasOpenSessions(): boolean {
    return this.sessions.size > 0;
  }

  /** Locks sessions idle past the policy; returns the ids it locked (main pushes an event to each). */
  lockIdleSessions(): string[] {
    const locked: string[] = [];
    const before = new Set([...this.sessions].filter(([, s]) => !s.locked).map(([id]) => id));
    for (const id of before) {
      if (this.liveSession(id)?.locked) locked.push(id);
    }
    return locked;
  }

  /** A session with auto-lock applied as of now. */
  private liveSession(sessionId: string): Session | undefined {
    const session = this.sessions.get(sessionId);
    if (!session) return undefined;
    const minutes = this.deps.policy(session.userId).autoLockMinutes;
    if (!session.locked && minutes > 0 && this.deps.now().getTime() - session.lastActivity >= minutes * 60_000) {
      session.locked = true;
      this.deps.audit.append({ userId: session.userId, action: 'user.session_locked', detail: { reason: 'idle', minutes } });
    }
    return session;
  }

  private startSession(sessionId: string, userId: string): void {
    this.sessions.set(sessionId, { userId, lastActivity: this.deps.now().getTime(), locked: false });
  }

  private dummy(): Promise<string> {
    this.dummyHash ??= this.hash('not-a-password-anyone-uses');
    return this.dummyHash;
  }

  /**
   * Verifies a password with lock-out. A failed attempt counts toward the lock-out whether it
   * was a sign-in or an unlock; an account stays locked for `lockoutMinutes` even with the
   * right password, so a guesser learns nothing during the lock.
   */
  private async checkPassword(user: UserRecord, password: string, purpose: string): Promise<void> {
    const now = this.deps.now();
    const policy = this.deps.policy();
    if (user.lockedUntil && new Date(user.lockedUntil).getTime() > now.getTime()) {
      this.deps.audit.append({ userId: user.id, action: 'user.sign_in_refused', entity: 'user', entityId: user.id, detail: { reason: 'locked_out', purpose } });
      throw lockedOut(user.lockedUntil);
    }
    const ok = await verifyPassword(password, user.passwordHash);
    if (!ok) {
      // The streak restarts after a lock-out ends: lock on every `maxAttempts`-th failure.
      const failures = user.failedAttempts + 1;
      const lockedUntil = failures % policy.maxAttempts === 0 ? new Date(now.getTime() + policy.lockoutMinutes * 60_000).toISOString() : undefined;
      this.deps.users.recordFailedSignIn(user.id, lockedUntil);
      if (lockedUntil) {
        this.deps.audit.append({ userId: user.id, action: 'user.locked_out', entity: 'user', entityId: user.id, detail: { until: lockedUntil } });
        throw lockedOut(lockedUntil);
      }
      throw new ApiFailure('unauthorized', purpose === 'sign_in' ? BAD_CREDENTIALS : 'That password is not right. Try again.', {
        code: 'auth.bad_credentials',
      });
    }
    this.deps.users.recordSuccessfulSignIn(user.id);
    if (needsRehash(user.passwordHash, this.deps.scrypt ?? DEFAULT_SCRYPT)) {
      this.deps.users.setPasswordHash(user.id, await this.hash(password), { userId: user.id, label: 'system:rehash' });
    }
  }
}

function lockedOut(until: string): ApiFailure {
  const time = new Date(until);
  const hhmm = `${String(time.getHours()).padStart(2, '0')}:${String(time.getMinutes()).padStart(2, '0')}`;
  return new ApiFailure('locked', `Too many wrong passwords: this account is locked until ${hhmm}. An administrator can reset the password now.`, {
    code: 'auth.account_locked',
    retryAfter: until,
  });
}
