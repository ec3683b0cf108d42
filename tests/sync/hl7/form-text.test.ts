// What the forms let through is what a VXU can carry: any text the domain schemas accept in a
// free-text field builds a message that conforms to the NIST VXU-Z22 profile, goes through the
// SOAP envelope (where control characters used to fail at send time) and reads back unchanged.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { clinicianInputSchema, type Clinician, type ClinicianInput } from '../../../electron/domain/clinician';
import { doseInputSchema } from '../../../electron/domain/dose';
import type { Patient, PatientInput } from '../../../electron/domain/patient';
import { validatePatient } from '../../../electron/domain/patient-rules';
import { parseMessage } from '../../../sync/hl7/message';
import { checkProfile, loadProfile } from '../../../sync/hl7/profile';
import { localValueSets } from '../../../sync/hl7/value-sets';
import { buildVxu } from '../../../sync/hl7/vxu';
import { buildSubmitSingleMessageRequest } from '../../../sync/transport/soap-envelope';
import { child, parseXml, text as xmlText } from '../../../sync/transport/xml';
import { aDose, aPatient, TODAY } from '../../electron/domain/fixtures';
import { administered, nurse, vxuInput } from './fixtures';

const profile = loadProfile(readFileSync(new URL('../../../build/sources/nist-profiles/VXU-Z22_Profile.xml', import.meta.url), 'utf8'));

// Characters a nurse can type or paste: letters of many scripts, the punctuation names carry,
// the HL7 delimiters, and the garbage that must never get through.
const pools = {
  ascii: 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
  letters: 'éèêëñçøåßœÆÞðłşțđĐễộứ陈欧阳山田太郎김민محمدیوسفДмитрийΑλέξανδροςיוסףʻ',
  punctuation: " '’-.,·#/&()@<>:;!?\"",
  delimiters: '|^~\\&',
  marks: '\u0301\u0302\u0303\u0308',
  spaces: '\u00A0\u2003\u3000',
  joiners: '\u200C\u200D',
  garbage: '\u0000\u0007\u0008\u0009\u000A\u000D\u001B\u007F\u0085\u200B\u202E\uFEFF\uFFFD\uFE0F',
  emoji: ['😀', '💉', '🇺🇸', '👍🏽', '♥', '™'],
  astral: ['𠮷', '𝒜', '\uD83D', '\uDC00'],
};
const char = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...pools.ascii) },
  { weight: 4, arbitrary: fc.constantFrom(...Array.from(pools.letters)) },
  { weight: 2, arbitrary: fc.constantFrom(...pools.punctuation) },
  { weight: 1, arbitrary: fc.constantFrom(...pools.delimiters, ...pools.marks, ...pools.spaces, ...pools.joiners) },
  { weight: 1, arbitrary: fc.constantFrom(...pools.garbage, ...pools.emoji, ...pools.astral) },
);
const typed = (maxLength: number) => fc.array(char, { minLength: 1, maxLength }).map((cs) => cs.join(''));

const address = { street1: '1 Main St', street2: 'Apt 2', city: 'Boston', state: 'MA', zip: '02108' };
type Apply = (p: PatientInput, v: string) => PatientInput;
const onAddress = (key: 'street1' | 'city'): Apply => (p, v) => ({ ...p, address: { ...address, ...p.address, [key]: v } });

/** Each text field the forms carry, how it is set on the input, and where the VXU puts it. */
const PATIENT_FIELDS = {
  lastName: { max: 55, apply: ((p, v) => ({ ...p, lastName: v })) as Apply, read: ['PID', 5, 1, 1] },
  firstName: { max: 35, apply: ((p, v) => ({ ...p, firstName: v })) as Apply, read: ['PID', 5, 2, 1] },
  middleName: { max: 35, apply: ((p, v) => ({ ...p, middleName: v })) as Apply, read: ['PID', 5, 3, 1] },
  mothersMaidenName: { max: 55, apply: ((p, v) => ({ ...p, mothersMaidenName: v })) as Apply, read: ['PID', 6, 1, 1] },
  mrn: { max: 18, apply: ((p, v) => ({ ...p, mrn: v })) as Apply, read: ['PID', 3, 1, 1] },
  street1: { max: 125, apply: onAddress('street1'), read: ['PID', 11, 1, 1] },
  city: { max: 55, apply: onAddress('city'), read: ['PID', 11, 3, 1] },
  guardianLast: { max: 55, apply: ((p, v) => ({ ...p, guardians: [{ lastName: v, firstName: 'Maura', relationship: 'MTH' }] })) as Apply, read: ['NK1', 2, 1, 1] },
} as const;

