import { mkdirSync, rmSync } from 'node:fs';
import type { RegistrySimulator } from '../../../sync/sim';
import { createSoapTransport } from '../../../sync/transport/soap-transport';
import type { DisposableTransport } from '../../../electron/services/production-transport';
import { readModeRecord } from '../../../electron/services/mode-files';
import { checkEndpoint } from '../../../electron/services/registry';
import { openStore } from '../../../electron/store';
import { ADMIN_PASSWORD, PASSWORD } from '../fixtures/app';
import { MIIS_USER, boot, firstAdmin, latch, miisConfigText, seed, settled, startMiis, until, type Booted } from './started-app';

// Training and production each have their own database; a switch stops one mode completely,
// closes its file, opens the other and starts again there. Real engine, real simulators.

let miis: RegistrySimulator;
const apps: Booted[] = [];

beforeEach(async () => {
  miis = await startMiis();
});
afterEach(async () => {
  for (const app of apps.splice(0)) await app.stop();
  await miis.stop();
});

async function bootTraining(extra: Parameters<typeof boot>[0] = {}): Promise<Booted> {
  const app = await boot({ configText: miisConfigText(miis), ...extra });
  apps.push(app);
  await firstAdmin(app);
  await app.ok('registry.saveCredentials', MIIS_USER);
  return app;
}

function readOnly<T>(path: string, read: (store: ReturnType<typeof openStore>) => T): T {
  const store = openStore(path);
  try {
    return read(store);
  } finally {
    store.close();
  }
}

