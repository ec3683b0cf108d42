import { ageInYears } from '../../../electron/domain/common';
import type { Address, Patient, PatientInput } from '../../../electron/domain/patient';
import { validatePatient } from '../../../electron/domain/patient-rules';
import type { FieldIssue } from '../../../electron/domain/errors';
import { normalizeDateInput } from '../api';

// The registration form as strings (what inputs hold) and its conversion to the domain input.
// Empty optional fields become undefined, so the domain schema sees "not given", not "".

/** A parent, guardian or next of kin (HL7 NK1) as the form holds it. */
export interface GuardianFormValues {
  lastName: string;
  firstName: string;
  /** HL7 0063 relationship code (MTH, FTH, GRD…). */
  relationship: string;
  phone: string;
  /** Not edited on this form; kept as it was. */
  address?: Address;
}

/** The domain's limit on NK1 entries per patient. */
export const MAX_GUARDIANS = 4;

export const emptyGuardian: GuardianFormValues = { lastName: '', firstName: '', relationship: '', phone: '' };

export interface PatientFormValues {
  lastName: string;
  firstName: string;
  middleName: string;
  dob: string;
  mrn: string;
  sex: string;
  genderIdentity: string;
  races: string[];
  ethnicity: string;
  preferredLanguage: string;
  street1: string;
  street2: string;
  city: string;
  state: string;
  zip: string;
  phone: string;
  email: string;
  dataSharingObjection: boolean;
  dataSharingObjectionDate: string;
  notes: string;
  guardians: GuardianFormValues[];
}

export const emptyPatientForm: PatientFormValues = {
  lastName: '',
  firstName: '',
  middleName: '',
  dob: '',
  mrn: '',
  sex: '',
  genderIdentity: '',
  races: [],
  ethnicity: '',
  preferredLanguage: '',
  street1: '',
  street2: '',
  city: '',
  state: 'MA',
  zip: '',
  phone: '',
  email: '',
  dataSharingObjection: false,
  dataSharingObjectionDate: '',
  notes: '',
  guardians: [],
};

export function formFromPatient(p: Patient): PatientFormValues {
  return {
    lastName: p.lastName,
    firstName: p.firstName,
    middleName: p.middleName ?? '',
    dob: p.dob,
    mrn: p.mrn,
    sex: p.sex,
    genderIdentity: p.genderIdentity ?? '',
    races: [...p.races],
    ethnicity: p.ethnicity ?? '',
    preferredLanguage: p.preferredLanguage ?? '',
    street1: p.address?.street1 ?? '',
    street2: p.address?.street2 ?? '',
    city: p.address?.city ?? '',
    state: p.address?.state ?? 'MA',
    zip: p.address?.zip ?? '',
    phone: p.phone ?? '',
    email: p.email ?? '',
    dataSharingObjection: p.dataSharingObjection,
    dataSharingObjectionDate: p.dataSharingObjectionDate ?? '',
    notes: p.notes ?? '',
    guardians: p.guardians.map((g) => ({
      lastName: g.lastName,
      firstName: g.firstName,
      relationship: g.relationship,
      phone: g.phone ?? '',
      ...(g.address ? { address: g.address } : {}),
    })),
  };
}

const opt = (v: string): string | undefined => (v.trim() === '' ? undefined : v.trim());

/** Builds the API input; fields a previous record had and this form does not show are kept. */
export function patientInputFromForm(v: PatientFormValues, base?: Patient): PatientInput {
  const hasAddress = [v.street1, v.street2, v.city, v.zip].some((s) => s.trim() !== '');
  const kept: Partial<PatientInput> = {};
  if (base) {
    const { id: _id, createdAt: _c, updatedAt: _u, version: _v, ...rest } = base;
    Object.assign(kept, rest);
  }
  return {
    ...kept,
    lastName: v.lastName,
    firstName: v.firstName,
    middleName: opt(v.middleName),
    dob: normalizeDateInput(v.dob),
    mrn: v.mrn,
    sex: v.sex as PatientInput['sex'],
    genderIdentity: opt(v.genderIdentity) as PatientInput['genderIdentity'],
    races: v.races as PatientInput['races'],
    ethnicity: opt(v.ethnicity) as PatientInput['ethnicity'],
    preferredLanguage: opt(v.preferredLanguage),
    address: hasAddress
      ? { street1: v.street1, street2: opt(v.street2), city: v.city, state: v.state, zip: v.zip, country: base?.address?.country ?? 'USA' }
      : undefined,
    phone: opt(v.phone),
    email: opt(v.email),
    dataSharingObjection: v.dataSharingObjection,
    dataSharingObjectionDate: v.dataSharingObjection ? opt(normalizeDateInput(v.dataSharingObjectionDate)) : undefined,
    notes: opt(v.notes),
    guardians: v.guardians.map((g) => ({
      lastName: g.lastName,
      firstName: g.firstName,
      relationship: g.relationship as NonNullable<PatientInput['guardians']>[number]['relationship'],
      phone: opt(g.phone),
      address: g.address,
    })),
  };
}

/** A minor with no parent or guardian on record: MIIS expects one (NK1) with a child's doses. */
export function needsGuardian(v: Pick<PatientFormValues, 'dob' | 'guardians'>, today: string): boolean {
  const dob = normalizeDateInput(v.dob);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(dob) || v.guardians.length > 0) return false;
  const age = ageInYears(dob, today);
  return age >= 0 && age < 18;
}

/** The domain's own rules, run before the round trip so the store's messages appear at once. */
export function checkPatientInput(input: PatientInput, today: string): FieldIssue[] {
  const result = validatePatient(input, { today });
  return result.ok ? [] : result.issues;
}
