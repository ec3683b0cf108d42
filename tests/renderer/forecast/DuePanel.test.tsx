import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { DuePanel } from '../../../renderer/src/forecast/DuePanel';
import { EMPTY_FORECAST, INFANT_FORECAST } from '../fake-api';

describe('DuePanel', () => {
  it('lists overdue, due today and due soon, with dose number, dates and the vaccines that may be given', () => {
    render(<DuePanel forecast={INFANT_FORECAST} />);
    const panel = screen.getByTestId('due-panel');
    expect(panel).toHaveTextContent('1 overdue · 1 due today · 1 due soon');
    expect(panel).toHaveTextContent('As of 2026-11-25 · CDC schedule (CDSi 4.64)');
    const rows = within(screen.getByTestId('due-list')).getAllByRole('row').slice(1);
    expect(rows.map((r) => r.getAttribute('data-bucket'))).toEqual(['overdue', 'today', 'soon']);
    const hepB = rows[0]!;
    expect(hepB).toHaveTextContent('Overdue 4 days');
    expect(hepB).toHaveTextContent('HepB');
    expect(hepB).toHaveTextContent('Dose 2');
    expect(hepB).toHaveTextContent('2026-08-25');
    expect(hepB).toHaveTextContent('2026-11-21');
    // Names from the CVX table where it knows the code.
    expect(hepB).toHaveTextContent(/Hep B, adolescent or pediatric.*DTaP-Hep B-IPV/);
    expect(rows[1]).toHaveTextContent('Due today');
    expect(rows[2]).toHaveTextContent('Due soon');
    expect(rows[2]).toHaveTextContent('Not before 2026-12-10');
  });

  it('says which doses do not count and folds away the groups with nothing due', () => {
    render(<DuePanel forecast={INFANT_FORECAST} />);
    expect(screen.getByRole('alert')).toHaveTextContent('on 2026-08-01 (HepB): Age: Too Young');
    expect(screen.getByText('2 vaccine groups not due now')).toBeInTheDocument();
    const later = screen.getByTestId('not-due');
    expect(later).toHaveTextContent('MMR: Next dose recommended 2027-07-25');
    expect(later).toHaveTextContent('Rotavirus: Past the age for this series');
  });

  it('offers to give a dose that may be given today, with its first vaccine', async () => {
    const given: string[] = [];
    render(<DuePanel forecast={INFANT_FORECAST} onGive={(cvx) => given.push(cvx)} />);
    await userEvent.setup().click(screen.getByRole('button', { name: 'Give HepB' }));
    expect(given).toEqual(['08']);
    // Not yet givable: no button.
    expect(screen.queryByRole('button', { name: 'Give Influenza' })).not.toBeInTheDocument();
  });

  it('shows nothing due, loading and failure plainly', () => {
    const { rerender } = render(<DuePanel forecast={EMPTY_FORECAST} />);
    expect(screen.getByText('Nothing is due now.')).toBeInTheDocument();
    rerender(<DuePanel />);
    expect(screen.getByText('Working out what is due…')).toBeInTheDocument();
    rerender(<DuePanel error="The patient was not found." />);
    expect(screen.getByRole('alert')).toHaveTextContent('The due list could not be worked out: The patient was not found.');
  });
});
