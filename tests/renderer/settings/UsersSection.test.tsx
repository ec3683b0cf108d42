import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { User } from '../../../electron/api';
import { UsersSection } from '../../../renderer/src/settings/UsersSection';
import { installFakeApi, ok } from '../fake-api';

// User administration: change a role, turn an account off and on, set a new password.

const ADA: User = { id: 'u1', username: 'ada', displayName: 'Ada Admin', role: 'administrator', active: true, createdAt: '' };
const NORA: User = { id: 'u2', username: 'nora', displayName: 'Nora Nurse', role: 'clinician', active: true, createdAt: '' };

function withUsers() {
  let users = [ADA, NORA];
  const update = (id: string, change: Partial<User>) => {
    users = users.map((u) => (u.id === id ? { ...u, ...change } : u));
    return ok(users.find((u) => u.id === id)!);
  };
  return installFakeApi({
    'users.list': () => ok(users),
    'users.setRole': (input) => {
      const { id, role } = input as { id: string; role: User['role'] };
      if (id === 'u1') return { ok: false, error: { kind: 'conflict', code: 'users.last_admin', message: 'Ada Admin is the only active administrator, so DoseDesk cannot take away their administrator role.' } };
      return update(id, { role });
    },
    'users.setActive': (input) => update((input as { id: string }).id, { active: (input as { active: boolean }).active }),
    'users.resetPassword': (input) => {
      const { id, newPassword } = input as { id: string; newPassword: string };
      if (newPassword.length < 10) return { ok: false, error: { kind: 'validation', message: 'Too short.', issues: [{ path: 'newPassword', code: 'x', message: 'Use at least 10 characters.' }] } };
      return ok(users.find((u) => u.id === id)!);
    },
  });
}

describe('user administration', () => {
  it('changes a role, and shows why the last administrator keeps theirs', async () => {
    const fake = withUsers();
    const user = userEvent.setup();
    render(<UsersSection />);
    const noraRole = await screen.findByLabelText('Role of Nora Nurse');
    await user.selectOptions(noraRole, 'front_desk');
    await waitFor(() => expect(fake.calls('users.setRole')).toEqual([{ id: 'u2', role: 'front_desk' }]));
    expect(await screen.findByTestId('users-note')).toHaveTextContent('Nora Nurse is now Front desk.');
    await waitFor(() => expect(screen.getByLabelText('Role of Nora Nurse')).toHaveValue('front_desk'));

    await user.selectOptions(screen.getByLabelText('Role of Ada Admin'), 'clinician');
    await waitFor(() => expect(screen.getByTestId('users-note')).toHaveTextContent('only active administrator'));
    // Reloaded from the main process: still an administrator.
    await waitFor(() => expect(screen.getByLabelText('Role of Ada Admin')).toHaveValue('administrator'));
  });

  it('turns an account off and on again', async () => {
    const fake = withUsers();
    const user = userEvent.setup();
    render(<UsersSection />);
    await user.click(await screen.findByRole('button', { name: 'Turn off Nora Nurse' }));
    expect(await screen.findByText('Nora Nurse can no longer sign in.')).toBeInTheDocument();
    const row = screen.getByRole('table').querySelector('tr[data-user="nora"]') as HTMLElement;
    await waitFor(() => expect(row).toHaveTextContent('Deactivated'));
    await user.click(within(row).getByRole('button', { name: 'Turn on Nora Nurse' }));
    expect(await screen.findByText('Nora Nurse can sign in again.')).toBeInTheDocument();
    expect(fake.calls('users.setActive')).toEqual([
      { id: 'u2', active: false },
      { id: 'u2', active: true },
    ]);
  });

  it('sets a new password, typed twice, with the main process checking its strength', async () => {
    const fake = withUsers();
    const user = userEvent.setup();
    render(<UsersSection />);
    await user.click(await screen.findByRole('button', { name: 'Reset password for Nora Nurse' }));
    const form = screen.getByRole('form', { name: 'Reset password for Nora Nurse' });
    const first = within(form).getByLabelText(/^New password for Nora Nurse/);
    expect(first).toHaveFocus();
    await user.type(first, 'short');
    await user.type(within(form).getByLabelText(/^Password again/), 'shorter');
    await user.click(within(form).getByRole('button', { name: 'Set password' }));
    expect(within(form).getByLabelText(/^Password again/)).toHaveAccessibleDescription('The two passwords are not the same.');
    expect(fake.calls('users.resetPassword')).toHaveLength(0);

    await user.clear(within(form).getByLabelText(/^Password again/));
    await user.type(within(form).getByLabelText(/^Password again/), 'short');
    await user.click(within(form).getByRole('button', { name: 'Set password' }));
    await waitFor(() => expect(first).toHaveAccessibleDescription(/Use at least 10 characters/));

    await user.clear(first);
    await user.type(first, 'a much longer sentence');
    await user.clear(within(form).getByLabelText(/^Password again/));
    await user.type(within(form).getByLabelText(/^Password again/), 'a much longer sentence');
    await user.click(within(form).getByRole('button', { name: 'Set password' }));
    expect(await screen.findByText('New password set for Nora Nurse.')).toBeInTheDocument();
    expect(fake.calls('users.resetPassword').at(-1)).toEqual({ id: 'u2', newPassword: 'a much longer sentence' });
    expect(screen.queryByRole('form', { name: 'Reset password for Nora Nurse' })).not.toBeInTheDocument();
  });
});
