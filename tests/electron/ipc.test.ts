import { METHOD_NAMES } from '../../electron/api';
import { methodChannel } from '../../electron/api/channels';
import { isAppFrame, registerIpc, type InvokeEventLike, type IpcMainLike } from '../../electron/ipc';
import { ADMIN_PASSWORD, makeApp, snapshot, type TestApp } from './fixtures/app';

// registerIpc over a fake ipcMain: one channel per method from the one table, sender frame
// checked before anything else, and a session per window.

function fakeIpcMain() {
  const handlers = new Map<string, (event: InvokeEventLike, payload: unknown) => Promise<unknown>>();
  const ipc: IpcMainLike = {
    handle(channel, listener) {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      handlers.set(channel, listener);
    },
    removeHandler(channel) {
      handlers.delete(channel);
    },
  };
  return { ipc, handlers };
}

const frame = (url: string, parent: unknown = null, senderId = 1): InvokeEventLike => ({ sender: { id: senderId }, senderFrame: { url, parent } });

describe('registerIpc', () => {
  let app: TestApp;
  beforeEach(() => {
    app = makeApp();
  });
  afterEach(() => app.done());

  it('registers exactly one channel per contract method and removes them again', () => {
    const { ipc, handlers } = fakeIpcMain();
    const unregister = registerIpc(ipc, app.table);
    expect([...handlers.keys()].sort()).toEqual(METHOD_NAMES.map(methodChannel).sort());
    unregister();
    expect(handlers.size).toBe(0);
  });

  it.each([
    ['another origin', frame('https://evil.example/index.html')],
    ['file://', frame('file:///home/user/index.html')],
    ['an app:// frame with another host', frame('app://elsewhere/index.html')],
    ['an iframe inside the app', frame('app://dosedesk/index.html', { url: 'app://dosedesk/' })],
    ['no frame (destroyed)', { sender: { id: 1 }, senderFrame: null }],
  ])('refuses calls from %s before touching anything', async (_label, event) => {
    const { ipc, handlers } = fakeIpcMain();
    const refused: string[] = [];
    registerIpc(ipc, app.table, { onUntrusted: (method) => refused.push(method) });
    const before = snapshot(app.path);
    const r = (await handlers.get(methodChannel('auth.createFirstAdmin'))!(event as InvokeEventLike, { username: 'evil', displayName: 'Evil', password: 'long enough password' })) as {
      ok: boolean;
      error?: { kind: string; code: string };
    };
    expect(r).toMatchObject({ ok: false, error: { kind: 'forbidden', code: 'ipc.untrusted_sender' } });
    expect(refused).toEqual(['auth.createFirstAdmin']);
    expect(snapshot(app.path)).toBe(before);
  });

  it('the app frame reaches the handlers, with one session per window', async () => {
    const { ipc, handlers } = fakeIpcMain();
    registerIpc(ipc, app.table);
    const invoke = (method: string, payload: unknown, windowId: number) => handlers.get(methodChannel(method))!(frame('app://dosedesk/index.html', null, windowId), payload);
    const created = (await invoke('auth.createFirstAdmin', { username: 'admin', displayName: 'Ada', password: ADMIN_PASSWORD }, 1)) as { ok: boolean; value: { state: string } };
    expect(created).toMatchObject({ ok: true, value: { state: 'signed_in' } });
    expect(await invoke('auth.status', {}, 2)).toMatchObject({ ok: true, value: { state: 'signed_out' } });
    expect(await invoke('users.list', {}, 2)).toMatchObject({ ok: false, error: { kind: 'unauthorized' } });
    expect(await invoke('users.list', {}, 1)).toMatchObject({ ok: true });
  });

  it('results are plain data that survive structured cloning', async () => {
    const { ipc, handlers } = fakeIpcMain();
    registerIpc(ipc, app.table);
    const r = await handlers.get(methodChannel('patients.search'))!(frame('app://dosedesk/'), { text: 5 });
    expect(structuredClone(r)).toEqual(r);
    expect(r).toMatchObject({ ok: false, error: { kind: 'validation' } });
  });

  it('isAppFrame accepts only the top frame of app://dosedesk', () => {
    expect(isAppFrame(frame('app://dosedesk/'))).toBe(true);
    expect(isAppFrame(frame('app://dosedesk/patients/123'))).toBe(true);
    expect(isAppFrame(frame('app://dosedesk.evil/'))).toBe(false);
    expect(isAppFrame(frame('app://dosedesk:8080/'))).toBe(false);
    expect(isAppFrame(frame('not a url'))).toBe(false);
  });
});
