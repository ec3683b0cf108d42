import { z } from 'zod';
import { FIELD_LIMITS } from './field-limits';
import { addressSchema } from './patient';
import { optionalTextField, requiredTextField } from './text';

// The person who gives or orders a dose. 105 CMR 222.100 wants the administrator's name,
// address and title with every new dose (RXA-10 XCN, RXA-11 location).

/** HL7 0360 degree/credential codes commonly seen on vaccinators. */
export const CREDENTIALS = ['MD', 'DO', 'NP', 'PA', 'RN', 'LPN', 'MA', 'RPH', 'PHARMD', 'CPHT', 'EMT', 'OTH'] as const;

export const clinicianInputSchema = z.object({
  lastName: requiredTextField({ what: 'Last name', max: FIELD_LIMITS.familyName, kind: 'name' }),
  firstName: requiredTextField({ what: 'First name', max: FIELD_LIMITS.givenName, kind: 'name' }),
  /** Title/credential, sent in XCN.21 (HL7 0360). */
  credential: z.enum(CREDENTIALS, { message: 'Choose the credential (e.g. RN, MD, RPH).' }),
  npi: z
    .string()
    .trim()
    .regex(/^\d{10}$/, { message: 'An NPI has 10 digits.' })
    .optional(),
  /** Practice address; defaults to the site's address when empty. */
  address: addressSchema.optional(),
  /** Sent as the XCN id when there is no NPI. */
  localId: optionalTextField({ what: 'Local ID', max: FIELD_LIMITS.identifier, kind: 'identifier' }),
  canAdminister: z.boolean().default(true),
  canOrder: z.boolean().default(false),
});
export type ClinicianInput = z.input<typeof clinicianInputSchema>;
export type ClinicianFields = z.output<typeof clinicianInputSchema>;

export interface Clinician extends ClinicianFields {
  id: string;
  active: boolean;
}
