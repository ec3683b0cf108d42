// Builds the VXU^V04 (profile Z22) that reports one dose of one patient (CDC IG R1.5, docs/domain.md
// §1.4–1.7). One dose per message, so every ERR in the ACK concerns exactly that dose.
import type { Dose } from '../../electron/domain/dose';
import type { Patient } from '../../electron/domain/patient';
import type { Hl7SiteConfig } from './config';
import { ce, cx, hd, xad, xcnClinician, xcnName, xon, xpn, xtnEmail, xtnPhone } from './datatypes';
import { formatHl7Date, formatHl7Timestamp, formatZone } from './encoding';
import * as label from './labels';
import { Hl7Message, comps, mshSegment, reps, seg, serializeMessage, type Hl7Field, type Hl7Segment } from './message';
import type { VxuInput } from './types';
import { CODING_SYSTEM, LOINC, LOINC_TEXT, PROFILE } from './vocabulary';

export class Hl7BuildError extends Error {
  override readonly name = 'Hl7BuildError';
  constructor(
    message: string,
    /** The domain property at fault (`dose.administeredOn`). */
    readonly formField?: string,
  ) {
    super(message);
  }
}

function date(value: string, formField: string): string {
  try {
    return formatHl7Date(value);
  } catch (err) {
    throw new Hl7BuildError(`${formField}: ${err instanceof Error ? err.message : String(err)}`, formField);
  }
}

/** The calendar day of an ISO instant on the site's clock. */
function localDay(iso: string | undefined, config: Hl7SiteConfig): string | undefined {
  if (!iso) return undefined;
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return undefined;
  return formatHl7Timestamp(t, config.offsetProvider(t), 'day');
}

export function mshFor(config: Hl7SiteConfig, type: Hl7Field, controlId: string, sentAt: Date, profile: string): Hl7Segment {
  if (!controlId.trim()) throw new Hl7BuildError('The message control id (MSH-10) is empty.');
  if (controlId.length > 199) throw new Hl7BuildError(`The message control id (MSH-10) is ${controlId.length} characters; HL7 allows 199.`);
  return mshSegment([
    hd(config.sendingApplication),
    hd(config.sendingFacility),
    hd(config.receivingApplication),
    hd(config.receivingFacility),
    formatHl7Timestamp(sentAt, config.offsetProvider(sentAt)),
    undefined,
    type,
    controlId,
    config.processingId,
    '2.5.1',
    undefined,
    undefined,
    config.acceptAckType,
    config.applicationAckType,
    undefined,
    undefined,
    undefined,
    undefined,
    comps(profile, CODING_SYSTEM.cdcphinvs),
    xon(config.responsibleOrganization),
    xon(config.receivingResponsibleOrganization),
  ]);
}

/**
 * Race and ethnicity as PID-10/PID-22 carry them. "Asked, declined" and "Unknown" are kept in the
 * local record (they show the question was asked) but sent as an empty field: the profile's
 * usage is RE (empty when not known) and its CDCREC value sets hold no null flavour, so `ASKU`
 * would be a code outside the value set that registries reject (AIRA "fig").
 */
function cdcrecOrEmpty(code: string | undefined, text: (c: string) => string, system: string): Hl7Field | undefined {
  if (!code || code === 'ASKU' || code === 'UNK') return undefined;
  return ce(code, text(code), system);
}

