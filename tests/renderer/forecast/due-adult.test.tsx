import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { DueItemView, Lot, PatientForecast } from '../../../electron/api';
import { doseWording, groupName, vaccineChoices, whenWording } from '../../../renderer/src/forecast/due-wording';
import { DuePanel } from '../../../renderer/src/forecast/DuePanel';
import { t } from '../../../renderer/i18n';
import { EMPTY_FORECAST, TDAP_LOT } from '../fake-api';

// A 38-year-old with one Tdap six days ago, as the real CDSi forecast answers on 2026-12-07:
// it numbers the tetanus dose along the child schedule ("dose 8"), asks for flu "dose 2",
// and lists no product at all for COVID-19.
const TD: DueItemView = {
  vaccineGroup: 'DTaP/Tdap/Td',
  targetDose: 8,
  earliest: '2026-12-29',
  recommended: '2026-12-29',
  pastDue: '2026-12-29',
  canGiveToday: false,
  dosesCounted: 1,
  vaccines: [
    { cvx: '09', name: 'Td (adult), adsorbed' },
    { cvx: '113', name: 'Td (adult) preservative free' },
    { cvx: '115', name: 'Tdap' },
  ],
};
const COVID: DueItemView = { vaccineGroup: 'COVID-19', targetDose: 1, earliest: '2025-08-27', recommended: '2025-08-27', canGiveToday: true, dosesCounted: 0, vaccines: [] };
const FLU: DueItemView = {
  vaccineGroup: 'Influenza',
  targetDose: 2,
  earliest: '2025-07-01',
  recommended: '2025-07-01',
  canGiveToday: true,
  dosesCounted: 0,
  vaccines: [{ cvx: '140', name: 'Influenza, split virus, trivalent, PF' }],
};
const HEPB: DueItemView = {
  vaccineGroup: 'HepB',
  targetDose: 1,
  earliest: '1988-03-14',
  recommended: '1988-03-14',
  pastDue: '1988-04-10',
  daysOverdue: 14120,
  canGiveToday: true,
  dosesCounted: 0,
  vaccines: [{ cvx: '43', name: 'Hep B, adult' }],
};
const ADULT: PatientForecast = { ...EMPTY_FORECAST, assessmentDate: '2026-12-07', overdue: [HEPB], dueToday: [COVID, FLU], dueSoon: [TD] };

const COVID_LOT: Lot = { ...TDAP_LOT, id: 'lot-covid', lotNumber: 'MOD3321', cvx: '312', mvx: 'MOD' };
const lot = (over: Partial<Lot>): Lot => ({ ...TDAP_LOT, ...over });
const say = (w: { key: Parameters<typeof t>[0]; params?: Record<string, string | number> } | undefined) => (w ? t(w.key, w.params) : '—');

