import { DomainValidationError, issuesFromZod } from '../domain/errors';
import { role as roleSchema, userInputSchema, type User } from '../domain/user';
import { auditAs, nowIso, optional, toBool, type StoreContext } from './context';
import { notFound } from './errors';
import type { UserRecord, UserRepo } from './types';

// Persists accounts; the shell's auth service owns password hashing and the lock-out policy.

interface UserRow {
  id: string;
  username: string;
  display_name: string;
  role: User['role'];
  clinician_id: string | null;
  active: number;
  password_hash: string;
  failed_attempts: number;
  locked_until: string | null;
  created_at: string;
}

function toRecord(row: UserRow): UserRecord {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    clinicianId: optional(row.clinician_id),
    active: toBool(row.active),
    createdAt: row.created_at,
    passwordHash: row.password_hash,
    failedAttempts: row.failed_attempts,
    lockedUntil: optional(row.locked_until),
  };
}

function toUser(row: UserRow): User {
  const { passwordHash: _h, failedAttempts: _f, lockedUntil: _l, ...user } = toRecord(row);
  return user;
}

export function createUserRepo(ctx: StoreContext): UserRepo {
  const { db } = ctx;
  const byId = db.prepare('SELECT * FROM users WHERE id = ?');
  const byUsername = db.prepare('SELECT * FROM users WHERE username = ?');
  const insert = db.prepare(
    `INSERT INTO users (id, username, display_name, role, clinician_id, active, password_hash, created_at, updated_at)
     VALUES (@id, @username, @display_name, @role, @clinician_id, 1, @password_hash, @at, @at)`,
  );
  const setField = (column: 'password_hash' | 'role' | 'active') => db.prepare(`UPDATE users SET ${column} = @value, updated_at = @at WHERE id = @id`);
  const setHash = setField('password_hash');
  const setRole = setField('role');
  const setActive = setField('active');
  const failed = db.prepare('UPDATE users SET failed_attempts = failed_attempts + 1, locked_until = @locked, updated_at = @at WHERE id = @id');
  const succeeded = db.prepare('UPDATE users SET failed_attempts = 0, locked_until = NULL, last_sign_in_at = @at, updated_at = @at WHERE id = @id');

  function load(id: string): UserRow {
    const row = byId.get(id) as UserRow | undefined;
    if (!row) throw notFound('User', id);
    return row;
  }

  return {
    create(input, actor) {
      const parsed = userInputSchema.safeParse({ username: input.username, displayName: input.displayName, role: input.role, clinicianId: input.clinicianId });
      if (!parsed.success) throw new DomainValidationError(issuesFromZod(parsed.error, 'user'));
      if (!input.passwordHash) throw new DomainValidationError([{ path: 'user.password', code: 'user.password_missing', message: 'Set a password.' }]);
      const f = parsed.data;
      return ctx.transaction(() => {
        if (byUsername.get(f.username)) {
          throw new DomainValidationError([{ path: 'user.username', code: 'user.username_taken', message: `The user name ${f.username} is taken. Choose another.` }]);
        }
        const id = ctx.newId();
        insert.run({ id, username: f.username, display_name: f.displayName, role: f.role, clinician_id: f.clinicianId ?? null, password_hash: input.passwordHash, at: nowIso(ctx) });
        ctx.audit(auditAs(actor, 'user.create', 'user', id, { username: f.username, role: f.role }));
        return toUser(load(id));
      })();
    },
    byUsername(username) {
      const row = byUsername.get(username.trim().toLowerCase()) as UserRow | undefined;
      return row ? toRecord(row) : undefined;
    },
    byId(id) {
      const row = byId.get(id) as UserRow | undefined;
      return row ? toRecord(row) : undefined;
    },
    list() {
      return (db.prepare('SELECT * FROM users ORDER BY username').all() as UserRow[]).map(toUser);
    },
    count() {
      return (db.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n;
    },
    setPasswordHash(id, hash, actor) {
      ctx.transaction(() => {
        load(id);
        setHash.run({ id, value: hash, at: nowIso(ctx) });
        ctx.audit(auditAs(actor, 'user.password_changed', 'user', id));
      })();
    },
    setRole(id, role, actor) {
      const parsed = roleSchema.safeParse(role);
      if (!parsed.success) throw new DomainValidationError(issuesFromZod(parsed.error, 'user.role'));
      ctx.transaction(() => {
        const before = load(id);
        setRole.run({ id, value: parsed.data, at: nowIso(ctx) });
        ctx.audit(auditAs(actor, 'user.role_changed', 'user', id, { from: before.role, to: parsed.data }));
      })();
    },
    setActive(id, active, actor) {
      ctx.transaction(() => {
        load(id);
        setActive.run({ id, value: active ? 1 : 0, at: nowIso(ctx) });
        ctx.audit(auditAs(actor, active ? 'user.activate' : 'user.deactivate', 'user', id));
      })();
    },
    recordFailedSignIn(id, lockedUntil) {
      ctx.transaction(() => {
        load(id);
        failed.run({ id, locked: lockedUntil ?? null, at: nowIso(ctx) });
        ctx.audit(auditAs({ userId: id }, 'user.sign_in_failed', 'user', id, lockedUntil ? { lockedUntil } : undefined));
      })();
    },
    recordSuccessfulSignIn(id) {
      ctx.transaction(() => {
        load(id);
        succeeded.run({ id, at: nowIso(ctx) });
        ctx.audit(auditAs({ userId: id }, 'user.sign_in', 'user', id));
      })();
    },
  };
}