describe('each mode has its own database', () => {
  it('practice records never appear in production, real ones never in training', async () => {
    const app = await bootTraining();
    const practice = await seed(app, { mrn: 'PRACTICE-1', lastName: 'Practiceperson' });
    await app.ok('doses.record', { dose: practice.dose() });
    await until(() => settled(app) === 1, 'the simulator to accept the practice dose');

    await app.ok('registry.switchToProduction', {});
    expect(await app.ok('patients.search', { text: 'Practiceperson' })).toEqual([]);
    expect(await app.call('patients.get', { id: practice.patient.id })).toMatchObject({ ok: false, error: { kind: 'not_found' } });
    expect((await app.ok('forecast.recallList', {})).entries.map((e) => e.patientId)).not.toContain(practice.patient.id);
    expect(await app.ok('lots.list', {})).toEqual([]);
    expect((await app.ok('sync.workQueue', {})).items).toEqual([]);

    const real = await seed(app, { mrn: 'REAL-1', lastName: 'Realperson' });
    await app.ok('doses.record', { dose: real.dose() });
    await until(() => settled(app) === 1, 'MIIS to accept the real dose');
    expect(miis.accepted()).toHaveLength(1);

    await app.ok('registry.switchToTraining', {});
    expect(await app.ok('patients.search', { text: 'Realperson' })).toEqual([]);
    expect((await app.ok('patients.search', { text: 'Practiceperson' })).map((p) => p.id)).toEqual([practice.patient.id]);
    expect(await app.ok('doses.listForPatient', { patientId: practice.patient.id })).toHaveLength(1);

    const files = app.started.files;
    await app.stop();
    expect(readOnly(files.production, (s) => s.patients.count())).toBe(1);
    expect(readOnly(files.training, (s) => s.patients.count())).toBe(1);
  });

  it('accounts, clinicians, settings and credentials carry over; whoever is signed in stays signed in', async () => {
    const app = await bootTraining();
    const nurse = await app.ok('users.create', { user: { username: 'nurse', displayName: 'Nora Nurse', role: 'clinician' }, password: PASSWORD });
    await app.ok('auth.signIn', { username: 'nurse', password: PASSWORD }, 'clin');
    const clinician = await app.ok('clinicians.create', { clinician: { lastName: 'Seacole', firstName: 'Mary', credential: 'RN' } });
    await app.ok('settings.update', { scope: 'site', values: { 'site.name': 'Harbor Pharmacy' } });

    await app.ok('registry.switchToProduction', {});
    expect(await app.ok('auth.status', {})).toMatchObject({ state: 'signed_in', mode: 'production', user: { username: 'admin' } });
    expect(await app.ok('auth.status', {}, 'clin')).toMatchObject({ state: 'signed_in', user: { id: nurse.id } });
    expect((await app.ok('users.list', {})).map((u) => u.username).sort()).toEqual(['admin', 'nurse']);
    expect((await app.ok('clinicians.list', {})).map((c) => c.id)).toEqual([clinician.id]);
    const view = await app.ok('settings.get', {});
    expect(view.values['site.name']).toBe('Harbor Pharmacy');
    expect(view.credentials).toMatchObject({ stored: true, username: MIIS_USER.username });

    // A change in production is what the training file gets at the next switch.
    await app.ok('users.create', { user: { username: 'desk', displayName: 'Dan Desk', role: 'front_desk' }, password: PASSWORD });
    await app.ok('registry.switchToTraining', {});
    expect((await app.ok('users.list', {})).map((u) => u.username).sort()).toEqual(['admin', 'desk', 'nurse']);
    expect((await app.ok('auth.signIn', { username: 'desk', password: PASSWORD }, 'desk')).state).toBe('signed_in');
  });

  it('a real dose stays editable after leaving production and coming back', async () => {
    const app = await bootTraining();
    await app.ok('registry.switchToProduction', {});
    const real = await seed(app, { mrn: 'REAL-1', lastName: 'Realperson' });
    const recorded = await app.ok('doses.record', { dose: real.dose() });
    await until(() => settled(app) === 1, 'MIIS to accept the dose');
    await app.ok('registry.switchToTraining', {});
    await app.ok('registry.switchToProduction', {});

    const edit = await app.call('doses.edit', { id: recorded.dose.id, dose: real.dose({ site: 'RD' }), expectedVersion: recorded.dose.version });
    expect(edit.ok ? 'ok' : edit.error.code).toBe('ok');
    await until(() => settled(app) === 2, 'MIIS to accept the update');
    const rxa21 = miis.received().flatMap((m) => (m.hl7 ?? '').split('\r').filter((seg) => seg.startsWith('RXA')).map((seg) => seg.split('|')[21]));
    expect(rxa21).toEqual(['A', 'U']);
  });

  it('a restart opens the mode the app was in', async () => {
    const app = await bootTraining();
    await app.ok('registry.switchToProduction', {});
    await seed(app, { mrn: 'REAL-1', lastName: 'Realperson' });
    await app.stop();
    apps.splice(apps.indexOf(app), 1);

    const again = await boot({ dir: app.dir, configText: miisConfigText(miis) });
    apps.push(again);
    expect(again.mode()).toBe('production');
    expect(again.started.store.path).toBe(again.started.files.production);
    expect(again.log).toEqual(['start:production']);
    expect(again.started.store.patients.count()).toBe(1);
  });
});