export function pidSegment(p: Patient, config: Hl7SiteConfig): Hl7Segment {
  const pid = seg('PID', '1');
  pid.set(3, reps(cx(p.mrn, config.patientIdAuthority, 'MR'), p.miisId ? cx(p.miisId, config.registryIdAuthority, 'SR') : undefined));
  pid.set(5, xpn(p.lastName, p.firstName, p.middleName, p.suffix, 'L'));
  if (p.mothersMaidenName) pid.set(6, xpn(p.mothersMaidenName, '', '', '', 'M'));
  pid.set(7, date(p.dob, 'patient.dob'));
  pid.set(8, p.sex);
  pid.set(10, reps(...p.races.map((r) => cdcrecOrEmpty(r, label.raceLabel, CODING_SYSTEM.cdcrec))));
  pid.set(11, xad(p.address, config.patientAddressType));
  pid.set(13, reps(xtnPhone(p.phone), xtnEmail(p.email)));
  if (p.preferredLanguage) pid.set(15, ce(p.preferredLanguage, label.languageLabel(p.preferredLanguage), CODING_SYSTEM.hl70296));
  pid.set(22, cdcrecOrEmpty(p.ethnicity, label.ethnicityLabel, CODING_SYSTEM.cdcrec));
  if (p.multipleBirth) {
    pid.set(24, p.multipleBirth.indicator ? 'Y' : 'N');
    if (p.multipleBirth.indicator && p.multipleBirth.order !== undefined) pid.set(25, String(p.multipleBirth.order));
  }
  return pid;
}

/** PD1 (RE): publicity, protection (MA data-sharing objection) and registry status, with dates. */
export function pd1Segment(p: Patient, config: Hl7SiteConfig): Hl7Segment {
  const changed = localDay(p.updatedAt, config);
  const pd1 = seg('PD1');
  if (p.publicityCode) {
    pd1.set(11, ce(p.publicityCode, label.publicityLabel(p.publicityCode), CODING_SYSTEM.hl70215));
    pd1.set(18, changed);
  }
  pd1.set(12, p.dataSharingObjection ? 'Y' : 'N');
  const objectionDate = p.dataSharingObjectionDate ? date(p.dataSharingObjectionDate, 'patient.dataSharingObjectionDate') : undefined;
  pd1.set(13, objectionDate ?? (p.dataSharingObjection ? changed : undefined));
  pd1.set(16, p.registryStatus);
  pd1.set(17, p.registryStatusDate ? date(p.registryStatusDate, 'patient.registryStatusDate') : changed);
  return pd1;
}

export function nk1Segments(p: Patient, config: Hl7SiteConfig): Hl7Segment[] {
  return p.guardians.map((g, i) =>
    seg(
      'NK1',
      String(i + 1),
      xpn(g.lastName, g.firstName, '', '', 'L'),
      ce(g.relationship, label.relationshipLabel(g.relationship), CODING_SYSTEM.hl70063),
      xad(g.address, config.patientAddressType),
      xtnPhone(g.phone),
    ),
  );
}

type DoseShape = 'administered' | 'historical' | 'refusal' | 'not-administered';

function shapeOf(d: Dose): DoseShape {
  if (d.kind === 'refusal' || d.completionStatus === 'RE') return 'refusal';
  if (d.kind === 'historical') return 'historical';
  if (d.completionStatus === 'NA') return 'not-administered';
  return 'administered';
}

function rxaDateTime(d: Dose, config: Hl7SiteConfig): string {
  const day = date(d.administeredOn, 'dose.administeredOn');
  if (!d.administeredTime) return day;
  const [hh, mm] = d.administeredTime.split(':') as [string, string];
  // The zone in force at that wall-clock time (close enough: offsets change at 2 a.m.).
  const approx = new Date(`${d.administeredOn}T${hh}:${mm}:00Z`);
  const offset = config.offsetProvider(new Date(approx.getTime() - config.offsetProvider(approx) * 60_000));
  return `${day}${hh}${mm}${formatZone(offset)}`;
}

function administeredCode(d: Dose, config: Hl7SiteConfig): Hl7Field {
  const cvx = d.cvx;
  if (config.ndcInRxa5 && d.ndc && d.kind === 'administered') {
    const ndc = label.ndcFormatted(d.ndc);
    return ce(cvx, label.cvxLabel(cvx), CODING_SYSTEM.cvx, { code: ndc, text: label.ndcLabel(d.ndc), system: CODING_SYSTEM.ndc });
  }
  return ce(cvx, label.cvxLabel(cvx), CODING_SYSTEM.cvx);
}

