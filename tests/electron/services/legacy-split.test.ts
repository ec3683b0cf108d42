import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RegistrySimulator } from '../../../sync/sim';
import { CredentialStore } from '../../../electron/services/credentials';
import { modeFiles, readModeRecord, type ModeFiles } from '../../../electron/services/mode-files';
import { hashPassword } from '../../../electron/services/passwords';
import { LEGACY_MODE_KEY, LEGACY_MODE_SINCE_KEY } from '../../../electron/services/settings';
import { openStore, type LocalStore } from '../../../electron/store';
import { ADMIN_PASSWORD, FAST_SCRYPT, doseInput, fakeSafeStorage, lotInput, patientInput } from '../fixtures/app';
import { MIIS_USER, boot, miisConfigText, settled, startMiis, until, type Booted } from './started-app';

// An install from before training had its own file: one dosedesk.sqlite3 holding practice and
// real records, `app.mode` and `app.modeSince` in its settings. The first start of this
// version splits it without losing or mislabelling a real dose.

let miis: RegistrySimulator;
const apps: Booted[] = [];
beforeEach(async () => {
  miis = await startMiis();
});
afterEach(async () => {
  for (const app of apps.splice(0)) await app.stop();
  await miis.stop();
});

/** The shared database as the old version left it. */
async function sharedDatabase(build: (old: OldApp) => void | Promise<void>): Promise<ModeFiles> {
  const files = modeFiles(mkdtempSync(join(tmpdir(), 'dosedesk-legacy-')));
  const store = openStore(files.production);
  try {
    const admin = store.users.create({ username: 'admin', displayName: 'Ada Admin', role: 'administrator', passwordHash: await hashPassword(ADMIN_PASSWORD, FAST_SCRYPT) }, null);
    new CredentialStore(fakeSafeStorage(), store.settings, 'linux').save(MIIS_USER, { userId: admin.id });
    const clinician = store.clinicians.create({ lastName: 'Nightingale', firstName: 'Flo', credential: 'RN' }, { userId: admin.id });
    const lot = store.lots.receive(lotInput(), { userId: admin.id });
    await build(new OldApp(store, admin.id, clinician.id, lot.id));
  } finally {
    store.close();
  }
  return files;
}

class OldApp {
  private n = 0;
  constructor(
    readonly store: LocalStore,
    private readonly adminId: string,
    private readonly clinicianId: string,
    private readonly lotId: string,
  ) {}

  /** A patient and a dose; `sent` = the processing ID (MSH-11) it was sent with, if it was. */
  dose(lastName: string, sent?: { processingId: 'T' | 'P'; state: 'accepted' | 'sending' }) {
    this.n += 1;
    const actor = { userId: this.adminId };
    const patient = this.store.patients.create(patientInput({ mrn: `OLD-${this.n}`, lastName }), actor);
    const { dose, outbox } = this.store.doses.record(doseInput(patient.id, this.lotId, this.clinicianId), actor, '2026-11-25');
    if (sent) {
      const claimed = this.store.outbox.claimDue(new Date('2030-01-01T00:00:00Z'), 1000, 60_000).find((e) => e.seq === outbox.seq)!;
      this.store.outbox.setMessage(claimed.seq, `MSH|^~\\&|DoseDesk|PIN-123|MIIS|99990|20261125103000||VXU^V04^VXU_V04|${claimed.messageControlId}|${sent.processingId}|2.5.1\r`);
      if (sent.state === 'accepted') this.store.outbox.markAccepted(claimed.seq, { code: 'AA', text: '', messages: [], warning: false });
      // Other entries claimed along the way go back to pending, as the old engine would leave them.
      this.store.outbox.recoverInFlight(new Date('2026-11-25T16:00:00Z'));
      if (sent.state === 'sending') this.store.outbox.claimDue(new Date('2030-01-01T00:00:00Z'), 1000, 60_000);
    }
    return { patient, dose, controlId: outbox.messageControlId };
  }

  switched(to: 'training' | 'production') {
    this.store.settings.set(LEGACY_MODE_KEY, to, { userId: this.adminId });
    this.store.settings.set(LEGACY_MODE_SINCE_KEY, new Date().toISOString(), { userId: this.adminId });
    this.store.audit.append({ userId: this.adminId, action: 'registry.mode_changed', detail: { to } });
  }
}

async function start(files: ModeFiles): Promise<Booted> {
  const app = await boot({ dir: files.dir, configText: miisConfigText(miis) });
  apps.push(app);
  await app.ok('auth.signIn', { username: 'admin', password: ADMIN_PASSWORD });
  return app;
}

function read<T>(path: string, fn: (s: LocalStore) => T): T {
  const store = openStore(path);
  try {
    return fn(store);
  } finally {
    store.close();
  }
}

