import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ComponentProps } from 'react';
import type { SessionUser, WorkQueueItem } from '../../../electron/api';
import { SyncProvider } from '../../../renderer/src/sync/SyncContext';
import { fieldLabel, WorkQueue } from '../../../renderer/src/sync/WorkQueue';
import { installFakeApi, ok, queuePage, STATUS } from '../fake-api';

const ADMIN: SessionUser = { id: 'u1', username: 'admin', displayName: 'Ada Admin', role: 'administrator' };
const NURSE: SessionUser = { id: 'u2', username: 'nurse', displayName: 'Nora Nurse', role: 'clinician' };
const DESK: SessionUser = { id: 'u3', username: 'desk', displayName: 'Dan Desk', role: 'front_desk' };
const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();

function renderQueue(props: Partial<ComponentProps<typeof WorkQueue>> = {}) {
  return render(
    <SyncProvider>
      <WorkQueue user={NURSE} onFix={() => undefined} onOpen={() => undefined} {...props} />
    </SyncProvider>,
  );
}

const rowOf = (seq: number) => document.querySelector(`tr[data-seq="${seq}"]`) as HTMLElement;

const ITEM: WorkQueueItem = {
  seq: 7,
  doseId: 'd1',
  patientId: 'p1',
  patientName: 'Joana Oliveira',
  action: 'A',
  state: 'rejected',
  ackCode: 'AE',
  messages: [
    { severity: 'error', text: 'RXA-15 lot number is required for a newly administered dose.', field: 'dose.lotNumber' },
    { severity: 'error', text: 'PID-10 race code "ASKU" is not a CDCREC code.', field: 'patient.races' },
  ],
  updatedAt: '2026-11-25T14:00:00Z',
};

