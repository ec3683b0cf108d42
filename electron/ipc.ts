import { METHOD_NAMES, type MethodName, type Result } from './api';
import { APP_ORIGIN, methodChannel } from './api/channels';
import type { CallContext, HandlerTable } from './handlers/types';

// Registers one IPC handler per contract method. The channel fixes the method; the sender frame
// must be the app's own top frame; everything else (validation, session, role, audit, error
// data) happens in the handler table's guarded functions, which in the app run in the backend
// process: main passes the relay's `call`, tests may pass the table itself.

/** The parts of Electron's IpcMainInvokeEvent this module reads. */
export interface InvokeEventLike {
  sender: { id: number };
  senderFrame?: { url: string; parent?: unknown } | null;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, payload: unknown) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

export interface RegisterOptions {
  /** Whether the call comes from DoseDesk's own UI (default: `isAppFrame`). */
  isTrustedSender?: (event: InvokeEventLike) => boolean;
  /** The session a call belongs to; one per window by default. */
  sessionIdFor?: (event: InvokeEventLike) => string;
  /** Told about refused senders (main logs them). */
  onUntrusted?: (method: string, url: string | undefined) => void;
}

/** The UI's top frame served from `app://dosedesk/`, and nothing else (no iframe, no other origin). */
export function isAppFrame(event: InvokeEventLike): boolean {
  const frame = event.senderFrame;
  if (!frame || typeof frame.url !== 'string') return false;
  if (frame.parent) return false;
  let url: URL;
  try {
    url = new URL(frame.url);
  } catch {
    return false;
  }
  return `${url.protocol}//${url.host}` === APP_ORIGIN;
}

export const windowSessionId = (event: InvokeEventLike): string => `window:${event.sender.id}`;

const UNTRUSTED: Result<never> = {
  ok: false,
  error: { kind: 'forbidden', message: 'This request did not come from the DoseDesk window and was refused.', code: 'ipc.untrusted_sender' },
};

/** Where a trusted call goes: the relay to the backend process, or a handler table in tests. */
export type CallTarget = HandlerTable | ((method: MethodName, payload: unknown, ctx: CallContext) => Promise<unknown>);

/** Registers every method; returns a function that removes them again. */
export function registerIpc(ipcMain: IpcMainLike, target: CallTarget, options: RegisterOptions = {}): () => void {
  const trusted = options.isTrustedSender ?? isAppFrame;
  const sessionIdFor = options.sessionIdFor ?? windowSessionId;
  const channels: string[] = [];
  for (const method of METHOD_NAMES) {
    const channel = methodChannel(method);
    const handler = typeof target === 'function' ? (payload: unknown, ctx: CallContext) => target(method, payload, ctx) : (target[method] as (payload: unknown, ctx: CallContext) => Promise<unknown>);
    ipcMain.handle(channel, async (event, payload) => {
      if (!trusted(event)) {
        options.onUntrusted?.(method, event.senderFrame?.url);
        return UNTRUSTED;
      }
      return handler(payload, { sessionId: sessionIdFor(event) });
    });
    channels.push(channel);
  }
  return () => {
    for (const channel of channels) ipcMain.removeHandler(channel);
  };
}
