import type { User } from '../domain/user';
import type { AppServices } from '../services/app-services';
import { ApiFailure, notFound } from '../services/errors';
import type { Store } from '../store/types';
import { signedIn } from './guard';
import type { Implementations } from './types';

type UserMethods = 'users.list' | 'users.create' | 'users.setRole' | 'users.setActive' | 'users.resetPassword' | 'audit.list';

function publicUser(store: Store, id: string): User {
  const record = store.users.byId(id);
  if (!record) throw notFound('This user', 'user.not_found');
  const { passwordHash: _h, failedAttempts: _f, lockedUntil: _l, ...user } = record;
  return user;
}

/** An install must keep one active administrator, or nobody could manage users or settings again. */
function keepAnAdministrator(store: Store, id: string, change: string): void {
  const target = store.users.byId(id);
  if (!target || target.role !== 'administrator' || !target.active) return;
  const admins = store.users.list().filter((u) => u.role === 'administrator' && u.active);
  if (admins.length <= 1) {
    throw new ApiFailure('conflict', `${target.displayName} is the only active administrator, so DoseDesk cannot ${change}. Make someone else an administrator first.`, {
      code: 'users.last_admin',
    });
  }
}

export function userHandlers({ store, auth, now }: AppServices): Implementations<UserMethods> {
  return {
    'users.list': () => store.users.list(),
    'users.create': async (input, ctx) => {
      const { actor } = signedIn(ctx);
      const passwordHash = await auth.hash(input.password);
      return store.users.create({ ...input.user, passwordHash }, actor);
    },
    'users.setRole': (input, ctx) => {
      const { actor } = signedIn(ctx);
      if (input.role !== 'administrator') keepAnAdministrator(store, input.id, 'take away their administrator role');
      store.users.setRole(input.id, input.role, actor);
      return publicUser(store, input.id);
    },
    'users.setActive': (input, ctx) => {
      const { actor } = signedIn(ctx);
      if (!input.active) keepAnAdministrator(store, input.id, 'turn their account off');
      store.users.setActive(input.id, input.active, actor);
      return publicUser(store, input.id);
    },
    'users.resetPassword': async (input, ctx) => {
      const { actor } = signedIn(ctx);
      const before = store.users.byId(input.id);
      if (!before) throw notFound('This user', 'user.not_found');
      store.users.setPasswordHash(input.id, await auth.hash(input.newPassword), actor);
      const locked = before.failedAttempts > 0 || (before.lockedUntil !== undefined && new Date(before.lockedUntil) > now());
      if (locked) {
        // The store has no separate "clear lock-out"; a reset is the administrator vouching for the user.
        store.users.recordSuccessfulSignIn(input.id);
        store.audit.append({ userId: actor.userId, action: 'user.lockout_lifted', entity: 'user', entityId: input.id });
      }
      return publicUser(store, input.id);
    },
    'audit.list': (input) => store.audit.list(input),
  };
}
