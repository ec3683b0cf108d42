import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { clinicianInputSchema } from '../../../electron/domain/clinician';
import { doseInputSchema } from '../../../electron/domain/dose';
import { issuesFromZod } from '../../../electron/domain/errors';
import { lotInputSchema } from '../../../electron/domain/lot';
import { patientInputSchema } from '../../../electron/domain/patient';
import { loadProfile } from '../../../sync/hl7/profile';
import { aDose, aPatient } from './fixtures';

// The form's limits are the NIST profile's: for each field the forms carry, the longest value the
// schema accepts is exactly the MaxLength the VXU-Z22 profile gives the component it is sent in,
// read from the profile's XML (so neither can change without this test noticing).

const profile = loadProfile(readFileSync(new URL('../../../build/sources/nist-profiles/VXU-Z22_Profile.xml', import.meta.url), 'utf8'));

/** MaxLength at `PID-5.1.1` (segment-field.component.subcomponent), read from the profile. */
function profileLimit(location: string): number {
  const m = /^([A-Z0-9]{3})-(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(location);
  if (!m) throw new Error(`bad location ${location}`);
  const segment = [...profile.segments.values()].find((s) => s.name === m[1]);
  const field = segment?.fields[Number(m[2]) - 1];
  if (!field) throw new Error(`${location}: no such field in the profile`);
  let element: { datatype: string; maxLength?: number } = field;
  for (const part of [m[3], m[4]]) {
    if (part === undefined) break;
    const next = profile.datatypes.get(element.datatype)?.[Number(part) - 1];
    if (!next) throw new Error(`${location}: ${element.datatype} has no component ${part}`);
    element = next;
  }
  if (element.maxLength === undefined) throw new Error(`${location}: the profile gives no MaxLength`);
  return element.maxLength;
}

const address = (over: Record<string, string>) => ({ street1: '1 Main St', city: 'Boston', state: 'MA', zip: '02108', ...over });
const clinician = (over: Record<string, unknown>) => ({ lastName: 'Patel', firstName: 'Priya', credential: 'RN', ...over });
const lot = (over: Record<string, unknown>) => ({ lotNumber: 'AB123', cvx: '08', mvx: 'SKB', expirationDate: '2027-03-31', dosesOnHand: 1, ...over });
const email = (n: number) => `${'a'.repeat(n - '@example.org'.length)}@example.org`;

type Case = [field: string, location: string, schema: z.ZodType, build: (text: string) => unknown, text: (n: number) => string];
const letters = (n: number) => 'a'.repeat(n);

const CASES: Case[] = [
  ['patient.lastName', 'PID-5.1.1', patientInputSchema, (v) => aPatient({ lastName: v }), letters],
  ['patient.firstName', 'PID-5.2', patientInputSchema, (v) => aPatient({ firstName: v }), letters],
  ['patient.middleName', 'PID-5.3', patientInputSchema, (v) => aPatient({ middleName: v }), letters],
  ['patient.suffix', 'PID-5.4', patientInputSchema, (v) => aPatient({ suffix: v }), letters],
  ['patient.mothersMaidenName', 'PID-6.1.1', patientInputSchema, (v) => aPatient({ mothersMaidenName: v }), letters],
  ['patient.mrn', 'PID-3.1', patientInputSchema, (v) => aPatient({ mrn: v }), letters],
  ['patient.miisId', 'PID-3.1', patientInputSchema, (v) => aPatient({ miisId: v }), letters],
  ['patient.address.street1', 'PID-11.1.1', patientInputSchema, (v) => aPatient({ address: address({ street1: v }) }), letters],
  ['patient.address.street2', 'PID-11.2', patientInputSchema, (v) => aPatient({ address: address({ street2: v }) }), letters],
  ['patient.address.city', 'PID-11.3', patientInputSchema, (v) => aPatient({ address: address({ city: v }) }), letters],
  ['patient.email', 'PID-13.4', patientInputSchema, (v) => aPatient({ email: v }), email],
  ['patient.guardians.0.lastName', 'NK1-2.1.1', patientInputSchema, (v) => aPatient({ guardians: [{ lastName: v, firstName: 'Mo', relationship: 'MTH' }] }), letters],
  ['patient.guardians.0.firstName', 'NK1-2.2', patientInputSchema, (v) => aPatient({ guardians: [{ lastName: 'Lee', firstName: v, relationship: 'MTH' }] }), letters],
  ['patient.guardians.0.address.city', 'NK1-4.3', patientInputSchema, (v) => aPatient({ guardians: [{ lastName: 'Lee', firstName: 'Mo', relationship: 'MTH', address: address({ city: v }) }] }), letters],
  ['clinician.lastName', 'RXA-10.2.1', clinicianInputSchema, (v) => clinician({ lastName: v }), letters],
  ['clinician.firstName', 'RXA-10.3', clinicianInputSchema, (v) => clinician({ firstName: v }), letters],
  ['clinician.localId', 'RXA-10.1', clinicianInputSchema, (v) => clinician({ localId: v }), letters],
  ['clinician.address.street1', 'RXA-11.9', clinicianInputSchema, (v) => clinician({ address: address({ street1: v }) }), letters],
  ['clinician.address.street2', 'RXA-11.10', clinicianInputSchema, (v) => clinician({ address: address({ street2: v }) }), letters],
  ['clinician.address.city', 'RXA-11.11', clinicianInputSchema, (v) => clinician({ address: address({ city: v }) }), letters],
  ['dose.lotNumber', 'RXA-15', doseInputSchema, (v) => aDose({ lotNumber: v }), letters],
  ['lot.lotNumber', 'RXA-15', lotInputSchema, (v) => lot({ lotNumber: v }), letters],
];

function issuesAt(schema: z.ZodType, input: unknown, path: string): string[] {
  const prefix = path.split('.')[0]!;
  const r = schema.safeParse(input);
  return r.success ? [] : issuesFromZod(r.error, prefix).filter((i) => i.path === path).map((i) => i.code);
}

describe('form limits are the NIST VXU-Z22 profile’s', () => {
  it.each(CASES)('%s holds exactly what %s allows', (path, location, schema, build, text) => {
    const limit = profileLimit(location);
    expect(issuesAt(schema, build(text(limit)), path)).toEqual([]);
    expect(issuesAt(schema, build(text(limit + 1)), path)).toContain(`${path.split('.')[0]}.too_big`);
  });

  it('reads the limits the issue names: surname 50, given and middle names 30', () => {
    expect([profileLimit('PID-5.1.1'), profileLimit('PID-5.2'), profileLimit('PID-5.3')]).toEqual([50, 30, 30]);
  });
});