type Field = keyof typeof PATIENT_FIELDS;
const FIELDS = Object.keys(PATIENT_FIELDS) as Field[];

/** The text as stored when the form accepts it in that field alone, else undefined. */
function acceptedPatientText(field: Field, text: string): string | undefined {
  const r = validatePatient(PATIENT_FIELDS[field].apply(aPatient(), text), { today: TODAY });
  if (!r.ok) return undefined;
  const p = r.value;
  const stored = { lastName: p.lastName, firstName: p.firstName, middleName: p.middleName, mothersMaidenName: p.mothersMaidenName, mrn: p.mrn, street1: p.address?.street1, city: p.address?.city, guardianLast: p.guardians[0]?.lastName };
  return stored[field];
}

function acceptedLot(text: string): string | undefined {
  const r = doseInputSchema.safeParse(aDose({ lotNumber: text }));
  return r.success ? r.data.lotNumber : undefined;
}

function acceptedClinicianLast(text: string): string | undefined {
  const input: ClinicianInput = { lastName: text, firstName: 'Priya', credential: 'RN' };
  const r = clinicianInputSchema.safeParse(input);
  return r.success ? r.data.lastName : undefined;
}

/** The HL7 text as the registry would read it out of our SOAP request. */
function throughSoap(hl7: string): string {
  const xml = buildSubmitSingleMessageRequest({ username: 'u', password: 'p', facilityId: '10144', hl7Message: hl7, credentialPlacement: 'wsse' });
  const body = child(child(parseXml(xml).Envelope, 'Body'), 'submitSingleMessage');
  return xmlText(child(body, 'hl7Message')) ?? '';
}

describe('text the forms accept is text a VXU carries', () => {
  it('builds a profile-conformant VXU that survives the SOAP envelope and reads back unchanged (property)', () => {
    let acceptedValues = 0;
    let acceptedNonAscii = 0;
    let refused = 0;
    fc.assert(
      fc.property(fc.record(Object.fromEntries(FIELDS.map((f) => [f, typed(PATIENT_FIELDS[f].max)])) as Record<Field, fc.Arbitrary<string>>), typed(24), typed(55), (texts, lotText, clinicianText) => {
        // Each field gets the generated text if the form accepts it there, else a plain value.
        let input = aPatient();
        const expected: Partial<Record<Field, string>> = {};
        for (const f of FIELDS) {
          const stored = acceptedPatientText(f, texts[f]);
          if (stored === undefined) {
            refused++;
            continue;
          }
          acceptedValues++;
          if (/[^\x20-\x7E]/.test(stored)) acceptedNonAscii++;
          expected[f] = stored;
          input = PATIENT_FIELDS[f].apply(input, texts[f]);
        }
        const r = validatePatient(input, { today: TODAY });
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        const patient: Patient = { ...r.value, id: 'pat-1', createdAt: '2026-11-25T12:00:00Z', updatedAt: '2026-11-25T12:00:00Z', version: 1 };
        const lot = acceptedLot(lotText) ?? 'AB123';
        const clinicianLast = acceptedClinicianLast(clinicianText) ?? 'Patel';
        const administeredBy: Clinician = { ...nurse, lastName: clinicianLast };

        const hl7 = buildVxu(vxuInput({ patient, dose: { ...administered, lotNumber: lot }, administeredBy }));
        const received = throughSoap(hl7);
        expect(received).toBe(hl7);
        const m = parseMessage(received);
        expect(checkProfile(m, profile, localValueSets)).toEqual([]);
        for (const f of FIELDS) {
          const want = expected[f];
          if (want === undefined) continue;
          const [seg, field, comp, sub] = PATIENT_FIELDS[f].read;
          expect(m.get(seg, field, { comp, sub }), f).toBe(want);
        }
        expect(m.get('RXA', 15)).toBe(lot);
        expect(m.get('RXA', 10, { comp: 2 })).toBe(clinicianLast);
      }),
      { numRuns: 250 },
    );
    // The property is about accepted text: it must have seen plenty, in many scripts, and refusals.
    expect(acceptedValues).toBeGreaterThan(500);
    expect(acceptedNonAscii).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(100);
  });
});
