import { act } from '@testing-library/react';
import { METHOD_NAMES, type Api, type SyncEvent } from '../../electron/api';
import type { HandlerTable } from '../../electron/handlers';
import type { SyncHost } from '../../electron/services/app-services';

// `window.dosedesk` backed by the real handler table and the real sync host, for renderer tests
// that must see what the main process really does (audit rows, store state). Payloads, results
// and events are cloned on the way, as Electron's IPC would, so nothing is shared by reference.

export function installRealApi(table: HandlerTable, sync: SyncHost, sessionId: string): () => void {
  const api: Record<string, unknown> = {};
  for (const method of METHOD_NAMES) {
    const [ns, name] = method.split('.') as [string, string];
    ((api[ns] ??= {}) as Record<string, unknown>)[name] = async (input: unknown) =>
      structuredClone(await table[method](structuredClone(input), { sessionId }));
  }
  const offs: (() => void)[] = [];
  api.onSyncStatus = (listener: (e: SyncEvent) => void) => {
    // Events arrive from the engine's timers, outside any React event: deliver them inside act().
    const off = sync.onStatus((e) => act(() => listener(structuredClone(e))));
    offs.push(off);
    return off;
  };
  api.onSessionChange = () => () => undefined;
  window.dosedesk = api as unknown as Api;
  return () => offs.splice(0).forEach((off) => off());
}
