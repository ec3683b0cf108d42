import { createSyncController } from '../../../sync';
import { startRegistrySimulator, type RegistrySimulator } from '../../../sync/sim';
import { createSoapTransport } from '../../../sync/transport/soap-transport';
import { Reporting } from '../../../electron/services/reporting';
import { TRAINING_BANNER } from '../../../electron/services/training';
import { ADMIN_PASSWORD, makeApp, seedClinic, type TestApp } from '../fixtures/app';

// Training mode with the real simulator and the real sync engine, and the switch to
// production with a connection check that reports nothing.

function reportingFor(app: TestApp, started: RegistrySimulator[] = []) {
  return new Reporting({
    services: app.services,
    startSimulator: async (options) => {
      const sim = await startRegistrySimulator(options);
      started.push(sim);
      return sim;
    },
    createController: (parts) => createSyncController(parts),
  });
}

async function until(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('training mode', () => {
  it('is the default: banner on, the simulator receives the dose, marked as training (MSH-11 T)', async () => {
    const app = makeApp();
    const sims: RegistrySimulator[] = [];
    const reporting = reportingFor(app, sims);
    try {
      await app.ok('auth.createFirstAdmin', { username: 'admin', displayName: 'Ada', password: ADMIN_PASSWORD });
      const info = await app.ok('app.info', {});
      expect(info).toMatchObject({ mode: 'training', trainingBanner: TRAINING_BANNER });
      expect(info.trainingBanner).toMatch(/nothing .* reaches MIIS/);

      await reporting.start(app.services.settings.mode());
      expect(new URL(reporting.trainingEndpoint!.url).hostname).toBe('127.0.0.1');
      const clinic = await seedClinic(app);
      await app.ok('doses.record', { dose: clinic.dose() });
      await until(() => app.store.outbox.stats().accepted + app.store.outbox.stats().warning >= 1, 'the simulator to accept the dose');
      const [sim] = sims;
      const received = sim!.received().filter((m) => m.operation === 'submitSingleMessage');
      expect(received).toHaveLength(1);
      expect(received[0]!.hl7!.split('\r')[0]!.split('|')[10]).toBe('T');
      expect((await app.ok('sync.status', {})).mode).toBe('training');
    } finally {
      await reporting.stop();
      app.done();
    }
  });
});

describe('switching to production', () => {
  let app: TestApp;
  let miis: RegistrySimulator;

  beforeEach(async () => {
    // Stands in for MIIS: WS-Security credentials, no connectivityTest.
    miis = await startRegistrySimulator({ users: [{ username: 'clinic-user', password: 'right-secret' }], credentialPlacement: 'wsse', connectivityTestSupported: false });
    app = makeApp({
      configText: JSON.stringify({ registry: { preset: 'massachusetts', endpointUrl: miis.url, vaccinePin: 'PIN-123', facilityId: 'FAC-1' } }),
      services: { checkConnection: (endpoint) => createSoapTransport(endpoint).checkConnection() },
    });
    await app.ok('auth.createFirstAdmin', { username: 'admin', displayName: 'Ada', password: ADMIN_PASSWORD });
  });
  afterEach(async () => {
    app.done();
    await miis.stop();
  });

  it('needs credentials first', async () => {
    const r = await app.call('registry.switchToProduction', {});
    expect(r.ok ? 'ok' : r.error.code).toBe('registry.not_configured');
    expect(app.services.settings.mode()).toBe('training');
  });

  it('refused credentials keep training mode and report nothing', async () => {
    await app.ok('registry.saveCredentials', { username: 'clinic-user', password: 'wrong-secret' });
    const r = await app.call('registry.switchToProduction', {});
    expect(r.ok ? 'ok' : r.error.kind).toBe('registry');
    expect(app.services.settings.mode()).toBe('training');
    expect(miis.received().filter((m) => m.operation === 'submitSingleMessage' && m.outcome === 'processed')).toHaveLength(0);
    expect(miis.accepted()).toHaveLength(0);
  });

  it('a successful check switches, audits and restarts reporting, without reporting a dose', async () => {
    const modes: string[] = [];
    app.services.onModeChange = async (mode) => {
      modes.push(mode);
    };
    await app.ok('registry.saveCredentials', { username: 'clinic-user', password: 'right-secret' });
    const check = await app.ok('registry.switchToProduction', {});
    expect(check).toMatchObject({ ok: true, method: 'probe', endpoint: new URL(miis.url).origin });
    expect(app.services.settings.mode()).toBe('production');
    expect(modes).toEqual(['production']);
    expect((await app.ok('app.info', {})).trainingBanner).toBeUndefined();
    expect(miis.accepted()).toHaveLength(0);
    const actions = app.store.audit.list({ limit: 10 }).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['registry.connection_checked', 'registry.mode_changed']));
  });

  it('is refused while training reports are still unsent', async () => {
    await app.ok('registry.saveCredentials', { username: 'clinic-user', password: 'right-secret' });
    const clinic = await seedClinic(app);
    await app.ok('doses.record', { dose: clinic.dose() });
    const r = await app.call('registry.switchToProduction', {});
    expect(r.ok ? 'ok' : r.error.code).toBe('registry.unsent_reports');
    expect(app.services.settings.mode()).toBe('training');
  });

  it('doses recorded in training cannot be edited or deleted once in production', async () => {
    await app.ok('registry.saveCredentials', { username: 'clinic-user', password: 'right-secret' });
    const clinic = await seedClinic(app);
    const practice = await app.ok('doses.record', { dose: clinic.dose() });
    // The simulator accepted it (done by hand here: no engine runs in this test).
    const [entry] = app.store.outbox.claimDue(new Date('2030-01-01T00:00:00Z'), 1, 60_000);
    app.store.outbox.markAccepted(entry!.seq, { code: 'AA', text: '', messages: [], warning: false });
    app.clock.advance(60_000);
    await app.ok('registry.switchToProduction', {});
    app.clock.advance(60_000);

    const edit = await app.call('doses.edit', { id: practice.dose.id, dose: clinic.dose({ site: 'RD' }), expectedVersion: practice.dose.version });
    expect(edit.ok ? 'ok' : edit.error.code).toBe('dose.other_mode');
    const remove = await app.call('doses.remove', { id: practice.dose.id, reason: 'practice record' });
    expect(remove.ok ? 'ok' : remove.error.code).toBe('dose.other_mode');

    const real = await app.ok('doses.record', { dose: clinic.dose({ administeredTime: '11:15' }) });
    expect((await app.call('doses.edit', { id: real.dose.id, dose: clinic.dose({ administeredTime: '11:15', site: 'RD' }), expectedVersion: real.dose.version })).ok).toBe(true);
  });

  it('IT can pin training mode in the machine file', async () => {
    const pinned = makeApp({ configText: JSON.stringify({ mode: 'training' }) });
    try {
      await pinned.ok('auth.createFirstAdmin', { username: 'admin', displayName: 'Ada', password: ADMIN_PASSWORD });
      const r = await pinned.call('registry.switchToProduction', {});
      expect(r.ok ? 'ok' : r.error.code).toBe('settings.fixed_by_machine');
    } finally {
      pinned.done();
    }
  });
});
