import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { CodeListsProvider } from '../../../renderer/src/app/CodeLists';
import { lotFlags, LotsScreen } from '../../../renderer/src/lots/LotsScreen';
import { installFakeApi, ok, TDAP_LOT } from '../fake-api';

const EXPIRED = { ...TDAP_LOT, id: 'old', lotNumber: 'OLD1', expirationDate: '2020-01-31', dosesOnHand: 2 };

describe('Lots', () => {
  it('flags expired, low-stock and deactivated lots', () => {
    expect(lotFlags(EXPIRED, '2026-11-25')).toEqual(['expired', 'low']);
    expect(lotFlags(TDAP_LOT, '2026-11-25')).toEqual([]);
    expect(lotFlags({ ...TDAP_LOT, active: false, dosesOnHand: 5 }, '2026-11-25')).toEqual(['low', 'inactive']);
  });

  it('lists lots with their flags, adjusts a count with a reason and deactivates a lot', async () => {
    const fake = installFakeApi({
      'lots.list': () => ok([TDAP_LOT, EXPIRED]),
      'lots.adjust': (input) => ok({ ...TDAP_LOT, dosesOnHand: TDAP_LOT.dosesOnHand + (input as { delta: number }).delta }),
      'lots.setActive': () => ok({ ...EXPIRED, active: false }),
    });
    const user = userEvent.setup();
    render(
      <CodeListsProvider>
        <LotsScreen />
      </CodeListsProvider>,
    );
    const table = await screen.findByTestId('lots');
    const old = within(table).getByText('OLD1').closest('tr')!;
    expect(old).toHaveTextContent('Expired');
    expect(old).toHaveTextContent('Low stock');
    await user.click(within(old).getByRole('button', { name: 'Deactivate' }));
    expect(fake.calls('lots.setActive')[0]).toEqual({ id: 'old', active: false });

    const tdap = within(table).getByText('TDP7731').closest('tr')!;
    await user.click(within(tdap).getByRole('button', { name: 'Adjust count' }));
    await user.type(within(tdap).getByLabelText(/Doses to add/), '-1');
    await user.type(within(tdap).getByLabelText('Reason'), 'vial dropped{Enter}');
    await waitFor(() => expect(fake.calls('lots.adjust')[0]).toEqual({ id: 'lot-tdap', delta: -1, reason: 'vial dropped' }));
  });

  it('receives a lot and shows the domain messages on the fields', async () => {
    const fake = installFakeApi({
      'lots.list': () => ok([]),
      'lots.receive': () => ({ ok: false, error: { kind: 'validation', message: 'Invalid lot.', issues: [{ path: 'lot.expirationDate', code: 'lot.invalid', message: 'Enter a real date as YYYY-MM-DD.' }] } }),
    });
    const user = userEvent.setup();
    render(
      <CodeListsProvider>
        <LotsScreen />
      </CodeListsProvider>,
    );
    await screen.findByText('No lots in inventory.');
    await user.type(screen.getByLabelText(/^Vaccine \(CVX code\)/), '115');
    expect(screen.getByLabelText(/^Vaccine \(CVX code\)/)).toHaveAccessibleDescription('Tdap');
    await user.type(screen.getByLabelText(/^Lot number/), 'X1');
    await user.type(screen.getByLabelText(/^Expiration date/), '2027-02-30');
    await user.type(screen.getByLabelText(/^Doses received/), '10');
    await user.click(screen.getByRole('button', { name: 'Receive a lot' }));
    await waitFor(() => expect(screen.getByLabelText(/^Expiration date/)).toHaveAccessibleDescription('Enter a real date as YYYY-MM-DD.'));
    expect(fake.calls('lots.receive')[0]).toMatchObject({ lot: { cvx: '115', lotNumber: 'X1', dosesOnHand: 10, expirationDate: '2027-02-30' } });
  });
});
