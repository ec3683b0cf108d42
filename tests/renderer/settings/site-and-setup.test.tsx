import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { AppInfo, AuthStatus, SettingsView } from '../../../electron/api';
import type { Clinician } from '../../../electron/domain/clinician';
import { App } from '../../../renderer/src/app/App';
import { SettingsScreen } from '../../../renderer/src/settings/SettingsScreen';
import { setupComplete, setupState, type SetupFacts } from '../../../renderer/src/settings/SetupChecklist';
import { CLINICIAN, installFakeApi, ok, TDAP_LOT } from '../fake-api';

// Issue 12 item 6: the site's name and address that go to MIIS, the first administrator's
// setup checklist, and lists that read again after a change elsewhere on the screen.

const VALUES = {
  'site.name': '',
  'site.street1': '',
  'site.city': '',
  'site.state': '',
  'site.zip': '',
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
} as SettingsView['values'];
const VIEW: SettingsView = {
  mode: 'training',
  values: VALUES,
  sources: {},
  siteEditable: ['site.name', 'site.street1', 'site.city', 'site.state', 'site.zip', 'registry.endpointUrl', 'registry.vaccinePin', 'registry.facilityId'],
  userEditable: [],
  configFile: { path: '/etc/dosedesk/config.json', found: true },
  credentials: { stored: false, protectionAvailable: true },
};
const ADMIN_USER = { id: 'u1', username: 'dana', displayName: 'Dana Whitfield', role: 'administrator' as const, active: true, createdAt: '' };

const FACTS: SetupFacts = {
  siteName: 'Fall River Pharmacy',
  siteAddress: { street1: '1 Main St', city: 'Fall River', zip: '02720' },
  vaccinePin: 'FR1234',
  activeClinicians: 1,
  otherUsers: 1,
  activeLots: 2,
  credentialsStored: false,
  training: true,
};

describe('setup checklist state', () => {
  it('is complete when every step is done, with training standing in for credentials', () => {
    expect(setupComplete(setupState(FACTS))).toBe(true);
    expect(setupState(FACTS).registry).toBe('training');
    expect(setupState({ ...FACTS, training: false }).registry).toBe('todo');
    expect(setupState({ ...FACTS, training: false, credentialsStored: true }).registry).toBe('done');
  });

  it('leaves a step to do for each missing piece, blanks included', () => {
    const cases: [Partial<SetupFacts>, string][] = [
      [{ siteName: '  ' }, 'site'],
      [{ siteAddress: { street1: '1 Main St', city: '', zip: '02720' } }, 'site'],
      [{ vaccinePin: '' }, 'pin'],
      [{ activeClinicians: 0 }, 'clinicians'],
      [{ otherUsers: 0 }, 'users'],
      [{ activeLots: 0 }, 'lots'],
    ];
    for (const [change, step] of cases) {
      const state = setupState({ ...FACTS, ...change });
      expect(Object.entries(state).filter(([, s]) => s === 'todo').map(([k]) => k), JSON.stringify(change)).toEqual([step]);
      expect(setupComplete(state)).toBe(false);
    }
  });
});

describe('Settings: site and fresh lists', () => {
  it('saves the site name and address that go to MIIS, and says which field MIIS would refuse', async () => {
    let view = VIEW;
    const fake = installFakeApi({
      'settings.get': () => ok(view),
      'settings.update': (input) => {
        const values = (input as { values: Record<string, string> }).values;
        if (values['site.zip'] === '2720') return { ok: false, error: { kind: 'validation', message: 'Invalid.', issues: [{ path: 'values.site.zip', code: 'settings.invalid', message: 'ZIP code must be 5 digits (or ZIP+4).' }] } };
        view = { ...view, values: { ...view.values, ...values } };
        return ok(view);
      },
      'users.list': () => ok([ADMIN_USER]),
    });
    const user = userEvent.setup();
    render(<SettingsScreen isAdmin />);
    const site = (await screen.findByRole('heading', { name: 'Site (sent to MIIS with every dose)' })).closest('section')!;
    await user.type(within(site).getByLabelText(/^Site name/), 'Fall River Pharmacy');
    await user.type(within(site).getByLabelText(/^Street address/), '41 Sumner Street');
    await user.type(within(site).getByLabelText(/^City/), 'Fall River');
    expect(within(site).getByLabelText(/^State/)).toHaveValue('MA');
    await user.type(within(site).getByLabelText(/^ZIP code/), '2720');
    await user.click(within(site).getByRole('button', { name: 'Save site name and address' }));
    await waitFor(() => expect(within(site).getByLabelText(/^ZIP code/)).toHaveAccessibleDescription('ZIP code must be 5 digits (or ZIP+4).'));
    await user.clear(within(site).getByLabelText(/^ZIP code/));
    await user.type(within(site).getByLabelText(/^ZIP code/), '02720');
    await user.click(within(site).getByRole('button', { name: 'Save site name and address' }));
    await waitFor(() => expect(fake.calls('settings.update')).toHaveLength(2));
    expect(fake.calls('settings.update')[1]).toEqual({
      scope: 'site',
      values: { 'site.name': 'Fall River Pharmacy', 'site.street1': '41 Sumner Street', 'site.city': 'Fall River', 'site.state': 'MA', 'site.zip': '02720' },
    });
    // The checklist on the same screen reads again: the site step is done.
    await waitFor(() => expect(screen.getByTestId('setup-checklist-settings').querySelector('[data-step="site"]')).toHaveAttribute('data-state', 'done'));
  });

  it('a clinician added in Settings can be linked to a user at once (the list no longer stays stale)', async () => {
    const clinicians: Clinician[] = [CLINICIAN];
    installFakeApi({
      'settings.get': () => ok(VIEW),
      'users.list': () => ok([ADMIN_USER]),
      'clinicians.list': () => ok([...clinicians]),
      'clinicians.create': (input) => {
        const c: Clinician = { ...CLINICIAN, id: 'c2', ...(input as { clinician: Partial<Clinician> }).clinician, active: true, canAdminister: true, canOrder: false };
        clinicians.push(c);
        return ok(c);
      },
    });
    const user = userEvent.setup();
    render(<SettingsScreen isAdmin />);
    const section = (await screen.findByRole('heading', { name: 'Clinicians who give doses' })).closest('section')!;
    const linked = () => within(screen.getByRole('heading', { name: 'Users' }).closest('section')!).getByLabelText('Linked clinician');
    await waitFor(() => expect(within(linked()).getAllByRole('option')).toHaveLength(2));
    await user.type(within(section).getByLabelText(/^First name/), 'Ana');
    await user.type(within(section).getByLabelText(/^Last name/), 'Lima');
    await user.selectOptions(within(section).getByLabelText(/^Credential/), 'MA');
    await user.click(within(section).getByRole('button', { name: 'Add clinician' }));
    await waitFor(() => expect(within(linked()).getByRole('option', { name: /Ana Lima/ })).toBeInTheDocument());
  });
});

