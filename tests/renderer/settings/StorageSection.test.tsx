import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { StorageSection } from '../../../renderer/src/settings/StorageSection';
import { DIAGNOSTICS, installFakeApi, ok } from '../fake-api';

describe('Settings: the database file', () => {
  it('shows the file, safe saving, the last checks, and each backup as whole or not', async () => {
    const fake = installFakeApi({
      'store.diagnostics': () =>
        ok({
          ...DIAGNOSTICS,
          backups: [
            { name: 'b2', path: '/data/dosedesk.sqlite3.pre-migration-20-30.20261201T080000Z.bak', sizeBytes: 2 * 1024 * 1024, takenAt: '2026-12-01T08:00:00.000Z', fromSchema: 20, toSchema: 30, verified: true },
            { name: 'b1', path: '/data/dosedesk.sqlite3.pre-migration-20-30.bak', sizeBytes: 0, takenAt: '2026-11-01T08:00:00.000Z', fromSchema: 20, toSchema: 30, verified: false, problem: 'the file is empty (0 bytes)' },
          ],
          waitingAuditRows: 3,
        }),
    });
    const user = userEvent.setup();
    render(<StorageSection />);
    expect(await screen.findByText(DIAGNOSTICS.path)).toBeInTheDocument();
    expect(screen.getByText(/journal wal, synchronous FULL, SQLite 3\.50\.4/)).toBeInTheDocument();
    expect(screen.getByText(/last full check .*; last quick check /)).toBeInTheDocument();
    expect(screen.getByText('3 audit records of reads are waiting for disk space.')).toBeInTheDocument();
    const rows = within(screen.getByTestId('backups')).getAllByRole('row').slice(1);
    expect(within(rows[0]!).getByText('Whole')).toBeInTheDocument();
    expect(within(rows[1]!).getByText('NOT a whole copy: the file is empty (0 bytes). Do not restore it.')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Check again' }));
    expect(fake.calls('store.diagnostics')).toHaveLength(2);
  });

  it('says there are no backups yet on a new install, and shows an error it could not read', async () => {
    installFakeApi();
    const { unmount } = render(<StorageSection />);
    expect(await screen.findByText('None yet. DoseDesk writes one before each upgrade of the database.')).toBeInTheDocument();
    unmount();
    installFakeApi({ 'store.diagnostics': () => ({ ok: false, error: { kind: 'forbidden', message: 'Your role cannot do this.' } }) });
    render(<StorageSection />);
    expect(await screen.findByText('Your role cannot do this.')).toBeInTheDocument();
  });
});
