import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { CodeListsProvider } from '../../../renderer/src/app/CodeLists';
import { PatientChart } from '../../../renderer/src/patients/PatientChart';
import { SyncProvider } from '../../../renderer/src/sync/SyncContext';
import { makeApp, patientInput, withStaff, type TestApp } from '../../electron/fixtures/app';
import { installRealApi } from '../real-api';

// Conditions on the chart against the real handlers and store: a nurse finds asplenia in CDC's
// list, records it, and the due list shows the Hib dose it makes due, with the reason; removing
// it needs a reason and takes the dose away again. The clinic's today is 2026-11-25.

describe('conditions on the chart', () => {
  let app: TestApp;
  let uninstall: () => void = () => undefined;
  afterEach(() => {
    uninstall();
    app.done();
  });

  async function chartOfToddler(session: 'clin' | 'desk') {
    app = makeApp();
    await withStaff(app);
    const created = await app.ok('patients.create', { patient: patientInput({ mrn: 'TOD-1', firstName: 'Tia', dob: '2024-07-15' }), confirmDuplicate: true });
    if (!created.created) throw new Error('not created');
    const patientId = created.patient.id;
    await app.ok('doses.record', { dose: { patientId, kind: 'historical', cvx: '48', administeredOn: '2026-08-15', historicalSource: '01' } });
    uninstall = installRealApi(app.table, app.services.sync, session);
    const user = (await app.ok('auth.status', {}, session)).user!;
    render(
      <CodeListsProvider>
        <SyncProvider>
          <PatientChart patientId={patientId} user={user} onEditPatient={() => undefined} />
        </SyncProvider>
      </CodeListsProvider>,
    );
    await screen.findByTestId('due-list');
    return patientId;
  }

  const hibRow = () => screen.queryByTestId('due-list')?.querySelector('tr[data-group="Hib"]') ?? null;

  it('records asplenia from the list, and the Hib dose it makes due shows with the reason', async () => {
    const patientId = await chartOfToddler('clin');
    const user = userEvent.setup();
    const panel = await screen.findByTestId('conditions-panel');
    await within(panel).findByText('No conditions recorded.');
    expect(hibRow()).toBeNull();

    await user.click(within(panel).getByRole('button', { name: 'Add a condition' }));
    await user.type(within(panel).getByLabelText('Find a condition'), 'asplenia');
    await user.click(await within(panel).findByRole('button', { name: 'Choose Anatomical or functional asplenia' }));
    await user.type(within(panel).getByLabelText('Start date'), '03/02/2025');
    await user.click(within(panel).getByRole('button', { name: 'Save condition' }));

    await within(panel).findByTestId('conditions-notice');
    expect(within(panel).getByTestId('conditions-list')).toHaveTextContent('Anatomical or functional asplenia');
    await waitFor(() => expect(hibRow()).not.toBeNull());
    expect(within(panel).getByTestId('conditions-effects')).toHaveTextContent(/Hib[^:]*: due because of Anatomical or functional asplenia \(2025-03-02\)/);
    expect(app.store.observations.forForecast([patientId]).get(patientId)).toEqual([expect.objectContaining({ code: '160', startDate: '2025-03-02' })]);

    // Removing asks why; without a reason nothing changes.
    await user.click(within(panel).getByRole('button', { name: 'Remove Anatomical or functional asplenia' }));
    await user.click(within(panel).getByRole('button', { name: 'Remove condition' }));
    expect(await within(panel).findByRole('alert')).toBeInTheDocument();
    expect(app.store.observations.forForecast([patientId]).get(patientId)).toHaveLength(1);
    await user.type(within(panel).getByLabelText(/Why remove it/), 'Recorded on the wrong chart');
    await user.click(within(panel).getByRole('button', { name: 'Remove condition' }));
    await within(panel).findByText('No conditions recorded.');
    await waitFor(() => expect(hibRow()).toBeNull());
    const trail = app.store.audit.list({ entityId: patientId, limit: 100 }).map((a) => a.action);
    expect(trail).toEqual(expect.arrayContaining(['observation.record', 'observation.remove']));
  });

  it('refuses a transplant without its date, naming the field', async () => {
    await chartOfToddler('clin');
    const user = userEvent.setup();
    const panel = await screen.findByTestId('conditions-panel');
    await user.click(within(panel).getByRole('button', { name: 'Add a condition' }));
    await user.type(within(panel).getByLabelText('Find a condition'), '171');
    await user.click(await within(panel).findByRole('button', { name: /Choose Date of hematopoietic stem cell transplant/ }));
    await user.click(within(panel).getByRole('button', { name: 'Save condition' }));
    expect(await within(panel).findByText(/the schedule counts from it/)).toBeInTheDocument();
    expect(within(panel).getByLabelText(/Start date/)).toHaveAttribute('aria-invalid', 'true');
  });

  it('front desk sees the conditions but cannot add or remove one', async () => {
    await chartOfToddler('desk');
    const panel = await screen.findByTestId('conditions-panel');
    await within(panel).findByText('No conditions recorded.');
    expect(within(panel).queryByRole('button', { name: 'Add a condition' })).toBeNull();
  });
});
