import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { enterText } from '../enter-text';
import type { Patient } from '../../../electron/domain/patient';
import { CodeListsProvider } from '../../../renderer/src/app/CodeLists';
import { PatientForm } from '../../../renderer/src/patients/PatientForm';
import { installFakeApi, ok, PATIENT } from '../fake-api';

// Parents, guardians and next of kin on the patient form: add, edit, remove, validated by the
// domain, with the MIIS hint for a minor nobody is listed for.

function renderForm(patient?: Patient) {
  const onSaved = vi.fn();
  render(
    <CodeListsProvider>
      <PatientForm patient={patient} onSaved={onSaved} onCancel={() => undefined} onOpenExisting={() => undefined} />
    </CodeListsProvider>,
  );
  return onSaved;
}

const CHILD: Patient = {
  ...PATIENT,
  id: 'p2',
  dob: '2019-04-02',
  firstName: 'Sofia',
  guardians: [
    { lastName: 'Garcia', firstName: 'Maria', relationship: 'MTH', phone: '508-555-0142', address: { street1: '41 Sumner St', city: 'Fall River', state: 'MA', zip: '02720', country: 'USA' } },
    { lastName: 'Garcia', firstName: 'Jose', relationship: 'FTH' },
  ],
  version: 3,
};

describe('guardians on the patient form', () => {
  it('registers a minor with a mother, after saying MIIS expects one', async () => {
    const fake = installFakeApi({ 'patients.create': (input) => ok({ created: true as const, patient: { ...PATIENT, ...(input as { patient: Patient }).patient } }) });
    const user = userEvent.setup({ delay: null });
    const onSaved = renderForm();
    await enterText(user, screen.getByLabelText(/^Last name/), 'Garcia');
    await enterText(user, screen.getByLabelText(/^First name/), 'Sofia');
    await enterText(user, screen.getByLabelText(/^Date of birth/), '2019-04-02');
    await enterText(user, screen.getByLabelText(/^Medical record number/), 'FR-7');
    await user.selectOptions(screen.getByLabelText(/^Sex/), 'F');
    const section = screen.getByTestId('guardians');
    expect(section).toHaveTextContent('This patient is under 18: MIIS expects a parent or guardian');

    await user.click(within(section).getByRole('button', { name: 'Add a parent, guardian or next of kin' }));
    await waitFor(() => expect(screen.getByLabelText(/^Guardian's last name/)).toHaveFocus());
    expect(section).not.toHaveTextContent('under 18');
    await enterText(user, screen.getByLabelText(/^Guardian's last name/), 'Garcia');
    await enterText(user, screen.getByLabelText(/^Guardian's first name/), 'Maria');
    await user.selectOptions(screen.getByLabelText(/^Relationship to the patient/), 'MTH');
    expect(screen.getByLabelText(/^Relationship to the patient/)).toHaveDisplayValue('Mother');
    await enterText(user, screen.getByLabelText(/^Guardian's phone/), '508-555-0142');
    await user.click(screen.getByRole('button', { name: 'Register patient' }));

    await waitFor(() => expect(onSaved).toHaveBeenCalled());
    const sent = fake.calls('patients.create')[0] as { patient: Patient };
    expect(sent.patient.guardians).toEqual([{ lastName: 'Garcia', firstName: 'Maria', relationship: 'MTH', phone: '508-555-0142', address: undefined }]);
  });

  it('edits one guardian and removes another, keeping what the form does not show', async () => {
    const fake = installFakeApi({ 'patients.update': (input) => ok({ ...CHILD, ...(input as { patient: Patient }).patient }) });
    const user = userEvent.setup({ delay: null });
    renderForm(CHILD);
    const mother = screen.getByTestId('guardian-0');
    const phone = within(mother).getByLabelText(/^Guardian's phone/);
    await user.clear(phone);
    await enterText(user, phone, '508-555-0199');
    await user.click(screen.getByRole('button', { name: 'Remove Jose Garcia' }));
    expect(screen.queryByTestId('guardian-1')).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(fake.calls('patients.update')).toHaveLength(1));
    const sent = fake.calls('patients.update')[0] as { patient: Patient; expectedVersion: number };
    expect(sent.expectedVersion).toBe(3);
    expect(sent.patient.guardians).toEqual([{ ...CHILD.guardians[0], phone: '508-555-0199' }]);
  });

  it('shows the domain message on the guardian field that needs it, and sends nothing', async () => {
    const fake = installFakeApi();
    const user = userEvent.setup({ delay: null });
    renderForm(CHILD);
    const father = screen.getByTestId('guardian-1');
    await user.clear(within(father).getByLabelText(/^Guardian's first name/));
    await user.type(within(father).getByLabelText(/^Guardian's phone/), 'call me');
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(within(father).getByLabelText(/^Guardian's first name/)).toHaveAttribute('aria-invalid', 'true'));
    expect(within(father).getByLabelText(/^Guardian's first name/)).toHaveAccessibleDescription("Guardian's first name is required.");
    expect(within(father).getByLabelText(/^Guardian's phone/)).toHaveAccessibleDescription(/phone number with area code/);
    expect(fake.calls('patients.update')).toHaveLength(0);
  });

  it('stops at four people, as MIIS messages carry', async () => {
    installFakeApi();
    const user = userEvent.setup({ delay: null });
    renderForm(CHILD);
    const add = screen.getByRole('button', { name: 'Add a parent, guardian or next of kin' });
    await user.click(add);
    await user.click(add);
    expect(screen.getAllByLabelText(/^Guardian's last name/)).toHaveLength(4);
    expect(add).toBeDisabled();
    expect(screen.getByText('At most 4 people can be recorded.')).toBeInTheDocument();
  });
});
