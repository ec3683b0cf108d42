import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { enterText } from '../enter-text';
import type { PatientSummary } from '../../../electron/api';
import { CodeListsProvider } from '../../../renderer/src/app/CodeLists';
import { PatientForm } from '../../../renderer/src/patients/PatientForm';
import { addDaysIso } from '../../../electron/domain/common';
import { todayIso } from '../../../renderer/src/api';
import { installFakeApi, ok, PATIENT } from '../fake-api';

function renderForm(props: Partial<Parameters<typeof PatientForm>[0]> = {}) {
  const handlers = { onSaved: vi.fn(), onCancel: vi.fn(), onOpenExisting: vi.fn() };
  render(
    <CodeListsProvider>
      <PatientForm {...handlers} {...props} />
    </CodeListsProvider>,
  );
  return handlers;
}

async function fillRequired(user: ReturnType<typeof userEvent.setup>) {
  await enterText(user, screen.getByLabelText(/^Last name/), 'Garcia');
  await enterText(user, screen.getByLabelText(/^First name/), 'Maria');
  await enterText(user, screen.getByLabelText(/^Date of birth/), '03/14/1988');
  await enterText(user, screen.getByLabelText(/^Medical record number/), 'FR-1');
  await user.selectOptions(screen.getByLabelText(/^Sex/), 'F');
}

const EXISTING: PatientSummary = { id: 'p1', mrn: 'FR-0', lastName: 'Garcia', firstName: 'Maria', dob: '1988-03-14', sex: 'F' };

