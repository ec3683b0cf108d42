import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { DoseWithStatus, DoseWriteResult, Result } from '../../../electron/api';
import { CodeListsProvider } from '../../../renderer/src/app/CodeLists';
import { todayIso } from '../../../renderer/src/api';
import { PatientChart } from '../../../renderer/src/patients/PatientChart';
import { SyncProvider } from '../../../renderer/src/sync/SyncContext';
import { installFakeApi, lotDefaultsFor, ok, PATIENT, TDAP_LOT } from '../fake-api';

function dose(state: DoseWithStatus['reporting']['state']): DoseWithStatus {
  return {
    id: 'd1', patientId: 'p1', kind: 'administered', cvx: '115', lotNumber: 'TDP7731', administeredOn: todayIso(), vis: [], completionStatus: 'CP',
    recordedAt: '', recordedBy: 'u1', updatedAt: '', version: 1,
    reporting: { state, messages: state === 'rejected' ? [{ severity: 'error', text: 'RXA-5 vaccine code is required.' }] : [] },
  };
}

describe('PatientChart', () => {
  it('shows Saved only once the store has committed, then the dose and its reporting state', async () => {
    let commit: (r: Result<DoseWriteResult>) => void = () => undefined;
    let doses: DoseWithStatus[] = [];
    const fake = installFakeApi({
      'patients.get': () => ok(PATIENT),
      'doses.listForPatient': () => ok(doses),
      'lots.list': () => ok([TDAP_LOT]),
      'codes.lotDefaults': () => ok(lotDefaultsFor(TDAP_LOT)),
      'doses.record': () => new Promise((resolve) => (commit = resolve)),
    });
    const user = userEvent.setup();
    render(
      <CodeListsProvider>
        <SyncProvider>
          <PatientChart patientId="p1" onEditPatient={() => undefined} />
        </SyncProvider>
      </CodeListsProvider>,
    );
    await screen.findByText('No doses recorded yet.');
    await user.keyboard('n');
    await user.type(await screen.findByRole('combobox', { name: /Vaccine/ }), 'tdap{Enter}');
    await waitFor(() => expect(screen.getByLabelText(/^Lot number/)).toHaveValue('TDP7731'));
    await user.keyboard('{Control>}{Enter}{/Control}');
    await waitFor(() => expect(fake.calls('doses.record')).toHaveLength(1));
    expect(screen.getByRole('button', { name: 'Saving…' })).toBeDisabled();
    expect(screen.queryByTestId('dose-saved')).not.toBeInTheDocument();

    doses = [dose('waiting')];
    commit(ok({ dose: doses[0]!, outbox: { seq: 1, action: 'A', state: 'pending', messageControlId: 'M1', deadlineAt: new Date(Date.now() + 72 * 3_600_000).toISOString() } }));
    const saved = await screen.findByTestId('dose-saved');
    await waitFor(() => expect(saved).toHaveTextContent(/Saved.*waiting to send.*Report by/));
    expect(screen.getByTestId('dose-history')).toHaveTextContent('Tdap');
  });

  it("shows a rejected dose with the registry's message and a way to fix it", async () => {
    installFakeApi({ 'patients.get': () => ok(PATIENT), 'doses.listForPatient': () => ok([dose('rejected')]) });
    render(
      <CodeListsProvider>
        <SyncProvider>
          <PatientChart patientId="p1" onEditPatient={() => undefined} />
        </SyncProvider>
      </CodeListsProvider>,
    );
    const history = await screen.findByTestId('dose-history');
    expect(history).toHaveTextContent('Rejected — needs a fix');
    expect(history).toHaveTextContent('RXA-5 vaccine code is required.');
    expect(screen.getByRole('button', { name: 'Fix and resend' })).toBeInTheDocument();
    expect(screen.getByText(/Preferred language: Portuguese/)).toBeInTheDocument();
  });
});
