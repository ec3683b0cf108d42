import { createSyncEngine } from '../../../../sync/engine';
import type { SyncEngine, SyncEngineOptions, SyncEvent } from '../../../../sync/engine/types';
import { FakeOutbox, ScriptedTransport, VirtualTime, fakeMessage } from './fakes';

export interface Rig {
  engine: SyncEngine;
  outbox: FakeOutbox;
  transport: ScriptedTransport;
  time: VirtualTime;
  events: SyncEvent[];
  builds: number[];
}

/** An engine over fakes in virtual time; not started. */
export function rig(overrides: Partial<SyncEngineOptions> = {}, seedRandom = 0.5): Rig {
  const time = new VirtualTime();
  const outbox = new FakeOutbox(time);
  const transport = new ScriptedTransport();
  const events: SyncEvent[] = [];
  const builds: number[] = [];
  const engine = createSyncEngine({
    store: { outbox },
    transport,
    buildMessage: (e) => {
      builds.push(e.seq);
      return fakeMessage(e);
    },
    clock: time.clock,
    monotonic: time.monotonic,
    timers: time.timers,
    random: () => seedRandom,
    concurrency: 4,
    backoff: { baseMs: 1_000, capMs: 60_000 },
    onEvent: (e) => events.push(e),
    ...overrides,
  });
  return { engine, outbox, transport, time, events, builds };
}
