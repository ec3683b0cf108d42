import type { DoseWithStatus, LotDefaults, SessionUser } from '../../../electron/api';
import type { Clinician } from '../../../electron/domain/clinician';
import { ageInYears } from '../../../electron/domain/common';
import { currentVisForCvx, defaultBodySiteForRoute, defaultRouteForCvx } from '../../../electron/domain/codes';
import type { DoseInput, DoseKind } from '../../../electron/domain/dose';
import { ndcFinding } from '../../../electron/domain/dose-rules';

// The dose form as strings, the defaults each choice brings (vaccine → route, site, VIS;
// lot → manufacturer, expiry, NDC, funding, volume), and the conversion to the domain input.

export interface VisChoice {
  documentType: string;
  editionDate: string;
  encodedString?: string;
  given: boolean;
}

export interface DoseFormValues {
  kind: DoseKind;
  /** What is typed in the vaccine box; `cvx` is what was picked. */
  vaccineQuery: string;
  cvx: string;
  vaccineName: string;
  lotId: string;
  lotNumber: string;
  mvx: string;
  expirationDate: string;
  ndc: string;
  amountMl: string;
  route: string;
  site: string;
  vfcEligibility: string;
  fundingSource: string;
  administeringClinicianId: string;
  administeredOn: string;
  administeredTime: string;
  vis: VisChoice[];
  historicalSource: string;
  refusalReason: string;
  notes: string;
}

/** Adults (19+) are not VFC-eligible by definition; children need a person to choose. */
export function defaultVfc(dob: string, today: string): string {
  return ageInYears(dob, today) >= 19 ? 'V01' : '';
}

export function defaultClinician(user: SessionUser | undefined, clinicians: readonly Clinician[]): string {
  if (user?.clinicianId && clinicians.some((c) => c.id === user.clinicianId && c.active)) return user.clinicianId;
  const able = clinicians.filter((c) => c.active && c.canAdminister);
  return able.length === 1 ? able[0]!.id : '';
}

export function newDoseForm(opts: { dob: string; today: string; now: Date; clinicianId: string }): DoseFormValues {
  return {
    kind: 'administered',
    vaccineQuery: '',
    cvx: '',
    vaccineName: '',
    lotId: '',
    lotNumber: '',
    mvx: '',
    expirationDate: '',
    ndc: '',
    amountMl: '',
    route: '',
    site: '',
    vfcEligibility: defaultVfc(opts.dob, opts.today),
    fundingSource: '',
    administeringClinicianId: opts.clinicianId,
    administeredOn: opts.today,
    administeredTime: `${String(opts.now.getHours()).padStart(2, '0')}:${String(opts.now.getMinutes()).padStart(2, '0')}`,
    vis: [],
    historicalSource: '',
    refusalReason: '',
    notes: '',
  };
}

export function formFromDose(d: DoseWithStatus, vaccineName: string): DoseFormValues {
  return {
    kind: d.kind,
    vaccineQuery: vaccineName,
    cvx: d.cvx,
    vaccineName,
    lotId: d.lotId ?? '',
    lotNumber: d.lotNumber ?? '',
    mvx: d.mvx ?? '',
    expirationDate: d.expirationDate ?? '',
    ndc: d.ndc ?? '',
    amountMl: d.amountMl === undefined ? '' : String(d.amountMl),
    route: d.route ?? '',
    site: d.site ?? '',
    vfcEligibility: d.vfcEligibility ?? '',
    fundingSource: d.fundingSource ?? '',
    administeringClinicianId: d.administeringClinicianId ?? '',
    administeredOn: d.administeredOn,
    administeredTime: d.administeredTime ?? '',
    vis: d.vis.map((v) => ({ documentType: v.documentType ?? '', editionDate: v.editionDate, encodedString: v.encodedString, given: true })),
    historicalSource: d.historicalSource ?? '',
    refusalReason: d.refusalReason ?? '',
    notes: d.notes ?? '',
  };
}

/** Picking a vaccine: its usual route, the site for the patient's age, its current VIS. */
export function withVaccine(v: DoseFormValues, cvx: string, name: string, dob: string): DoseFormValues {
  const route = defaultRouteForCvx(cvx);
  const site = route ? defaultBodySiteForRoute(route.code, ageInYears(dob, v.administeredOn)) : undefined;
  const changed = cvx !== v.cvx;
  return {
    ...v,
    cvx,
    vaccineName: name,
    vaccineQuery: name,
    route: route?.code ?? (changed ? '' : v.route),
    site: site?.code ?? (changed ? '' : v.site),
    vis: currentVisForCvx(cvx).map((e) => ({ documentType: e.documentType, editionDate: e.editionDate, encodedString: e.encodedString, given: true })),
    ...(changed ? { lotId: '', lotNumber: '', mvx: '', expirationDate: '', ndc: '', fundingSource: '', amountMl: '' } : {}),
  };
}

/** Picking a lot from inventory fills what the label says. */
export function withLot(v: DoseFormValues, lot: LotDefaults): DoseFormValues {
  return {
    ...v,
    lotId: lot.lotId,
    lotNumber: lot.lotNumber,
    mvx: lot.mvx,
    expirationDate: lot.expirationDate,
    ndc: lot.ndc ?? v.ndc,
    fundingSource: lot.fundingSource ?? v.fundingSource,
    amountMl: lot.amountMl === undefined ? v.amountMl : String(lot.amountMl),
    vis: lot.vis.length ? lot.vis.map((e) => ({ ...e, given: true })) : v.vis,
  };
}

const opt = (s: string): string | undefined => (s.trim() === '' ? undefined : s.trim());

function amount(s: string): number | undefined {
  const v = s.trim().replace(',', '.');
  if (v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : Number.NaN;
}

export function doseInputFromForm(v: DoseFormValues, patientId: string): DoseInput {
  const common = { patientId, kind: v.kind, cvx: v.cvx, administeredOn: v.administeredOn.trim(), notes: opt(v.notes) };
  if (v.kind === 'refusal') {
    return { ...common, completionStatus: 'RE', refusalReason: opt(v.refusalReason), vis: [] };
  }
  const product = { ndc: opt(v.ndc), mvx: opt(v.mvx), lotNumber: opt(v.lotNumber), expirationDate: opt(v.expirationDate) };
  if (v.kind === 'historical') {
    return { ...common, ...product, completionStatus: 'CP', historicalSource: opt(v.historicalSource), vis: [] };
  }
  return {
    ...common,
    ...product,
    completionStatus: 'CP',
    lotId: opt(v.lotId),
    administeredTime: opt(v.administeredTime),
    amountMl: amount(v.amountMl),
    route: opt(v.route),
    site: opt(v.site),
    vfcEligibility: opt(v.vfcEligibility),
    fundingSource: opt(v.fundingSource),
    administeringClinicianId: opt(v.administeringClinicianId),
    vis: v.vis
      .filter((e) => e.given)
      .map((e) => ({
        encodedString: e.encodedString,
        documentType: e.documentType || undefined,
        editionDate: e.editionDate,
        presentedOn: v.administeredOn.trim(),
      })),
  };
}

/**
 * The domain's note on an NDC that does not block saving (one the CDC table does not list),
 * shown under the field while typing; what blocks is shown as an error on Save.
 */
export function ndcHint(v: Pick<DoseFormValues, 'ndc' | 'cvx'>): string | undefined {
  const ndc = v.ndc.trim();
  if (ndc === '') return undefined;
  const finding = ndcFinding(ndc, v.cvx);
  return finding && !finding.blocks ? finding.message : undefined;
}
