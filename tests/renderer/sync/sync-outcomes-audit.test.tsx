import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createSyncController } from '../../../electron/services/engine-controller';
import { startRegistrySimulator, type RegistrySimulator } from '../../../sync/sim';
import { Reporting } from '../../../electron/services/reporting';
import { CodeListsProvider } from '../../../renderer/src/app/CodeLists';
import { PatientChart } from '../../../renderer/src/patients/PatientChart';
import { SyncProvider } from '../../../renderer/src/sync/SyncContext';
import { WorkQueue } from '../../../renderer/src/sync/WorkQueue';
import { makeApp, patientInput, seedClinic, withStaff, type TestApp } from '../../electron/fixtures/app';
import { installRealApi } from '../real-api';

// Issue 11, item 11: the audit trail shows what people did. A nurse has a chart and the work
// queue open while the real engine reports to the real simulator on 127.0.0.1; the answers
// update both screens, and the only rows in the trail are the system's own, until the nurse
// herself asks for something.

describe('sync outcomes while a chart and the work queue are open', () => {
  let app: TestApp;
  let reporting: Reporting | undefined;
  let uninstall: () => void = () => undefined;
  afterEach(async () => {
    uninstall();
    await reporting?.stop();
    app.done();
  });

  // Skipped, not passed: this scenario needs one patient's report rejected, and it got that from the
  // "fig" registry refusing race ASKU. Declined race now goes as an empty PID-10 that every
  // registry accepts (becc7d1), and no other per-patient rejection survives the domain's own
  // checks yet; it comes back with a simulator rule that rejects one chosen message.
  it.skip('update the screens without a read in anyone’s name; what the nurse then asks for is hers', { timeout: 60_000 }, async () => {
    app = makeApp();
    const staff = await withStaff(app);
    const clinic = await seedClinic(app);
    // A second patient who declined to give a race: this registry refuses null-flavour race codes (AIRA "fig").
    const other = await app.ok('patients.create', { patient: patientInput({ mrn: 'MRN-2002', lastName: 'Okafor', firstName: 'Chidi', races: ['ASKU'] }) });
    if (!other.created) throw new Error('unexpected duplicate');
    // Recorded before reporting starts, so every answer arrives while the screens are open.
    await app.ok('doses.record', { dose: clinic.dose() });
    await app.ok('doses.record', { dose: clinic.dose({ cvx: '08', administeredTime: '11:00' }) });
    await app.ok('doses.record', { dose: clinic.dose({ patientId: other.patient.id }) });

    uninstall = installRealApi(app.table, app.services.sync, 'clin');
    const nurse = (await app.ok('auth.status', {}, 'clin')).user!;
    const user = userEvent.setup();
    render(
      <CodeListsProvider>
        <SyncProvider>
          <PatientChart patientId={clinic.patient.id} user={nurse} onEditPatient={() => undefined} />
          <WorkQueue user={nurse} onFix={() => undefined} onOpen={() => undefined} />
        </SyncProvider>
      </CodeListsProvider>,
    );
    const history = await screen.findByTestId('dose-history');
    await waitFor(() => expect(history.querySelectorAll('tr[data-state="waiting"]')).toHaveLength(2));
    await screen.findByText(/Nothing to fix/);
    // Opening the screens was the nurse's doing, and is in the trail as hers.
    const opened = app.store.audit.list({ userId: staff.clinicianId, limit: 100 }).map((a) => a.action);
    expect(opened).toEqual(expect.arrayContaining(['patient.read', 'dose.list']));
    const mark = app.store.audit.list({ limit: 1 })[0]!.id;

    let sim: RegistrySimulator | undefined;
    reporting = new Reporting({
      services: app.services,
      startSimulator: async (options) => (sim = await startRegistrySimulator({ ...options, quirks: ['fig'] })),
      createController: (parts) => createSyncController(parts),
    });
    await reporting.start(app.services.settings.mode(), app.store);

    await waitFor(() => expect(history.querySelectorAll('tr[data-state="accepted"]')).toHaveLength(2), { timeout: 20_000 });
    await waitFor(() => expect(app.store.outbox.stats()).toMatchObject({ accepted: 2, rejected: 1, pending: 0, sending: 0 }));
    expect(sim!.accepted()).toHaveLength(2);

    const since = () => app.store.audit.list({ limit: 1000 }).filter((a) => a.id > mark);
    expect(since().filter((a) => a.userId === staff.clinicianId)).toEqual([]);
    // Every row since is the system's: building each message (its reads) and recording each answer.
    expect(new Set(since().map((a) => a.userId))).toEqual(new Set(['system']));
    expect(since().filter((a) => a.action.startsWith('outbox.')).map((a) => a.action).sort()).toEqual(['outbox.accepted', 'outbox.accepted', 'outbox.rejected']);

    // The queue says there is news instead of fetching it.
    expect(await screen.findByTestId('queue-new-answers')).toHaveTextContent('MIIS answered 1 more report');

    // Now the nurse asks for the latest: that read is hers, and only it.
    await user.click(screen.getByRole('button', { name: 'Show the latest' }));
    const queue = await screen.findByTestId('work-queue');
    expect(within(queue).getByText('Okafor', { exact: false })).toBeInTheDocument();
    expect(since().filter((a) => a.userId === staff.clinicianId).map((a) => [a.action, a.entityId])).toEqual([['patient.read', other.patient.id]]);
  });
});