function rxaSegment(input: VxuInput, shape: DoseShape): Hl7Segment {
  const { dose: d, config } = input;
  const rxa = seg('RXA', '0', '1', rxaDateTime(d, config));
  rxa.set(5, administeredCode(d, config));
  const amountKnown = shape === 'administered' && d.amountMl !== undefined;
  rxa.set(6, amountKnown ? String(d.amountMl) : '999');
  if (amountKnown) rxa.set(7, ce('mL', 'milliliter', CODING_SYSTEM.ucum));
  const completed = d.completionStatus === 'CP' || d.completionStatus === 'PA';
  if (shape === 'administered' && completed) {
    rxa.set(9, ce('00', 'New immunization record', CODING_SYSTEM.nip001));
    rxa.set(10, xcnClinician(input.administeredBy, config.npiAuthority, config.patientIdAuthority));
    const where = input.administeredBy?.address ?? config.facility.address;
    const a = where ?? { street1: '', street2: undefined, city: '', state: '', zip: '', country: '' };
    rxa.set(11, comps('', '', '', [d.facilityId ?? config.facility.id], '', '', '', '', a.street1, a.street2, a.city, a.state, a.zip, a.country));
  } else if (shape === 'historical' && completed) {
    const source = d.historicalSource ?? '01';
    rxa.set(9, ce(source, label.historicalSourceLabel(source) || 'Historical information', CODING_SYSTEM.nip001));
  }
  if (shape !== 'refusal') {
    if (d.lotNumber) rxa.set(15, d.lotNumber);
    if (d.lotNumber && d.expirationDate) rxa.set(16, date(d.expirationDate, 'dose.expirationDate'));
    if (d.mvx) rxa.set(17, ce(d.mvx, label.mvxLabel(d.mvx), CODING_SYSTEM.mvx));
  } else if (d.refusalReason) {
    rxa.set(18, ce(d.refusalReason, label.refusalLabel(d.refusalReason), CODING_SYSTEM.nip002));
  }
  rxa.set(20, shape === 'refusal' ? 'RE' : d.completionStatus);
  rxa.set(21, input.action);
  return rxa;
}

function rxrSegment(d: Dose): Hl7Segment | undefined {
  const routeCode = d.route ? label.routeNcit(d.route) : d.site ? label.defaultRouteFor(d.cvx) : '';
  if (!routeCode) return undefined;
  const legacy = label.routeHl70162(routeCode);
  const routeText = label.routeLabel(routeCode);
  const route = legacy
    ? ce(routeCode, routeText, CODING_SYSTEM.ncit, { code: legacy, text: routeText, system: CODING_SYSTEM.hl70162 })
    : ce(routeCode, routeText, CODING_SYSTEM.ncit);
  return seg('RXR', route, d.site ? ce(d.site, label.bodySiteLabel(d.site), CODING_SYSTEM.hl70163) : undefined);
}

// SNOMED CT answers for LOINC 76691-5 (ONC 2015 edition gender identity value set).
const GENDER_IDENTITY: Record<string, [string, string, string]> = {
  female: ['446141000124107', 'Identifies as female gender (finding)', 'SCT'],
  male: ['446151000124109', 'Identifies as male gender (finding)', 'SCT'],
  transgender_female: ['407376001', 'Male-to-female transsexual (finding)', 'SCT'],
  transgender_male: ['407377005', 'Female-to-male transsexual (finding)', 'SCT'],
  non_binary: ['446131000124102', 'Identifies as non-conforming gender (finding)', 'SCT'],
  other: ['OTH', 'Other', CODING_SYSTEM.nullFlavor],
  asked_declined: ['ASKU', 'Asked but unknown', CODING_SYSTEM.nullFlavor],
  unknown: ['UNK', 'Unknown', CODING_SYSTEM.nullFlavor],
};

class ObxWriter {
  readonly segments: Hl7Segment[] = [];
  private subId = 0;
  /** Starts a new group of related observations (OBX-4). */
  group(): number {
    return ++this.subId;
  }
  add(subId: number, valueType: 'CE' | 'DT' | 'TS', loinc: string, value: Hl7Field | string, observedOn?: string, method?: Hl7Field): void {
    const obx = seg('OBX', String(this.segments.length + 1), valueType, ce(loinc, LOINC_TEXT[loinc] ?? '', CODING_SYSTEM.loinc), String(subId), value);
    obx.set(11, 'F');
    obx.set(14, observedOn);
    obx.set(17, method);
    this.segments.push(obx);
  }
}

