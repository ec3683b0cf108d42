// Well-formed VXU^V04 messages for exercising the simulator (capacity runs, tests, the CLI's
// self-check). DoseDesk's own messages come from sync/hl7; these are fixed-shape samples.

export interface SampleVxuOptions {
  controlId: string;
  /** ORC-3.1: the sender's permanent id of the dose. */
  doseId: string;
  facility?: string;
  patientId?: string;
  lastName?: string;
  birthDate?: string;
  /** RXA-3, YYYYMMDD. */
  administeredOn?: string;
  cvx?: string;
  lot?: string;
  mvx?: string;
  action?: 'A' | 'U' | 'D';
  processingId?: string;
  /** Leave out the 64994-7 eligibility OBX (an error for a new dose). */
  withoutEligibility?: boolean;
}

export function sampleVxu(o: SampleVxuOptions): string {
  const facility = o.facility ?? '10144';
  const given = o.administeredOn ?? '20251015';
  const segments = [
    `MSH|^~\\&|DoseDesk|${facility}|MIIS|99990|${given}093000-0500||VXU^V04^VXU_V04|${o.controlId}|${o.processingId ?? 'P'}|2.5.1|||ER|AL|||||Z22^CDCPHINVS`,
    `PID|1||${o.patientId ?? 'MRN1001'}^^^DoseDesk^MR||${o.lastName ?? 'Rivera'}^Ana^^^^^L||${o.birthDate ?? '20150312'}|F||2106-3^White^CDCREC|12 Main St^^Boston^MA^02118^USA^P||^PRN^PH^^^617^5551234|||||||||2186-5^not Hispanic or Latino^CDCREC`,
    `ORC|RE||${o.doseId}^DoseDesk`,
    `RXA|0|1|${given}||${o.cvx ?? '140'}^Influenza, split virus, trivalent, PF^CVX|0.5|mL^^UCUM||00^New immunization record^NIP001|1234567890^Nurse^Nancy^^^^^^NPI^^^^^^^^^^^RN|^^^${facility}||||${o.lot ?? 'LOT123'}|20261231|${o.mvx ?? 'SKB'}^GlaxoSmithKline^MVX|||CP|${o.action ?? 'A'}`,
    `RXR|C28161^Intramuscular^NCIT|LD^Left Deltoid^HL70163`,
  ];
  if (!o.withoutEligibility) {
    segments.push(`OBX|1|CE|64994-7^Vaccine funding program eligibility category^LN|1|V01^Not VFC eligible^HL70064||||||F|||${given}|||VXC40^Eligibility captured at the immunization level^CDCPHINVS`);
  }
  return segments.join('\r') + '\r';
}
