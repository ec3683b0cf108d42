import type { MethodName, MethodOutput, ParsedInput, Result, SessionUser } from '../api';
import type { Actor } from '../store/types';

/** Who is calling: main passes the window's session id; the guard adds the signed-in user. */
export interface CallContext {
  sessionId: string;
}

export interface HandlerContext extends CallContext {
  /** Present for every non-public method (the guard has checked sign-in, lock and role). */
  user?: SessionUser;
}

export interface SignedInContext extends CallContext {
  user: SessionUser;
  actor: Actor;
}

/** A method's implementation: input already validated, access already checked. */
export type Implementation<K extends MethodName> = (input: ParsedInput<K>, ctx: HandlerContext) => MethodOutput<K> | Promise<MethodOutput<K>>;

export type Implementations<K extends MethodName = MethodName> = { [M in K]: Implementation<M> };

/**
 * The handler table: one guarded function per contract method. It takes the raw payload as
 * it came over IPC (or from a test), validates it, checks access and returns a Result; it
 * never throws.
 */
export type HandlerTable = { [K in MethodName]: (payload: unknown, ctx: CallContext) => Promise<Result<MethodOutput<K>>> };
