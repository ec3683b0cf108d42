// Domain objects shared by the HL7 tests: a Massachusetts pharmacy, an adult flu patient, a
// nurse and a prescriber, and one dose of each kind.
import type { Clinician } from '../../../electron/domain/clinician';
import type { Dose } from '../../../electron/domain/dose';
import type { Patient } from '../../../electron/domain/patient';
import { fixedOffsetProvider } from '../../../sync/hl7/encoding';
import { hl7ConfigForSite, type Hl7SiteConfig } from '../../../sync/hl7/config';
import type { VxuInput } from '../../../sync/hl7/types';

export const site = {
  name: 'Sample Pharmacy',
  vaccinePin: '10144',
  facilityId: '10144',
  address: { street1: '100 Main St', city: 'Worcester', state: 'MA', zip: '01608', country: 'USA' },
};

export const config: Hl7SiteConfig = hl7ConfigForSite(site, { processingId: 'P', offsetProvider: fixedOffsetProvider(-240) });

export const patient: Patient = {
  id: 'pat-1',
  createdAt: '2025-10-01T12:00:00.000Z',
  updatedAt: '2025-10-15T14:00:00.000Z',
  version: 3,
  mrn: 'PH-000123',
  lastName: 'Rivera',
  firstName: 'Ana',
  middleName: 'Lucia',
  dob: '1985-03-12',
  sex: 'F',
  genderIdentity: 'female',
  mothersMaidenName: 'Santos',
  races: ['2106-3'],
  ethnicity: '2135-2',
  address: { street1: '12 Elm St', street2: 'Apt 3', city: 'Worcester', state: 'MA', zip: '01608', country: 'USA' },
  phone: '508-555-1234',
  email: 'ana.rivera@example.com',
  preferredLanguage: 'spa',
  guardians: [],
  dataSharingObjection: false,
  publicityCode: '02',
  registryStatus: 'A',
};

export const child: Patient = {
  ...patient,
  id: 'pat-2',
  mrn: 'PH-000124',
  miisId: '987633',
  lastName: "O'Brien-Smith|Jr^",
  firstName: "Renée D'Souza & Co",
  middleName: undefined,
  dob: '2024-01-14',
  sex: 'M',
  genderIdentity: undefined,
  races: ['2054-5', '2028-9'],
  ethnicity: '2186-5',
  multipleBirth: { indicator: true, order: 2 },
  guardians: [
    { lastName: 'Smith', firstName: 'Mary', relationship: 'MTH', phone: '(617) 555-0100', address: patient.address },
    { lastName: "O'Brien", firstName: 'Sean', relationship: 'FTH' },
  ],
  dataSharingObjection: true,
  dataSharingObjectionDate: '2025-01-02',
  registryStatusDate: '2024-01-15',
  preferredLanguage: 'por',
};

export const nurse: Clinician = {
  id: 'cl-1',
  active: true,
  lastName: 'Patel',
  firstName: 'Priya',
  credential: 'PHARMD',
  npi: '1234567893',
  canAdminister: true,
  canOrder: true,
};

export const prescriber: Clinician = {
  id: 'cl-2',
  active: true,
  lastName: 'Chen',
  firstName: 'Robert',
  credential: 'MD',
  npi: '1982736450',
  address: { street1: '5 Clinic Rd', city: 'Boston', state: 'MA', zip: '02118', country: 'USA' },
  canAdminister: true,
  canOrder: true,
};

const base = {
  patientId: 'pat-1',
  recordedAt: '2025-10-15T14:30:00.000Z',
  recordedBy: 'user-1',
  updatedAt: '2025-10-15T14:30:00.000Z',
  version: 1,
  vis: [],
  completionStatus: 'CP' as const,
};

export const administered: Dose = {
  ...base,
  id: 'DD-DOSE-000457',
  kind: 'administered',
  cvx: '140',
  ndc: '49281-0421-50',
  mvx: 'PMC',
  lotNumber: 'UT8675AA',
  expirationDate: '2026-06-30',
  administeredOn: '2025-10-15',
  administeredTime: '10:30',
  amountMl: 0.5,
  route: 'C28161',
  site: 'LD',
  vfcEligibility: 'V01',
  fundingSource: 'PHC70',
  vis: [{ encodedString: '253088698300010311250131', editionDate: '2025-01-31', presentedOn: '2025-10-15' }],
};

export const legacyVis: Dose = {
  ...administered,
  id: 'DD-DOSE-000460',
  cvx: '110',
  ndc: undefined,
  mvx: 'SKB',
  lotNumber: 'xy3939',
  administeredTime: undefined,
  route: 'IM',
  site: 'RT',
  vfcEligibility: 'V02',
  fundingSource: 'VXC50',
  vis: [
    { documentType: 'DTaP VIS', editionDate: '2021-08-06', presentedOn: '2025-10-15' },
    { encodedString: '253088698300026411121116', editionDate: '2021-08-06', presentedOn: '2025-10-15' },
  ],
};

export const historical: Dose = {
  ...base,
  id: 'DD-HIST-000459',
  kind: 'historical',
  cvx: '03',
  administeredOn: '2019-03-01',
  historicalSource: '01',
};

export const refusal: Dose = {
  ...base,
  id: 'DD-REF-000458',
  kind: 'refusal',
  cvx: '140',
  administeredOn: '2025-10-15',
  completionStatus: 'RE',
  refusalReason: '03',
};

export function vxuInput(over: Partial<VxuInput> = {}): VxuInput {
  return {
    patient,
    dose: administered,
    administeredBy: nurse,
    orderedBy: prescriber,
    enteredBy: { lastName: 'Clerk', firstName: 'Casey' },
    action: 'A',
    messageControlId: 'DD20251015-000457',
    sentAt: new Date('2025-10-15T14:35:12Z'),
    config,
    ...over,
  };
}
