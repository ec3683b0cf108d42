import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { DoseWithStatus, SessionUser } from '../../../electron/api';
import { CodeListsProvider } from '../../../renderer/src/app/CodeLists';
import { PatientChart } from '../../../renderer/src/patients/PatientChart';
import { SyncProvider } from '../../../renderer/src/sync/SyncContext';
import { installFakeApi, ok, PATIENT, type Answers } from '../fake-api';

// Deleting a dose from the chart: a reason, an explicit confirmation, and what happens with MIIS.

const DOSE: DoseWithStatus = {
  id: 'd1', patientId: 'p1', kind: 'administered', cvx: '115', lotNumber: 'TDP7731', administeredOn: '2026-11-20', vis: [], completionStatus: 'CP',
  recordedAt: '', recordedBy: 'u1', updatedAt: '', version: 2,
  reporting: { state: 'accepted', messages: [] },
};

function renderChart(answers: Answers, user?: SessionUser) {
  const fake = installFakeApi({ 'patients.get': () => ok(PATIENT), ...answers });
  render(
    <CodeListsProvider>
      <SyncProvider>
        <PatientChart patientId="p1" user={user} onEditPatient={() => undefined} />
      </SyncProvider>
    </CodeListsProvider>,
  );
  return fake;
}

describe('deleting a dose from the chart', () => {
  it('asks why, then deletes and says the deletion goes to MIIS', async () => {
    let doses = [DOSE];
    const fake = renderChart({
      'doses.listForPatient': () => ok(doses),
      'doses.remove': () => {
        doses = [];
        return ok({ dose: { ...DOSE, deletedAt: '2026-11-25T15:00:00Z' }, outbox: { seq: 9, action: 'D' as const, state: 'pending', messageControlId: 'M9' } });
      },
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Delete the Tdap dose of 2026-11-20' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Delete the Tdap dose of 2026-11-20?' });
    expect(dialog).toHaveTextContent('DoseDesk will also ask MIIS to delete it.');
    const reason = within(dialog).getByLabelText(/^Why is this dose being deleted/);
    expect(reason).toHaveFocus();

    await user.click(within(dialog).getByRole('button', { name: 'Delete dose' }));
    expect(reason).toHaveAccessibleDescription('Say why this dose is being deleted.');
    expect(fake.calls('doses.remove')).toHaveLength(0);

    await user.type(reason, 'Recorded on the wrong patient');
    await user.click(within(dialog).getByRole('button', { name: 'Delete dose' }));
    await waitFor(() => expect(fake.calls('doses.remove')).toEqual([{ id: 'd1', reason: 'Recorded on the wrong patient' }]));
    expect(await screen.findByTestId('dose-deleted')).toHaveTextContent('Dose deleted. The deletion will be reported to MIIS.');
    expect(await screen.findByText('No doses recorded yet.')).toBeInTheDocument();
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
  });

  it('an unsent dose is simply cancelled; keeping the dose closes the question without a call', async () => {
    const fake = renderChart({ 'doses.listForPatient': () => ok([{ ...DOSE, reporting: { state: 'not_reported' as const, messages: [] } }]) });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: /^Delete the Tdap dose/ }));
    expect(screen.getByRole('alertdialog')).toHaveTextContent('It has not reached MIIS, so nothing is sent.');
    await user.click(screen.getByRole('button', { name: 'Keep the dose' }));
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(fake.calls('doses.remove')).toHaveLength(0);
  });

  it("shows the main process's refusal in the question", async () => {
    renderChart({
      'doses.listForPatient': () => ok([DOSE]),
      'doses.remove': () => ({ ok: false, error: { kind: 'conflict', code: 'dose.other_mode', message: 'This dose was recorded in training mode and never went to MIIS, so it cannot be changed now.' } }),
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: /^Delete the Tdap dose/ }));
    await user.type(screen.getByLabelText(/^Why is this dose being deleted/), 'Entered twice');
    await user.click(screen.getByRole('button', { name: 'Delete dose' }));
    expect(await within(screen.getByRole('alertdialog')).findByText(/recorded in training mode/)).toBeInTheDocument();
  });

  it('the front desk cannot delete doses', async () => {
    renderChart({ 'doses.listForPatient': () => ok([DOSE]) }, { id: 'u3', username: 'desk', displayName: 'Dan Desk', role: 'front_desk' });
    await screen.findByTestId('dose-history');
    expect(screen.queryByRole('button', { name: /^Delete/ })).not.toBeInTheDocument();
  });
});