function observations(input: VxuInput, shape: DoseShape): Hl7Segment[] {
  const { dose: d, patient: p, config } = input;
  const obx = new ObxWriter();
  const givenOn = date(d.administeredOn, 'dose.administeredOn');
  if (shape === 'administered') {
    if (d.vfcEligibility) {
      const system = label.vfcCodeSystem(d.vfcEligibility) || CODING_SYSTEM.hl70064;
      obx.add(
        obx.group(),
        'CE',
        LOINC.vfcEligibility,
        ce(d.vfcEligibility, label.vfcLabel(d.vfcEligibility), system),
        givenOn,
        ce('VXC40', 'Eligibility captured at the immunization level', CODING_SYSTEM.cdcphinvs),
      );
    }
    if (d.fundingSource) {
      const system = label.fundingCodeSystem(d.fundingSource) || CODING_SYSTEM.cdcphinvs;
      obx.add(obx.group(), 'CE', LOINC.fundingSource, ce(d.fundingSource, label.fundingLabel(d.fundingSource), system), givenOn);
    }
    d.vis.forEach((v, i) => {
      const g = obx.group();
      const presented = date(v.presentedOn, `dose.vis.${i}.presentedOn`);
      if (v.encodedString) {
        const text = label.visDocumentType(v.encodedString) || v.documentType || '';
        obx.add(g, 'CE', LOINC.visBarcode, ce(v.encodedString, text, CODING_SYSTEM.visBarcode), givenOn);
      } else {
        obx.add(g, 'CE', LOINC.vaccineType, ce(d.cvx, label.cvxLabel(d.cvx), CODING_SYSTEM.cvx), givenOn);
        obx.add(g, 'DT', LOINC.visPublished, date(v.editionDate, `dose.vis.${i}.editionDate`), givenOn);
      }
      obx.add(g, 'DT', LOINC.visPresented, presented, givenOn);
    });
  }
  const gi = config.genderIdentity;
  if (gi.kind === 'obx' && p.genderIdentity) {
    const [code, text, system] = GENDER_IDENTITY[p.genderIdentity] ?? ['UNK', 'Unknown', CODING_SYSTEM.nullFlavor];
    obx.add(obx.group(), 'CE', gi.loinc, ce(code, text, system), formatHl7Timestamp(input.sentAt, config.offsetProvider(input.sentAt), 'day'));
  }
  return obx.segments;
}

/** The VXU as a message model (for inspection and tests). */
export function buildVxuMessage(input: VxuInput): Hl7Message {
  const { patient, dose, config } = input;
  if (!dose.id) throw new Hl7BuildError('The dose has no id, so updates and deletes could not refer to it (ORC-3).', 'dose.id');
  const shape = shapeOf(dose);
  const completed = dose.completionStatus === 'CP' || dose.completionStatus === 'PA';
  const orc = seg('ORC', 'RE', undefined, comps(dose.id, config.orderIdNamespace));
  orc.set(10, xcnName(input.enteredBy));
  if (shape === 'administered' && completed) orc.set(12, xcnClinician(input.orderedBy, config.npiAuthority, config.patientIdAuthority));
  orc.set(17, ce(config.facility.id, config.facility.name, 'HL70362'));
  const rxr = shape === 'refusal' ? undefined : rxrSegment(dose);
  const segments = [
    mshFor(config, comps('VXU', 'V04', 'VXU_V04'), input.messageControlId, input.sentAt, PROFILE.vxu),
    pidSegment(patient, config),
    pd1Segment(patient, config),
    ...nk1Segments(patient, config),
    orc,
    rxaSegment(input, shape),
    ...(rxr ? [rxr] : []),
    ...observations(input, shape),
  ];
  return new Hl7Message(segments);
}

/** The VXU^V04 message text (segments ended by CR) reporting one dose. */
export function buildVxu(input: VxuInput): string {
  return serializeMessage(buildVxuMessage(input));
}