describe('due wording for adults', () => {
  it('counts tetanus doses as a nurse does: catch-up 1–3 of 3, then a booster; never "dose 7" or "dose 8"', () => {
    expect(say(doseWording({ ...TD, dosesCounted: 0, targetDose: 7 }, 38))).toBe('Catch-up dose 1 of 3');
    expect(say(doseWording(TD, 38))).toBe('Catch-up dose 2 of 3');
    expect(say(doseWording({ ...TD, dosesCounted: 7 }, 68))).toBe('Booster (every 10 years)');
    expect(groupName('DTaP/Tdap/Td', 38)).toBe('Tdap/Td');
    // A child keeps the schedule's own numbers and name.
    expect(say(doseWording({ ...TD, targetDose: 3, dosesCounted: 2 }, 0))).toBe('Dose 3');
    expect(groupName('DTaP/Tdap/Td', 0)).toBe('DTaP/Tdap/Td');
  });

  it('words flu and COVID-19 as this season’s dose for adults, but a child’s first-season series by number', () => {
    expect(say(doseWording(FLU, 38))).toBe("This season's dose");
    expect(say(doseWording(COVID, 38))).toBe("This season's dose");
    expect(say(doseWording({ ...FLU, targetDose: 2, dosesCounted: 1 }, 3))).toBe('Dose 2');
  });

  it('counts from what was given when CDSi skips target doses a late starter no longer needs', () => {
    expect(say(doseWording({ ...HEPB, targetDose: 3, dosesCounted: 0 }, 40))).toBe('Dose 1');
    expect(say(doseWording({ ...HEPB, targetDose: 2, dosesCounted: 1 }, 40))).toBe('Dose 2');
    expect(say(doseWording({ ...HEPB, targetDose: 2, dosesCounted: undefined }, 40))).toBe('Dose 2');
    expect(doseWording({ ...HEPB, targetDose: undefined, dosesCounted: undefined }, 40)).toBeUndefined();
  });

  it('says "no dose on record" instead of thousands of overdue days, and months or years for long waits', () => {
    expect(say(whenWording('overdue', HEPB))).toBe('Overdue: no dose on record');
    expect(say(whenWording('overdue', { ...HEPB, dosesCounted: 1, daysOverdue: 800 }))).toBe('Overdue 2 years');
    expect(say(whenWording('overdue', { ...HEPB, dosesCounted: 1, daysOverdue: 95 }))).toBe('Overdue 3 months');
    expect(say(whenWording('overdue', { ...HEPB, dosesCounted: 0, daysOverdue: 4 }))).toBe('Overdue 4 days');
    expect(say(whenWording('overdue', { ...HEPB, daysOverdue: 1 }))).toBe('Overdue 1 day');
  });

  it('lists stocked products first and falls back to the group’s active products when CDSi names none', () => {
    const today = '2026-12-07';
    expect(vaccineChoices(TD, [], today)[0]).toEqual({ cvx: '115', inStock: false });
    expect(vaccineChoices(TD, [TDAP_LOT], today).map((c) => [c.cvx, c.inStock])).toEqual([
      ['115', true],
      ['09', false],
      ['113', false],
    ]);
    const covid = vaccineChoices(COVID, [], today);
    expect(covid.length).toBeGreaterThan(0);
    expect(covid.every((c) => !c.inStock)).toBe(true);
    expect(vaccineChoices(COVID, [COVID_LOT], today)[0]).toEqual({ cvx: '312', inStock: true });
    // Expired, empty or inactive lots are not "in stock"; neither is another group's vaccine.
    for (const bad of [lot({ cvx: '312', expirationDate: '2026-12-06' }), lot({ cvx: '312', dosesOnHand: 0 }), lot({ cvx: '312', active: false }), TDAP_LOT]) {
      expect(vaccineChoices(COVID, [bad], today).some((c) => c.inStock)).toBe(false);
    }
  });
});

describe('DuePanel for an adult', () => {
  it('shows no DTaP dose 8, no flu dose 2, and a COVID-19 row with a vaccine and a Give for the stocked lot', async () => {
    const given: string[] = [];
    render(<DuePanel forecast={ADULT} dob="1988-03-14" stock={[TDAP_LOT, COVID_LOT]} onGive={(cvx) => given.push(cvx)} />);
    const list = screen.getByTestId('due-list');
    expect(list).not.toHaveTextContent(/dose 8|dose 7|DTaP/i);
    expect(list).not.toHaveTextContent('Dose 2');
    const covid = within(list).getAllByRole('row').find((r) => r.getAttribute('data-group') === 'COVID-19')!;
    expect(covid).toHaveTextContent("This season's dose");
    expect(covid).toHaveTextContent(/COVID-19, mRNA.*\(in stock\)/);
    await userEvent.setup().click(within(covid).getByRole('button', { name: 'Give COVID-19' }));
    expect(given).toEqual(['312']);
    const td = within(list).getAllByRole('row').find((r) => r.getAttribute('data-group') === 'DTaP/Tdap/Td')!;
    expect(td).toHaveTextContent('Tdap/Td');
    expect(td).toHaveTextContent('Catch-up dose 2 of 3');
    expect(td).toHaveTextContent(/^.*Tdap \(in stock\)/);
    expect(within(list).getAllByRole('row').find((r) => r.getAttribute('data-group') === 'HepB')).toHaveTextContent('Overdue: no dose on record');
  });

  it('still names a COVID-19 vaccine and offers Give with nothing in stock', () => {
    render(<DuePanel forecast={ADULT} dob="1988-03-14" onGive={() => undefined} />);
    const covid = within(screen.getByTestId('due-list')).getAllByRole('row').find((r) => r.getAttribute('data-group') === 'COVID-19')!;
    expect(covid).toHaveTextContent(/COVID-19, /);
    expect(within(covid).getByRole('button', { name: 'Give COVID-19' })).toBeInTheDocument();
  });
});
