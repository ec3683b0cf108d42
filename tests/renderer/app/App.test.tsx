import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { AppInfo, AuthStatus } from '../../../electron/api';
import { App } from '../../../renderer/src/app/App';
import { installFakeApi, ok } from '../fake-api';

const INFO: AppInfo = { name: 'DoseDesk', version: '0.1.0', mode: 'training', trainingBanner: 'Training mode: practice only.', configFile: { path: '/etc/dosedesk.json', found: false }, platform: 'linux' };
const SIGNED_IN: AuthStatus = { state: 'signed_in', autoLockMinutes: 10, mode: 'training', user: { id: 'u1', username: 'dana', displayName: 'Dana Whitfield', role: 'clinician' } };

describe('App shell', () => {
  it('starts on first run with the training banner', async () => {
    installFakeApi({ 'app.info': () => ok(INFO), 'auth.status': () => ok({ state: 'needs_first_admin', autoLockMinutes: 10, mode: 'training' }) });
    render(<App />);
    expect(await screen.findByRole('heading', { name: 'Set up DoseDesk' })).toBeInTheDocument();
    expect(screen.getByTestId('training-banner')).toHaveTextContent('Training mode: practice only.');
  });

  it('/ and Ctrl+K bring the keyboard back to patient search from anywhere', async () => {
    installFakeApi({ 'app.info': () => ok(INFO), 'auth.status': () => ok(SIGNED_IN), 'auth.touch': () => ok(SIGNED_IN) });
    const user = userEvent.setup();
    render(<App />);
    const search = await screen.findByRole('combobox', { name: 'Name, date of birth or MRN' });
    await user.click(screen.getByRole('button', { name: 'Work queue' }));
    expect(await screen.findByRole('heading', { name: 'Work queue' })).toBeInTheDocument();
    await user.keyboard('/');
    await waitFor(() => expect(screen.getByRole('combobox', { name: 'Name, date of birth or MRN' })).toHaveFocus());
    await user.click(screen.getByRole('button', { name: 'Lots' }));
    await screen.findByRole('heading', { name: 'Vaccine lots' });
    await user.keyboard('{Control>}k{/Control}');
    await waitFor(() => expect(screen.getByRole('combobox', { name: 'Name, date of birth or MRN' })).toHaveFocus());
    expect(search).not.toBeInTheDocument(); // a fresh search screen, not a hidden one
  });

  it('settings are for administrators only', async () => {
    installFakeApi({ 'app.info': () => ok(INFO), 'auth.status': () => ok(SIGNED_IN) });
    const user = userEvent.setup();
    render(<App />);
    await user.click(await screen.findByRole('button', { name: 'Settings' }));
    expect(await screen.findByText('Only administrators can change these settings.')).toBeInTheDocument();
  });

  it('goes back to the unlock screen when a call finds the session locked', async () => {
    let state: AuthStatus = SIGNED_IN;
    installFakeApi({
      'app.info': () => ok(INFO),
      'auth.status': () => ok(state),
      'patients.search': () => {
        state = { ...SIGNED_IN, state: 'locked' };
        return { ok: false, error: { kind: 'locked', code: 'auth.session_locked', message: 'Locked.' } };
      },
    });
    const user = userEvent.setup();
    render(<App />);
    await user.type(await screen.findByRole('combobox', { name: 'Name, date of birth or MRN' }), 'ga');
    expect(await screen.findByRole('heading', { name: 'Session locked' })).toBeInTheDocument();
  });

  it('shows the "database is damaged: call IT" screen, with main\'s message for IT, as soon as a call finds damage', async () => {
    const damage = 'The DoseDesk database /data/dosedesk.sqlite3 is damaged (a stored record could not be read). The newest backup DoseDesk checked just now and found whole is /data/x.bak.';
    installFakeApi({
      'app.info': () => ok(INFO),
      'auth.status': () => ok(SIGNED_IN),
      'patients.search': () => ({ ok: false, error: { kind: 'store', code: 'store.corrupt', message: damage } }),
    });
    const user = userEvent.setup();
    render(<App />);
    await user.type(await screen.findByRole('combobox', { name: 'Name, date of birth or MRN' }), 'ga');
    expect(await screen.findByRole('heading', { name: 'The database is damaged: call IT' })).toBeInTheDocument();
    expect(screen.getByTestId('damage-detail')).toHaveTextContent(damage);
    // Nothing to type into or click through: the workspace is gone.
    expect(screen.queryByRole('combobox', { name: 'Name, date of birth or MRN' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Settings' })).not.toBeInTheDocument();
    expect(screen.getByTestId('training-banner')).toBeInTheDocument();
  });

  it('shows the damage screen at start when the first call already finds the database damaged', async () => {
    installFakeApi({
      'app.info': () => ok(INFO),
      'auth.status': () => ({ ok: false, error: { kind: 'store', code: 'store.corrupt', message: 'The DoseDesk database is damaged.' } }),
    });
    render(<App />);
    expect(await screen.findByRole('heading', { name: 'The database is damaged: call IT' })).toBeInTheDocument();
    expect(screen.queryByText(/Something went wrong/)).not.toBeInTheDocument();
  });

  it('switches the interface language (Spanish where translated)', async () => {
    installFakeApi({ 'app.info': () => ok(INFO), 'auth.status': () => ok(SIGNED_IN) });
    const user = userEvent.setup();
    render(<App />);
    await screen.findByRole('heading', { name: 'Find a patient' });
    await user.selectOptions(screen.getByLabelText('Language'), 'es');
    expect(await screen.findByRole('heading', { name: 'Buscar un paciente' })).toBeInTheDocument();
    await user.selectOptions(screen.getByLabelText('Idioma'), 'en');
  });

  it('the recall list is in the navigation for clinicians, not for the front desk', async () => {
    const fake = installFakeApi({
      'app.info': () => ok(INFO),
      'auth.status': () => ok(SIGNED_IN),
      'forecast.recallList': () => ok({ assessmentDate: '2026-11-25', patientsScanned: 0, skipped: [], counts: {}, entries: [], truncated: false, vaccineGroups: ['MMR'], ageBands: ['0-23 months'] }),
    });
    const user = userEvent.setup();
    const { unmount } = render(<App />);
    await user.click(await screen.findByRole('button', { name: 'Recall' }));
    expect(await screen.findByRole('heading', { name: 'Reminder / recall' })).toBeInTheDocument();
    expect(await screen.findByText('No patient is overdue for these filters.')).toBeInTheDocument();
    expect(fake.calls('forecast.recallList')).toHaveLength(1);
    unmount();

    installFakeApi({ 'app.info': () => ok(INFO), 'auth.status': () => ok({ ...SIGNED_IN, user: { ...SIGNED_IN.user!, role: 'front_desk' } }) });
    render(<App />);
    await screen.findByRole('heading', { name: 'Find a patient' });
    expect(screen.queryByRole('button', { name: 'Recall' })).not.toBeInTheDocument();
  });
});
