import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRegistrySimulator } from '../../../sync/sim';
import { massachusettsPreset } from '../../../sync/transport/settings';
import { SoapTransport } from '../../../sync/transport/soap-transport';
import { parseConfig } from '../../../electron/services/config';
import { ephemeralSafeStorage, startApp } from '../../../electron/services/start';
import { ADMIN_PASSWORD, FAST_SCRYPT, doseInput, lotInput, patientInput } from '../fixtures/app';

// startApp is what main.ts and the end-to-end harness both run: the real store, services,
// handler table and reporting, without Electron.

describe('startApp', () => {
  it('starts in training mode, reports a dose to the in-process simulator, and stops cleanly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dosedesk-start-'));
    const started = await startApp({
      dataDir: dir,
      config: parseConfig(join(dir, 'config.json'), undefined),
      safeStorage: ephemeralSafeStorage(),
      info: { name: 'DoseDesk', version: 'test', platform: 'linux' },
      scrypt: FAST_SCRYPT,
      logError: () => {},
    });
    try {
      const call = async (method: keyof typeof started.table, payload: unknown) => {
        const r = await started.table[method](payload, { sessionId: 'e2e' });
        if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
        return r.value as never;
      };
      await call('auth.createFirstAdmin', { username: 'admin', displayName: 'Ada', password: ADMIN_PASSWORD });
      expect(started.reporting?.trainingEndpoint?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
      const events: string[] = [];
      started.services.sync.onStatus((e) => events.push(e.type));
      const created: { patient: { id: string } } = await call('patients.create', { patient: patientInput() });
      const clinician: { id: string } = await call('clinicians.create', { clinician: { lastName: 'Nightingale', firstName: 'Flo', credential: 'RN' } });
      const lot: { id: string } = await call('lots.receive', { lot: lotInput() });
      const today = started.services.today();
      await call('doses.record', { dose: doseInput(created.patient.id, lot.id, clinician.id, { administeredOn: today, vis: [{ documentType: 'Hepatitis B VIS', editionDate: '2023-05-12', presentedOn: today }] }) });
      for (let i = 0; i < 500 && started.store.outbox.stats().accepted + started.store.outbox.stats().warning === 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(started.store.outbox.stats().accepted + started.store.outbox.stats().warning).toBe(1);
      expect(events).toContain('outcome');
    } finally {
      await started.stop();
      rmSync(dir, { recursive: true, force: true });
    }
    expect(() => started.store.outbox.stats()).toThrow();
  });
});

describe("startApp's connection check", () => {
  it('closes the connections of the transport it used (no keep-alive agent left open)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dosedesk-start-'));
    const miis = await startRegistrySimulator({ users: [{ username: 'u', password: 'p' }], credentialPlacement: 'wsse', connectivityTestSupported: false });
    const dispose = vi.spyOn(SoapTransport.prototype, 'dispose');
    const started = await startApp({
      dataDir: dir,
      config: parseConfig(join(dir, 'config.json'), undefined),
      safeStorage: ephemeralSafeStorage(),
      info: { name: 'DoseDesk', version: 'test', platform: 'linux' },
      scrypt: FAST_SCRYPT,
      reporting: false,
      logError: () => {},
    });
    try {
      const result = await started.services.checkConnection(massachusettsPreset({ url: miis.url, facilityId: 'PIN-1', username: 'u', password: 'p' }));
      expect(result.ok).toBe(true);
      expect(dispose).toHaveBeenCalledTimes(1);
    } finally {
      dispose.mockRestore();
      await started.stop();
      await miis.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('ephemeralSafeStorage', () => {
  it('round-trips, never stores plain text, and refuses tampered ciphertext', () => {
    const storage = ephemeralSafeStorage();
    const a = storage.encryptString('secret password');
    const b = storage.encryptString('secret password');
    expect(a.toString('utf8')).not.toContain('secret');
    expect(a.equals(b)).toBe(false);
    expect(storage.decryptString(a)).toBe('secret password');
    const tampered = Buffer.from(a);
    tampered[tampered.length - 1]! ^= 1;
    expect(() => storage.decryptString(tampered)).toThrow();
    expect(() => ephemeralSafeStorage().decryptString(a)).toThrow();
  });
});