describe('a switch stops one mode before anything of the other starts', () => {
  it('a practice dose saved and in flight during the connection check stays in training and never reaches MIIS', async () => {
    const check = latch();
    const held = latch();
    let trainingUrl = '';
    const app = await bootTraining({
      checkConnection: async (endpoint) => {
        await check.promise;
        return checkEndpoint(endpoint);
      },
      startSimulator: async (options) => {
        const { startRegistrySimulator } = await import('../../../sync/sim');
        const sim = await startRegistrySimulator(options);
        trainingUrl = sim.url;
        return sim;
      },
      // Sends to the training simulator wait until the test lets them go (or reporting stops).
      makeTransport: (endpoint): DisposableTransport => {
        const transport = createSoapTransport(endpoint);
        if (endpoint.url !== trainingUrl) return transport;
        return {
          submit: async (hl7, opts) => {
            await Promise.race([held.promise, new Promise((resolve) => opts?.signal?.addEventListener('abort', resolve))]);
            return transport.submit(hl7, opts);
          },
          checkConnection: () => transport.checkConnection(),
          dispose: () => transport.dispose(),
        };
      },
    });
    try {
      const practice = await seed(app, { mrn: 'PRACTICE-1', lastName: 'Practiceperson' });
      const switching = app.call('registry.switchToProduction', {});
      // The clinic keeps working during the (up to 30 s) check: this save is practice.
      const saved = (await app.ok('doses.record', { dose: practice.dose() }, 's1')).outbox!;
      await until(() => app.started.store.outbox.stats().sending === 1, 'the practice send to be in flight');
      check.open();
      expect(await switching).toMatchObject({ ok: true });
      expect(app.mode()).toBe('production');
      expect(app.log).toEqual(['start:training', 'stop-begun:training', 'stopped:training', 'start:production']);

      await app.ok('sync.retryNow', {});
      expect(miis.received().map((m) => m.controlId)).not.toContain(saved.messageControlId);
      expect(app.started.store.outbox.byControlId(saved.messageControlId)).toBeUndefined();
      // Aborted by the stop and back to pending in its own file, with the training marks.
      const entry = readOnly(app.started.files.training, (s) => s.outbox.byControlId(saved.messageControlId));
      expect(entry?.state).toBe('pending');
      expect(entry?.messageText?.split('\r')[0]?.split('|')[10]).toBe('T');
    } finally {
      held.open();
      check.open();
    }
  });

  it('a save that arrives while the switch runs is refused and written nowhere', async () => {
    const simulatorAsked = latch();
    const simulatorMayStart = latch();
    let gate = false;
    const app = await bootTraining({
      startSimulator: async (options) => {
        const { startRegistrySimulator } = await import('../../../sync/sim');
        if (gate) {
          simulatorAsked.open();
          await simulatorMayStart.promise;
        }
        return startRegistrySimulator(options);
      },
    });
    await app.ok('users.create', { user: { username: 'nurse', displayName: 'Nora Nurse', role: 'clinician' }, password: PASSWORD });
    await app.ok('auth.signIn', { username: 'nurse', password: PASSWORD }, 'clin');
    await app.ok('registry.switchToProduction', {});
    const real = await seed(app, { mrn: 'REAL-1', lastName: 'Realperson' });

    gate = true;
    const switching = app.call('registry.switchToTraining', {});
    await simulatorAsked.promise;
    // The nurse presses Save on a real dose at this very moment.
    const save = await app.call('doses.record', { dose: real.dose() }, 'clin');
    expect(save.ok ? 'ok' : save.error.code).toBe('app.switching_mode');
    expect(save.ok ? '' : save.error.message).toMatch(/nothing was changed/);
    simulatorMayStart.open();
    expect((await switching).ok).toBe(true);
    expect(app.mode()).toBe('training');

    expect(await app.ok('doses.listForPatient', { patientId: real.patient.id }, 'clin')).toEqual([]);
    const files = app.started.files;
    expect(readOnly(files.production, (s) => s.outbox.stats().pending + s.outbox.stats().accepted)).toBe(0);
    expect(readOnly(files.training, (s) => s.outbox.stats().pending + s.outbox.stats().accepted)).toBe(0);
    // And afterwards, calls go through again.
    expect((await app.call('sync.status', {}, 'clin')).ok).toBe(true);
  });

  it('leaving production with a report not yet at MIIS is refused, and reporting carries on', async () => {
    const app = await bootTraining();
    await app.ok('registry.switchToProduction', {});
    miis.failNext(10_000, 'http503');
    const real = await seed(app, { mrn: 'REAL-1', lastName: 'Realperson' });
    await app.ok('doses.record', { dose: real.dose() });

    const r = await app.call('registry.switchToTraining', {});
    expect(r.ok ? 'ok' : r.error.code).toBe('registry.unsent_reports');
    expect(r.ok ? '' : r.error.message).toMatch(/1 report is still waiting for MIIS/);
    expect(app.mode()).toBe('production');
    expect(app.log).toEqual(['start:training', 'stop-begun:training', 'stopped:training', 'start:production']);

    miis.reset();
    await app.ok('sync.retryNow', {});
    await until(() => settled(app) === 1, 'MIIS to accept the dose once it is back');
    expect((await app.call('registry.switchToTraining', {})).ok).toBe(true);
  });

  it('a switch that fails leaves the old mode as it was, reporting included', async () => {
    const app = await bootTraining();
    // Something in the way of the production database (IT restored a folder under its name).
    mkdirSync(app.started.files.production);
    const r = await app.call('registry.switchToProduction', {});
    expect(r.ok ? 'ok' : r.error.code).toBe('registry.switch_failed');
    expect(r.ok ? '' : r.error.message).toMatch(/stays in training mode/);
    expect(app.mode()).toBe('training');
    expect(readModeRecord(app.started.files)).toMatchObject({ state: 'ok', record: { mode: 'training' } });
    expect((await app.ok('app.info', {})).trainingBanner).toBeDefined();

    const practice = await seed(app, { mrn: 'PRACTICE-1', lastName: 'Practiceperson' });
    await app.ok('doses.record', { dose: practice.dose() });
    await until(() => settled(app) === 1, 'the training simulator to accept a dose after the failed switch');
    expect(app.log).toEqual(['start:training', 'stop-begun:training', 'stopped:training', 'start:training']);

    rmSync(app.started.files.production, { recursive: true });
    expect((await app.call('registry.switchToProduction', {})).ok).toBe(true);
  });

  it('accounts that disagree between the two files stop the switch with a message, and training keeps working', async () => {
    const first = await bootTraining();
    await first.ok('registry.switchToProduction', {});
    await first.ok('registry.switchToTraining', {});
    await first.stop();
    apps.splice(apps.indexOf(first), 1);
    // The production file comes back from an older backup in which "nurse" was someone else.
    const hash = readOnly(first.started.files.training, (s) => s.users.byUsername('admin')!.passwordHash);
    const production = openStore(first.started.files.production);
    production.users.create({ username: 'nurse', displayName: 'Another Nurse', role: 'clinician', passwordHash: hash }, null);
    production.close();
    const app = await boot({ dir: first.dir, configText: miisConfigText(miis) });
    apps.push(app);
    await app.ok('auth.signIn', { username: 'admin', password: ADMIN_PASSWORD });
    await app.ok('users.create', { user: { username: 'nurse', displayName: 'Nora Nurse', role: 'clinician' }, password: PASSWORD });

    const r = await app.call('registry.switchToProduction', {});
    expect(r.ok ? 'ok' : r.error.code).toBe('registry.switch_failed');
    expect(r.ok ? '' : r.error.message).toMatch(/a user name there belongs to a different account/);
    expect(app.mode()).toBe('training');
    expect(readOnly(first.started.files.production, (s) => s.users.byUsername('nurse')?.displayName)).toBe('Another Nurse');
    const practice = await seed(app, { mrn: 'PRACTICE-1', lastName: 'Practiceperson' });
    await app.ok('doses.record', { dose: practice.dose() });
    await until(() => settled(app) === 1, 'the training simulator to accept a dose after the refused switch');
  });

  it('settings changed during the connection check stop the switch', async () => {
    const check = latch();
    const app = await bootTraining({
      checkConnection: async (endpoint) => {
        await check.promise;
        return checkEndpoint(endpoint);
      },
    });
    const switching = app.call('registry.switchToProduction', {});
    await app.ok('registry.saveCredentials', { username: 'someone-else', password: 'other' });
    check.open();
    const r = await switching;
    expect(r.ok ? 'ok' : r.error.code).toBe('registry.changed_during_check');
    expect(app.mode()).toBe('training');
  });
});
