import { describe, expect, it } from 'vitest';
import { patientInputSchema } from '../../../electron/domain/patient';
import { aPatient } from './fixtures';

function messagesFor(input: unknown): Record<string, string> {
  const r = patientInputSchema.safeParse(input);
  if (r.success) return {};
  return Object.fromEntries(r.error.issues.map((i) => [i.path.join('.'), i.message]));
}

describe('patient input', () => {
  it('accepts a complete patient and fills the defaults', () => {
    const p = patientInputSchema.parse(aPatient());
    expect(p.registryStatus).toBe('A');
    expect(p.dataSharingObjection).toBe(false);
    expect(p.address?.country).toBe('USA');
  });

  it('keeps names with apostrophes, accents, hyphens and HL7 delimiters intact', () => {
    const p = patientInputSchema.parse(aPatient({ lastName: "O'Brien-Smith|Jr^", firstName: 'Renée' }));
    expect(p.lastName).toBe("O'Brien-Smith|Jr^");
    expect(p.firstName).toBe('Renée');
  });

  it('explains each missing or malformed field in words a nurse can act on', () => {
    const m = messagesFor({ ...aPatient(), lastName: '  ', dob: '2026-02-30', address: { street1: 'x', city: 'Boston', state: 'Mass', zip: '2108' } });
    expect(m.lastName).toBe('Last name is required.');
    expect(m.dob).toBe('Enter a real date as YYYY-MM-DD.');
    expect(m['address.state']).toMatch(/two-letter state code/);
    expect(m['address.zip']).toMatch(/5 digits/);
  });

  it('refuses a birth order without a multiple birth', () => {
    const m = messagesFor(aPatient({ multipleBirth: { indicator: false, order: 2 } }));
    expect(m['multipleBirth.order']).toMatch(/multiple birth/);
  });

  it('refuses unknown race, ethnicity and relationship codes', () => {
    const m = messagesFor({ ...aPatient(), races: ['9999-9'], ethnicity: 'X', guardians: [{ lastName: 'A', firstName: 'B', relationship: 'ZZZ' }] });
    expect(Object.keys(m).sort()).toEqual(['ethnicity', 'guardians.0.relationship', 'races.0']);
  });

  it('treats an emptied optional text field as absent', () => {
    const p = patientInputSchema.parse(aPatient({ middleName: '' }));
    expect(p.middleName).toBeUndefined();
  });
});
