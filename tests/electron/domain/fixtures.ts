import type { DoseInput } from '../../../electron/domain/dose';
import type { DoseRuleContext } from '../../../electron/domain/dose-rules';
import type { PatientInput } from '../../../electron/domain/patient';

// A complete, valid patient and dose (Hep B, pediatric, GSK) that each test bends one way.

export const TODAY = '2026-11-25';

export function aPatient(overrides: Partial<PatientInput> = {}): PatientInput {
  return {
    mrn: 'MRN-1001',
    lastName: "O'Brien-Smith",
    firstName: 'Renée',
    dob: '2026-06-01',
    sex: 'F',
    genderIdentity: 'female',
    races: ['2106-3'],
    ethnicity: '2186-5',
    preferredLanguage: 'eng',
    address: { street1: '1 Main St', city: 'Boston', state: 'MA', zip: '02108' },
    guardians: [{ lastName: "O'Brien-Smith", firstName: 'Maura', relationship: 'MTH' }],
    ...overrides,
  };
}

export function aDose(overrides: Partial<DoseInput> = {}): DoseInput {
  return {
    patientId: 'p1',
    kind: 'administered',
    cvx: '08',
    mvx: 'SKB',
    ndc: '58160-0820-52',
    lotNumber: 'AB123',
    expirationDate: '2027-03-31',
    administeredOn: TODAY,
    amountMl: 0.5,
    route: 'C28161',
    site: 'LT',
    administeringClinicianId: 'c1',
    vfcEligibility: 'V02',
    fundingSource: 'VXC50',
    vis: [{ documentType: 'Hepatitis B VIS', editionDate: '2023-05-12', presentedOn: TODAY }],
    completionStatus: 'CP',
    ...overrides,
  };
}

export function aContext(overrides: Partial<DoseRuleContext> = {}): DoseRuleContext {
  const p = aPatient();
  return {
    patient: {
      dob: p.dob,
      sex: 'F',
      genderIdentity: 'female',
      races: ['2106-3'],
      ethnicity: '2186-5',
      preferredLanguage: 'eng',
      address: { street1: '1 Main St', city: 'Boston', state: 'MA', zip: '02108', country: 'USA' },
      lastName: p.lastName,
      firstName: p.firstName,
    },
    today: TODAY,
    administeringClinicianKnown: true,
    ...overrides,
  };
}