describe('PatientForm', () => {
  it('registers a walk-in with the MRN left empty: no MRN is sent, the store assigns it', async () => {
    const fake = installFakeApi();
    const user = userEvent.setup({ delay: null });
    renderForm();
    await enterText(user, screen.getByLabelText(/^Last name/), 'Garcia');
    await enterText(user, screen.getByLabelText(/^First name/), 'Maria');
    await enterText(user, screen.getByLabelText(/^Date of birth/), '1988-03-14');
    await user.selectOptions(screen.getByLabelText(/^Sex/), 'F');
    expect(screen.getByLabelText(/^Sex/)).toHaveAccessibleDescription(/Needed for MIIS reporting/);
    await user.click(screen.getByRole('button', { name: 'Register patient' }));
    await waitFor(() => expect(fake.calls('patients.create')).toHaveLength(1));
    const [{ patient }] = fake.calls('patients.create') as [{ patient: Record<string, unknown> }];
    expect(patient).toMatchObject({ lastName: 'Garcia', firstName: 'Maria', dob: '1988-03-14' });
    expect('mrn' in patient).toBe(false);
  });

  it('shows the domain messages on each missing field, tied to the field for screen readers', async () => {
    const fake = installFakeApi();
    const user = userEvent.setup({ delay: null });
    renderForm();
    await user.click(screen.getByRole('button', { name: 'Register patient' }));
    const last = screen.getByLabelText(/^Last name/);
    await waitFor(() => expect(last).toHaveAttribute('aria-invalid', 'true'));
    expect(last).toHaveAccessibleDescription('Last name is required.');
    // A walk-in needs no MRN of ours: left empty, the store assigns one.
    expect(screen.getByLabelText(/^Medical record number/)).not.toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText(/^Medical record number/)).toHaveAccessibleDescription(/DoseDesk assigns the next number/);
    expect(screen.getByLabelText(/^Sex/)).toHaveAccessibleDescription(/Choose the sex recorded/);
    expect(screen.getByLabelText(/^Date of birth/)).toHaveAccessibleDescription(/Enter a real date as YYYY-MM-DD/);
    // The first problem gets the keyboard.
    await waitFor(() => expect(screen.getByLabelText(/^Last name/)).toHaveFocus());
    expect(fake.calls('patients.create')).toHaveLength(0);
  });

  it('checks a partial address and a malformed ZIP before sending', async () => {
    installFakeApi();
    const user = userEvent.setup({ delay: null });
    renderForm();
    await fillRequired(user);
    await enterText(user, screen.getByLabelText(/^Street address/), '41 Sumner St');
    await enterText(user, screen.getByLabelText(/^ZIP code/), '2720');
    await user.click(screen.getByRole('button', { name: 'Register patient' }));
    await waitFor(() => expect(screen.getByLabelText(/^ZIP code/)).toHaveAccessibleDescription('ZIP code must be 5 digits (or ZIP+4).'));
    expect(screen.getByLabelText('City')).toHaveAccessibleDescription('City is required.');
  });

  it('warns about a likely duplicate, opens it or registers anyway on confirmation', async () => {
    const fake = installFakeApi({
      'patients.create': (input) => {
        const { confirmDuplicate, patient } = input as { confirmDuplicate?: boolean; patient: object };
        return confirmDuplicate ? ok({ created: true as const, patient: { ...PATIENT, ...patient, id: 'p2' } }) : ok({ created: false as const, duplicates: [EXISTING] });
      },
    });
    const user = userEvent.setup({ delay: null });
    const { onSaved, onOpenExisting } = renderForm();
    await fillRequired(user);
    await user.click(screen.getByRole('button', { name: 'Register patient' }));
    const warning = await screen.findByTestId('duplicate-warning');
    expect(warning).toHaveTextContent('This patient may already be registered');
    await waitFor(() => expect(within(warning).getByRole('button', { name: /Open Maria Garcia/ })).toHaveFocus());
    expect(fake.calls('patients.create')[0]).toMatchObject({ patient: { lastName: 'Garcia', dob: '1988-03-14', sex: 'F' } });
    expect(onSaved).not.toHaveBeenCalled();

    await user.click(within(warning).getByRole('button', { name: /Open Maria Garcia/ }));
    expect(onOpenExisting).toHaveBeenCalledWith('p1');
    await user.click(within(warning).getByRole('button', { name: 'Register anyway' }));
    await waitFor(() => expect(onSaved).toHaveBeenCalledWith(expect.objectContaining({ id: 'p2' })));
    expect(fake.calls('patients.create')[1]).toMatchObject({ confirmDuplicate: true });
  });

  it('puts field issues returned by the store next to their fields', async () => {
    installFakeApi({
      'patients.create': () => ({ ok: false, error: { kind: 'validation', message: 'Invalid.', issues: [{ path: 'patient.mrn', code: 'patient.mrn_taken', message: 'MRN FR-1 already belongs to another patient.' }] } }),
    });
    const user = userEvent.setup({ delay: null });
    renderForm();
    await fillRequired(user);
    await user.click(screen.getByRole('button', { name: 'Register patient' }));
    await waitFor(() => expect(screen.getByLabelText(/^Medical record number/)).toHaveAccessibleDescription(/MRN FR-1 already belongs to another patient\./));
  });

  it('edits a patient, records a data-sharing objection dated today, and sends the version it started from', async () => {
    const fake = installFakeApi({ 'patients.update': (input) => ok({ ...PATIENT, ...(input as { patient: object }).patient, version: 2 }) });
    const user = userEvent.setup({ delay: null });
    const { onSaved } = renderForm({ patient: PATIENT });
    expect(screen.getByLabelText(/^Last name/)).toHaveValue('Garcia');
    await user.click(screen.getByLabelText(/objects to sharing/));
    expect(screen.getByLabelText('Date of objection')).toHaveValue(todayIso());
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(onSaved).toHaveBeenCalled());
    expect(fake.calls('patients.update')[0]).toMatchObject({
      id: 'p1',
      expectedVersion: 1,
      patient: { dataSharingObjection: true, dataSharingObjectionDate: todayIso(), races: ['2106-3'], address: { zip: '02720' } },
    });
  });

  it('explains a concurrent edit instead of overwriting it', async () => {
    installFakeApi({ 'patients.update': () => ({ ok: false, error: { kind: 'conflict', code: 'patient.version_conflict', message: 'Version conflict.' } }) });
    const user = userEvent.setup({ delay: null });
    renderForm({ patient: PATIENT });
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    expect(await screen.findByText(/Someone else changed this patient/)).toBeInTheDocument();
  });

  it('refuses control characters and emoji in the middle name on the field, before any call', async () => {
    const fake = installFakeApi();
    const user = userEvent.setup({ delay: null });
    renderForm();
    await fillRequired(user);
    const middle = screen.getByLabelText(/^Middle name/);
    await user.click(middle);
    await user.paste('Lu\u001bcia');
    await user.click(screen.getByRole('button', { name: 'Register patient' }));
    await waitFor(() => expect(middle).toHaveAttribute('aria-invalid', 'true'));
    expect(middle).toHaveAccessibleDescription(/Middle name contains an invisible control character \(U\+001B\) after “Lu”/);
    await user.clear(middle);
    await user.type(middle, 'Lucía 😀');
    await user.click(screen.getByRole('button', { name: 'Register patient' }));
    await waitFor(() => expect(middle).toHaveAccessibleDescription(/cannot contain “😀”/));
    expect(fake.calls('patients.create')).toHaveLength(0);
  });

  it('holds names to the NIST profile’s lengths on the form (first name 30)', async () => {
    const fake = installFakeApi();
    const user = userEvent.setup({ delay: null });
    renderForm();
    await fillRequired(user);
    const first = screen.getByLabelText(/^First name/);
    await user.type(first, 'x'.repeat(30 - 'Maria'.length + 1));
    await user.click(screen.getByRole('button', { name: 'Register patient' }));
    await waitFor(() => expect(first).toHaveAccessibleDescription('First name can be at most 30 characters.'));
    expect(fake.calls('patients.create')).toHaveLength(0);
  });

  it('refuses a date of birth after today before any call, and takes today for a newborn', async () => {
    const fake = installFakeApi({ 'patients.create': (input) => ok({ created: true as const, patient: { ...PATIENT, ...(input as { patient: object }).patient, id: 'p2' } }) });
    const user = userEvent.setup({ delay: null });
    const { onSaved } = renderForm();
    await fillRequired(user);
    const dob = screen.getByLabelText(/^Date of birth/);
    await user.clear(dob);
    await user.type(dob, addDaysIso(todayIso(), 1));
    await user.click(screen.getByRole('button', { name: 'Register patient' }));
    await waitFor(() => expect(dob).toHaveAccessibleDescription(/is after today/));
    expect(fake.calls('patients.create')).toHaveLength(0);

    await user.clear(dob);
    await user.type(dob, todayIso());
    await user.click(screen.getByRole('button', { name: 'Register patient' }));
    await waitFor(() => expect(onSaved).toHaveBeenCalled());
    expect(fake.calls('patients.create')[0]).toMatchObject({ patient: { dob: todayIso() } });
  });
});
