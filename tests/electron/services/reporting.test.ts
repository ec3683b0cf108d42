import { createSyncController } from '../../../electron/services/engine-controller';
import { startRegistrySimulator, type RegistrySimulator } from '../../../sync/sim';
import type { EndpointSettings } from '../../../sync/transport/settings';
import { createSoapTransport, type SoapTransport } from '../../../sync/transport/soap-transport';
import { Reporting } from '../../../electron/services/reporting';
import { ADMIN_PASSWORD, fakeSafeStorage, makeApp, patientInput, seedClinic, type TestApp } from '../fixtures/app';

// Production reporting keeps one SOAP transport per registry configuration: the credentials
// are decrypted once, its keep-alive connections are reused, and it is closed when the
// configuration changes or reporting stops (never left open, never rebuilt per send).

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 20));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

interface Built {
  transport: SoapTransport;
  endpoint: EndpointSettings;
  disposed: boolean;
}

describe('production reporting', () => {
  let miis: RegistrySimulator;
  let app: TestApp;
  let reporting: Reporting;
  let built: Built[];
  let decrypted: number;

  beforeEach(async () => {
    clinic = undefined;
    miis = await startRegistrySimulator({
      users: [
        { username: 'clinic-user', password: 'right-secret' },
        { username: 'new-user', password: 'new-secret' },
      ],
      credentialPlacement: 'wsse',
      connectivityTestSupported: false,
    });
    const storage = fakeSafeStorage();
    const decrypt = storage.decryptString.bind(storage);
    decrypted = 0;
    storage.decryptString = (buf) => {
      decrypted += 1;
      return decrypt(buf);
    };
    app = makeApp({
      configText: JSON.stringify({ mode: 'production', registry: { preset: 'massachusetts', endpointUrl: miis.url, vaccinePin: 'PIN-123', facilityId: 'FAC-1' } }),
      services: { safeStorage: storage },
    });
    await app.ok('auth.createFirstAdmin', { username: 'admin', displayName: 'Ada', password: ADMIN_PASSWORD });
    await app.ok('registry.saveCredentials', { username: 'clinic-user', password: 'right-secret' });
    built = [];
    reporting = new Reporting({
      services: app.services,
      startSimulator: () => Promise.reject(new Error('production must not start the training simulator')),
      createController: (parts) => createSyncController(parts),
      makeTransport: (endpoint) => {
        const transport = createSoapTransport(endpoint);
        const entry: Built = { transport, endpoint, disposed: false };
        const dispose = transport.dispose.bind(transport);
        transport.dispose = () => {
          entry.disposed = true;
          dispose();
        };
        built.push(entry);
        return transport;
      },
    });
  });

  afterEach(async () => {
    await reporting.stop();
    app.done();
    await miis.stop();
  });

  let clinic: Awaited<ReturnType<typeof seedClinic>> | undefined;

  /** Doses for `n` new patients (one patient's doses are sent one after another). */
  async function recordDoses(n: number, mrnPrefix: string) {
    clinic ??= await seedClinic(app);
    for (let i = 0; i < n; i++) {
      const other = await app.ok('patients.create', { patient: patientInput({ mrn: `${mrnPrefix}-${i}`, firstName: `Pat${i}` }), confirmDuplicate: true });
      if (!other.created) throw new Error('unexpected duplicate');
      await app.ok('doses.record', { dose: clinic.dose({ patientId: other.patient.id }) });
    }
  }

  const reported = () => app.store.outbox.stats().accepted + app.store.outbox.stats().warning;

  it('builds the transport once for many sends and decrypts the credentials once', async () => {
    await reporting.start('production', app.store);
    decrypted = 0;
    await recordDoses(4, 'ONE');
    await until(() => reported() === 4, 'MIIS to accept four doses');
    expect(miis.accepted()).toHaveLength(4);
    expect(built).toHaveLength(1);
    expect(decrypted).toBe(1);
    expect(built[0]!.endpoint.facilityId).toBe('PIN-123');
    expect(built[0]!.disposed).toBe(false);
  });

  it('new credentials build a new transport and close the old one; stopping closes the last', async () => {
    await reporting.start('production', app.store);
    await recordDoses(1, 'FIRST');
    await until(() => reported() === 1, 'the first dose');
    expect(built).toHaveLength(1);

    await app.ok('registry.saveCredentials', { username: 'new-user', password: 'new-secret' });
    await recordDoses(1, 'SECOND');
    await until(() => reported() === 2, 'the dose sent with the new credentials');
    expect(built).toHaveLength(2);
    expect(built[1]!.endpoint.username).toBe('new-user');
    expect(built[0]!.disposed).toBe(true);
    expect(built[1]!.disposed).toBe(false);

    await reporting.stop();
    expect(built.every((b) => b.disposed)).toBe(true);
  });
});

