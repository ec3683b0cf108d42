import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { AtRiskDose } from '../../../electron/api/deadlines';
import { SavedNotice } from '../../../renderer/src/sync/SavedNotice';
import { SyncBar } from '../../../renderer/src/sync/SyncBar';
import { SyncProvider } from '../../../renderer/src/sync/SyncContext';
import { WorkQueue } from '../../../renderer/src/sync/WorkQueue';
import { HELP_DESK, installFakeApi, ok, queuePage, STATUS } from '../fake-api';

// Deadline warnings a person can act on: which doses, whose, a way to each, who to call; the
// work queue lists what waits near its deadline; the Saved banner never shows a calm deadline
// that has passed, nor one for a dose MIIS already accepted.

const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();

const WAITING: AtRiskDose = { seq: 3, doseId: 'd1', patientId: 'p1', patientName: 'Joana Oliveira', cvx: '08', administeredOn: '2026-11-23', state: 'waiting', deadlineAt: inHours(10) };
const REJECTED: AtRiskDose = { seq: 4, doseId: 'd2', patientId: 'p2', patientName: 'Chidi Okafor', cvx: '141', administeredOn: '2026-11-21', state: 'rejected', deadlineAt: inHours(-5) };

describe('the deadline warning', () => {
  it('names the help desk, and on request the patients and doses at risk, each opening its chart or fix', async () => {
    const fake = installFakeApi({
      'sync.status': () => ok({ ...STATUS, pending: 1, rejected: 1, nextDeadlineAt: inHours(-5), helpDesk: HELP_DESK }),
      'sync.deadlines': () => ok({ items: [REJECTED, WAITING], total: 2, helpDesk: HELP_DESK }),
    });
    const onOpenDose = vi.fn();
    const user = userEvent.setup();
    render(
      <SyncProvider>
        <SyncBar onOpenDose={onOpenDose} />
      </SyncProvider>,
    );
    const warning = await screen.findByTestId('deadline-warning');
    expect(warning).toHaveTextContent(/past its legal reporting deadline/);
    expect(warning).toHaveTextContent('miishelpdesk@mass.gov, 617-983-4335');
    // Names are an audited read: only when someone asks.
    expect(fake.calls('sync.deadlines')).toEqual([]);
    await user.click(within(warning).getByRole('button', { name: 'Which doses?' }));
    const list = await screen.findByTestId('at-risk');
    const [late, soon] = within(list).getAllByRole('listitem');
    expect(late).toHaveTextContent(/Chidi Okafor: .+ given 2026-11-21, deadline passed/);
    expect(late).toHaveTextContent('Rejected: needs a fix.');
    expect(soon).toHaveTextContent(/Joana Oliveira: Hep B.* given 2026-11-23, report by/);
    await user.click(within(late!).getByRole('button', { name: 'Fix and resend' }));
    expect(onOpenDose).toHaveBeenCalledWith('p2', 'd2', 'rejected');
    expect(screen.queryByTestId('at-risk')).not.toBeInTheDocument();
    await user.click(within(warning).getByRole('button', { name: 'Which doses?' }));
    await user.click(within(await screen.findByTestId('at-risk')).getAllByRole('button', { name: 'Open chart' })[0]!);
    expect(onOpenDose).toHaveBeenLastCalledWith('p1', 'd1', 'waiting');
  });
});

describe('the work queue', () => {
  it('lists waiting doses near or past their deadline instead of "nothing to fix"', async () => {
    installFakeApi({
      'sync.workQueue': () => ok(queuePage([])),
      'sync.deadlines': () => ok({ items: [WAITING], total: 1, helpDesk: HELP_DESK }),
    });
    const onOpen = vi.fn();
    const user = userEvent.setup();
    render(<WorkQueue onFix={() => undefined} onOpen={onOpen} />);
    const section = await screen.findByTestId('queue-at-risk');
    expect(section).toHaveTextContent('Joana Oliveira');
    expect(section).toHaveTextContent(HELP_DESK);
    expect(screen.queryByText(/Nothing to fix. Every report was accepted/)).not.toBeInTheDocument();
    expect(screen.getByText(/Nothing to fix, but doses are still waiting/)).toBeInTheDocument();
    await user.click(within(section).getByRole('button', { name: 'Open chart' }));
    expect(onOpen).toHaveBeenCalledWith('p1');
  });

  it('still says nothing to fix when nothing waits near a deadline', async () => {
    installFakeApi({ 'sync.workQueue': () => ok(queuePage([])) });
    render(<WorkQueue onFix={() => undefined} onOpen={() => undefined} />);
    expect(await screen.findByText(/Nothing to fix. Every report was accepted/)).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByTestId('queue-at-risk')).not.toBeInTheDocument());
  });
});

describe('the Saved banner', () => {
  const now = new Date();
  it('shows the deadline while the dose waits, and none once MIIS accepted it', () => {
    const { rerender } = render(<SavedNotice reporting={{ state: 'waiting', messages: [] }} deadline={inHours(60)} now={now} />);
    expect(screen.getByTestId('dose-saved')).toHaveTextContent(/Report by/);
    expect(screen.getByTestId('dose-saved')).toHaveClass('notice--success');
    rerender(<SavedNotice reporting={{ state: 'accepted', messages: [], deadline: inHours(60) }} deadline={inHours(60)} now={now} />);
    expect(screen.getByTestId('dose-saved')).toHaveTextContent('Accepted by MIIS');
    expect(screen.getByTestId('dose-saved')).not.toHaveTextContent(/Report by|deadline/i);
  });

  it('never shows a green "Report by" a time already past (a late entry): it says so, with the help desk', () => {
    render(<SavedNotice reporting={{ state: 'waiting', messages: [] }} deadline={inHours(-30)} now={now} helpDesk={HELP_DESK} />);
    const banner = screen.getByTestId('dose-saved');
    expect(banner).not.toHaveTextContent(/Report by/);
    expect(banner).not.toHaveClass('notice--success');
    expect(banner).toHaveTextContent(/72-hour reporting deadline passed/);
    expect(banner).toHaveTextContent(HELP_DESK);
  });

  it('is one red banner for a rejection, not a green one around a red badge', () => {
    render(<SavedNotice reporting={{ state: 'rejected', messages: [{ severity: 'error', text: 'RXA-15 lot number is required.' }] }} deadline={inHours(10)} now={now} />);
    const banner = screen.getByTestId('dose-saved');
    expect(banner).toHaveClass('notice--error');
    expect(banner).toHaveTextContent('MIIS rejected it: RXA-15 lot number is required.');
    expect(document.querySelectorAll('.notice--success')).toHaveLength(0);
  });
});
