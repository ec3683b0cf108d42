import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ComponentProps } from 'react';
import type { DoseWithStatus, DoseWriteResult, Result } from '../../../electron/api';
import { CodeListsProvider } from '../../../renderer/src/app/CodeLists';
import { todayIso } from '../../../renderer/src/api';
import { PatientChart } from '../../../renderer/src/patients/PatientChart';
import { SyncProvider } from '../../../renderer/src/sync/SyncContext';
import { INFANT_FORECAST, installFakeApi, lotDefaultsFor, ok, PATIENT, TDAP_LOT } from '../fake-api';

/** The chart as the app mounts it: code lists and sync status around it. */
function renderChart(props: Partial<ComponentProps<typeof PatientChart>> = {}) {
  return render(
    <CodeListsProvider>
      <SyncProvider>
        <PatientChart patientId="p1" onEditPatient={() => undefined} {...props} />
      </SyncProvider>
    </CodeListsProvider>,
  );
}

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
    renderChart();
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
    renderChart();
    const history = await screen.findByTestId('dose-history');
    expect(history).toHaveTextContent('Rejected — needs a fix');
    expect(history).toHaveTextContent('RXA-5 vaccine code is required.');
    expect(screen.getByRole('button', { name: 'Fix and resend' })).toBeInTheDocument();
    expect(screen.getByText(/Preferred language: Portuguese/)).toBeInTheDocument();
  });

  it('shows what is due, and a due dose starts the form with its vaccine chosen', async () => {
    const fake = installFakeApi({ 'patients.get': () => ok(PATIENT), 'forecast.forPatient': () => ok(INFANT_FORECAST) });
    const user = userEvent.setup();
    renderChart();
    const panel = await screen.findByTestId('due-panel');
    expect(fake.calls('forecast.forPatient')).toEqual([{ patientId: 'p1' }]);
    expect(within(panel).getByTestId('due-list')).toHaveTextContent('Overdue 4 days');
    await user.click(within(panel).getByRole('button', { name: 'Give HepB' }));
    expect(await screen.findByTestId('vaccine-chosen')).toHaveTextContent('CVX 08');
    await waitFor(() => expect(fake.calls('lots.list')).toContainEqual({ cvx: '08' }));
  });

  it('the vaccine picker offers the due vaccines first', async () => {
    installFakeApi({ 'patients.get': () => ok(PATIENT), 'forecast.forPatient': () => ok(INFANT_FORECAST) });
    const user = userEvent.setup();
    renderChart();
    await screen.findByTestId('due-panel');
    await user.keyboard('n');
    const chips = await screen.findByTestId('due-vaccines');
    // One per due group, in the forecast's order, named from the CVX table.
    const buttons = within(chips).getAllByRole('button');
    expect(buttons.map((b) => [b.textContent, b.getAttribute('title')])).toEqual([
      ['Hep B, adolescent or pediatric', 'HepB'],
      ['RSV, mAb, nirsevimab-alip, 0.5 mL, neonate to 24 months', 'RSV'],
      ['Influenza, split virus, quadrivalent, PF', 'Influenza'],
    ]);
    await user.type(screen.getByRole('combobox', { name: /Vaccine/ }), 'hep');
    const options = within(await screen.findByRole('listbox', { name: /Vaccine/ })).getAllByRole('option');
    // Both due HepB vaccines come before the rest (their order between them is the ranking's).
    const dueFirst = options.slice(0, 2).map((o) => /CVX (\d+).*due/.exec(o.textContent ?? '')?.[1]);
    expect(dueFirst.sort()).toEqual(['08', '110']);
    expect(options.slice(2).every((o) => !/due$/.test(o.textContent ?? ''))).toBe(true);
    const firstCvx = /CVX (\d+)/.exec(options[0]!.textContent ?? '')![1]!;
    await user.keyboard('{Enter}');
    expect(await screen.findByTestId('vaccine-chosen')).toHaveTextContent(`CVX ${firstCvx}`);
  });

  it('front desk sees what is due but cannot start a dose from it', async () => {
    installFakeApi({ 'patients.get': () => ok(PATIENT), 'forecast.forPatient': () => ok(INFANT_FORECAST) });
    renderChart({ user: { id: 'u3', username: 'desk', displayName: 'Dan Desk', role: 'front_desk' } });
    const panel = await screen.findByTestId('due-panel');
    await within(panel).findByTestId('due-list');
    expect(within(panel).queryByRole('button', { name: /Give/ })).not.toBeInTheDocument();
  });

  describe('answers from the registry while the chart is open', () => {
    const outcome = (state: 'accepted' | 'rejected' | 'waiting', messageCount = 0, doseId = 'd1', patientId = 'p1') =>
      ({ type: 'outcome', seq: 1, doseId, patientId, outcome: state === 'waiting' ? 'retry' : state, reporting: { state, messageCount } }) as const;

    it('update the row from the event alone: no re-read of the doses, and another patient is ignored', async () => {
      const fake = installFakeApi({ 'patients.get': () => ok(PATIENT), 'doses.listForPatient': () => ok([dose('waiting')]) });
      renderChart();
      const row = () => screen.getByTestId('dose-history').querySelector('tr[data-dose-id="d1"]') as HTMLElement;
      await waitFor(() => expect(row()).toHaveAttribute('data-state', 'waiting'));
      act(() => fake.emitSync(outcome('accepted', 0, 'd1', 'someone-else')));
      act(() => fake.emitSync(outcome('accepted')));
      await waitFor(() => expect(row()).toHaveAttribute('data-state', 'accepted'));
      expect(row()).toHaveTextContent('Accepted by MIIS');
      expect(fake.calls('doses.listForPatient')).toHaveLength(1);
      expect(fake.calls('patients.get')).toHaveLength(1);
      expect(fake.calls('doses.get')).toHaveLength(0);
    });

    it("a rejection shows at once; the registry's words are read when a person asks, and before the fix opens", async () => {
      const fake = installFakeApi({
        'patients.get': () => ok(PATIENT),
        'doses.listForPatient': () => ok([dose('waiting')]),
        'doses.get': () => ok(dose('rejected')),
      });
      const user = userEvent.setup();
      renderChart();
      const history = await screen.findByTestId('dose-history');
      act(() => fake.emitSync(outcome('rejected', 1)));
      expect(await within(history).findByText('Rejected — needs a fix')).toBeInTheDocument();
      expect(history).not.toHaveTextContent('RXA-5 vaccine code is required.');
      expect(fake.calls('doses.get')).toHaveLength(0);
      await user.click(within(history).getByRole('button', { name: 'Show what MIIS said' }));
      expect(await within(history).findByText('RXA-5 vaccine code is required.')).toBeInTheDocument();
      expect(fake.calls('doses.get')).toEqual([{ id: 'd1' }]);
      expect(within(history).queryByRole('button', { name: 'Show what MIIS said' })).not.toBeInTheDocument();

      // Another rejection arrives; "Fix and resend" reads the new words first, then opens the form with them.
      act(() => fake.emitSync(outcome('rejected', 2)));
      await within(history).findByRole('button', { name: 'Show what MIIS said (2 messages)' });
      await user.click(within(history).getByRole('button', { name: 'Fix and resend' }));
      await screen.findByTestId('dose-errors');
      expect(fake.calls('doses.get')).toHaveLength(2);
    });

    it('an answer heard while the list is still loading is applied to what the list returns', async () => {
      let answer: (value: ReturnType<typeof ok<DoseWithStatus[]>>) => void = () => undefined;
      const fake = installFakeApi({
        'patients.get': () => ok(PATIENT),
        'doses.listForPatient': () => new Promise((resolve) => (answer = resolve)),
      });
      renderChart();
      await waitFor(() => expect(fake.calls('doses.listForPatient')).toHaveLength(1));
      act(() => fake.emitSync(outcome('accepted')));
      // The list was read before the answer was recorded.
      act(() => answer(ok([dose('waiting')])));
      const history = await screen.findByTestId('dose-history');
      await waitFor(() => expect(history.querySelector('tr[data-dose-id="d1"]')).toHaveAttribute('data-state', 'accepted'));
    });
  });
});
