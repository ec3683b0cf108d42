import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { AuthStatus } from '../../../electron/api';
import { FirstRunScreen, SignInScreen, UnlockScreen } from '../../../renderer/src/auth/AuthScreens';
import { installFakeApi, ok } from '../fake-api';

const SIGNED_IN: AuthStatus = { state: 'signed_in', autoLockMinutes: 10, mode: 'training', user: { id: 'u1', username: 'dana', displayName: 'Dana', role: 'administrator' } };

describe('sign-in screens', () => {
  it('first run refuses two different passwords before calling the API', async () => {
    const fake = installFakeApi();
    const user = userEvent.setup();
    render(<FirstRunScreen onDone={() => undefined} />);
    await user.type(screen.getByLabelText(/^Your name/), 'Dana');
    await user.type(screen.getByLabelText(/^User name/), 'dana');
    await user.type(screen.getByLabelText(/^Password \(/), 'correct horse battery');
    await user.type(screen.getByLabelText(/^Password again/), 'correct horse batterz{Enter}');
    expect(screen.getByLabelText(/^Password again/)).toHaveAccessibleDescription('The two passwords are not the same.');
    expect(fake.calls('auth.createFirstAdmin')).toHaveLength(0);
  });

  it('first run shows the password rule the domain enforces on the field', async () => {
    installFakeApi({
      'auth.createFirstAdmin': () => ({ ok: false, error: { kind: 'validation', message: 'Invalid.', issues: [{ path: 'password', code: 'input.too_small', message: 'Passwords need at least 10 characters.' }] } }),
    });
    const user = userEvent.setup();
    render(<FirstRunScreen onDone={() => undefined} />);
    await user.type(screen.getByLabelText(/^Your name/), 'Dana');
    await user.type(screen.getByLabelText(/^User name/), 'dana');
    await user.type(screen.getByLabelText(/^Password \(/), 'short');
    await user.type(screen.getByLabelText(/^Password again/), 'short{Enter}');
    await waitFor(() => expect(screen.getByLabelText(/^Password \(/)).toHaveAccessibleDescription(/At least 10 characters.*Passwords need at least 10 characters\./));
  });

  it('sign-in reports a refused password with the retry time and clears the password', async () => {
    installFakeApi({
      'auth.signIn': () => ({ ok: false, error: { kind: 'locked', code: 'auth.account_locked', message: 'This account is locked after too many tries.', retryAfter: '2026-11-25T15:00:00Z' } }),
    });
    const user = userEvent.setup();
    render(<SignInScreen onDone={() => undefined} />);
    await user.type(screen.getByLabelText(/^User name/), 'dana');
    await user.type(screen.getByLabelText(/^Password/), 'wrong password{Enter}');
    expect(await screen.findByRole('alert')).toHaveTextContent(/locked after too many tries\. Try again after/);
    expect(screen.getByLabelText(/^Password/)).toHaveValue('');
  });

  it('unlock continues the session with the password', async () => {
    const fake = installFakeApi({ 'auth.unlock': () => ok(SIGNED_IN) });
    const onDone = vi.fn();
    const user = userEvent.setup();
    render(<UnlockScreen status={{ ...SIGNED_IN, state: 'locked' }} onDone={onDone} />);
    expect(screen.getByText(/Dana, enter your password/)).toBeInTheDocument();
    await user.type(screen.getByLabelText(/^Password/), 'correct horse battery{Enter}');
    await waitFor(() => expect(onDone).toHaveBeenCalledWith(SIGNED_IN));
    expect(fake.calls('auth.unlock')[0]).toEqual({ password: 'correct horse battery' });
  });
});
