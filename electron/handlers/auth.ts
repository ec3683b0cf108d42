import type { AppServices } from '../services/app-services';
import type { Implementations } from './types';

type AuthMethods = 'auth.status' | 'auth.createFirstAdmin' | 'auth.signIn' | 'auth.signOut' | 'auth.lock' | 'auth.unlock' | 'auth.touch' | 'auth.changePassword';

export function authHandlers({ auth }: AppServices): Implementations<AuthMethods> {
  return {
    'auth.status': (_input, ctx) => auth.status(ctx.sessionId),
    'auth.createFirstAdmin': (input, ctx) => auth.createFirstAdmin(ctx.sessionId, input),
    'auth.signIn': (input, ctx) => auth.signIn(ctx.sessionId, input.username, input.password),
    'auth.signOut': (_input, ctx) => auth.signOut(ctx.sessionId),
    'auth.lock': (_input, ctx) => auth.lock(ctx.sessionId),
    'auth.unlock': (input, ctx) => auth.unlock(ctx.sessionId, input.password),
    'auth.touch': (_input, ctx) => auth.touch(ctx.sessionId),
    'auth.changePassword': async (input, ctx) => {
      await auth.changePassword(ctx.sessionId, input.currentPassword, input.newPassword);
      return { changed: true as const };
    },
  };
}
