import { z } from 'zod';
import { isoDate, isoDateTime } from './common';
import { FIELD_LIMITS } from './field-limits';
import { optionalTextField, requiredTextField } from './text';

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
const PHONE_CHARS = /^\+?[0-9 ()\-.]+$/;
const L = FIELD_LIMITS;

export const addressSchema = z.object({
  street1: requiredTextField({ what: 'Street address', max: L.street, kind: 'line' }),
  street2: optionalTextField({ what: 'Apartment, suite or unit', max: L.otherDesignation, kind: 'line' }),
  city: requiredTextField({ what: 'City', max: L.city, kind: 'line' }),
  state: z.string().trim().toUpperCase().regex(US_STATE, { message: 'Use the two-letter state code, e.g. MA.' }),
  zip: z.string().trim().regex(ZIP, { message: 'ZIP code must be 5 digits (or ZIP+4).' }),
  /** Not on any form and not sent (XAD-9 is a FIPS code, not a name); kept from imports. */
  county: optionalTextField({ what: 'County', max: 60, kind: 'line' }),
  country: z.string().trim().toUpperCase().regex(/^[A-Z]{3}$/, { message: 'Use the three-letter country code, e.g. USA.' }).default('USA'),
});
export type Address = z.infer<typeof addressSchema>;

/** North American digits of a phone number: 10, or 11 starting with the country code 1. */
function usPhoneDigits(text: string): string | undefined {
  const digits = text.replace(/\D/g, '');
  if (digits.length === 10 && !digits.startsWith('0') && !digits.startsWith('1')) return digits;
  if (digits.length === 11 && digits.startsWith('1')) return usPhoneDigits(digits.slice(1));
  return undefined;
}

// HL7 XTN carries a US number as area code (3) and local number (at most 9): a number that does
// not split that way would be sent mangled, so it is refused here, where it can be fixed.
export const phoneSchema = z
  .string()
  .trim()
  .refine((v) => PHONE_CHARS.test(v) && usPhoneDigits(v) !== undefined, { message: 'Enter a 10-digit US phone number with area code, e.g. 617-555-0100.' });

/** A person's name part: any alphabet, the punctuation names carry, at most the profile's length. */
const personName = (what: string, max: number) => requiredTextField({ what, max, kind: 'name' });
const optionalPersonName = (what: string, max: number) => optionalTextField({ what, max, kind: 'name' });

export const guardianSchema = z.object({
  lastName: personName("Guardian's last name", L.familyName),
  firstName: personName("Guardian's first name", L.givenName),
  relationship: relationshipCode,
  phone: phoneSchema.optional(),
  address: addressSchema.optional(),
});
export type Guardian = z.infer<typeof guardianSchema>;

/** What the registration form sends; the store adds id and timestamps. */
export const patientInputSchema = z.object({
  mrn: requiredTextField({ what: 'Medical record number', max: L.identifier, kind: 'identifier' }),
  miisId: optionalTextField({ what: 'MIIS ID', max: L.identifier, kind: 'identifier' }),
  lastName: personName('Last name', L.familyName),
  firstName: personName('First name', L.givenName),
  middleName: optionalPersonName('Middle name', L.middleName),
  suffix: optionalPersonName('Suffix', L.suffix),
  dob: isoDate,
  sex: sexCode,
  genderIdentity: genderIdentity.optional(),
  mothersMaidenName: optionalPersonName("Mother's maiden name", L.familyName),
  multipleBirth: z
    .object({ indicator: z.boolean(), order: z.number().int().min(1).max(9).optional() })
    .refine((m) => m.indicator || m.order === undefined, { message: 'Birth order only applies to a multiple birth.', path: ['order'] })
    .optional(),
  races: z.array(raceCode).max(6).default([]),
  ethnicity: ethnicityCode.optional(),
  address: addressSchema.optional(),
  phone: phoneSchema.optional(),
  email: z
    .email({ message: 'Enter an email address like name@example.org.' })
    .max(L.email, { message: `An email address can be at most ${L.email} characters.` })
    .optional(),
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
  notes: optionalTextField({ what: 'Notes', max: 2000, kind: 'notes' }),
});
export type PatientInput = z.input<typeof patientInputSchema>;

/**
 * Registering: a walk-in has no record number of ours yet, so the MRN may be left out and the
 * store assigns one (unique, audited). Editing always names the MRN.
 */
export const newPatientInputSchema = patientInputSchema.extend({ mrn: patientInputSchema.shape.mrn.optional() });
export type NewPatientInput = z.input<typeof newPatientInputSchema>;

/** Prefix of the record numbers the store assigns; a site's own MRNs rarely look like this. */
export const ASSIGNED_MRN_PREFIX = 'DD-';
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
