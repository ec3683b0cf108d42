import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { PatientSearch } from '../../../renderer/src/patients/PatientSearch';
import { installFakeApi, ok } from '../fake-api';

const RESULTS = [
  { id: 'a', mrn: '1', lastName: 'Garcia', firstName: 'Maria', dob: '1988-03-14', sex: 'F' },
  { id: 'b', mrn: '2', lastName: 'Garcia', firstName: 'Mario', dob: '1990-01-01', sex: 'M' },
];

describe('PatientSearch', () => {
  it('searches as you type and opens the highlighted patient with arrows and Enter', async () => {
    const fake = installFakeApi({ 'patients.search': () => ok(RESULTS) });
    const onOpen = vi.fn();
    const user = userEvent.setup();
    render(<PatientSearch onOpen={onOpen} onRegister={() => undefined} />);
    const box = screen.getByRole('combobox', { name: 'Name, date of birth or MRN' });
    expect(box).toHaveFocus();
    await user.type(box, 'garcia ma');
    await waitFor(() => expect(screen.getAllByRole('option')).toHaveLength(2));
    expect(fake.calls('patients.search').at(-1)).toMatchObject({ text: 'garcia ma' });
    expect(screen.getByText('2 patients found')).toBeInTheDocument();
    expect(screen.getAllByRole('option')[0]).toHaveAttribute('aria-selected', 'true');
    await user.keyboard('{ArrowDown}');
    expect(box).toHaveAttribute('aria-activedescendant', 'patient-option-b');
    await user.keyboard('{Enter}');
    expect(onOpen).toHaveBeenCalledWith('b');
  });

  it('says when nothing matches', async () => {
    installFakeApi({ 'patients.search': () => ok([]) });
    const user = userEvent.setup();
    render(<PatientSearch onOpen={() => undefined} onRegister={() => undefined} />);
    await user.type(screen.getByRole('combobox'), 'zz');
    expect(await screen.findByText('No patient matches "zz".')).toBeInTheDocument();
  });
});