describe('upgrading a database that training and production shared', () => {
  it('in production: stays the production file; practice doses are set apart, real ones stay editable and waiting ones still go to MIIS', async () => {
    let practice!: ReturnType<OldApp['dose']>;
    let real!: ReturnType<OldApp['dose']>;
    let waiting!: ReturnType<OldApp['dose']>;
    const files = await sharedDatabase((old) => {
      practice = old.dose('Practiceperson', { processingId: 'T', state: 'accepted' });
      old.switched('production');
      real = old.dose('Realperson', { processingId: 'P', state: 'accepted' });
      waiting = old.dose('Waitingperson');
    });
    const app = await start(files);
    expect(app.mode()).toBe('production');
    expect(app.started.store.path).toBe(files.production);
    expect(existsSync(files.training)).toBe(false);
    expect(existsSync(`${files.production}.pre-mode-split.bak`)).toBe(true);
    expect(readModeRecord(files)).toMatchObject({ state: 'ok', record: { mode: 'production' } });

    await until(() => miis.accepted().length === 1, 'the waiting real dose to reach MIIS');
    expect(miis.received().map((m) => m.controlId)).toContain(waiting.controlId);

    const editPractice = await app.call('doses.edit', { id: practice.dose.id, dose: { ...doseInput(practice.patient.id, practice.dose.lotId!, practice.dose.administeringClinicianId!), site: 'RD' }, expectedVersion: 1 });
    expect(editPractice.ok ? 'ok' : editPractice.error.code).toBe('dose.other_mode');
    const removePractice = await app.call('doses.remove', { id: practice.dose.id, reason: 'practice' });
    expect(removePractice.ok ? 'ok' : removePractice.error.code).toBe('dose.other_mode');
    const editReal = await app.call('doses.edit', { id: real.dose.id, dose: { ...doseInput(real.patient.id, real.dose.lotId!, real.dose.administeringClinicianId!), site: 'RD' }, expectedVersion: 1 });
    expect(editReal.ok ? 'ok' : editReal.error.code).toBe('ok');
    await until(() => settled(app) === 4, 'MIIS to accept the update of the real dose');

    // Training starts from a file of its own: the accounts, none of the records.
    await app.ok('registry.switchToTraining', {});
    expect(app.started.store.patients.count()).toBe(0);
    expect((await app.ok('users.list', {})).map((u) => u.username)).toEqual(['admin']);
    expect(read(files.production, (s) => s.patients.count())).toBe(3);
  });

  it('never used in production: the whole file becomes the training file', async () => {
    let practice!: ReturnType<OldApp['dose']>;
    const files = await sharedDatabase((old) => {
      practice = old.dose('Practiceperson', { processingId: 'T', state: 'accepted' });
    });
    const app = await start(files);
    expect(app.mode()).toBe('training');
    expect(existsSync(files.production)).toBe(false);
    expect(app.started.store.path).toBe(files.training);
    expect((await app.ok('patients.search', { text: 'Practiceperson' })).map((p) => p.id)).toEqual([practice.patient.id]);
    // Practice doses in a training file are ordinary training doses.
    const edit = await app.call('doses.edit', { id: practice.dose.id, dose: { ...doseInput(practice.patient.id, practice.dose.lotId!, practice.dose.administeringClinicianId!), site: 'RD' }, expectedVersion: 1 });
    expect(edit.ok).toBe(true);
  });

  it('back in training after production: stays the production file, and its waiting practice reports can never reach MIIS', async () => {
    let real!: ReturnType<OldApp['dose']>;
    let waiting!: ReturnType<OldApp['dose']>;
    let sending!: ReturnType<OldApp['dose']>;
    const files = await sharedDatabase((old) => {
      old.switched('production');
      real = old.dose('Realperson', { processingId: 'P', state: 'accepted' });
      old.switched('training');
      waiting = old.dose('Waitingpractice');
      sending = old.dose('Sendingpractice', { processingId: 'T', state: 'sending' });
    });
    const app = await start(files);
    expect(app.mode()).toBe('training');
    expect(app.started.store.path).toBe(files.training);
    expect(app.started.store.patients.count()).toBe(0);
    const cancelled = read(files.production, (s) => [s.outbox.byControlId(waiting.controlId)?.state, s.outbox.byControlId(sending.controlId)?.state]);
    expect(cancelled).toEqual(['cancelled', 'cancelled']);

    await app.ok('registry.switchToProduction', {});
    await app.ok('sync.retryNow', {});
    const sent = miis.received().map((m) => m.controlId);
    expect(sent).not.toContain(waiting.controlId);
    expect(sent).not.toContain(sending.controlId);
    expect((await app.ok('patients.search', { text: 'Realperson' })).map((p) => p.id)).toEqual([real.patient.id]);
    const edit = await app.call('doses.edit', { id: waiting.dose.id, dose: { ...doseInput(waiting.patient.id, waiting.dose.lotId!, waiting.dose.administeringClinicianId!), site: 'RD' }, expectedVersion: 1 });
    expect(edit.ok ? 'ok' : edit.error.code).toBe('dose.other_mode');
  });
});
