import { createSyncController } from '../../../electron/services/engine-controller';
import { startRegistrySimulator, type RegistrySimulator } from '../../../sync/sim';
import { Reporting } from '../../../electron/services/reporting';
import { TRAINING_BANNER } from '../../../electron/services/training';
import { existsSync } from 'node:fs';
import { openStore } from '../../../electron/store';
import { ADMIN_PASSWORD, makeApp, seedClinic, type TestApp } from '../fixtures/app';
import { MIIS_USER, boot, firstAdmin, miisConfigText, seed, startMiis, type Booted } from './started-app';

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

      await reporting.start(app.services.settings.mode(), app.store);
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
  let app: Booted;
  let miis: RegistrySimulator;

  beforeEach(async () => {
    miis = await startMiis();
    app = await boot({ configText: miisConfigText(miis) });
    await firstAdmin(app);
  });
  afterEach(async () => {
    await app.stop();
    await miis.stop();
  });

  it('needs credentials first', async () => {
    const r = await app.call('registry.switchToProduction', {});
    expect(r.ok ? 'ok' : r.error.code).toBe('registry.not_configured');
    expect(app.mode()).toBe('training');
  });

  it('refused credentials keep training mode and report nothing', async () => {
    await app.ok('registry.saveCredentials', { username: 'clinic-user', password: 'wrong-secret' });
    const r = await app.call('registry.switchToProduction', {});
    expect(r.ok ? 'ok' : r.error.kind).toBe('registry');
    expect(app.mode()).toBe('training');
    expect(miis.received().filter((m) => m.operation === 'submitSingleMessage' && m.outcome === 'processed')).toHaveLength(0);
    expect(miis.accepted()).toHaveLength(0);
    expect(existsSync(app.started.files.production)).toBe(false);
  });

  it('a successful check switches, audits in both databases and restarts reporting, without reporting a dose', async () => {
    await app.ok('registry.saveCredentials', MIIS_USER);
    const trainingStore = app.started.store.active;
    const check = await app.ok('registry.switchToProduction', {});
    expect(check).toMatchObject({ ok: true, method: 'probe', endpoint: new URL(miis.url).origin });
    expect(app.mode()).toBe('production');
    expect(app.started.store.path).toBe(app.started.files.production);
    expect(app.log).toEqual(['start:training', 'stop-begun:training', 'stopped:training', 'start:production']);
    expect((await app.ok('app.info', {})).trainingBanner).toBeUndefined();
    expect((await app.ok('sync.status', {})).mode).toBe('production');
    expect(miis.accepted()).toHaveLength(0);
    expect(app.started.store.audit.list({ limit: 20 }).map((e) => e.action)).toContain('registry.mode_changed');
    // The training database is closed; its own trail says where the app went.
    expect(() => trainingStore.audit.list()).toThrow();
    const training = openStore(app.started.files.training);
    try {
      const actions = training.audit.list({ limit: 50 }).map((e) => e.action);
      expect(actions).toEqual(expect.arrayContaining(['registry.connection_checked', 'registry.mode_changed']));
    } finally {
      training.close();
    }
  });

  it('practice reports still waiting stay in the training database and never go to MIIS', async () => {
    await app.ok('registry.saveCredentials', MIIS_USER);
    app.simulators[0]!.failNext(1_000, 'http503');
    const clinic = await seed(app, { mrn: 'PRACTICE-1', lastName: 'Practice' });
    const { outbox } = await app.ok('doses.record', { dose: clinic.dose() });
    await app.ok('registry.switchToProduction', {});
    expect(app.mode()).toBe('production');
    expect(app.started.store.outbox.stats().pending).toBe(0);
    await app.ok('sync.retryNow', {});
    expect(miis.received().map((m) => m.controlId)).not.toContain(outbox!.messageControlId);
    const training = openStore(app.started.files.training);
    try {
      expect(training.outbox.byControlId(outbox!.messageControlId)?.state).toBe('pending');
    } finally {
      training.close();
    }
  });

  it('IT can pin training mode in the machine file', async () => {
    const pinned = await boot({ configText: JSON.stringify({ mode: 'training' }) });
    try {
      await firstAdmin(pinned);
      const r = await pinned.call('registry.switchToProduction', {});
      expect(r.ok ? 'ok' : r.error.code).toBe('settings.fixed_by_machine');
    } finally {
      await pinned.stop();
    }
  });
});
