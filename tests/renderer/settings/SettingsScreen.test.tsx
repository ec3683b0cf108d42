import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { SettingsView } from '../../../electron/api';
import { SettingsScreen } from '../../../renderer/src/settings/SettingsScreen';
import { CLINICIAN, installFakeApi, ok } from '../fake-api';

const VIEW: SettingsView = {
  mode: 'training',
  values: {
    'registry.preset': 'massachusetts',
    'registry.endpointUrl': '',
    'registry.vaccinePin': '',
    'registry.facilityId': '',
    autoLockMinutes: 10,
    'lockout.maxAttempts': 5,
    'lockout.minutes': 15,
    updateChannel: 'stable',
    'ui.theme': 'system',
    'ui.textScale': 1,
  } as SettingsView['values'],
  sources: {},
  siteEditable: ['registry.endpointUrl', 'registry.facilityId'],
  userEditable: [],
  configFile: { path: '/etc/dosedesk/config.json', found: true },
  credentials: { stored: false, protectionAvailable: true },
};

describe('Settings', () => {
  it('locks the values IT fixed, saves the others, and tests the connection', async () => {
    const fake = installFakeApi({
      'settings.get': () => ok(VIEW),
      'settings.update': () => ok(VIEW),
      'registry.testConnection': () => ok({ ok: false, method: 'probe', endpoint: 'https://miis.example/soap', detail: 'The registry refused the user name or password.', checkedAt: '2026-11-25T15:00:00Z' }),
      'users.list': () => ok([]),
      'clinicians.list': () => ok([CLINICIAN]),
    });
    const user = userEvent.setup();
    render(<SettingsScreen isAdmin />);
    const pin = await screen.findByLabelText('Vaccine PIN (MSH-4)');
    expect(pin).toBeDisabled();
    expect(pin).toHaveAccessibleDescription('Set by IT in /etc/dosedesk/config.json');
    await user.type(screen.getByLabelText('Endpoint URL'), 'https://miis.example/soap');
    await user.click(screen.getByRole('button', { name: 'Save connection settings' }));
    await waitFor(() => expect(fake.calls('settings.update')[0]).toEqual({ scope: 'site', values: { 'registry.endpointUrl': 'https://miis.example/soap', 'registry.facilityId': '' } }));
    await user.click(screen.getByRole('button', { name: 'Test connection' }));
    expect(await screen.findByText(/Connection failed: The registry refused the user name or password/)).toBeInTheDocument();
  });

  it('adds a clinician and a user linked to them, with the domain message for a bad NPI', async () => {
    const fake = installFakeApi({
      'settings.get': () => ok(VIEW),
      'users.list': () => ok([]),
      'clinicians.list': () => ok([CLINICIAN]),
      'clinicians.create': () => ({ ok: false, error: { kind: 'validation', message: 'Invalid.', issues: [{ path: 'clinician.npi', code: 'clinician.invalid', message: 'An NPI has 10 digits.' }] } }),
      'users.create': (input) => ok({ id: 'u2', username: 'rosa', displayName: 'Rosa', role: 'clinician', active: true, createdAt: '', ...(input as { user: object }).user }),
    });
    const user = userEvent.setup();
    render(<SettingsScreen isAdmin />);
    const clinicians = (await screen.findByRole('heading', { name: 'Clinicians who give doses' })).closest('section')!;
    await user.type(within(clinicians).getByLabelText(/^First name/), 'Ana');
    await user.type(within(clinicians).getByLabelText(/^Last name/), 'Lima');
    await user.selectOptions(within(clinicians).getByLabelText(/^Credential/), 'MA');
    await user.type(within(clinicians).getByLabelText(/^NPI/), '123');
    await user.click(within(clinicians).getByRole('button', { name: 'Add clinician' }));
    await waitFor(() => expect(within(clinicians).getByLabelText(/^NPI/)).toHaveAccessibleDescription('An NPI has 10 digits.'));

    const users = screen.getByRole('heading', { name: 'Users' }).closest('section')!;
    await user.type(within(users).getByLabelText(/^Name/), 'Rosa Medeiros');
    await user.type(within(users).getByLabelText(/^User name/), 'rosa');
    await user.selectOptions(within(users).getByLabelText('Linked clinician'), 'c1');
    await user.type(within(users).getByLabelText(/^First password/), 'a long enough password');
    await user.click(within(users).getByRole('button', { name: 'Add user' }));
    await waitFor(() =>
      expect(fake.calls('users.create')[0]).toEqual({ user: { username: 'rosa', displayName: 'Rosa Medeiros', role: 'clinician', clinicianId: 'c1' }, password: 'a long enough password' }),
    );
  });

  it('refuses to store MIIS credentials where the OS cannot protect them', async () => {
    installFakeApi({ 'settings.get': () => ok({ ...VIEW, credentials: { stored: false, protectionAvailable: false, backend: 'basic_text' } }), 'users.list': () => ok([]) });
    render(<SettingsScreen isAdmin />);
    expect(await screen.findByText(/offers no protected credential storage/)).toBeInTheDocument();
    expect(screen.queryByLabelText('MIIS password')).not.toBeInTheDocument();
  });
});
