import { z } from 'zod';
import { isoDate, isoDateTime, optionalText, requiredText } from './common';

// What a patient record holds, shaped by what MIIS needs for every new dose (105 CMR 222.100:
// name, DOB, sex, gender, race, ethnicity, preferred language, home address) and by the HL7
// PID/PD1/NK1 segments that carry it (docs/domain.md §1.5).

/** HL7 0001 as the CDC IG binds it for PID-8. */
export const SEX_CODES = ['F', 'M', 'U'] as const;
export const sexCode = z.enum(SEX_CODES, { message: 'Choose the sex recorded for the patient (female, male or unknown).' });

/** Gender identity, sent as OBX LOINC 76691-5 (no R1.5 field exists; docs/domain.md §3.1). */
export const GENDER_IDENTITY_CODES = [
  'female',
  'male',
  'transgender_female',
  'transgender_male',
  'non_binary',
  'other',
  'asked_declined',
  'unknown',
] as const;
export const genderIdentity = z.enum(GENDER_IDENTITY_CODES, { message: 'Choose a gender identity, or "Asked, declined".' });

/** CDC Race & Ethnicity (CDCREC) codes used in PID-10, plus the null flavours IIS accept. */
export const RACE_CODES = ['1002-5', '2028-9', '2054-5', '2076-8', '2106-3', '2131-1', 'ASKU', 'UNK'] as const;
export const raceCode = z.enum(RACE_CODES, { message: 'Choose a race from the list, or "Asked, declined".' });

/** CDCREC ethnicity for PID-22. */
export const ETHNICITY_CODES = ['2135-2', '2186-5', 'ASKU', 'UNK'] as const;
export const ethnicityCode = z.enum(ETHNICITY_CODES, { message: 'Choose an ethnicity, or "Asked, declined".' });

/** HL7 0441 immunization registry status at this provider (PD1-16). */
export const REGISTRY_STATUS_CODES = ['A', 'I', 'L', 'M', 'P', 'U'] as const;
export const registryStatus = z.enum(REGISTRY_STATUS_CODES);

/** HL7 0215 publicity code (PD1-11): reminder/recall preferences. */
export const PUBLICITY_CODES = ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12'] as const;
export const publicityCode = z.enum(PUBLICITY_CODES);

/** HL7 0063 relationships used for guardians and next of kin (NK1-3). */
export const RELATIONSHIP_CODES = ['MTH', 'FTH', 'GRD', 'PAR', 'SPO', 'SIB', 'GRP', 'CHD', 'FCH', 'CGV', 'OTH'] as const;
export const relationshipCode = z.enum(RELATIONSHIP_CODES, { message: 'Choose how this person is related to the patient.' });

const US_STATE = /^[A-Z]{2}$/;
const ZIP = /^\d{5}(-\d{4})?$/;
const PHONE = /^\+?[0-9 ()\-.]{7,20}$/;

export const addressSchema = z.object({
  street1: requiredText(120, 'Street address'),
  street2: optionalText(120),
  city: requiredText(60, 'City'),
  state: z.string().trim().toUpperCase().regex(US_STATE, { message: 'Use the two-letter state code, e.g. MA.' }),
  zip: z.string().trim().regex(ZIP, { message: 'ZIP code must be 5 digits (or ZIP+4).' }),
  county: optionalText(60),
  country: z.string().trim().toUpperCase().length(3).default('USA'),
});
export type Address = z.infer<typeof addressSchema>;

export const phoneSchema = z.string().trim().regex(PHONE, { message: 'Enter a phone number with area code, e.g. 617-555-0100.' });

export const guardianSchema = z.object({
  lastName: requiredText(60, "Guardian's last name"),
  firstName: requiredText(60, "Guardian's first name"),
  relationship: relationshipCode,
  phone: phoneSchema.optional(),
  address: addressSchema.optional(),
});
export type Guardian = z.infer<typeof guardianSchema>;

const NAME_CHARS = /^[\p{L}\p{M}' .,\-&|^~\\0-9]+$/u;
const personName = (max: number, what: string) =>
  requiredText(max, what).refine((v) => v === '' || NAME_CHARS.test(v), { message: `${what} has characters a name cannot contain.` });

/** What the registration form sends; the store adds id and timestamps. */
export const patientInputSchema = z.object({
  mrn: requiredText(30, 'Medical record number'),
  miisId: optionalText(30),
  lastName: personName(60, 'Last name'),
  firstName: personName(60, 'First name'),
  middleName: optionalText(60),
  suffix: optionalText(10),
  dob: isoDate,
  sex: sexCode,
  genderIdentity: genderIdentity.optional(),
  mothersMaidenName: optionalText(60),
  multipleBirth: z
    .object({ indicator: z.boolean(), order: z.number().int().min(1).max(9).optional() })
    .refine((m) => m.indicator || m.order === undefined, { message: 'Birth order only applies to a multiple birth.', path: ['order'] })
    .optional(),
  races: z.array(raceCode).max(6).default([]),
  ethnicity: ethnicityCode.optional(),
  address: addressSchema.optional(),
  phone: phoneSchema.optional(),
  email: z.email({ message: 'Enter an email address like name@example.org.' }).optional(),
  /** ISO 639-2 (three letters, e.g. `eng`, `spa`, `por`) as PID-15 expects. */
  preferredLanguage: z.string().trim().toLowerCase().regex(/^[a-z]{3}$/, { message: 'Choose a preferred language.' }).optional(),
  guardians: z.array(guardianSchema).max(4).default([]),
  /** MIIS data-sharing objection (105 CMR 222.003) → PD1-12 `Y` with PD1-13 date. */
  dataSharingObjection: z.boolean().default(false),
  dataSharingObjectionDate: isoDate.optional(),
  publicityCode: publicityCode.optional(),
  registryStatus: registryStatus.default('A'),
  registryStatusDate: isoDate.optional(),
  /** When a newborn's name was recorded: the birth-dose deadline runs 24 h from here. */
  namedAt: isoDateTime.optional(),
  notes: optionalText(2000),
});
export type PatientInput = z.input<typeof patientInputSchema>;
export type PatientFields = z.output<typeof patientInputSchema>;

export interface Patient extends PatientFields {
  id: string;
  createdAt: string;
  updatedAt: string;
  /** Optimistic concurrency: an edit must name the version it started from. */
  version: number;
}

export function fullName(p: Pick<PatientFields, 'firstName' | 'lastName' | 'middleName' | 'suffix'>): string {
  return [p.firstName, p.middleName, p.lastName, p.suffix].filter(Boolean).join(' ');
}
