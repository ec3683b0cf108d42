import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { RegistrySimulator } from '../../../sync/sim';
import { readModeRecord, writeModeRecord } from '../../../electron/services/mode-files';
import { ADMIN_PASSWORD } from '../fixtures/app';
import { MIIS_USER, boot, firstAdmin, miisConfigText, seed, startMiis, type Booted } from './started-app';

// What the app does at start with the files it finds: it opens the mode it was in, never
// guesses, never uses a database for the other mode, and never starts on an empty production
// database in place of a missing one. In each refusal nothing on disk changes.

let miis: RegistrySimulator;
const apps: Booted[] = [];
beforeEach(async () => {
  miis = await startMiis();
});
afterEach(async () => {
  for (const app of apps.splice(0)) await app.stop();
  await miis.stop();
});

/** Both databases exist (a switch to production happened), the app is stopped. */
async function usedInBothModes(): Promise<Booted> {
  const app = await boot({ configText: miisConfigText(miis) });
  await firstAdmin(app);
  await app.ok('registry.saveCredentials', MIIS_USER);
  await seed(app, { mrn: 'PRACTICE-1', lastName: 'Practiceperson' });
  await app.ok('registry.switchToProduction', {});
  await seed(app, { mrn: 'REAL-1', lastName: 'Realperson' });
  await app.stop();
  return app;
}

function bytes(path: string): string {
  return readFileSync(path).toString('base64');
}

describe('start-up with the files on disk', () => {
  it('a database copied or restored under the other mode\'s name is refused, and nothing changes', async () => {
    const first = await usedInBothModes();
    const files = first.started.files;
    // Someone "restores" the training file as the production database.
    copyFileSync(files.training, files.production);
    const before = bytes(files.production);
    await expect(boot({ dir: first.dir, configText: miisConfigText(miis) })).rejects.toThrow(/belongs to training mode, but DoseDesk was about to use it for production/);
    expect(bytes(files.production)).toBe(before);
    expect(readModeRecord(files)).toMatchObject({ state: 'ok', record: { mode: 'production' } });
  });

  it('both databases and no readable mode record: refuses to guess, unless IT fixes the mode', async () => {
    const first = await usedInBothModes();
    const files = first.started.files;
    writeFileSync(files.record, '{"mode": "produc');
    await expect(boot({ dir: first.dir, configText: miisConfigText(miis) })).rejects.toThrow(/cannot tell whether this computer is in training or production mode/);
    rmSync(files.record);
    await expect(boot({ dir: first.dir, configText: miisConfigText(miis) })).rejects.toThrow(files.record);

    const pinned = await boot({ dir: first.dir, configText: miisConfigText(miis, { mode: 'production' }) });
    apps.push(pinned);
    expect(pinned.mode()).toBe('production');
    expect(await pinned.ok('auth.signIn', { username: 'admin', password: ADMIN_PASSWORD })).toMatchObject({ state: 'signed_in' });
    expect((await pinned.ok('patients.search', { text: 'Realperson' })).length).toBe(1);
    // The record now says what the machine runs in, so removing the pin later keeps production.
    expect(readModeRecord(files)).toMatchObject({ state: 'ok', record: { mode: 'production' } });
  });

  it('a missing production database is never replaced by an empty one', async () => {
    const first = await usedInBothModes();
    const files = first.started.files;
    rmSync(files.production);
    await expect(boot({ dir: first.dir, configText: miisConfigText(miis) })).rejects.toThrow(/production database .* is missing/);
    expect(readModeRecord(files)).toMatchObject({ state: 'ok', record: { mode: 'production' } });
  });

  it('a damaged record beside one database: that database\'s mode is used', async () => {
    const app = await boot();
    await firstAdmin(app);
    await app.stop();
    writeFileSync(app.started.files.record, 'garbage');
    const again = await boot({ dir: app.dir });
    apps.push(again);
    expect(again.mode()).toBe('training');
    expect(readModeRecord(app.started.files)).toMatchObject({ state: 'ok', record: { mode: 'training' } });
  });

  it('IT fixing production on a machine that only practised gives production its own database, with the accounts', async () => {
    const app = await boot();
    await firstAdmin(app);
    await seed(app, { mrn: 'PRACTICE-1', lastName: 'Practiceperson' });
    await app.stop();
    writeModeRecord(app.started.files, { mode: 'training', since: '2026-12-01T09:00:00.000Z' });
    const pinned = await boot({ dir: app.dir, configText: miisConfigText(miis, { mode: 'production' }) });
    apps.push(pinned);
    expect(pinned.mode()).toBe('production');
    expect(await pinned.ok('auth.signIn', { username: 'admin', password: ADMIN_PASSWORD })).toMatchObject({ state: 'signed_in' });
    expect(await pinned.ok('patients.search', { text: 'Practiceperson' })).toEqual([]);
  });
});
