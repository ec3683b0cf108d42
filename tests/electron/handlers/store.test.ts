import Database from 'better-sqlite3';
import { makeApp, seedClinic, withStaff, type TestApp } from '../fixtures/app';

// The database file through the API: what the administrator's screen shows, and damage found
// in a row reaching the renderer as the damage it is.

describe('store.diagnostics and damage through the API', () => {
  let app: TestApp;
  beforeEach(() => {
    app = makeApp();
  });
  afterEach(() => app.done());

  it('shows an administrator the file, its durability settings, the last checks and the backups', async () => {
    await withStaff(app);
    const d = await app.ok('store.diagnostics', {});
    expect(d.path).toBe(app.path);
    expect(d.sizeBytes).toBeGreaterThan(0);
    expect(d.schemaVersion).toBe(app.store.schemaVersion);
    expect(d.durability).toMatchObject({ journalMode: 'wal', synchronous: 2, foreignKeys: true, at: app.clock.now().toISOString() });
    expect(d.integrity?.lastFull?.at).toBe(app.clock.now().toISOString());
    expect(d.backups).toEqual([]);
    expect(d.waitingAuditRows).toBe(0);
    expect(d.damage).toBeUndefined();
    const desk = await app.call('store.diagnostics', {}, 'desk');
    expect(desk.ok ? 'allowed' : desk.error.kind).toBe('forbidden');
  });

  it('a damaged row reaches the renderer as store.corrupt (not "unexpected problem"), and so does every later call', async () => {
    await withStaff(app);
    const clinic = await seedClinic(app);
    const raw = new Database(app.path);
    raw.prepare('UPDATE patients SET data = ? WHERE id = ?').run('{"lastName": "Mor', clinic.patient.id);
    raw.close();
    const before = app.auditCount();

    const read = await app.call('patients.get', { id: clinic.patient.id });
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.error).toMatchObject({ kind: 'store', code: 'store.corrupt' });
    expect(read.error.message).toContain(app.path);
    expect(read.error.message).toMatch(/call IT/);
    for (const [method, payload] of [
      ['doses.record', { dose: clinic.dose() }],
      ['patients.search', { text: 'Mor' }],
      ['auth.status', {}],
    ] as const) {
      const r = await app.call(method, payload);
      expect(r.ok ? 'ok' : r.error.code, method).toBe('store.corrupt');
    }
    expect(app.auditCount()).toBe(before);
  });

  it('quitting with a damaged database stops reporting without an error, and the status still says damaged', async () => {
    await withStaff(app);
    const clinic = await seedClinic(app);
    const raw = new Database(app.path);
    raw.prepare('UPDATE patients SET data = ? WHERE id = ?').run('{"lastName": "Mor', clinic.patient.id);
    raw.close();
    const read = await app.call('patients.get', { id: clinic.patient.id });
    expect(read.ok ? 'ok' : read.error.code).toBe('store.corrupt');

    await expect(app.services.sync.stop()).resolves.toBeUndefined();
    const status = await app.call('sync.status', {});
    expect(status.ok ? 'ok' : status.error.code).toBe('store.corrupt');
  });
});
