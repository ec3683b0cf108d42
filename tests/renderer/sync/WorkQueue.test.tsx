import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { WorkQueueItem } from '../../../electron/api';
import { fieldLabel, WorkQueue } from '../../../renderer/src/sync/WorkQueue';
import { installFakeApi, ok, queuePage } from '../fake-api';

const ITEM: WorkQueueItem = {
  seq: 7,
  doseId: 'd1',
  patientId: 'p1',
  patientName: 'Joana Oliveira',
  action: 'A',
  state: 'rejected',
  ackCode: 'AE',
  messages: [
    { severity: 'error', text: 'RXA-15 lot number is required for a newly administered dose.', field: 'dose.lotNumber' },
    { severity: 'error', text: 'PID-10 race code "ASKU" is not a CDCREC code.', field: 'patient.races' },
  ],
  updatedAt: '2026-11-25T14:00:00Z',
};

describe('WorkQueue', () => {
  it("lists the registry's own words with the field each one maps to, and opens the fix", async () => {
    installFakeApi({ 'sync.workQueue': () => ok(queuePage([ITEM])) });
    const onFix = vi.fn();
    const user = userEvent.setup();
    render(<WorkQueue onFix={onFix} onOpen={() => undefined} />);
    const table = await screen.findByTestId('work-queue');
    const row = within(table).getAllByRole('row')[1]!;
    expect(row).toHaveTextContent('Joana Oliveira');
    expect(row).toHaveTextContent('Rejected — needs a fix');
    expect(row).toHaveTextContent('RXA-15 lot number is required');
    expect(row).toHaveTextContent('Field: Lot number');
    expect(row).toHaveTextContent('Field: Patient record: Race');
    await user.click(within(row).getByRole('button', { name: 'Fix and resend' }));
    expect(onFix).toHaveBeenCalledWith('p1', 'd1');
  });

  it('says so when there is nothing to fix', async () => {
    installFakeApi({ 'sync.workQueue': () => ok(queuePage([])) });
    render(<WorkQueue onFix={() => undefined} onOpen={() => undefined} />);
    expect(await screen.findByText(/Nothing to fix/)).toBeInTheDocument();
  });

  it('names unmapped registry locations plainly', () => {
    expect(fieldLabel(undefined)).toBe('Not mapped to a field');
    expect(fieldLabel('dose.vfcEligibility')).toBe('VFC eligibility');
    expect(fieldLabel('patient.address.zip')).toBe('Patient record: Street address');
  });
});
