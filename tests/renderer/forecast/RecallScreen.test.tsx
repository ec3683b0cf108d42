import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { RecallListView } from '../../../electron/api';
import { RecallScreen } from '../../../renderer/src/forecast/RecallScreen';
import { installFakeApi, ok } from '../fake-api';

const BANDS = ['0-23 months', '2-6 years', '7-18 years', '19-64 years', '65+ years'];
const zero = Object.fromEntries(BANDS.map((b) => [b, 0]));

const LIST: RecallListView = {
  assessmentDate: '2026-11-25',
  patientsScanned: 4,
  skipped: [],
  counts: { 'DTaP/Tdap/Td': { ...zero, '0-23 months': 2, '2-6 years': 1 }, MMR: { ...zero }, HepB: { ...zero, '0-23 months': 1 } },
  entries: [
    { patientId: 'p-tod', mrn: 'R-TOD', lastName: 'Toddler', firstName: 'Theo', dob: '2025-09-01', vaccineGroup: 'DTaP/Tdap/Td', ageBand: '0-23 months', ageMonths: 14, targetDose: 1, pastDue: '2025-12-01', daysOverdue: 359, vaccines: ['20'] },
    { patientId: 'p-inf', mrn: 'R-INF', lastName: 'Infant', firstName: 'Ivy', dob: '2026-07-25', vaccineGroup: 'DTaP/Tdap/Td', ageBand: '0-23 months', ageMonths: 4, targetDose: 1, pastDue: '2026-11-21', daysOverdue: 4, vaccines: ['20'] },
    { patientId: 'p-chi', mrn: 'R-CHI', lastName: 'Child', firstName: 'Cal', dob: '2021-05-05', vaccineGroup: 'DTaP/Tdap/Td', ageBand: '2-6 years', ageMonths: 66, targetDose: 1, pastDue: '2021-08-05', daysOverdue: 1938, vaccines: ['20'] },
  ],
  truncated: false,
  vaccineGroups: ['DTaP/Tdap/Td', 'HepB', 'MMR'],
  ageBands: BANDS,
};

describe('RecallScreen', () => {
  it('builds the list on opening: counts per group and band, then each overdue patient', async () => {
    const fake = installFakeApi({ 'forecast.recallList': () => ok(LIST) });
    render(<RecallScreen onOpen={() => undefined} />);
    const list = await screen.findByTestId('recall-list');
    expect(fake.calls('forecast.recallList')).toEqual([{ limit: 500 }]);
    expect(screen.getByRole('status')).toHaveTextContent('4 charts checked as of 2026-11-25.');
    const counts = within(screen.getByTestId('recall-counts')).getAllByRole('row');
    // Groups with nobody overdue are left out of the counts.
    expect(counts.map((r) => r.textContent)).toEqual([
      'Vaccine group0–23 months2–6 years7–18 years19–64 years65 years and older',
      'DTaP/Tdap/Td21000',
      'HepB10000',
    ]);
    const rows = within(list).getAllByRole('row').slice(1);
    expect(rows[0]).toHaveTextContent(/Toddler, Theo.*MRN R-TOD.*2025-09-01.*DTaP\/Tdap\/Td.*0–23 months.*Dose 1.*2025-12-01.*359 days/);
    expect(rows[2]).toHaveTextContent('2–6 years');
  });

  it('filters by vaccine group, age band and date, and opens a chart from a name', async () => {
    const fake = installFakeApi({ 'forecast.recallList': () => ok(LIST) });
    const opened: string[] = [];
    const user = userEvent.setup();
    render(<RecallScreen onOpen={(id) => opened.push(id)} />);
    await screen.findByTestId('recall-list');
    await user.selectOptions(screen.getByLabelText('Vaccine group'), 'DTaP/Tdap/Td');
    await user.selectOptions(screen.getByLabelText('Age band'), '0-23 months');
    await user.type(screen.getByLabelText('Overdue as of'), '12/01/2026');
    await user.click(screen.getByRole('button', { name: 'Build list' }));
    await waitFor(() => expect(fake.calls('forecast.recallList')).toHaveLength(2));
    expect(fake.calls('forecast.recallList')[1]).toEqual({ vaccineGroup: 'DTaP/Tdap/Td', ageBand: '0-23 months', assessmentDate: '2026-12-01', limit: 500 });
    await user.click(await screen.findByRole('button', { name: 'Infant, Ivy' }));
    expect(opened).toEqual(['p-inf']);
  });

  it('says when nobody is overdue, when the list was cut, and shows a refused filter on its field', async () => {
    let answer: RecallListView = { ...LIST, entries: [], counts: {} };
    installFakeApi({
      'forecast.recallList': (input) => {
        if ((input as { assessmentDate?: string }).assessmentDate === '2026-02-30') {
          return { ok: false, error: { kind: 'validation', message: 'Enter a real date as YYYY-MM-DD.', issues: [{ path: 'assessmentDate', message: 'Enter a real date as YYYY-MM-DD.', code: 'x' }] } };
        }
        return ok(answer);
      },
    });
    const user = userEvent.setup();
    render(<RecallScreen onOpen={() => undefined} />);
    expect(await screen.findByText('No patient is overdue for these filters.')).toBeInTheDocument();
    answer = { ...LIST, truncated: true };
    await user.click(screen.getByRole('button', { name: 'Build list' }));
    expect(await screen.findByText('Showing the first 3. Narrow the filters to see the rest.')).toBeInTheDocument();
    await user.type(screen.getByLabelText('Overdue as of'), '2026-02-30');
    await user.click(screen.getByRole('button', { name: 'Build list' }));
    await waitFor(() => expect(screen.getByLabelText('Overdue as of')).toHaveAttribute('aria-invalid', 'true'));
    expect(screen.getAllByText('Enter a real date as YYYY-MM-DD.').length).toBeGreaterThan(0);
  });
});
