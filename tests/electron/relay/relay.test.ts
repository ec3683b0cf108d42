import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BackendInit } from '../../../electron/backend/protocol';
import { nodeBackendChild } from '../../../electron/relay/node-child';
import { BackendRelay, type BackendChild } from '../../../electron/relay/relay';

// The relay between main and the backend process, against the real backend entry started as a
// Node child (as the app starts it with utilityProcess.fork), and against scripted children
// for the failures a real one cannot be made to show on demand.

const ENTRY = resolve(import.meta.dirname, '../../../electron/backend/entry.ts');
const ADMIN = { username: 'admin', displayName: 'Ada Admin', password: 'correct horse battery staple' };

function initFor(dataDir: string): BackendInit {
  return {
    dataDir,
    configPath: join(dataDir, 'no-config.json'),
    dataKey: Buffer.alloc(32, 7).toString('base64'),
    protection: { available: true },
    info: { name: 'DoseDesk', version: '0.0.0-test', platform: process.platform },
    reporting: false,
    scrypt: { N: 2 ** 10, r: 8, p: 1 },
  };
}

interface Real {
  relay: BackendRelay;
  children: ChildProcess[];
  restarts: string[];
  gaveUp: string[];
  dir: string;
}

function realRelay(options: { pingEveryMs?: number; pingTimeoutMs?: number } = {}): Real {
  const dir = mkdtempSync(join(tmpdir(), 'dosedesk-relay-'));
  const children: ChildProcess[] = [];
  const restarts: string[] = [];
  const gaveUp: string[] = [];
  const relay = new BackendRelay({
    spawn: () => nodeBackendChild(ENTRY, { execArgv: ['--import', 'tsx'], onSpawn: (c) => children.push(c) }),
    init: initFor(dir),
    onEvent: () => undefined,
    onGiveUp: (_t, m) => gaveUp.push(m),
    onRestart: (r) => restarts.push(r),
    log: () => undefined,
    ...options,
  });
  return { relay, children, restarts, gaveUp, dir };
}

async function signedInWithPatient(relay: BackendRelay, session: string): Promise<string> {
  const first = await relay.call('auth.createFirstAdmin', ADMIN, session);
  if (!first.ok) await relay.call('auth.signIn', { username: ADMIN.username, password: ADMIN.password }, session);
  const created = await relay.call('patients.create', { patient: { mrn: 'R-1', lastName: 'Relay', firstName: 'Rita', dob: '1980-02-03', sex: 'F' } }, session);
  if (!created.ok) throw new Error(JSON.stringify(created));
  return (created.value as { patient: { id: string } }).patient.id;
}

const historical = (patientId: string) => ({ dose: { patientId, kind: 'historical', cvx: '08', administeredOn: '2020-01-02', historicalSource: '01' } });

describe('the relay and the real backend process', () => {
  let real: Real | undefined;
  afterEach(async () => {
    await real?.relay.stop();
    if (real) rmSync(real.dir, { recursive: true, force: true });
    real = undefined;
  });

  it('forwards any contract method, answers with the backend’s own result, and survives garbage on the channel', async () => {
    real = realRelay();
    const ready = await real.relay.start();
    expect(ready.databasePath).toContain(real.dir);
    // Garbage straight onto the backend's channel: dropped, the process keeps answering.
    for (const junk of [null, 42, 'call', { type: 'call' }, { type: 'call', id: -1, method: 'x', sessionId: 's' }, { type: 'init' }]) real.children[0]!.send(junk as never);
    const status = await real.relay.call('auth.status', {}, 'w1');
    expect(status.ok).toBe(true);
    const unknown = await real.relay.call('no.such', {}, 'w1');
    expect(unknown).toMatchObject({ ok: false, error: { code: 'backend.unknown_method' } });
    const patientId = await signedInWithPatient(real.relay, 'w1');
    expect(await real.relay.call('doses.record', historical(patientId), 'w1')).toMatchObject({ ok: true });
  }, 60_000);

  it('a save in flight when the backend is SIGKILLed answers not_confirmed, and the dose is committed or absent, never acknowledged and lost', async () => {
    real = realRelay();
    await real.relay.start();
    const patientId = await signedInWithPatient(real.relay, 'w1');
    const saving = real.relay.call('doses.record', historical(patientId), 'w1');
    real.children[0]!.kill('SIGKILL');
    expect(await saving).toMatchObject({ ok: false, error: { code: 'backend.not_confirmed' } });

    // The relay restarted the backend; the old session is gone with the process.
    await expect.poll(() => real!.restarts.length, { timeout: 20_000 }).toBe(1);
    await real.relay.call('auth.signIn', { username: ADMIN.username, password: ADMIN.password }, 'w3');
    const listed = await real.relay.call('doses.listForPatient', { patientId }, 'w3');
    expect(listed.ok).toBe(true);
    expect((listed as { value: unknown[] }).value.length).toBeLessThanOrEqual(1);
    // And an acknowledged save is there after the next kill.
    const saved = await real.relay.call('doses.record', historical(patientId), 'w3');
    expect(saved.ok).toBe(true);
  }, 90_000);

  it('a hung backend misses its ping, is killed and restarted, and calls are answered again', async () => {
    real = realRelay({ pingEveryMs: 100, pingTimeoutMs: 600 });
    await real.relay.start();
    real.children[0]!.kill('SIGSTOP');
    await expect.poll(() => real!.restarts.length, { timeout: 20_000 }).toBe(1);
    await expect.poll(async () => (await real!.relay.call('auth.status', {}, 'w1')).ok, { timeout: 20_000 }).toBe(true);
    expect(real.children).toHaveLength(2);
  }, 60_000);
});

