import { describe, expect, it } from 'vitest';
import catalogue from '../../../assets/cdsi/cdsi-observations.json';
import { observationProposals } from '../../../sync/hl7/observations';
import { parseRsp } from '../../../sync/hl7/query';

// A registry's history answer with patient-level observations under an RXA 998 order group
// (CDC IG R1.5, the "no vaccine administered" form): a varicella history, a contraindication
// with its effective and expiration dates, and a code CDC maps to no CDSi observation.
const lines = (...l: string[]): string => l.join('\r') + '\r';
const answer = lines(
  'MSH|^~\\&|MIIS|99990|DoseDesk|10144|20251015||RSP^K11^RSP_K11|R1|P|2.5.1|||NE|NE|||||Z32^CDCPHINVS',
  'MSA|AA|Q-1',
  'QAK|Q-1|OK|Z34^Request Immunization History^CDCPHINVS',
  'QPD|Z34^Request Immunization History^CDCPHINVS|Q-1|123^^^DD^MR|Child^Robert||20050512|M',
  'PID|1||123^^^DD^MR||Child^Robert||20050512|M',
  'ORC|RE||9999^MIIS',
  'RXA|0|1|20240302||03^MMR^CVX|0.5|mL^^UCUM||00^New Immunization Record^NIP001',
  'ORC|RE||9999^MIIS',
  'RXA|0|1|20240302|20240302|998^No vaccine administered^CVX|999||||||||||||||NA',
  'OBX|1|CE|59784-9^Disease with presumed immunity^LN|1|38907003^Varicella infection^SCT||||||F|||20190610',
  'OBX|2|CE|30945-0^Vaccination contraindication^LN|2|VXC20^Allergy to previous dose^CDCPHINVS||||||F|||20240302',
  'OBX|3|TS|30946-8^Vaccination contraindication effective date^LN|2|20240302||||||F',
  'OBX|4|TS|30944-3^Vaccination contraindication expiration date^LN|2|20250302||||||F',
  'OBX|5|CE|59784-9^Disease with presumed immunity^LN|3|12345^Something local^L||||||F',
  'OBX|6|CE|59784-9^Disease with presumed immunity^LN|4|38907003^Varicella infection^SCT||||||F|||20190610',
);

describe('observations in a registry answer', () => {
  it('become proposals in CDSi terms, with their dates, one per observation', () => {
    const r = parseRsp(answer);
    if (!r.ok || r.kind !== 'history') throw new Error(JSON.stringify(r));
    const proposals = observationProposals(r.doses, catalogue.observations);
    expect(proposals).toEqual([
      { kind: 'immunity', registryCode: '38907003', registryText: 'Varicella infection', cdsiCode: '024', title: 'Healthcare provider verified history of or diagnosis of Varicella', startDate: '2019-06-10' },
      { kind: 'contraindication', registryCode: 'VXC20', registryText: 'Allergy to previous dose', cdsiCode: '080', title: 'Adverse reaction to vaccine component', startDate: '2024-03-02', endDate: '2025-03-02' },
      // Kept for a person to map or ignore: the registry said it, DoseDesk cannot tell what it is.
      { kind: 'immunity', registryCode: '12345', registryText: 'Something local' },
    ]);
  });

  it('a dose with only its vaccine-type and VIS observations proposes nothing', () => {
    const r = parseRsp(lines(
      'MSH|^~\\&|MIIS|99990|DoseDesk|10144|20251015||RSP^K11^RSP_K11|R1|P|2.5.1|||NE|NE|||||Z32^CDCPHINVS',
      'MSA|AA|Q-1',
      'QAK|Q-1|OK|Z34^Request Immunization History^CDCPHINVS',
      'PID|1||123^^^DD^MR||Child^Robert||20050512|M',
      'ORC|RE||1^MIIS',
      'RXA|0|1|20240302||03^MMR^CVX|0.5|mL^^UCUM||00^New Immunization Record^NIP001',
      'OBX|1|CE|30956-7^vaccine type^LN|1|03^MMR^CVX||||||F|||20240302',
    ));
    if (!r.ok || r.kind !== 'history') throw new Error(JSON.stringify(r));
    expect(observationProposals(r.doses, catalogue.observations)).toEqual([]);
  });
});
