import { describe, expect, it } from 'vitest';
import { validateDose } from '../../../electron/domain/dose-rules';
import type { DoseInput } from '../../../electron/domain/dose';
import { aContext, aDose, TODAY } from './fixtures';

function issueCodes(input: DoseInput, ctx = aContext()): string[] {
  const r = validateDose(input, ctx);
  return r.ok ? [] : r.issues.map((i) => i.code);
}

function firstIssue(input: DoseInput, ctx = aContext()) {
  const r = validateDose(input, ctx);
  if (r.ok) throw new Error('expected the dose to be refused');
  return r.issues[0]!;
}

describe('validateDose: a new administered dose', () => {
  it('accepts a complete dose', () => {
    const r = validateDose(aDose(), aContext());
    expect(r.ok).toBe(true);
  });

  it('refuses a date in the future and says what today is', () => {
    const issue = firstIssue(aDose({ administeredOn: '2026-11-26' }));
    expect(issue).toMatchObject({ path: 'dose.administeredOn', code: 'dose.date_in_future' });
    expect(issue.message).toContain(TODAY);
  });

  it('refuses a date before birth, naming the date of birth', () => {
    const issue = firstIssue(aDose({ administeredOn: '2026-05-01', vis: [{ editionDate: '2023-05-12', presentedOn: '2026-05-01' }] }));
    expect(issue.code).toBe('dose.date_before_birth');
    expect(issue.message).toContain('2026-06-01');
  });

  it('refuses a lot that had expired on the day given', () => {
    expect(issueCodes(aDose({ expirationDate: '2026-11-24' }))).toContain('dose.lot_expired');
    expect(issueCodes(aDose({ expirationDate: TODAY }))).toEqual([]);
  });

  it('refuses an expired, empty, inactive or mismatched inventory lot', () => {
    const lot = { cvx: '08', mvx: 'SKB', lotNumber: 'AB123', expirationDate: '2026-01-01', dosesOnHand: 0, active: false };
    expect(issueCodes(aDose({ lotId: 'l1' }), aContext({ lot }))).toEqual(
      expect.arrayContaining(['dose.lot_expired', 'dose.lot_empty', 'dose.lot_inactive']),
    );
    const other = { ...lot, cvx: '03', expirationDate: '2027-03-31', dosesOnHand: 5, active: true };
    expect(issueCodes(aDose({ lotId: 'l1' }), aContext({ lot: other }))).toEqual(['dose.lot_vaccine_mismatch']);
  });

  it.each([
    ['cvx', { cvx: '555', ndc: undefined }, 'dose.cvx_unknown'],
    ['mvx', { mvx: 'ZZZ' }, 'dose.mvx_unknown'],
    ['route', { route: 'C99999' }, 'dose.route_unknown'],
    ['site', { site: 'XX' }, 'dose.site_unknown'],
    ['vfc', { vfcEligibility: 'V99' }, 'dose.vfc_unknown'],
    ['funding', { fundingSource: 'ZZZ' }, 'dose.funding_unknown'],
  ] as const)('refuses a %s code that is not in the code tables', (_name, patch, code) => {
    expect(issueCodes(aDose(patch))).toContain(code);
  });

  it('refuses a CVX that can no longer be given (inactive product)', () => {
    // CVX 01 (DTP) has been inactive for decades: fine as history, not as a dose given today.
    expect(issueCodes(aDose({ cvx: '01', ndc: undefined }))).toContain('dose.cvx_not_active');
    expect(issueCodes(aDose({ kind: 'historical', cvx: '01', ndc: undefined, historicalSource: '01', amountMl: undefined }))).not.toContain('dose.cvx_not_active');
  });

  it('refuses an NDC that belongs to another vaccine', () => {
    expect(issueCodes(aDose({ cvx: '03', ndc: '58160-0820-52', mvx: 'MSD' }))).toContain('dose.ndc_cvx_mismatch');
  });

  it('lists every field 105 CMR 222.100 requires that is missing', () => {
    const bare = aDose({ mvx: undefined, lotNumber: undefined, expirationDate: undefined, route: undefined, site: undefined, administeringClinicianId: undefined, vfcEligibility: undefined, amountMl: undefined, vis: [] });
    expect(issueCodes(bare).sort()).toEqual(
      [
        'dose.administeringClinicianId_missing',
        'dose.amountMl_missing',
        'dose.expirationDate_missing',
        'dose.lotNumber_missing',
        'dose.mvx_missing',
        'dose.route_missing',
        'dose.site_missing',
        'dose.vfcEligibility_missing',
        'dose.vis_missing',
      ].sort(),
    );
  });

  it.each([0, 0.01, 5, Number.NaN])('refuses an implausible amount of %s mL on the amount field', (amountMl) => {
    const r = validateDose(aDose({ amountMl }), aContext());
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues.map((i) => i.path)).toEqual(['dose.amountMl']);
  });

  it('requires the VIS to be given on or before the dose, and not before its edition', () => {
    expect(issueCodes(aDose({ vis: [{ editionDate: '2023-05-12', presentedOn: '2026-11-26' }], administeredOn: TODAY }))).toContain('dose.vis_after_dose');
    expect(issueCodes(aDose({ vis: [{ editionDate: '2023-05-12', presentedOn: '2023-01-01' }] }))).toContain('dose.vis_before_edition');
  });

  it("asks for the patient's demographics MIIS needs with every new dose", () => {
    const ctx = aContext();
    const bare = { ...ctx, patient: { ...ctx.patient, address: undefined, genderIdentity: undefined, races: [], ethnicity: undefined, preferredLanguage: undefined } };
    const r = validateDose(aDose(), bare);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.issues.map((i) => i.path).sort()).toEqual(['patient.address', 'patient.ethnicity', 'patient.genderIdentity', 'patient.preferredLanguage', 'patient.races']);
    }
  });

  it('reports a schema problem on the field with the dose prefix', () => {
    const issue = firstIssue(aDose({ cvx: 'flu' }));
    expect(issue.path).toBe('dose.cvx');
    expect(issue.message).toMatch(/CVX codes are 1–3 digits/);
  });
});

