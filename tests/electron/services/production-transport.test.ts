import { ProductionTransport, type DisposableTransport } from '../../../electron/services/production-transport';
import { massachusettsPreset, type EndpointSettings } from '../../../sync/transport/settings';
import type { SubmitOutcome } from '../../../sync/transport/types';

// The cache's own rules, with transports whose sends the test finishes by hand.

class HeldTransport implements DisposableTransport {
  disposed = 0;
  private release: (() => void)[] = [];
  constructor(readonly endpoint: EndpointSettings) {}
  submit(): Promise<SubmitOutcome> {
    return new Promise((resolve) => this.release.push(() => resolve({ kind: 'delivered', ackText: 'MSH|', ackSegments: ['MSH|', 'MSA|AA'] })));
  }
  async checkConnection() {
    return { ok: true as const, detail: 'fine' };
  }
  finishAll(): void {
    for (const r of this.release.splice(0)) r();
  }
  dispose(): void {
    this.disposed += 1;
  }
}

function setup() {
  let key = 'config-1';
  let configured = true;
  const built: HeldTransport[] = [];
  const errors: string[] = [];
  const cache = new ProductionTransport({
    configurationKey: () => key,
    endpoint: () => {
      if (!configured) throw new Error('Production reporting needs the MIIS web-service user name and password.');
      return massachusettsPreset({ url: 'https://miis.example.org/soap', facilityId: 'PIN', username: key, password: 'x' });
    },
    make: (endpoint) => {
      const t = new HeldTransport(endpoint);
      built.push(t);
      return t;
    },
    logError: (context) => errors.push(context),
  });
  return { cache, built, errors, setKey: (k: string) => (key = k), setConfigured: (c: boolean) => (configured = c) };
}

describe('ProductionTransport', () => {
  it('a retired transport closes only after the send still using it has finished', async () => {
    const t = setup();
    const first = t.cache.get()!;
    const inFlight = first.submit('MSH|...');
    t.setKey('config-2');
    const second = t.cache.get()!;
    expect(second).not.toBe(first);
    expect(t.built[0]!.disposed).toBe(0);
    t.built[0]!.finishAll();
    await inFlight;
    expect(t.built[0]!.disposed).toBe(1);
    expect(t.built[1]!.disposed).toBe(0);
    t.cache.close();
    expect(t.built[1]!.disposed).toBe(1);
    expect(t.cache.get()).toBeUndefined();
    expect(t.built).toHaveLength(2);
  });

  it('an incomplete configuration is not remembered: the next attempt after it is fixed builds the transport', () => {
    const t = setup();
    t.setConfigured(false);
    expect(t.cache.get()).toBeUndefined();
    expect(t.cache.get()).toBeUndefined();
    expect(t.errors).toEqual(['building the production transport', 'building the production transport']);
    t.setConfigured(true);
    const built = t.cache.get();
    expect(built).toBeDefined();
    expect(t.cache.get()).toBe(built);
    expect(t.built).toHaveLength(1);
  });
});