describe('first administrator', () => {
  const INFO: AppInfo = { name: 'DoseDesk', version: '0.1.0', mode: 'training', configFile: { path: '/etc/dosedesk.json', found: false }, platform: 'linux' };
  const status = (role: 'administrator' | 'clinician'): AuthStatus => ({ state: 'signed_in', autoLockMinutes: 10, mode: 'training', user: { id: 'u1', username: 'dana', displayName: 'Dana Whitfield', role } });

  it('sees the setup checklist at home; a step opens where it is done with the keyboard there', async () => {
    installFakeApi({ 'app.info': () => ok(INFO), 'auth.status': () => ok(status('administrator')), 'settings.get': () => ok(VIEW), 'users.list': () => ok([ADMIN_USER]), 'clinicians.list': () => ok([]) });
    const user = userEvent.setup();
    render(<App />);
    const list = await screen.findByTestId('setup-checklist-home');
    expect(within(list).getAllByRole('listitem').map((li) => li.getAttribute('data-state'))).toEqual(['todo', 'todo', 'todo', 'todo', 'todo', 'training']);
    // The search box keeps the keyboard on the home screen.
    expect(screen.getByRole('combobox', { name: 'Name, date of birth or MRN' })).toHaveFocus();
    await user.click(within(list).getByRole('button', { name: 'Set up: MIIS Vaccine PIN' }));
    await waitFor(() => expect(screen.getByLabelText('Vaccine PIN (MSH-4)')).toHaveFocus());
    await user.click(screen.getByRole('button', { name: 'Patients' }));
    await user.click(within(await screen.findByTestId('setup-checklist-home')).getByRole('button', { name: 'Set up: Vaccine stock in the fridge' }));
    await waitFor(() => expect(screen.getByRole('combobox', { name: /^Vaccine/ })).toHaveFocus());
  });

  it('is not shown once setup is complete, nor to a clinician, and can be hidden', async () => {
    const done = { ...VIEW, values: { ...VALUES, 'site.name': 'FR', 'site.street1': '1 Main', 'site.city': 'Fall River', 'site.zip': '02720', 'registry.vaccinePin': 'FR1' } };
    const answers = { 'app.info': () => ok(INFO), 'settings.get': () => ok(done), 'users.list': () => ok([ADMIN_USER, { ...ADMIN_USER, id: 'u2' }]), 'lots.list': () => ok([TDAP_LOT]) };
    installFakeApi({ ...answers, 'auth.status': () => ok(status('administrator')) });
    const { unmount } = render(<App />);
    await screen.findByRole('combobox', { name: 'Name, date of birth or MRN' });
    await new Promise((r) => setTimeout(r, 50));
    expect(screen.queryByTestId('setup-checklist-home')).not.toBeInTheDocument();
    unmount();

    installFakeApi({ ...answers, 'settings.get': () => ok(VIEW), 'auth.status': () => ok(status('clinician')) });
    const second = render(<App />);
    await screen.findByRole('combobox', { name: 'Name, date of birth or MRN' });
    await new Promise((r) => setTimeout(r, 50));
    expect(screen.queryByTestId('setup-checklist-home')).not.toBeInTheDocument();
    second.unmount();

    installFakeApi({ ...answers, 'settings.get': () => ok(VIEW), 'auth.status': () => ok(status('administrator')) });
    const user = userEvent.setup();
    render(<App />);
    await user.click(within(await screen.findByTestId('setup-checklist-home')).getByRole('button', { name: 'Hide this checklist' }));
    expect(screen.queryByTestId('setup-checklist-home')).not.toBeInTheDocument();
    localStorage.clear();
  });
});
