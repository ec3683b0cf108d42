import { addDaysIso, compareIsoDates } from './common';
import * as codes from './codes';
import { doseInputSchema, type DoseFields, type DoseInput } from './dose';
import { issuesFromZod, type FieldIssue, type Validated } from './errors';
import type { LotFields } from './lot';
import type { PatientFields } from './patient';

// Every rule a registry would reject a dose on, checked before the dose is stored, with a
// message the nurse can act on. The rules mirror the CDC IG R1.5 RXA/RXR/OBX requirements
// (docs/domain.md §1.5–1.7) and the 105 CMR 222.100 minimum data set (§3.1).

export interface DoseRuleContext {
  patient: Pick<
    PatientFields,
    'dob' | 'sex' | 'genderIdentity' | 'races' | 'ethnicity' | 'address' | 'preferredLanguage' | 'lastName' | 'firstName'
  >;
  /** The inventory lot the dose was drawn from, when one was picked. */
  lot?: Pick<LotFields, 'cvx' | 'mvx' | 'lotNumber' | 'expirationDate' | 'ndc'> & { dosesOnHand?: number; active?: boolean };
  /** Today's date on the clinic's clock (a parameter so rules are testable and pure). */
  today: string;
  /** Whether the administering clinician exists and is active. */
  administeringClinicianKnown?: boolean;
}

/** Smallest and largest volumes any licensed US vaccine dose uses (intradermal to oral). */
const MIN_ML = 0.05;
const MAX_ML = 3;

export function validateDose(input: DoseInput, ctx: DoseRuleContext): Validated<DoseFields> {
  const parsed = doseInputSchema.safeParse(input);
  if (!parsed.success) return { ok: false, issues: issuesFromZod(parsed.error, 'dose') };
  const dose = parsed.data;
  const issues: FieldIssue[] = [];
  const warnings: FieldIssue[] = [];
  const add = (path: string, code: string, message: string) => issues.push({ path: `dose.${path}`, code: `dose.${code}`, message });
  const warn = (path: string, code: string, message: string) => warnings.push({ path: `dose.${path}`, code: `dose.${code}`, message });

  checkDates(dose, ctx, add);
  checkCodes(dose, add, warn);
  if (dose.kind === 'administered') {
    checkAdministered(dose, ctx, add);
    checkMinimumPatientData(ctx, issues);
  } else if (dose.kind === 'historical') {
    if (!dose.historicalSource) add('historicalSource', 'historical_source_missing', 'Say where this historical record comes from (e.g. another provider, a parent\'s card).');
    if (dose.amountMl !== undefined) add('amountMl', 'historical_amount', 'Leave the amount empty for a historical dose.');
  } else {
    if (!dose.refusalReason) add('refusalReason', 'refusal_reason_missing', 'Choose why the vaccine was refused.');
    if (dose.completionStatus !== 'RE') add('completionStatus', 'refusal_status', 'A refusal is recorded with completion status "Refused".');
    if (dose.amountMl !== undefined) add('amountMl', 'refusal_amount', 'Leave the amount empty for a refusal.');
  }

  if (issues.length) return { ok: false, issues };
  const value = ctx.lot && dose.kind === 'administered' ? withLotSpelling(dose, ctx.lot) : dose;
  return warnings.length ? { ok: true, value, warnings } : { ok: true, value };
}

/** Lot numbers match ignoring case (a nurse types `hb123`); the lot reported is spelled as stocked. */
function sameLotNumber(a: string, b: string): boolean {
  return a.trim().toUpperCase() === b.trim().toUpperCase();
}

function withLotSpelling(dose: DoseFields, lot: NonNullable<DoseRuleContext['lot']>): DoseFields {
  return dose.lotNumber !== undefined && sameLotNumber(dose.lotNumber, lot.lotNumber) ? { ...dose, lotNumber: lot.lotNumber } : dose;
}

type Add = (path: string, code: string, message: string) => void;

function checkDates(dose: DoseFields, ctx: DoseRuleContext, add: Add): void {
  if (compareIsoDates(dose.administeredOn, ctx.today) > 0) {
    add('administeredOn', 'date_in_future', 'The date given is in the future. Check the date (today is ' + ctx.today + ').');
  }
  if (compareIsoDates(dose.administeredOn, ctx.patient.dob) < 0) {
    add('administeredOn', 'date_before_birth', `The date given is before the patient's date of birth (${ctx.patient.dob}).`);
  }
  for (const [i, vis] of dose.vis.entries()) {
    if (compareIsoDates(vis.presentedOn, dose.administeredOn) > 0) {
      add(`vis.${i}.presentedOn`, 'vis_after_dose', 'The VIS must be given on or before the day of the dose.');
    }
    if (compareIsoDates(vis.presentedOn, vis.editionDate) < 0) {
      add(`vis.${i}.presentedOn`, 'vis_before_edition', 'The VIS was given before that edition was published. Check the edition date.');
    }
  }
}

