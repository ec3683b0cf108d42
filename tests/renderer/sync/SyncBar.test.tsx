import { act, render, screen, waitFor } from '@testing-library/react';
import { SyncBar } from '../../../renderer/src/sync/SyncBar';
import { SyncProvider } from '../../../renderer/src/sync/SyncContext';
import { installFakeApi, ok, STATUS } from '../fake-api';

const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();

describe('SyncBar', () => {
  it('shows online, nothing waiting and the last acceptance', async () => {
    installFakeApi({ 'sync.status': () => ok({ ...STATUS, accepted: 4, lastAcceptedAt: '2026-11-25T14:05:00Z' }) });
    render(
      <SyncProvider>
        <SyncBar />
      </SyncProvider>,
    );
    expect(await screen.findByText('Online')).toBeInTheDocument();
    expect(screen.getByTestId('sync-waiting')).toHaveTextContent('Nothing waiting');
    expect(screen.getByText(/^Last accepted/)).toBeInTheDocument();
    expect(screen.queryByRole('progressbar')).not.toBeInTheDocument();
  });

  it('says offline with the doses waiting, and warns a day before the legal deadline', async () => {
    installFakeApi({ 'sync.status': () => ok({ ...STATUS, state: 'waiting_for_network', pending: 3, nextDeadlineAt: inHours(20) }) });
    render(
      <SyncProvider>
        <SyncBar />
      </SyncProvider>,
    );
    expect(await screen.findByText(/^Offline/)).toBeInTheDocument();
    expect(screen.getByTestId('sync-waiting')).toHaveTextContent('3 doses waiting');
    expect(screen.getByRole('alert')).toHaveTextContent(/must reach MIIS by .*72-hour rule/);
    expect(screen.getByRole('button', { name: 'Send now' })).toBeInTheDocument();
  });

  it('does not warn while the deadline is more than a day away, and flags an overdue one', async () => {
    const fake = installFakeApi({ 'sync.status': () => ok({ ...STATUS, pending: 1, nextDeadlineAt: inHours(60) }) });
    render(
      <SyncProvider>
        <SyncBar />
      </SyncProvider>,
    );
    await screen.findByText('1 dose waiting');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    act(() => fake.emitSync({ type: 'status', status: { ...STATUS, pending: 1, nextDeadlineAt: inHours(-1) } }));
    expect(await screen.findByRole('alert')).toHaveTextContent(/past its legal reporting deadline/);
  });

  it('shows a progress bar while a backlog drains', async () => {
    const fake = installFakeApi({ 'sync.status': () => ok({ ...STATUS, state: 'sending', pending: 10 }) });
    render(
      <SyncProvider>
        <SyncBar />
      </SyncProvider>,
    );
    await screen.findByText('10 doses waiting');
    act(() => fake.emitSync({ type: 'status', status: { ...STATUS, state: 'sending', pending: 6, sending: 1, accepted: 3 } }));
    const bar = await screen.findByRole('progressbar', { name: 'Sending backlog' });
    expect(bar).toHaveAttribute('max', '10');
    expect(bar).toHaveAttribute('value', '3');
    expect(screen.getByText('3 of 10 sent')).toBeInTheDocument();
    act(() => fake.emitSync({ type: 'status', status: { ...STATUS, accepted: 10 } }));
    await waitFor(() => expect(screen.queryByRole('progressbar')).not.toBeInTheDocument());
    expect(screen.getByTestId('sync-waiting')).toHaveTextContent('Nothing waiting');
  });

  it("warns about a rejected dose's deadline even with nothing left to send, before and after it passes", async () => {
    const fake = installFakeApi({ 'sync.status': () => ok({ ...STATUS, rejected: 1, nextDeadlineAt: inHours(6) }) });
    render(
      <SyncProvider>
        <SyncBar />
      </SyncProvider>,
    );
    expect(await screen.findByRole('alert')).toHaveTextContent(/rejected dose must be fixed and reach MIIS by .*Open the work queue/);
    expect(screen.getByTestId('sync-waiting')).toHaveTextContent('Nothing waiting');
    act(() => fake.emitSync({ type: 'status', status: { ...STATUS, rejected: 1, nextDeadlineAt: inHours(-3) } }));
    await waitFor(() => expect(screen.getByRole('alert')).toHaveTextContent(/rejected dose is past its legal reporting deadline/));
  });
});
