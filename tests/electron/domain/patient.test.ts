import { describe, expect, it } from 'vitest';
import { isoDateAtOffset } from '../../../electron/domain/common';
import { issuesFromZod } from '../../../electron/domain/errors';
import { patientInputSchema, type PatientInput } from '../../../electron/domain/patient';
import { validatePatient } from '../../../electron/domain/patient-rules';
import { aPatient, TODAY } from './fixtures';

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

  it('keeps names with apostrophes, accents and hyphens intact', () => {
    const p = patientInputSchema.parse(aPatient({ lastName: "O'Brien-Smith", firstName: 'Renée' }));
    expect(p.lastName).toBe("O'Brien-Smith");
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

function issueFor(input: unknown, path: string) {
  const r = patientInputSchema.safeParse(input);
  if (r.success) return undefined;
  return issuesFromZod(r.error, 'patient').find((i) => i.path === `patient.${path}`);
}

// Names a Boston clinic registers: every one must be stored exactly as typed (composed, NFC).
const REAL_NAMES = [
  'José',
  'Nguyễn',
  "O'Brien",
  'O’Connor',
  'Zoë',
  'Mary-Kate',
  'St. John',
  'García Márquez',
  '陈',
  '欧阳',
  'محمد',
  'Ólafsdóttir',
  'ʻIolani',
  'Łukasz',
  'Șerban',
  'Þórunn',
  'Дмитрий',
  'Αλέξανδρος',
  'יוסף',
  'Nguyễn Thị',
  'D’Angelo',
  'Gal·la',
  'علی‌رضا', // with a zero-width non-joiner, as Persian spells it
  'João',
  'Kim Ngọc',
  'Baby Girl 2',
];

// What no name holds: each refused with a message that names the problem.
const GARBAGE: [string, string, RegExp][] = [
  ['NUL', 'Ana\u0000', /invisible control character \(U\+0000\) after “Ana”/],
  ['ESC', '\u001b[31mAna', /invisible control character \(U\+001B\) at the start/],
  ['BEL', 'An\u0007a', /U\+0007/],
  ['tab', 'Ana\tMaria', /U\+0009/],
  ['line feed', 'Ana\nMaria', /U\+000A/],
  ['DEL', 'Ana\u007f', /U\+007F/],
  ['C1 control', 'Ana\u0085', /U\+0085/],
  ['emoji', 'Ana😀', /cannot contain “😀”: emoji/],
  ['flag', 'Ana🇺🇸', /emoji/],
  ['heart', 'Ana♥', /emoji/],
  ['right-to-left override', 'Ana\u202Eiram', /invisible character \(U\+202E\)/],
  ['zero-width space', 'An\u200Ba', /U\+200B/],
  ['byte-order mark', 'A\uFEFFna', /U\+FEFF/],
  ['replacement character', 'Jos\uFFFD', /U\+FFFD/],
  ['lone surrogate', 'Ana\uD83D', /U\+D83D/],
  ['emoji variation selector', 'Ana\uFE0F', /U\+FE0F/],
  ['HL7 delimiter', 'Smith^John', /cannot contain “\^”/],
  ['at sign', 'ana@example.org', /cannot contain “@”. A name may hold letters of any alphabet/],
  ['markup', 'R2<script>', /cannot contain “<”/],
  ['no letter at all', '--', /needs at least one letter/],
];

describe('patient names: any alphabet, never garbage', () => {
  const NAME_FIELDS = ['lastName', 'firstName', 'middleName', 'mothersMaidenName'] as const;

  it.each(REAL_NAMES)('accepts %s in every name field, guardians included', (name) => {
    const p = patientInputSchema.parse(
      aPatient({ lastName: name, firstName: name, middleName: name, mothersMaidenName: name, guardians: [{ lastName: name, firstName: name, relationship: 'MTH' }] }),
    );
    const stored = name.normalize('NFC');
    expect([p.lastName, p.firstName, p.middleName, p.mothersMaidenName, p.guardians[0]?.lastName, p.guardians[0]?.firstName]).toEqual(Array(6).fill(stored));
  });

  it.each(GARBAGE)('refuses %s in every name field with a field error', (_what, text, message) => {
    for (const field of NAME_FIELDS) {
      const issue = issueFor(aPatient({ [field]: text }), field);
      expect(issue, field).toBeDefined();
      expect(issue?.message).toMatch(message);
      expect(issue?.code).toMatch(/^patient\.text_/);
    }
    const guardian = issueFor(aPatient({ guardians: [{ lastName: text, firstName: 'Maura', relationship: 'MTH' }] }), 'guardians.0.lastName');
    expect(guardian?.message).toMatch(message);
  });

  it('names the field in its message, so a list of problems reads on its own', () => {
    expect(issueFor(aPatient({ middleName: 'Ana\u0000' }), 'middleName')?.message).toMatch(/^Middle name contains/);
    expect(issueFor(aPatient({ mothersMaidenName: 'Ana😀' }), 'mothersMaidenName')?.message).toMatch(/^Mother's maiden name cannot contain/);
  });

  it('stores one spelling: decomposed letters are composed and odd spaces become plain ones', () => {
    const decomposed = 'Nguye\u0302\u0303n'; // how a Mac may paste "Nguyễn"
    const p = patientInputSchema.parse(aPatient({ lastName: decomposed, firstName: 'Thi\u00A0Lan' }));
    expect(p.lastName).toBe('Nguyễn');
    expect(p.firstName).toBe('Thi Lan');
  });
});

describe('other patient free text', () => {
  it.each([
    ['MRN', { mrn: 'MRN\u0000' }, 'mrn', /U\+0000/],
    ['MRN with emoji', { mrn: 'MRN-1😀' }, 'mrn', /emoji/],
    ['MRN with a non-ASCII letter', { mrn: 'MRN-é' }, 'mrn', /letters A–Z, digits and punctuation/],
    ['MIIS id', { miisId: '123\u0007' }, 'miisId', /U\+0007/],
    ['street', { address: { street1: '1 Main St\u001b', city: 'Boston', state: 'MA', zip: '02108' } }, 'address.street1', /U\+001B/],
    ['apartment', { address: { street1: '1 Main St', street2: 'Apt 🏠', city: 'Boston', state: 'MA', zip: '02108' } }, 'address.street2', /emoji/],
    ['city', { address: { street1: '1 Main St', city: 'Bos\nton', state: 'MA', zip: '02108' } }, 'address.city', /U\+000A/],
    ['notes', { notes: 'allergic\u0000' }, 'notes', /U\+0000/],
    ['international phone', { phone: '+44 20 7946 0958' }, 'phone', /10-digit US phone number/],
    ['seven-digit phone', { phone: '555-0100' }, 'phone', /with area code/],
  ] as const)('refuses control characters, emoji and unsendable values: %s', (_what, patch, path, message) => {
    expect(issueFor(aPatient(patch as Partial<PatientInput>), path)?.message).toMatch(message);
  });

  it('keeps what addresses, phones and notes really hold', () => {
    const p = patientInputSchema.parse(
      aPatient({
        mrn: 'PH-000123/A',
        address: { street1: '12 Rue de l’Église #3 & 4', street2: 'Apt ½', city: 'Brookline', state: 'ma', zip: '02445-1234' },
        phone: '+1 (617) 555-0100',
        notes: 'Line one\r\nline two 👍\tindented',
      }),
    );
    expect(p.address).toMatchObject({ street1: '12 Rue de l’Église #3 & 4', street2: 'Apt ½', state: 'MA' });
    expect(p.phone).toBe('+1 (617) 555-0100');
    expect(p.notes).toBe('Line one\nline two 👍\tindented');
  });
});

describe('validatePatient: rules that need the clinic calendar', () => {
  it('refuses a date of birth after today, naming both dates', () => {
    const r = validatePatient(aPatient({ dob: '2026-11-26' }), { today: TODAY });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues).toEqual([expect.objectContaining({ path: 'patient.dob', code: 'patient.dob_in_future' })]);
    expect(r.issues[0]?.message).toContain('2026-11-26');
    expect(r.issues[0]?.message).toContain(TODAY);
  });

  it('accepts a baby born today', () => {
    expect(validatePatient(aPatient({ dob: TODAY }), { today: TODAY }).ok).toBe(true);
  });

  it('reports schema problems the same way the schema does', () => {
    const r = validatePatient(aPatient({ middleName: 'A\u0000' }), { today: TODAY });
    expect(r.ok ? [] : r.issues.map((i) => i.code)).toEqual(['patient.text_control_character']);
  });
});

describe('the clinic calendar', () => {
  it('is the day at the clinic, not in Greenwich', () => {
    // 23:30 on 24 November in Boston (UTC-5) is already the 25th in UTC.
    expect(isoDateAtOffset(new Date('2026-11-25T04:30:00Z'), -300)).toBe('2026-11-24');
    expect(isoDateAtOffset(new Date('2026-11-25T05:30:00Z'), -300)).toBe('2026-11-25');
  });
});