function checkCodes(dose: DoseFields, add: Add, warn: Add): void {
  const vaccine = codes.cvx(dose.cvx);
  if (!vaccine) {
    add('cvx', 'cvx_unknown', `CVX ${dose.cvx} is not in the CDC vaccine table. Pick the vaccine from the list.`);
  } else if (dose.kind === 'administered' && vaccine.status !== 'Active') {
    add('cvx', 'cvx_not_active', `${vaccine.shortName} (CVX ${dose.cvx}) is ${vaccine.status.toLowerCase()} and cannot be given today. Pick the product actually given.`);
  }
  if (dose.mvx && !codes.mvx(dose.mvx)) add('mvx', 'mvx_unknown', `Manufacturer code ${dose.mvx} is not in the CDC MVX table.`);
  if (dose.route && !codes.route(dose.route)) add('route', 'route_unknown', `Route ${dose.route} is not a recognised route. Pick it from the list.`);
  if (dose.site && !codes.bodySite(dose.site)) add('site', 'site_unknown', `Body site ${dose.site} is not a recognised site. Pick it from the list.`);
  if (dose.vfcEligibility && !codes.vfcEligibility(dose.vfcEligibility)) add('vfcEligibility', 'vfc_unknown', `VFC eligibility ${dose.vfcEligibility} is not a recognised code.`);
  if (dose.fundingSource && !codes.fundingSource(dose.fundingSource)) add('fundingSource', 'funding_unknown', `Funding source ${dose.fundingSource} is not a recognised code.`);
  if (dose.refusalReason && !codes.refusalReason(dose.refusalReason)) add('refusalReason', 'refusal_reason_unknown', `Refusal reason ${dose.refusalReason} is not a recognised code.`);
  if (dose.historicalSource && !codes.historicalSource(dose.historicalSource)) add('historicalSource', 'historical_source_unknown', `Record source ${dose.historicalSource} is not a recognised code.`);
  if (dose.ndc) checkNdcOfDose(dose.ndc, dose.cvx, vaccine !== undefined, add, warn);
}

/**
 * A known NDC must be a package of the vaccine chosen. A well-formed NDC CDC has not listed is
 * saved with a warning, not refused: CDC's table can lag a new product and the copy shipped with
 * DoseDesk lags CDC's, the NDC is the optional alternate code in RXA-5 (the CVX is what MIIS files
 * the dose under), and refusing would leave the nurse to delete a true NDC or not record a dose
 * the law says to report within 72 hours.
 */
function checkNdcOfDose(ndc: string, cvx: string, cvxKnown: boolean, add: Add, warn: Add): void {
  const finding = ndcFinding(ndc, cvx, cvxKnown);
  if (finding) (finding.blocks ? add : warn)('ndc', finding.code, finding.message);
}

/** What the CDC table says about a dose's (well-formed) NDC, for the rules and the form's hint. */
export function ndcFinding(ndc: string, cvx: string, cvxKnown = true): { blocks: boolean; code: string; message: string } | undefined {
  const check = codes.checkNdc(ndc, cvx);
  if (check.kind === 'cvx_mismatch' && cvxKnown) {
    const p = check.product;
    return { blocks: true, code: 'ndc_cvx_mismatch', message: `NDC ${ndc} is ${p.proprietaryName} (CVX ${p.cvxOptions.join(' or ')}), not CVX ${cvx}. Check the vaccine or the package.` };
  }
  if (check.kind === 'unknown') {
    return {
      blocks: false,
      code: 'ndc_not_in_cdc_table',
      message: `NDC ${check.ndcFormatted} is not in the CDC vaccine NDC table this version of DoseDesk carries (a new product may not be listed yet). Check the number on the package; the dose can still be saved and is reported under its CVX.`,
    };
  }
  return undefined;
}

