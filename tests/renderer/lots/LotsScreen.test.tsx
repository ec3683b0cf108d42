import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { CodeListsProvider } from '../../../renderer/src/app/CodeLists';
import { expiryWarning } from '../../../renderer/src/lots/lot-warnings';
import { lotFlags, LotsScreen } from '../../../renderer/src/lots/LotsScreen';
import { todayIso } from '../../../renderer/src/api';
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
    // A CVX code typed without picking from the list is taken as it is.
    await user.type(screen.getByRole('combobox', { name: /^Vaccine/ }), '115');
    await user.type(screen.getByLabelText(/^Lot number/), 'X1');
    await user.type(screen.getByLabelText(/^Expiration date/), '2027-02-30');
    await user.type(screen.getByLabelText(/^Doses received/), '10');
    await user.click(screen.getByRole('button', { name: 'Receive a lot' }));
    await waitFor(() => expect(screen.getByLabelText(/^Expiration date/)).toHaveAccessibleDescription('Enter a real date as YYYY-MM-DD.'));
    expect(fake.calls('lots.receive')[0]).toMatchObject({ lot: { cvx: '115', lotNumber: 'X1', dosesOnHand: 10, expirationDate: '2027-02-30' } });
  });

  it('receives a lot by vaccine name: Enter picks it and its only manufacturer', async () => {
    const fake = installFakeApi({ 'lots.list': () => ok([]), 'lots.receive': () => ok({ ...TDAP_LOT, lotNumber: 'X1' }) });
    const user = userEvent.setup();
    renderLots();
    await screen.findByText('No lots in inventory.');
    await user.type(screen.getByRole('combobox', { name: /^Vaccine/ }), 'shingrix{Enter}');
    await waitFor(() => expect(screen.getByTestId('vaccine-chosen')).toHaveTextContent('CVX 187'));
    await waitFor(() => expect(screen.getByLabelText(/^Manufacturer/)).toHaveValue('SKB'));
    await user.type(screen.getByLabelText(/^Lot number/), 'X1');
    await user.type(screen.getByLabelText(/^Expiration date/), '2099-01-31');
    await user.type(screen.getByLabelText(/^Doses received/), '10');
    await user.click(screen.getByRole('button', { name: 'Receive a lot' }));
    await waitFor(() => expect(fake.calls('lots.receive')).toHaveLength(1));
    expect(fake.calls('lots.receive')[0]).toMatchObject({ lot: { cvx: '187', mvx: 'SKB', lotNumber: 'X1', expirationDate: '2099-01-31', dosesOnHand: 10 } });
    expect(await screen.findByText('Lot X1 saved.')).toBeInTheDocument();
  });

  it('a 2D barcode scan fills vaccine, NDC, manufacturer, lot and expiry, and a bad scan says why', async () => {
    installFakeApi({ 'lots.list': () => ok([]) });
    const user = userEvent.setup({ delay: null });
    renderLots();
    await screen.findByText('No lots in inventory.');
    await user.click(screen.getByRole('combobox', { name: /^Vaccine/ }));
    await user.keyboard('01103581608280311749063010SHX42A<GS>21ABC123{Enter}');
    await waitFor(() => expect(screen.getByTestId('lot-scan-note')).toHaveTextContent('Scanned: NDC 58160-0828-03, lot SHX42A, expires 2049-06-30.'));
    expect(screen.getByTestId('vaccine-chosen')).toHaveTextContent('CVX 187');
    expect(screen.getByRole('combobox', { name: /^Vaccine/ })).not.toHaveValue(expect.stringContaining('0110358'));
    expect(screen.getByLabelText(/^NDC/)).toHaveValue('58160-0828-03');
    expect(screen.getByLabelText(/^Manufacturer/)).toHaveValue('SKB');
    expect(screen.getByLabelText(/^Lot number/)).toHaveValue('SHX42A');
    expect(screen.getByLabelText(/^Expiration date/)).toHaveValue('2049-06-30');
    // A misread scan fills nothing, undoes what it typed, and says what to do.
    await user.clear(screen.getByLabelText(/^Lot number/));
    await user.keyboard('01103581608280321749063010ZZZ9{Enter}');
    await waitFor(() => expect(screen.getByTestId('lot-scan-note')).toHaveTextContent(/Barcode not read: .*fails its check digit/));
    expect(screen.getByLabelText(/^Lot number/)).toHaveValue('');
  });

  it('warns on a short-dated lot and asks once more before receiving an expired one', async () => {
    const fake = installFakeApi({ 'lots.list': () => ok([]), 'lots.receive': () => ok(TDAP_LOT) });
    const user = userEvent.setup();
    renderLots();
    await screen.findByText('No lots in inventory.');
    await user.type(screen.getByRole('combobox', { name: /^Vaccine/ }), '115');
    await user.selectOptions(screen.getByLabelText(/^Manufacturer/), 'SKB');
    await user.type(screen.getByLabelText(/^Lot number/), 'X1');
    await user.type(screen.getByLabelText(/^Doses received/), '10');
    const exp = screen.getByLabelText(/^Expiration date/);
    await user.type(exp, shiftDays(10));
    expect(screen.getByTestId('lot-expiry-warning')).toHaveTextContent(`expires on ${shiftDays(10)}, in 10 days`);
    await user.clear(exp);
    await user.type(exp, shiftDays(-1));
    expect(screen.getByTestId('lot-expiry-warning')).toHaveTextContent('expired on');
    await user.click(screen.getByRole('button', { name: 'Receive a lot' }));
    expect(fake.calls('lots.receive')).toHaveLength(0);
    expect(screen.getByText(/The expiry date .* has passed/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Receive expired lot' }));
    await waitFor(() => expect(fake.calls('lots.receive')).toHaveLength(1));
  });

  it('tells expired and short-dated expiry dates apart, and says nothing for a date that is not one', () => {
    expect(expiryWarning('2026-12-06', '2026-12-07')).toEqual({ kind: 'expired' });
    expect(expiryWarning('2026-12-07', '2026-12-07')).toEqual({ kind: 'short', days: 0 });
    expect(expiryWarning('2027-01-06', '2026-12-07')).toEqual({ kind: 'short', days: 30 });
    expect(expiryWarning('2027-01-07', '2026-12-07')).toBeUndefined();
    expect(expiryWarning('2027-02-30', '2026-12-07')).toBeUndefined();
    expect(expiryWarning('garbage', '2026-12-07')).toBeUndefined();
    expect(expiryWarning('', '2026-12-07')).toBeUndefined();
  });
});

function renderLots() {
  return render(
    <CodeListsProvider>
      <LotsScreen />
    </CodeListsProvider>,
  );
}

/** The clinic's today moved by `days`, as YYYY-MM-DD. */
function shiftDays(days: number): string {
  const [y, m, d] = todayIso().split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return t.toISOString().slice(0, 10);
}
