import { METHOD_NAMES } from '../../electron/api';
import { EVENT_CHANNELS, methodChannel } from '../../electron/api/channels';

// The preload through a stubbed electron module: exactly the contract's methods on
// window.dosedesk, each invoking its own channel with only the payload; nothing of ipcRenderer.

const bridge = vi.hoisted(() => ({
  exposed: [] as [string, unknown][],
  invoked: [] as [string, unknown[]][],
  listeners: new Map<string, Set<(...args: unknown[]) => void>>(),
}));

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => bridge.exposed.push([key, api]) },
  ipcRenderer: {
    invoke: async (channel: string, ...args: unknown[]) => {
      bridge.invoked.push([channel, args]);
      return { ok: true, value: channel };
    },
    on: (channel: string, listener: (...args: unknown[]) => void) => {
      if (!bridge.listeners.has(channel)) bridge.listeners.set(channel, new Set());
      bridge.listeners.get(channel)!.add(listener);
    },
    removeListener: (channel: string, listener: (...args: unknown[]) => void) => bridge.listeners.get(channel)?.delete(listener),
    send: () => {
      throw new Error('the preload must not use send');
    },
  },
}));

type Fn = (...args: unknown[]) => unknown;

async function loadPreload() {
  await import('../../electron/preload');
  expect(bridge.exposed).toHaveLength(1);
  const [key, api] = bridge.exposed[0]!;
  return { key, api: api as Record<string, Record<string, Fn> | Fn> };
}

function flatten(api: Record<string, Record<string, Fn> | Fn>): string[] {
  return Object.entries(api).flatMap(([ns, value]) => (typeof value === 'function' ? [ns] : Object.keys(value).map((m) => `${ns}.${m}`)));
}

describe('preload', () => {
  it('exposes window.dosedesk with exactly the contract methods plus the two event subscriptions', async () => {
    const { key, api } = await loadPreload();
    expect(key).toBe('dosedesk');
    expect(flatten(api).sort()).toEqual([...METHOD_NAMES, 'onSessionChange', 'onSyncStatus'].sort());
  });

  it('leaks no ipcRenderer and no generic invoke', async () => {
    const { api } = await loadPreload();
    const names = flatten(api).join(' ');
    expect(names).not.toMatch(/ipcRenderer|invoke|send|\bon\b|require/);
    for (const value of Object.values(api)) {
      if (typeof value === 'function') continue;
      for (const fn of Object.values(value)) expect(typeof fn).toBe('function');
    }
  });

  it('each method invokes its own channel with only the payload', async () => {
    const { api } = await loadPreload();
    bridge.invoked.length = 0;
    const search = (api.patients as Record<string, Fn>).search!;
    const r = await search({ text: 'moreau' }, 'extra argument the page tried to pass');
    expect(r).toEqual({ ok: true, value: methodChannel('patients.search') });
    expect(bridge.invoked).toEqual([[methodChannel('patients.search'), [{ text: 'moreau' }]]]);
    for (const method of METHOD_NAMES) {
      const [ns, name] = method.split('.') as [string, string];
      await (api[ns] as Record<string, Fn>)[name]!({});
    }
    expect(bridge.invoked.slice(1).map(([c]) => c)).toEqual(METHOD_NAMES.map(methodChannel));
  });

  it('event subscriptions deliver only the event and can be removed', async () => {
    const { api } = await loadPreload();
    const seen: unknown[] = [];
    const off = (api.onSyncStatus as Fn)((e: unknown) => seen.push(e)) as () => void;
    const [listener] = bridge.listeners.get(EVENT_CHANNELS.sync)!;
    listener!({ sender: 'ipc event object' }, { type: 'status', status: { state: 'idle' } });
    expect(seen).toEqual([{ type: 'status', status: { state: 'idle' } }]);
    off();
    expect(bridge.listeners.get(EVENT_CHANNELS.sync)!.size).toBe(0);
    expect(() => (api.onSessionChange as Fn)('not a function')).toThrow(TypeError);
  });
});
