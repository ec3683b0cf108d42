import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { DoseWithStatus, DoseWriteResult } from '../../../electron/api';
import { CodeListsProvider } from '../../../renderer/src/app/CodeLists';
import { DoseForm } from '../../../renderer/src/doses/DoseForm';
import { todayIso } from '../../../renderer/src/api';
import { installFakeApi, lotDefaultsFor, ok, PATIENT, TDAP_LOT } from '../fake-api';

function renderForm(props: Partial<Parameters<typeof DoseForm>[0]> = {}) {
  const onSaved = vi.fn();
  const onEditPatient = vi.fn();
  render(
    <CodeListsProvider>
      <DoseForm patient={PATIENT} onSaved={onSaved} onCancel={() => undefined} onEditPatient={onEditPatient} {...props} />
    </CodeListsProvider>,
  );
  return { onSaved, onEditPatient };
}

const lotAnswers = {
  'lots.list': () => ok([TDAP_LOT]),
  'codes.lotDefaults': () => ok(lotDefaultsFor(TDAP_LOT)),
};

function savedResult(): DoseWriteResult {
  return { dose: { id: 'd1' } as DoseWriteResult['dose'], outbox: { seq: 1, action: 'A', state: 'pending', messageControlId: 'M1' } };
}

describe('DoseForm', () => {
  it('picks the vaccine by name, fills the only lot, and Enter saves the dose the domain accepts', async () => {
    const fake = installFakeApi({ ...lotAnswers, 'doses.record': () => ok(savedResult()) });
    const user = userEvent.setup({ delay: null });
    const { onSaved } = renderForm();
    const vaccine = screen.getByRole('combobox', { name: /Vaccine/ });
    await waitFor(() => expect(vaccine).toHaveFocus());
    await user.type(vaccine, 'tdap{Enter}');
    await waitFor(() => expect(screen.getByTestId('vaccine-chosen')).toHaveTextContent('CVX 115'));
    await waitFor(() => expect(screen.getByLabelText(/^Lot number/)).toHaveValue('TDP7731'));
    expect(screen.getByLabelText(/^Manufacturer/)).toHaveValue('SKB');
    expect(screen.getByLabelText(/^Expiration date/)).toHaveValue('2099-12-31');
    expect(screen.getByLabelText(/^Amount/)).toHaveValue('0.5');
    expect(screen.getByLabelText(/^Route/)).not.toHaveValue('');
    expect(screen.getByLabelText(/^Body site/)).toHaveValue('LD');
    expect(screen.getByLabelText(/^VFC eligibility/)).toHaveValue('V01'); // an adult
    expect(screen.getByLabelText(/^Given by/)).toHaveValue('c1'); // the only clinician
    expect(screen.getByLabelText(/^Date given/)).toHaveValue(todayIso());
    await waitFor(() => expect(screen.getByLabelText(/^Lot from inventory/)).toHaveFocus());

    await user.keyboard('{Enter}');
    await waitFor(() => expect(onSaved).toHaveBeenCalledTimes(1));
    const [{ dose }] = fake.calls('doses.record') as [{ dose: Record<string, unknown> }];
    expect(dose).toMatchObject({ patientId: 'p1', kind: 'administered', cvx: '115', lotId: 'lot-tdap', lotNumber: 'TDP7731', mvx: 'SKB', amountMl: 0.5, vfcEligibility: 'V01', administeringClinicianId: 'c1' });
    expect((dose.vis as unknown[]).length).toBeGreaterThan(0);
  });

  it('"flu" and Enter at a site that stocks Flucelvax picks Flucelvax and its soonest-expiring usable lot', async () => {
    const flucelvax = (id: string, lotNumber: string, expirationDate: string, dosesOnHand = 10) => ({ ...TDAP_LOT, id, lotNumber, cvx: '171', mvx: 'SEQ', ndc: undefined, expirationDate, dosesOnHand });
    const lots = [flucelvax('later', 'FCV-LATE', '2099-06-30'), flucelvax('empty', 'FCV-EMPTY', '2098-01-31', 0), flucelvax('soon', 'FCV-SOON', '2098-03-31')];
    installFakeApi({
      'lots.list': (input) => ok(lots.filter((l) => !(input as { cvx?: string }).cvx || l.cvx === (input as { cvx?: string }).cvx)),
      'codes.lotDefaults': (input) => ok(lotDefaultsFor(lots.find((l) => l.id === (input as { lotId: string }).lotId)!)),
    });
    const user = userEvent.setup({ delay: null });
    renderForm();
    const vaccine = screen.getByRole('combobox', { name: /Vaccine/ });
    await waitFor(() => expect(vaccine).toHaveFocus());
    // Let the fridge be read before typing, as it is while a nurse greets the patient.
    await new Promise((r) => setTimeout(r, 20));
    await user.type(vaccine, 'flu{Enter}');
    await waitFor(() => expect(screen.getByTestId('vaccine-chosen')).toHaveTextContent('CVX 171'));
    await waitFor(() => expect(screen.getByLabelText(/^Lot number/)).toHaveValue('FCV-SOON'));
  });

  it('Enter never picks from the results of an earlier, shorter query', async () => {
    installFakeApi(lotAnswers);
    const user = userEvent.setup({ delay: null });
    renderForm();
    const vaccine = screen.getByRole('combobox', { name: /Vaccine/ });
    await user.type(vaccine, 'td');
    await screen.findAllByRole('option');
    await user.type(vaccine, 'ap{Enter}');
    await waitFor(() => expect(screen.getByTestId('vaccine-chosen')).toHaveTextContent('CVX 115'));
  });

  it('shows the domain’s messages on the fields and sends nothing when required data is missing', async () => {
    const fake = installFakeApi(lotAnswers);
    const user = userEvent.setup({ delay: null });
    renderForm();
    await user.click(screen.getByRole('button', { name: 'Save dose' }));
    const vaccine = screen.getByRole('combobox', { name: /Vaccine/ });
    await waitFor(() => expect(vaccine).toHaveAttribute('aria-invalid', 'true'));
    const describedBy = vaccine.getAttribute('aria-describedby')!;
    const errorId = describedBy.split(' ').find((id) => id.endsWith('-error'))!;
    expect(document.getElementById(errorId)).toHaveTextContent('Vaccine (CVX) is required.');
    expect(fake.calls('doses.record')).toHaveLength(0);
  });

  it('puts a validation error returned by the store on its field and does not report saved', async () => {
    installFakeApi({
      ...lotAnswers,
      'doses.record': () => ({
        ok: false,
        error: { kind: 'validation', message: 'Invalid dose.', issues: [{ path: 'dose.lotId', code: 'dose.lot_empty', message: 'Lot TDP7731 has no doses left in inventory.' }] },
      }),
    });
    const user = userEvent.setup({ delay: null });
    const { onSaved } = renderForm();
    await user.type(screen.getByRole('combobox', { name: /Vaccine/ }), 'tdap{Enter}');
    await waitFor(() => expect(screen.getByLabelText(/^Lot number/)).toHaveValue('TDP7731'));
    await user.keyboard('{Control>}{Enter}{/Control}');
    const lot = screen.getByLabelText(/^Lot from inventory/);
    await waitFor(() => expect(lot).toHaveAttribute('aria-invalid', 'true'));
    expect(lot).toHaveAccessibleDescription(/no doses left/);
    expect(onSaved).not.toHaveBeenCalled();
  });

  it('lists what the patient record lacks for MIIS and offers to edit it', async () => {
    installFakeApi(lotAnswers);
    const user = userEvent.setup({ delay: null });
    const { onEditPatient } = renderForm({ patient: { ...PATIENT, address: undefined } });
    await user.type(screen.getByRole('combobox', { name: /Vaccine/ }), 'tdap{Enter}');
    await waitFor(() => expect(screen.getByLabelText(/^Lot number/)).toHaveValue('TDP7731'));
    await user.keyboard('{Control>}{Enter}{/Control}');
    const errors = await screen.findByTestId('dose-errors');
    expect(errors).toHaveTextContent("MIIS needs the patient's home address");
    await user.click(within(errors).getByRole('button', { name: 'Edit the patient record' }));
    expect(onEditPatient).toHaveBeenCalled();
  });

  it('asks for the reason of a refusal and records it with status RE', async () => {
    const fake = installFakeApi({ ...lotAnswers, 'doses.record': () => ok(savedResult()) });
    const user = userEvent.setup({ delay: null });
    const { onSaved } = renderForm();
    await user.click(screen.getByLabelText('Refused'));
    await user.type(screen.getByRole('combobox', { name: /Vaccine/ }), 'tdap{Enter}');
    await waitFor(() => expect(screen.getByTestId('vaccine-chosen')).toHaveTextContent('CVX 115'));
    await user.click(screen.getByRole('button', { name: 'Save dose' }));
    const reason = screen.getByLabelText(/^Reason for refusal/);
    await waitFor(() => expect(reason).toHaveAccessibleDescription('Choose why the vaccine was refused.'));
    await user.selectOptions(reason, '03');
    await user.click(screen.getByRole('button', { name: 'Save dose' }));
    await waitFor(() => expect(onSaved).toHaveBeenCalled());
    expect(fake.calls('doses.record')[0]).toMatchObject({ dose: { kind: 'refusal', completionStatus: 'RE', refusalReason: '03', cvx: '115' } });
  });

  it('records a historical dose from a card: any past date, a source, no lot from inventory', async () => {
    const fake = installFakeApi({ ...lotAnswers, 'doses.record': () => ok(savedResult()) });
    const user = userEvent.setup({ delay: null });
    const { onSaved } = renderForm();
    await user.click(screen.getByLabelText('Historical'));
    expect(screen.queryByLabelText(/^Lot from inventory/)).not.toBeInTheDocument();
    await user.type(screen.getByRole('combobox', { name: /Vaccine/ }), 'tdap{Enter}');
    await waitFor(() => expect(screen.getByTestId('vaccine-chosen')).toHaveTextContent('CVX 115'));
    const date = screen.getByLabelText(/^Date given/);
    await user.clear(date);
    await user.type(date, '2012-05-03');
    await user.click(screen.getByRole('button', { name: 'Save dose' }));
    const source = screen.getByLabelText(/^Source of the record/);
    await waitFor(() => expect(source).toHaveAccessibleDescription(/Say where this historical record comes from/));
    await user.selectOptions(source, '01');
    await user.click(screen.getByRole('button', { name: 'Save dose' }));
    await waitFor(() => expect(onSaved).toHaveBeenCalled());
    const [{ dose }] = fake.calls('doses.record') as [{ dose: Record<string, unknown> }];
    expect(dose).toMatchObject({ kind: 'historical', cvx: '115', administeredOn: '2012-05-03', historicalSource: '01' });
    expect(dose.amountMl).toBeUndefined();
    expect(dose.lotId).toBeUndefined();
  });

  it('a keyboard-wedge scan fills vaccine, NDC, lot and expiry and undoes what it typed into the focused field', async () => {
    const shingrix = { ...TDAP_LOT, id: 'lot-shx', cvx: '187', lotNumber: 'SHX42A', ndc: '58160-0828-03', expirationDate: '2049-06-30' };
    installFakeApi({ 'lots.list': () => ok([shingrix]), 'codes.lotDefaults': () => ok(lotDefaultsFor(shingrix)) });
    const user = userEvent.setup({ delay: null });
    renderForm();
    const vaccine = screen.getByRole('combobox', { name: /Vaccine/ });
    await waitFor(() => expect(vaccine).toHaveFocus());
    await user.keyboard('01103581608280311749063010SHX42A<GS>21ABC123{Enter}');
    await waitFor(() => expect(screen.getByTestId('scan-note')).toHaveTextContent('Scanned: NDC 58160-0828-03, lot SHX42A, expires 2049-06-30.'));
    expect(screen.getByTestId('vaccine-chosen')).toHaveTextContent('CVX 187');
    expect(vaccine).not.toHaveValue(expect.stringContaining('0110358'));
    expect(screen.getByLabelText(/^NDC/)).toHaveValue('58160-0828-03');
    await waitFor(() => expect(screen.getByLabelText(/^Lot from inventory/)).toHaveValue('lot-shx'));
    expect(screen.getByLabelText(/^Lot number/)).toHaveValue('SHX42A');
  });

  it('shows the registry’s message on the field it maps to when fixing a rejected dose', async () => {
    const fake = installFakeApi({ ...lotAnswers, 'doses.edit': () => ok(savedResult()) });
    const rejected: DoseWithStatus = {
      id: 'd9',
      patientId: 'p1',
      kind: 'administered',
      cvx: '115',
      mvx: 'SKB',
      // Typed in, not picked from inventory: correcting the number is then the fix.
      lotNumber: 'TDP7731',
      expirationDate: '2099-12-31',
      administeredOn: todayIso(),
      amountMl: 0.5,
      route: 'C28161',
      site: 'LD',
      vfcEligibility: 'V01',
      administeringClinicianId: 'c1',
      vis: [{ documentType: 'Tdap VIS', editionDate: '2021-08-06', presentedOn: todayIso() }],
      completionStatus: 'CP',
      recordedAt: '',
      recordedBy: 'u1',
      updatedAt: '',
      version: 3,
      reporting: { state: 'rejected', messages: [{ severity: 'error', text: 'RXA-15 lot number is not valid for this product.', field: 'dose.lotNumber' }] },
    };
    const user = userEvent.setup({ delay: null });
    const { onSaved } = renderForm({ editing: rejected });
    expect(screen.getByLabelText(/^Lot number/)).toHaveAccessibleDescription('MIIS said: RXA-15 lot number is not valid for this product.');
    await user.clear(screen.getByLabelText(/^Lot number/));
    await user.type(screen.getByLabelText(/^Lot number/), 'TDP7732');
    await user.click(screen.getByRole('button', { name: 'Save and resend' }));
    await waitFor(() => expect(onSaved).toHaveBeenCalled());
    expect(fake.calls('doses.edit')[0]).toMatchObject({ id: 'd9', expectedVersion: 3, dose: { lotNumber: 'TDP7732' } });
  });

  it('refuses a lot number typed over the lot picked from inventory, on the field, before any call', async () => {
    const fake = installFakeApi({ ...lotAnswers, 'doses.record': () => ok(savedResult()) });
    const user = userEvent.setup({ delay: null });
    const { onSaved } = renderForm();
    await user.type(screen.getByRole('combobox', { name: /Vaccine/ }), 'tdap{Enter}');
    const lotNumber = screen.getByLabelText(/^Lot number/);
    await waitFor(() => expect(lotNumber).toHaveValue('TDP7731'));
    await user.clear(lotNumber);
    await user.type(lotNumber, 'TDP9999');
    await user.click(screen.getByRole('button', { name: 'Save dose' }));
    await waitFor(() => expect(lotNumber).toHaveAttribute('aria-invalid', 'true'));
    expect(lotNumber).toHaveAccessibleDescription(/TDP9999 is not the lot picked from inventory \(TDP7731\)/);
    expect(fake.calls('doses.record')).toHaveLength(0);
    expect(onSaved).not.toHaveBeenCalled();
  });

  it('refuses control characters and emoji in the lot number before any call', async () => {
    const fake = installFakeApi({ 'lots.list': () => ok([]), 'doses.record': () => ok(savedResult()) });
    const user = userEvent.setup({ delay: null });
    renderForm();
    await user.type(screen.getByRole('combobox', { name: /Vaccine/ }), 'tdap{Enter}');
    await waitFor(() => expect(screen.getByTestId('vaccine-chosen')).toHaveTextContent('CVX 115'));
    const lotNumber = screen.getByLabelText(/^Lot number/);
    await user.click(lotNumber);
    await user.paste('TDP\u0007773');
    await user.click(screen.getByRole('button', { name: 'Save dose' }));
    await waitFor(() => expect(lotNumber).toHaveAccessibleDescription(/invisible control character \(U\+0007\) after “TDP”/));
    await user.clear(lotNumber);
    await user.type(lotNumber, 'TDP💉');
    await user.click(screen.getByRole('button', { name: 'Save dose' }));
    await waitFor(() => expect(lotNumber).toHaveAccessibleDescription(/cannot contain “💉”/));
    expect(fake.calls('doses.record')).toHaveLength(0);
  });

  it('refuses a malformed NDC on its field, and notes an NDC the CDC table lacks without blocking the save', async () => {
    const fake = installFakeApi({ ...lotAnswers, 'doses.record': () => ok(savedResult()) });
    const user = userEvent.setup({ delay: null });
    const { onSaved } = renderForm();
    await user.type(screen.getByRole('combobox', { name: /Vaccine/ }), 'tdap{Enter}');
    const ndc = screen.getByLabelText(/^NDC/);
    await waitFor(() => expect(ndc).toHaveValue('58160-0842-01'));
    expect(ndc).not.toHaveAccessibleDescription(/not in the CDC/);

    await user.clear(ndc);
    await user.type(ndc, '1234-123-1');
    await user.click(screen.getByRole('button', { name: 'Save dose' }));
    await waitFor(() => expect(ndc).toHaveAccessibleDescription(/has 8 digits/));
    expect(fake.calls('doses.record')).toHaveLength(0);

    await user.clear(ndc);
    await user.type(ndc, '12345-6789-01');
    expect(ndc).toHaveAccessibleDescription(/12345-6789-01 is not in the CDC vaccine NDC table/);
    await user.click(screen.getByRole('button', { name: 'Save dose' }));
    await waitFor(() => expect(onSaved).toHaveBeenCalledTimes(1));
    expect(fake.calls('doses.record')[0]).toMatchObject({ dose: { ndc: '12345-6789-01', lotNumber: 'TDP7731' } });
  });
});