describe('validateDose: historical records and refusals', () => {
  const historical = aDose({ kind: 'historical', historicalSource: '01', amountMl: undefined, mvx: undefined, lotNumber: undefined, expirationDate: undefined, route: undefined, site: undefined, administeredOn: '2026-07-01', vis: [] });

  it('accepts a historical dose without lot, route or VIS', () => {
    expect(validateDose(historical, aContext()).ok).toBe(true);
  });

  it('requires the source of a historical record', () => {
    expect(issueCodes({ ...historical, historicalSource: undefined })).toEqual(['dose.historical_source_missing']);
  });

  it('requires a reason and the refused status for a refusal', () => {
    const refusal = aDose({ kind: 'refusal', completionStatus: 'CP', amountMl: undefined, vis: [] });
    expect(issueCodes(refusal).sort()).toEqual(['dose.refusal_reason_missing', 'dose.refusal_status']);
    expect(issueCodes({ ...refusal, refusalReason: '03', completionStatus: 'RE' })).toEqual([]);
  });
});

describe('validateDose: the lot taken is the lot reported', () => {
  const stocked = { cvx: '08', mvx: 'SKB', lotNumber: 'AB123', expirationDate: '2027-03-31', dosesOnHand: 5, active: true };

  it('refuses a typed lot number that differs from the lot picked, naming both', () => {
    const issue = firstIssue(aDose({ lotId: 'l1', lotNumber: 'ZZ999' }), aContext({ lot: stocked }));
    expect(issue).toMatchObject({ path: 'dose.lotNumber', code: 'dose.lot_number_mismatch' });
    expect(issue.message).toContain('ZZ999');
    expect(issue.message).toContain('AB123');
  });

  it('refuses a manufacturer or expiry that is not the picked lot’s', () => {
    expect(issueCodes(aDose({ lotId: 'l1', mvx: 'MSD' }), aContext({ lot: stocked }))).toEqual(['dose.lot_mvx_mismatch']);
    expect(issueCodes(aDose({ lotId: 'l1', expirationDate: '2027-04-30' }), aContext({ lot: stocked }))).toEqual(['dose.lot_expiry_mismatch']);
  });

  it('takes the lot number as stocked when it was typed in another case', () => {
    const r = validateDose(aDose({ lotId: 'l1', lotNumber: 'ab123' }), aContext({ lot: stocked }));
    expect(r.ok && r.value.lotNumber).toBe('AB123');
  });

  it('leaves a typed lot alone when no inventory lot was picked', () => {
    const r = validateDose(aDose({ lotNumber: 'ab123' }), aContext());
    expect(r.ok && r.value.lotNumber).toBe('ab123');
  });
});

