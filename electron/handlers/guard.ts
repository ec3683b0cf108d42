import type { z } from 'zod';
import { accessAllows, contract, type ApiError, type MethodName, type MethodOutput, type Result } from '../api';
import { DomainValidationError, issuesFromZod } from '../domain/errors';
import { StoreError } from '../store/errors';
import type { AppServices } from '../services/app-services';
import { ApiFailure } from '../services/errors';
import type { CallContext, HandlerContext, Implementation, SignedInContext } from './types';

// Every call goes through here: payload validation against the contract, the session and role
// check, an audit row for a refused call, and the translation of anything thrown into the
// contract's error data. A bad payload reaches no implementation, so it changes nothing.

export function guard<K extends MethodName>(services: AppServices, method: K, impl: Implementation<K>): (payload: unknown, ctx: CallContext) => Promise<Result<MethodOutput<K>>> {
  const spec = contract[method];
  return async (payload, call) => {
    const parsed = (spec.input as z.ZodType).safeParse(payload === undefined ? {} : payload);
    if (!parsed.success) {
      return fail({ kind: 'validation', message: validationMessage(parsed.error), issues: issuesFromZod(parsed.error, ''), code: 'input.invalid' });
    }
    try {
      // The whole call counts as in flight: quitting waits for it, and a closing app refuses new ones.
      return await services.inFlight.track(async (): Promise<Result<MethodOutput<K>>> => {
        const ctx: HandlerContext = { sessionId: call.sessionId };
        if (spec.access !== 'public') {
          const user = services.auth.requireUser(call.sessionId);
          if (!accessAllows(spec.access, user.role)) {
            services.store.audit.append({ userId: user.id, action: 'access.denied', detail: { method, role: user.role } });
            return fail({ kind: 'forbidden', message: `Your role (${roleLabel(user.role)}) cannot do this. Ask an administrator.`, code: 'auth.role' });
          }
          ctx.user = user;
        }
        return { ok: true, value: await impl(parsed.data as never, ctx) };
      });
    } catch (err) {
      return fail(toApiError(err, services, method));
    }
  };
}

/** The context of a method that the guard let through only when signed in. */
export function signedIn(ctx: HandlerContext): SignedInContext {
  if (!ctx.user) throw new ApiFailure('unauthorized', 'Please sign in first.', { code: 'auth.signed_out' });
  return { ...ctx, user: ctx.user, actor: { userId: ctx.user.id } };
}

function fail<T>(error: ApiError): Result<T> {
  return { ok: false, error };
}

function roleLabel(role: string): string {
  return role.replace('_', ' ');
}

function validationMessage(error: z.ZodError): string {
  const first = error.issues[0];
  if (!first) return 'Some fields need attention.';
  const n = error.issues.length;
  return n === 1 ? first.message : `${first.message} (and ${n - 1} more problem${n > 2 ? 's' : ''})`;
}

/** The code of every call refused because the database is damaged. */
export const STORE_DAMAGED = 'store.corrupt';
const logged = new WeakSet<StoreError>();

export function toApiError(err: unknown, services: Pick<AppServices, 'logError'>, method: string): ApiError {
  if (err instanceof ApiFailure) return err.toApiError();
  if (err instanceof DomainValidationError) {
    const issues = [...err.issues];
    const first = issues[0];
    return { kind: 'validation', message: first ? first.message : 'Some fields need attention.', issues, code: 'domain.invalid' };
  }
  if (err instanceof StoreError) {
    if (err.kind === 'not_found') return { kind: 'not_found', message: err.message, code: 'store.not_found' };
    if (err.kind === 'conflict') return { kind: 'conflict', message: err.message, code: 'store.conflict' };
    // A damaged store refuses every call with the same error: log it once, not once per call.
    if (err.kind !== 'corrupt' || !logged.has(err)) services.logError(`${method} (store ${err.kind})`, err);
    if (err.kind === 'corrupt') {
      logged.add(err);
      // `store.corrupt` is what the renderer turns into its "the database is damaged: call IT"
      // screen; the message names the file and the backup IT should restore.
      return { kind: 'store', message: err.message, code: STORE_DAMAGED };
    }
    return { kind: 'store', message: err.message, code: `store.${err.kind}` };
  }
  services.logError(method, err);
  return {
    kind: 'internal',
    message: 'DoseDesk hit an unexpected problem and the action may not have finished. Check whether it was saved before trying again; if it keeps happening, tell IT (details are in the DoseDesk log).',
    code: 'internal',
  };
}