function checkAdministered(dose: DoseFields, ctx: DoseRuleContext, add: Add): void {
  const required: [keyof DoseFields, string][] = [
    ['mvx', 'Manufacturer is required for a dose given here.'],
    ['lotNumber', 'Lot number is required for a dose given here.'],
    ['expirationDate', 'Lot expiration date is required for a dose given here.'],
    ['route', 'Route is required for a dose given here.'],
    ['site', 'Body site is required for a dose given here.'],
    ['administeringClinicianId', 'Choose who gave the dose (name and title go to MIIS).'],
    ['vfcEligibility', "Choose the patient's VFC eligibility for this dose."],
    ['amountMl', 'Amount given (mL) is required for a dose given here.'],
  ];
  for (const [field, message] of required) {
    if (dose[field] === undefined) add(String(field), `${String(field)}_missing`, message);
  }
  if (dose.vis.length === 0) add('vis', 'vis_missing', 'Record the VIS edition and the date it was given (required by MIIS).');
  if (dose.completionStatus !== 'CP' && dose.completionStatus !== 'PA') {
    add('completionStatus', 'completion_status', 'A dose given here is complete or partially administered.');
  }
  if (dose.amountMl !== undefined && (!(dose.amountMl >= MIN_ML) || dose.amountMl > MAX_ML)) {
    add('amountMl', 'amount_implausible', `An amount of ${dose.amountMl} mL is not plausible for a vaccine dose. Check the volume (most are 0.5 mL).`);
  }
  if (dose.expirationDate && compareIsoDates(dose.expirationDate, dose.administeredOn) < 0) {
    add('expirationDate', 'lot_expired', `This lot expired on ${dose.expirationDate}, before the dose was given. Do not use it; pick another lot.`);
  }
  if (dose.administeringClinicianId && ctx.administeringClinicianKnown === false) {
    add('administeringClinicianId', 'clinician_unknown', 'The chosen clinician is not on this site’s list. Pick an active clinician.');
  }
  const lot = ctx.lot;
  if (lot) {
    checkSameLot(dose, lot, add);
    if (lot.cvx !== dose.cvx) add('lotId', 'lot_vaccine_mismatch', `Lot ${lot.lotNumber} holds CVX ${lot.cvx}, not the vaccine chosen (CVX ${dose.cvx}).`);
    if (compareIsoDates(lot.expirationDate, dose.administeredOn) < 0) {
      add('lotId', 'lot_expired', `Lot ${lot.lotNumber} expired on ${lot.expirationDate}. Do not use it; pick another lot.`);
    }
    if (lot.active === false) add('lotId', 'lot_inactive', `Lot ${lot.lotNumber} has been deactivated. Pick an active lot.`);
    if (lot.dosesOnHand !== undefined && lot.dosesOnHand <= 0) {
      add('lotId', 'lot_empty', `Lot ${lot.lotNumber} has no doses left in inventory. Receive stock or adjust the count first.`);
    }
  }
  // A date more than a year back is almost always a typo on a "given here" dose.
  if (compareIsoDates(dose.administeredOn, addDaysIso(ctx.today, -366)) < 0) {
    add('administeredOn', 'administered_long_ago', 'A dose given here more than a year ago should be recorded as historical.');
  }
}

/**
 * The dose takes its stock from the picked lot and reports the lot number, manufacturer and
 * expiry it carries (RXA-15/16/17): they must be that lot's, or the registry and the fridge count
 * would describe two different lots.
 */
function checkSameLot(dose: DoseFields, lot: NonNullable<DoseRuleContext['lot']>, add: Add): void {
  if (dose.lotNumber !== undefined && !sameLotNumber(dose.lotNumber, lot.lotNumber)) {
    add(
      'lotNumber',
      'lot_number_mismatch',
      `Lot number ${dose.lotNumber} is not the lot picked from inventory (${lot.lotNumber}). The dose comes off the picked lot's stock, so the number reported must be its number: pick lot ${dose.lotNumber} from the list, or correct the number.`,
    );
  }
  if (dose.mvx !== undefined && dose.mvx.toUpperCase() !== lot.mvx.toUpperCase()) {
    add('mvx', 'lot_mvx_mismatch', `Lot ${lot.lotNumber} is recorded in the inventory as made by ${lot.mvx}, not ${dose.mvx}. Pick the lot you used; if the inventory is wrong, deactivate the lot on the Lots screen and receive it again.`);
  }
  if (dose.expirationDate !== undefined && dose.expirationDate !== lot.expirationDate) {
    add(
      'expirationDate',
      'lot_expiry_mismatch',
      `Lot ${lot.lotNumber} is recorded in the inventory as expiring on ${lot.expirationDate}, not ${dose.expirationDate}. Pick the lot you used; if the inventory is wrong, deactivate the lot on the Lots screen and receive it again.`,
    );
  }
}

/** 105 CMR 222.100 (C): data every new dose's report must carry about the patient. */
function checkMinimumPatientData(ctx: DoseRuleContext, issues: FieldIssue[]): void {
  const p = ctx.patient;
  const need = (ok: boolean, field: string, message: string) => {
    if (!ok) issues.push({ path: `patient.${field}`, code: `patient.${field}_required_for_report`, message });
  };
  need(Boolean(p.address), 'address', "MIIS needs the patient's home address for every new dose. Add it to the patient's record.");
  need(Boolean(p.genderIdentity), 'genderIdentity', 'MIIS needs gender identity for every new dose (choose "Asked, declined" if the patient declines).');
  need(p.races.length > 0, 'races', 'MIIS needs race for every new dose (choose "Asked, declined" if the patient declines).');
  need(Boolean(p.ethnicity), 'ethnicity', 'MIIS needs ethnicity for every new dose (choose "Asked, declined" if the patient declines).');
  need(Boolean(p.preferredLanguage), 'preferredLanguage', "MIIS needs the patient's preferred language for every new dose.");
}