describe('validateDose: NDC', () => {
  it('refuses a string shaped like an NDC that has the wrong number of digits', () => {
    const issue = firstIssue(aDose({ ndc: '1234-123-1' }));
    expect(issue).toMatchObject({ path: 'dose.ndc', code: 'dose.ndc_malformed' });
    expect(issue.message).toMatch(/has 8 digits/);
  });

  it('asks for the hyphens of ten bare digits, which split two ways', () => {
    expect(firstIssue(aDose({ ndc: '5816082052' })).message).toMatch(/with its hyphens/);
  });

  it('refuses a known NDC of another vaccine, naming the product', () => {
    const issue = firstIssue(aDose({ cvx: '08', ndc: '58160-0821-01' }));
    expect(issue).toMatchObject({ path: 'dose.ndc', code: 'dose.ndc_cvx_mismatch' });
    expect(issue.message).toMatch(/ENGERIX-B \(CVX 43 or 44\), not CVX 08/);
  });

  it('accepts a known NDC for any vaccine CDC maps it to', () => {
    const dose = aDose({ cvx: '44', ndc: '58160-821-01' });
    expect(validateDose(dose, aContext())).toMatchObject({ ok: true });
    expect(validateDose({ ...dose, cvx: '43' }, aContext())).toMatchObject({ ok: true });
  });

  it('accepts a well-formed NDC CDC has not listed, with a warning on the field', () => {
    const r = validateDose(aDose({ ndc: '12345-6789-01' }), aContext());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.ndc).toBe('12345-6789-01');
    expect(r.warnings).toEqual([expect.objectContaining({ path: 'dose.ndc', code: 'dose.ndc_not_in_cdc_table' })]);
    expect(r.warnings?.[0]?.message).toMatch(/reported under its CVX/);
  });

  it('gives no warning for an NDC the table knows', () => {
    const r = validateDose(aDose(), aContext());
    expect(r.ok && r.warnings).toBeUndefined();
  });
});

describe('validateDose: free text on the dose', () => {
  it.each([
    ['NUL', 'AB\u0000123', 'dose.text_control_character'],
    ['ESC', '\u001bAB123', 'dose.text_control_character'],
    ['BEL', 'AB123\u0007', 'dose.text_control_character'],
    ['emoji', 'AB123💉', 'dose.text_emoji'],
    ['accented letter', 'ÅB123', 'dose.text_character_not_allowed'],
    ['only punctuation', '--', 'dose.text_no_letter'],
    ['longer than RXA-15 allows', 'A'.repeat(21), 'dose.too_big'],
  ])('refuses a lot number with %s', (_what, lotNumber, code) => {
    expect(issueCodes(aDose({ lotNumber }))).toContain(code);
  });

  it.each(['U4275AA', 'xy3939', 'J001-3', '3CA78C1', 'AB12/34', 'LOT 7', "A&B'(1)"])('accepts lot number %s as printed or scanned', (lotNumber) => {
    expect(issueCodes(aDose({ lotNumber }))).toEqual([]);
  });

  it('refuses control characters in notes and the VIS name, but keeps line breaks and emoji in notes', () => {
    expect(firstIssue(aDose({ notes: 'pt fainted\u0000' }))).toMatchObject({ path: 'dose.notes', code: 'dose.text_control_character' });
    expect(firstIssue(aDose({ vis: [{ documentType: 'Hep B\u001b', editionDate: '2023-05-12', presentedOn: TODAY }] })).path).toBe('dose.vis.0.documentType');
    const r = validateDose(aDose({ notes: 'tolerated well 👍\nno reaction' }), aContext());
    expect(r.ok && r.value.notes).toBe('tolerated well 👍\nno reaction');
  });
});
