import { describe, expect, it } from 'vitest';
import { DOSE_CONCERN_CODES, doseConcerns, englishFor, type ConcernInput } from '../../../electron/domain/dose-concerns';

const adult = (over: Partial<ConcernInput> = {}): ConcernInput => ({
  dob: '1980-05-01',
  sex: 'F',
  history: [],
  observations: [],
  proposed: { cvx: '150', date: '2026-11-25', kind: 'administered' },
  ...over,
});

const keys = (input: ConcernInput) => doseConcerns(input).map((c) => c.key);

describe('dose concerns', () => {
  it('has nothing to say about a first flu dose of the season', () => {
    expect(doseConcerns(adult({ history: [{ cvx: '150', date: '2025-10-01' }] }))).toEqual([]);
  });

  it('names a second flu dose on the same day, whatever flu product the first was', () => {
    const concerns = doseConcerns(adult({ history: [{ cvx: '197', date: '2026-11-25' }] }));
    expect(concerns.map((c) => c.key)).toEqual(['same_day:Influenza']);
    expect(concerns[0]?.params.other).toMatch(/Influenza/i);
  });

  it('names a Tdap two days after a Tdap as too soon, with the last date and the days', () => {
    const concerns = doseConcerns(adult({ history: [{ cvx: '115', date: '2026-11-23' }], proposed: { cvx: '115', date: '2026-11-25', kind: 'administered' } }));
    const codes = concerns.map((c) => c.code);
    expect(codes.length).toBeGreaterThan(0);
    expect(codes.every((c) => c !== 'same_day')).toBe(true);
    const soon = concerns.find((c) => c.code === 'too_soon');
    expect(soon?.params).toMatchObject({ last: '2026-11-23', days: '2' });
  });

  it('names a dose given too young', () => {
    const baby = adult({ dob: '2026-11-01', proposed: { cvx: '03', date: '2026-11-25', kind: 'administered' } });
    expect(doseConcerns(baby).map((c) => c.code)).toContain('too_young');
  });

  it('asks about a historical record only when it doubles one already on the chart', () => {
    const history = [{ cvx: '115', date: '2026-11-23' }];
    expect(keys(adult({ history, proposed: { cvx: '115', date: '2026-11-25', kind: 'historical' } }))).toEqual([]);
    expect(keys(adult({ history, proposed: { cvx: '115', date: '2026-11-23', kind: 'historical' } }))).toEqual(['same_day:DTaP/Tdap/Td']);
  });

  it('says nothing about a refusal', () => {
    expect(doseConcerns(adult({ history: [{ cvx: '150', date: '2026-11-25' }], proposed: { cvx: '150', date: '2026-11-25', kind: 'refusal' } }))).toEqual([]);
  });

  it('names a contraindication on the chart (adverse reaction to a vaccine component, CDSi 080)', () => {
    const concerns = doseConcerns(adult({ observations: [{ code: '080' }] }));
    expect(concerns.map((c) => c.key)).toEqual(['contraindicated:080']);
    expect(concerns[0]?.params.condition).toMatch(/adverse reaction/i);
  });

  it('leaves out a condition that has ended or not begun on the day', () => {
    expect(keys(adult({ observations: [{ code: '080', startDate: '2026-12-01' }] }))).toEqual([]);
    expect(keys(adult({ observations: [{ code: '007', startDate: '2025-01-01', endDate: '2025-09-30' }], proposed: { cvx: '03', date: '2026-11-25', kind: 'administered' } })).filter((k) => k.includes('007'))).toEqual([]);
  });

  it('names a live vaccine for a pregnant patient once, not once per antigen', () => {
    const mmr = keys(adult({ observations: [{ code: '007', startDate: '2026-08-01' }], proposed: { cvx: '03', date: '2026-11-25', kind: 'administered' } }));
    expect(mmr.filter((k) => k.endsWith(':007'))).toHaveLength(1);
    const laiv = doseConcerns(adult({ observations: [{ code: '170', startDate: '2026-08-01' }], proposed: { cvx: '149', date: '2026-11-25', kind: 'administered' } }));
    expect(laiv.map((c) => c.key)).toContain('live_pregnant:170');
  });

  it('names a live vaccine for an immunocompromised patient, and not an inactivated one', () => {
    const zosterLive = keys(adult({ dob: '1960-01-01', observations: [{ code: '003' }], proposed: { cvx: '121', date: '2026-11-25', kind: 'administered' } }));
    expect(zosterLive).toContain('live_immunocompromised:003');
    const shingrix = keys(adult({ dob: '1960-01-01', observations: [{ code: '003' }], proposed: { cvx: '187', date: '2026-11-25', kind: 'administered' } }));
    expect(shingrix.filter((k) => k.startsWith('live_'))).toEqual([]);
  });

  it('has an English sentence for every code, with its values filled in', () => {
    const p = { group: 'G', other: 'O', date: 'D', last: 'L', days: '2', dob: 'B', reason: 'R', vaccine: 'V', condition: 'C' };
    for (const code of DOSE_CONCERN_CODES) expect(englishFor(code, p)).not.toMatch(/undefined/);
  });
});