describe('WorkQueue', () => {
  it("lists the registry's own words with the field each one maps to, and opens the fix", async () => {
    installFakeApi({ 'sync.workQueue': () => ok(queuePage([ITEM])) });
    const onFix = vi.fn();
    const user = userEvent.setup();
    render(<WorkQueue onFix={onFix} onOpen={() => undefined} />);
    const table = await screen.findByTestId('work-queue');
    const row = within(table).getAllByRole('row')[1]!;
    expect(row).toHaveTextContent('Joana Oliveira');
    expect(row).toHaveTextContent('Rejected — needs a fix');
    expect(row).toHaveTextContent('RXA-15 lot number is required');
    expect(row).toHaveTextContent('Field: Lot number');
    expect(row).toHaveTextContent('Field: Patient record: Race');
    await user.click(within(row).getByRole('button', { name: 'Fix and resend' }));
    expect(onFix).toHaveBeenCalledWith('p1', 'd1');
  });

  it('says so when there is nothing to fix', async () => {
    installFakeApi({ 'sync.workQueue': () => ok(queuePage([])) });
    render(<WorkQueue onFix={() => undefined} onOpen={() => undefined} />);
    expect(await screen.findByText(/Nothing to fix/)).toBeInTheDocument();
  });

  it('names unmapped registry locations plainly', () => {
    expect(fieldLabel(undefined)).toBe('Not mapped to a field');
    expect(fieldLabel('dose.vfcEligibility')).toBe('VFC eligibility');
    expect(fieldLabel('patient.address.zip')).toBe('Patient record: Street address');
  });

  it('pages with a cursor and says how many there are, instead of stopping at 200', async () => {
    const items = Array.from({ length: 3 }, (_, i) => ({ ...ITEM, seq: 100 + i, doseId: `d${i}` }));
    const fake = installFakeApi({
      'sync.workQueue': (input) => {
        const { cursor } = input as { cursor?: string };
        return ok(cursor === 'page-2' ? queuePage(items.slice(2), { total: 3 }) : queuePage(items.slice(0, 2), { total: 3, nextCursor: 'page-2' }));
      },
    });
    const user = userEvent.setup();
    renderQueue();
    expect(await screen.findByTestId('queue-showing')).toHaveTextContent('Showing 2 of 3');
    await user.click(screen.getByRole('button', { name: 'Show more' }));
    await waitFor(() => expect(screen.getByTestId('queue-showing')).toHaveTextContent('Showing 3 of 3'));
    expect(screen.queryByRole('button', { name: 'Show more' })).not.toBeInTheDocument();
    expect(fake.calls('sync.workQueue')).toEqual([
      { view: 'open', limit: 50 },
      { view: 'open', limit: 50, cursor: 'page-2' },
    ]);
  });

  it('shows the legal deadline of a rejection: in plain words, loudly under a day and once passed', async () => {
    installFakeApi({
      'sync.workQueue': () =>
        ok(
          queuePage([
            { ...ITEM, seq: 1, deadlineAt: inHours(-2) },
            { ...ITEM, seq: 2, deadlineAt: inHours(5) },
            { ...ITEM, seq: 3, deadlineAt: inHours(60) },
            { ...ITEM, seq: 4, state: 'warning', messages: [] },
          ]),
        ),
    });
    renderQueue();
    await screen.findByTestId('work-queue');
    expect(within(rowOf(1)).getByTestId('queue-deadline')).toHaveTextContent(/^Past the legal deadline/);
    expect(within(rowOf(2)).getByTestId('queue-deadline')).toHaveTextContent(/^Less than a day left: report by/);
    expect(within(rowOf(3)).getByTestId('queue-deadline')).toHaveTextContent(/^Report by/);
    expect(rowOf(4)).toHaveTextContent('Reported');
  });

  it('acknowledges a warning, one or all shown, and reloads the list', async () => {
    let acked: number[] = [];
    const warning = (seq: number): WorkQueueItem => ({ ...ITEM, seq, state: 'warning', messages: [{ severity: 'warning', text: 'PID-11 address missing.' }] });
    const fake = installFakeApi({
      'sync.workQueue': () => ok(queuePage([ITEM, warning(8), warning(9)].filter((i) => !acked.includes(i.seq)))),
      'sync.acknowledge': (input) => {
        const { seqs } = input as { seqs: number[] };
        acked = [...acked, ...seqs];
        return ok({ acknowledged: seqs, skipped: [] });
      },
    });
    const user = userEvent.setup();
    renderQueue({ user: DESK });
    await screen.findByTestId('work-queue');
    // Front desk may acknowledge a warning but not dismiss a rejection.
    expect(within(rowOf(7)).queryByRole('button', { name: 'Dismiss…' })).not.toBeInTheDocument();
    expect(within(rowOf(7)).queryByRole('button', { name: 'Acknowledge' })).not.toBeInTheDocument();
    await user.click(within(rowOf(8)).getByRole('button', { name: 'Acknowledge' }));
    expect(await screen.findByTestId('queue-done')).toHaveTextContent('1 warning acknowledged.');
    await waitFor(() => expect(rowOf(8)).toBeNull());
    await user.click(screen.getByRole('button', { name: 'Acknowledge the warning shown' }));
    await waitFor(() => expect(rowOf(9)).toBeNull());
    expect(fake.calls('sync.acknowledge')).toEqual([{ seqs: [8] }, { seqs: [9] }]);
  });

  it('dismisses a rejection only with a reason, and shows it under Dismissed with who and why', async () => {
    let dismissed: WorkQueueItem | undefined;
    const fake = installFakeApi({
      'sync.workQueue': (input) => {
        const { view } = input as { view: string };
        if (view === 'dismissed') return ok(queuePage(dismissed ? [dismissed] : []));
        return ok(queuePage(dismissed ? [] : [ITEM], { counts: { rejected: dismissed ? 0 : 1, warnings: 0, acknowledged: 0, dismissed: dismissed ? 1 : 0 } }));
      },
      'sync.dismiss': (input) => {
        const { reason } = input as { reason: string };
        dismissed = { ...ITEM, review: { kind: 'dismissed', at: '2026-11-25T15:00:00Z', by: 'Nora Nurse', reason } };
        return ok(dismissed);
      },
    });
    const user = userEvent.setup();
    renderQueue();
    await screen.findByTestId('work-queue');
    await user.click(within(rowOf(7)).getByRole('button', { name: 'Dismiss…' }));
    const form = screen.getByTestId('dismiss-rejection');
    expect(form).toHaveTextContent(/stop reporting this dose/);
    await user.click(within(form).getByRole('button', { name: 'Dismiss the rejection' }));
    expect(within(form).getByText('Say why DoseDesk should stop reporting this dose.')).toBeInTheDocument();
    expect(fake.calls('sync.dismiss')).toEqual([]);
    await user.type(within(form).getByLabelText(/^Why/), 'Keyed in the MIIS web site');
    await user.click(within(form).getByRole('button', { name: 'Dismiss the rejection' }));
    expect(await screen.findByTestId('queue-done')).toHaveTextContent('Rejection dismissed');
    expect(fake.calls('sync.dismiss')).toEqual([{ seq: 7, reason: 'Keyed in the MIIS web site' }]);

    await user.click(await screen.findByRole('button', { name: 'Dismissed (1)' }));
    await waitFor(() => expect(screen.getByTestId('work-queue')).toHaveAttribute('data-view', 'dismissed'));
    expect(rowOf(7)).toHaveTextContent(/Dismissed by Nora Nurse, .*: Keyed in the MIIS web site/);
    expect(within(rowOf(7)).getByRole('button', { name: 'Fix and resend' })).toBeInTheDocument();
  });

  it('a rejected delete cannot be fixed (the dose is gone): clinical staff send it again, or dismiss it; the front desk can do neither', async () => {
    const DELETE: WorkQueueItem = { ...ITEM, seq: 12, action: 'D', messages: [{ severity: 'error', text: 'ORC-3 dose not found for this organization.' }] };
    let retried = false;
    const fake = installFakeApi({
      'sync.workQueue': () => ok(queuePage(retried ? [] : [DELETE])),
      'sync.retryDelete': () => {
        retried = true;
        return ok({ doseId: 'd1', seq: 30, replacedSeqs: [12], status: { ...STATUS, pending: 1 } });
      },
    });
    const user = userEvent.setup();
    const desk = renderQueue({ user: DESK });
    await screen.findByTestId('work-queue');
    expect(within(rowOf(12)).queryByRole('button', { name: 'Send the delete again' })).not.toBeInTheDocument();
    desk.unmount();

    renderQueue({ user: NURSE });
    await screen.findByTestId('work-queue');
    const row = rowOf(12);
    expect(within(row).queryByRole('button', { name: 'Fix and resend' })).not.toBeInTheDocument();
    expect(within(row).getByRole('button', { name: 'Dismiss…' })).toBeInTheDocument();
    // No 72-hour clock runs for a delete.
    expect(row).toHaveTextContent('None (not a new dose)');
    expect(within(row).queryByTestId('queue-deadline')).not.toBeInTheDocument();
    await user.click(within(row).getByRole('button', { name: 'Send the delete again' }));
    expect(await screen.findByTestId('queue-done')).toHaveTextContent('The delete was sent again');
    expect(fake.calls('sync.retryDelete')).toEqual([{ seq: 12 }]);
    expect(await screen.findByText(/Nothing to fix/)).toBeInTheDocument();
  });

  it('offers "resend all rejected" to an administrator only, says what it does first, then reports the result', async () => {
    const fake = installFakeApi({
      'sync.workQueue': () => ok(queuePage([ITEM, { ...ITEM, seq: 8, doseId: 'd2' }])),
      'sync.resubmitRejected': () => ok({ resent: [{ doseId: 'd1', seq: 20, replacedSeqs: [7] }, { doseId: 'd2', seq: 21, replacedSeqs: [8] }], skipped: [], status: { ...STATUS, pending: 2 } }),
    });
    const user = userEvent.setup();
    const view = renderQueue({ user: NURSE });
    await screen.findByTestId('work-queue');
    expect(screen.queryByRole('button', { name: /^Resend all rejected/ })).not.toBeInTheDocument();
    view.unmount();

    renderQueue({ user: ADMIN });
    await screen.findByTestId('work-queue');
    await user.click(screen.getByRole('button', { name: 'Resend all rejected (2)' }));
    expect(screen.getByTestId('resubmit-rejected')).toHaveTextContent(/no dose is reported twice/);
    expect(fake.calls('sync.resubmitRejected')).toEqual([]);
    await user.click(screen.getByRole('button', { name: 'Resend 2 reports' }));
    expect(await screen.findByTestId('queue-done')).toHaveTextContent('2 reports sent again');
    expect(fake.calls('sync.resubmitRejected')).toEqual([{}]);
  });

  it('answers arriving from MIIS do not reload the list (no read nobody asked for); they say there is something new', async () => {
    const fake = installFakeApi({ 'sync.workQueue': () => ok(queuePage([ITEM])) });
    const user = userEvent.setup();
    renderQueue();
    await screen.findByTestId('work-queue');
    act(() => {
      fake.emitSync({ type: 'outcome', seq: 30, doseId: 'd9', patientId: 'p9', outcome: 'accepted', reporting: { state: 'accepted', messageCount: 0 } });
      fake.emitSync({ type: 'outcome', seq: 31, doseId: 'd8', patientId: 'p8', outcome: 'rejected', reporting: { state: 'rejected', messageCount: 1 } });
      fake.emitSync({ type: 'outcome', seq: 32, doseId: 'd1', patientId: 'p1', outcome: 'accepted', reporting: { state: 'accepted', messageCount: 0 } });
    });
    expect(await screen.findByTestId('queue-new-answers')).toHaveTextContent('MIIS answered 2 more reports since this list was loaded.');
    expect(fake.calls('sync.workQueue')).toHaveLength(1);
    await user.click(screen.getByRole('button', { name: 'Show the latest' }));
    await waitFor(() => expect(fake.calls('sync.workQueue')).toHaveLength(2));
    await waitFor(() => expect(screen.queryByTestId('queue-new-answers')).not.toBeInTheDocument());
  });
});
