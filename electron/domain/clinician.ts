import { z } from 'zod';
import { optionalText, requiredText } from './common';
import { addressSchema } from './patient';

// The person who gives or orders a dose. 105 CMR 222.100 wants the administrator's name,
// address and title with every new dose (RXA-10 XCN, RXA-11 location).

/** HL7 0360 degree/credential codes commonly seen on vaccinators. */
export const CREDENTIALS = ['MD', 'DO', 'NP', 'PA', 'RN', 'LPN', 'MA', 'RPH', 'PHARMD', 'CPHT', 'EMT', 'OTH'] as const;

export const clinicianInputSchema = z.object({
  lastName: requiredText(60, 'Last name'),
  firstName: requiredText(60, 'First name'),
  /** Title/credential, sent in XCN.21 (HL7 0360). */
  credential: z.enum(CREDENTIALS, { message: 'Choose the credential (e.g. RN, MD, RPH).' }),
  npi: z
    .string()
    .trim()
    .regex(/^\d{10}$/, { message: 'An NPI has 10 digits.' })
    .optional(),
  /** Practice address; defaults to the site's address when empty. */
  address: addressSchema.optional(),
  localId: optionalText(20),
  canAdminister: z.boolean().default(true),
  canOrder: z.boolean().default(false),
});
export type ClinicianInput = z.input<typeof clinicianInputSchema>;
export type ClinicianFields = z.output<typeof clinicianInputSchema>;

export interface Clinician extends ClinicianFields {
  id: string;
  active: boolean;
}
