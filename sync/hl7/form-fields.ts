// Maps a place in a VXU we built (segment, occurrence, field, component) back to the property
// of the domain model that filled it, so a registry error lands next to the right input on the
// rejection work queue. Paths follow electron/domain (patient.ts, dose.ts, site.ts).
import type { ErrorLocation } from './ack-types';
import type { Hl7Message } from './message';
import { LOINC } from './vocabulary';

type FieldMap = Record<number, string | Record<number, string> | ((loc: ErrorLocation) => string | undefined)>;

const ADDRESS: Record<number, string> = { 0: 'address', 1: 'address.street1', 2: 'address.street2', 3: 'address.city', 4: 'address.state', 5: 'address.zip', 6: 'address.country', 9: 'address.county' };
const prefixed = (prefix: string, m: Record<number, string>): Record<number, string> =>
  Object.fromEntries(Object.entries(m).map(([k, v]) => [k, `${prefix}.${v}`]));

const PID: FieldMap = {
  3: 'patient.mrn',
  5: { 0: 'patient.lastName', 1: 'patient.lastName', 2: 'patient.firstName', 3: 'patient.middleName', 4: 'patient.suffix' },
  6: 'patient.mothersMaidenName',
  7: 'patient.dob',
  8: 'patient.sex',
  10: 'patient.races',
  11: prefixed('patient', ADDRESS),
  13: { 0: 'patient.phone', 4: 'patient.email', 6: 'patient.phone', 7: 'patient.phone' },
  15: 'patient.preferredLanguage',
  22: 'patient.ethnicity',
  24: 'patient.multipleBirth.indicator',
  25: 'patient.multipleBirth.order',
};

const PD1: FieldMap = {
  11: 'patient.publicityCode',
  12: 'patient.dataSharingObjection',
  13: 'patient.dataSharingObjectionDate',
  16: 'patient.registryStatus',
  17: 'patient.registryStatusDate',
  18: 'patient.publicityCode',
};

const guardian = (suffix: string | Record<number, string>) => (loc: ErrorLocation): string | undefined => {
  const base = `patient.guardians.${(loc.sequence ?? 1) - 1}`;
  if (typeof suffix === 'string') return `${base}.${suffix}`;
  const s = suffix[loc.component ?? 0] ?? suffix[0];
  return s === undefined ? base : `${base}.${s}`;
};

const NK1: FieldMap = {
  2: guardian({ 0: 'lastName', 1: 'lastName', 2: 'firstName' }),
  3: guardian('relationship'),
  4: guardian(ADDRESS),
  5: guardian('phone'),
};

const ORC: FieldMap = { 3: 'dose.id', 12: 'dose.orderingClinicianId' };

const RXA: FieldMap = {
  3: 'dose.administeredOn',
  5: { 0: 'dose.cvx', 1: 'dose.cvx', 4: 'dose.ndc' },
  6: 'dose.amountMl',
  7: 'dose.amountMl',
  9: 'dose.historicalSource',
  10: 'dose.administeringClinicianId',
  11: 'dose.facilityId',
  15: 'dose.lotNumber',
  16: 'dose.expirationDate',
  17: 'dose.mvx',
  18: 'dose.refusalReason',
  20: 'dose.completionStatus',
};

const RXR: FieldMap = { 1: 'dose.route', 2: 'dose.site' };

const MSH: FieldMap = { 4: 'site.vaccinePin' };

const SEGMENTS: Record<string, FieldMap> = { MSH, PID, PD1, NK1, ORC, RXA, RXR };

/** Where an OBX points, judged by its OBX-3 code in the message we sent. */
function obxFormField(loc: ErrorLocation, sent: Hl7Message | undefined): string | undefined {
  if (!sent) return undefined;
  const obx = sent.segment('OBX', loc.sequence ?? 1);
  if (!obx) return undefined;
  const code = obx.get(3);
  if (code === LOINC.vfcEligibility) return 'dose.vfcEligibility';
  if (code === LOINC.fundingSource) return 'dose.fundingSource';
  if (code === LOINC.genderIdentity) return 'patient.genderIdentity';
  const visField: Record<string, string> = {
    [LOINC.visBarcode]: 'encodedString',
    [LOINC.visPublished]: 'editionDate',
    [LOINC.visPresented]: 'presentedOn',
    [LOINC.vaccineType]: 'documentType',
  };
  const leaf = visField[code];
  if (leaf === undefined) return undefined;
  // VIS groups are numbered by OBX-4 sub-id; find which VIS (0-based) this sub-id is.
  const subIds: string[] = [];
  for (const o of sent.all('OBX')) {
    if (visField[o.get(3)] !== undefined && !subIds.includes(o.get(4))) subIds.push(o.get(4));
  }
  const index = Math.max(0, subIds.indexOf(obx.get(4)));
  return `dose.vis.${index}.${leaf}`;
}

/**
 * The domain property path an error location concerns (`patient.address.zip`, `dose.lotNumber`),
 * or undefined when it does not correspond to anything on a form. `sent` (the VXU the ACK answers)
 * is needed to resolve OBX locations.
 */
export function formFieldFor(loc: ErrorLocation, sent?: Hl7Message): string | undefined {
  if (loc.segment === 'OBX') return obxFormField(loc, sent);
  if (sent && loc.segment === 'PID' && loc.field === 3 && loc.repetition !== undefined) {
    // The registry's own id travels as a further repetition of PID-3, type SR.
    const type = sent.get('PID', 3, { rep: loc.repetition, comp: 5 });
    if (type === 'SR') return 'patient.miisId';
  }
  if (sent && loc.segment === 'RXA' && loc.field === 9) {
    // RXA-9 `00` says "administered here": the problem is the record's kind, not its source.
    if (sent.get('RXA', 9, { occurrence: loc.sequence ?? 1 }) === '00') return 'dose.kind';
  }
  const map = SEGMENTS[loc.segment];
  if (!map || loc.field === undefined) return undefined;
  const entry = map[loc.field];
  if (entry === undefined) return undefined;
  if (typeof entry === 'string') return entry;
  if (typeof entry === 'function') return entry(loc);
  return entry[loc.component ?? 0] ?? entry[0];
}