/** A child whose behaviour the test scripts. */
class ScriptedChild implements BackendChild {
  sent: unknown[] = [];
  private message?: (m: unknown) => void;
  private exit?: (code: number | null) => void;
  constructor(private readonly onSend: (child: ScriptedChild, m: unknown) => void) {}
  send(m: unknown): void {
    this.sent.push(m);
    this.onSend(this, m);
  }
  onMessage(l: (m: unknown) => void): void {
    this.message = l;
  }
  onExit(l: (code: number | null) => void): void {
    this.exit = l;
  }
  kill(): void {
    queueMicrotask(() => this.exit?.(null));
  }
  reply(m: unknown): void {
    queueMicrotask(() => this.message?.(m));
  }
  die(code: number): void {
    queueMicrotask(() => this.exit?.(code));
  }
}

const READY = { type: 'ready', info: { databasePath: '/x.sqlite3', updateChannel: 'stable' } };
const isType = (m: unknown, t: string): m is Record<string, unknown> => typeof m === 'object' && m !== null && (m as { type?: unknown }).type === t;

describe('the relay against scripted backends', () => {
  it('gives up after 3 restarts within 10 minutes, shows its screen, and answers calls as unavailable', async () => {
    let clock = 0;
    let spawned = 0;
    const gaveUp: string[] = [];
    const relay = new BackendRelay({
      spawn: () => {
        spawned += 1;
        return new ScriptedChild((c, m) => {
          if (isType(m, 'init')) c.die(1);
        });
      },
      init: initFor('/nowhere'),
      onEvent: () => undefined,
      onGiveUp: (title) => gaveUp.push(title),
      now: () => (clock += 1000),
      log: () => undefined,
    });
    await expect(relay.start()).rejects.toThrow(/stopped 4 times in 10 minutes/);
    expect(spawned).toBe(4);
    expect(gaveUp).toEqual(['DoseDesk stopped working']);
    expect(await relay.call('doses.record', {}, 'w')).toMatchObject({ ok: false, error: { code: 'backend.unavailable' } });
  });

  it('restarts spread over more than 10 minutes do not add up to giving up', async () => {
    let clock = 0;
    let spawned = 0;
    const relay = new BackendRelay({
      spawn: () => {
        spawned += 1;
        const n = spawned;
        return new ScriptedChild((c, m) => {
          if (isType(m, 'init')) {
            if (n <= 5) c.die(1);
            else c.reply(READY);
          }
        });
      },
      init: initFor('/nowhere'),
      onEvent: () => undefined,
      onGiveUp: () => undefined,
      now: () => (clock += 4 * 60_000),
      stopTimeoutMs: 50,
      log: () => undefined,
    });
    await expect(relay.start()).resolves.toMatchObject({ databasePath: '/x.sqlite3' });
    expect(spawned).toBe(6);
    await relay.stop();
  });

  it('drops garbage from the backend and still delivers the real answer to the right caller', async () => {
    const logged: string[] = [];
    const relay = new BackendRelay({
      spawn: () =>
        new ScriptedChild((c, m) => {
          if (isType(m, 'init')) c.reply(READY);
          if (isType(m, 'call')) {
            c.reply('nonsense');
            c.reply({ type: 'result', id: m.id, result: { ok: 'yes' } });
            c.reply({ type: 'result', id: 999_999, result: { ok: true, value: 'for nobody' } });
            c.reply({ type: 'result', id: m.id, result: { ok: true, value: m.method } });
          }
        }),
      init: initFor('/nowhere'),
      onEvent: () => undefined,
      onGiveUp: () => undefined,
      stopTimeoutMs: 50,
      log: (l) => logged.push(l),
    });
    await relay.start();
    expect(await relay.call('patients.search', {}, 'w')).toEqual({ ok: true, value: 'patients.search' });
    expect(logged.filter((l) => l.includes('not part of the protocol'))).toHaveLength(2);
    await relay.stop();
  });

  it('quit waits for the save in flight before it stops the backend, and refuses new calls meanwhile', async () => {
    let answer: (() => void) | undefined;
    const order: string[] = [];
    const relay = new BackendRelay({
      spawn: () =>
        new ScriptedChild((c, m) => {
          if (isType(m, 'init')) c.reply(READY);
          if (isType(m, 'call')) answer = () => c.reply({ type: 'result', id: m.id, result: { ok: true, value: 'saved' } });
          if (isType(m, 'stop')) {
            order.push('stop sent');
            c.die(0);
          }
        }),
      init: initFor('/nowhere'),
      onEvent: () => undefined,
      onGiveUp: () => undefined,
      log: () => undefined,
    });
    await relay.start();
    const saving = relay.call('doses.record', {}, 'w').then((r) => {
      order.push('save answered');
      return r;
    });
    const stopping = relay.stop();
    expect(await relay.call('doses.record', {}, 'w')).toMatchObject({ ok: false, error: { code: 'app.closing' } });
    await new Promise((r) => setTimeout(r, 50));
    expect(order).toEqual([]);
    answer!();
    await stopping;
    expect(await saving).toEqual({ ok: true, value: 'saved' });
    expect(order).toEqual(['save answered', 'stop sent']);
  });
});
