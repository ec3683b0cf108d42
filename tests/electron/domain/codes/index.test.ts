import {
  actionCode,
  administeredUnit,
  allCvx,
  allMvx,
  ambiguousNdc10Digits,
  bodySite,
  completionStatus,
  currentVisForCvx,
  cvx,
  cvxForVaccineGroup,
  defaultBodySiteForRoute,
  defaultRouteForCvx,
  eligibilityCaptureMethod,
  fundingSource,
  historicalSource,
  listActionCodes,
  listAdministeredUnits,
  listBodySites,
  listCompletionStatuses,
  listEligibilityCaptureMethods,
  listFundingSources,
  listHistoricalSources,
  listRefusalReasons,
  listRoutes,
  listVfcEligibility,
  manufacturersForCvx,
  mvx,
  ndc,
  ndcByGtin,
  ndcsForCvx,
  normalizeNdc11,
  refusalReason,
  route,
  searchVaccines,
  vfcEligibility,
  visByEncodedString,
  visForCvx,
  type CodedValue,
} from '../../../../electron/domain/codes/index';
import { gs1CheckDigit } from '../../../../electron/domain/barcode/gtin';

describe('CVX', () => {
  it('looks up real rows, with vaccine groups', () => {
    expect(cvx('08')).toMatchObject({ code: '08', shortName: 'Hep B, adolescent or pediatric', status: 'Active', vaccineGroups: ['HepB'] });
    expect(cvx('20')).toMatchObject({ shortName: 'DTaP', status: 'Active', vaccineGroups: ['DTAP'] });
    expect(cvx('141')).toMatchObject({ shortName: 'Influenza, split virus, trivalent, preservative', vaccineGroups: ['FLU'] });
    expect(cvx('208')).toMatchObject({ status: 'Inactive', vaccineGroups: ['COVID-19'] });
    expect(cvx('213')).toMatchObject({ shortName: 'SARS-COV-2 (COVID-19) vaccine, UNSPECIFIED', status: 'Inactive' });
    expect(cvx('110')?.vaccineGroups).toEqual(expect.arrayContaining(['DTAP', 'HepB', 'POLIO']));
    expect(cvx('208')?.lastUpdated).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('accepts codes without the leading zero or with spaces', () => {
    expect(cvx('8')).toBe(cvx('08'));
    expect(cvx(' 03 ')).toBe(cvx('03'));
    expect(cvx('003')).toBe(cvx('03'));
  });

  it('returns undefined for unknown codes', () => {
    for (const code of ['', '0', '9999', 'abc', '08x']) expect(cvx(code)).toBeUndefined();
  });

  it('holds every CDC row once, with the CDC statuses', () => {
    const all = allCvx();
    expect(all).toHaveLength(288);
    expect(new Set(all.map((c) => c.code)).size).toBe(all.length);
    expect(new Set(all.map((c) => c.status))).toEqual(new Set(['Active', 'Inactive', 'Non-US', 'Never Active']));
  });

  it('maps a vaccine group to its unspecified-formulation CVX', () => {
    expect(cvxForVaccineGroup('HepB')).toBe('45');
    expect(cvxForVaccineGroup('flu')).toBe('88');
    expect(cvxForVaccineGroup('nope')).toBeUndefined();
  });

  it('returns frozen entries that callers cannot corrupt', () => {
    const entry = cvx('08')!;
    expect(() => {
      (entry as { shortName: string }).shortName = 'x';
    }).toThrow(TypeError);
    expect(() => (entry.vaccineGroups as string[]).push('x')).toThrow(TypeError);
  });
});

describe('searchVaccines', () => {
  const rank = { Active: 0, Inactive: 1, 'Non-US': 2, 'Never Active': 3 } as const;

  it('finds by trade name, active first', () => {
    const hits = searchVaccines('fluzone', 50);
    expect(hits.map((h) => h.code)).toEqual(expect.arrayContaining(['140', '141']));
    const ranks = hits.map((h) => rank[h.status]);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
  });

  it('finds by name words in any order and by group', () => {
    expect(searchVaccines('hep b', 10).map((h) => h.code)).toContain('08');
    expect(searchVaccines('b hep', 10).map((h) => h.code)).toContain('08');
    expect(searchVaccines('covid', 100).every((h) => h.vaccineGroups.includes('COVID-19') || /covid/i.test(h.fullName))).toBe(true);
  });

  it('puts an exact CVX code first even when it is inactive', () => {
    expect(searchVaccines('88', 5)[0]?.code).toBe('88');
    expect(searchVaccines('208', 5)[0]?.code).toBe('208');
    expect(searchVaccines('8', 5)[0]?.code).toBe('08');
  });

  it('respects the limit and returns nothing for empty or unmatched text', () => {
    expect(searchVaccines('influenza', 3)).toHaveLength(3);
    expect(searchVaccines('', 10)).toEqual([]);
    expect(searchVaccines('   ', 10)).toEqual([]);
    expect(searchVaccines('zzzzqqq', 10)).toEqual([]);
    expect(searchVaccines('flu', 0)).toEqual([]);
  });
});

describe('MVX and manufacturers', () => {
  it('looks up manufacturers, case-insensitively', () => {
    expect(mvx('SKB')).toMatchObject({ name: 'GlaxoSmithKline', status: 'Active' });
    expect(mvx('msd')).toMatchObject({ name: 'Merck and Co., Inc.', status: 'Active' });
    expect(mvx('PFR')).toMatchObject({ name: 'Pfizer, Inc' });
    expect(mvx('ZZZ')).toBeUndefined();
    expect(allMvx()).toHaveLength(89);
    expect(new Set(allMvx().map((m) => m.code)).size).toBe(89);
  });

  it('lists the manufacturers and trade names of a CVX, active products first', () => {
    const mmr = manufacturersForCvx('03');
    expect(mmr.map((m) => m.mvx)).toEqual(expect.arrayContaining(['MSD', 'SKB']));
    expect(mmr.find((m) => m.mvx === 'MSD')?.tradeNames).toContain('M-M-R II');
    const covid = manufacturersForCvx('208');
    expect(covid).toHaveLength(1);
    expect(covid[0]).toMatchObject({ mvx: 'PFR', productActive: true });
    expect(covid[0]!.tradeNames[0]).toBe('COMIRNATY');
    const flu = manufacturersForCvx('141');
    const active = flu.map((m) => m.productActive);
    expect(active).toEqual([...active].sort((a, b) => Number(b) - Number(a)));
    expect(manufacturersForCvx('9999')).toEqual([]);
  });
});

describe('hand-maintained value sets', () => {
  const tables: [string, () => CodedValue[], (code: string) => CodedValue | undefined][] = [
    ['routes', listRoutes, route],
    ['body sites', listBodySites, bodySite],
    ['VFC eligibility', () => listVfcEligibility({ includeUnconfirmed: true }), vfcEligibility],
    ['funding sources', listFundingSources, fundingSource],
    ['completion statuses', listCompletionStatuses, completionStatus],
    ['refusal reasons', listRefusalReasons, refusalReason],
    ['historical sources', listHistoricalSources, historicalSource],
    ['action codes', listActionCodes, actionCode],
    ['units', listAdministeredUnits, administeredUnit],
    ['eligibility capture methods', listEligibilityCaptureMethods, eligibilityCaptureMethod],
  ];

  it.each(tables)('%s: non-empty, unique codes, each found by its own lookup, unknown → undefined', (_name, list, find) => {
    const rows = list();
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows.map((r) => r.code)).size).toBe(rows.length);
    for (const row of rows) {
      expect(find(row.code)).toBe(row);
      expect(row.label.length).toBeGreaterThan(0);
      expect(row.codeSystem.length).toBeGreaterThan(0);
    }
    expect(find('NOT-A-CODE')).toBeUndefined();
  });

  it('maps HL70162 legacy route codes and NDC route text to NCIT', () => {
    const expected: Record<string, string> = {
      IM: 'C28161', SC: 'C38299', ID: 'C38238', PO: 'C38288', IN: 'C38284', NS: 'C38284', TD: 'C38305', IV: 'C38276',
      C28161: 'C28161', intramuscular: 'C28161', SUBCUTANEOUS: 'C38299', 'nasal spray': 'C38284', PERCUTANEOUS: 'C38676',
    };
    for (const [input, ncit] of Object.entries(expected)) expect(route(input)?.code, input).toBe(ncit);
    expect(route('IM')).toMatchObject({ label: 'Intramuscular', codeSystem: 'NCIT', hl70162: 'IM' });
  });

  it('has the HL70163 body sites the IG names', () => {
    for (const code of ['LA', 'RA', 'LT', 'RT', 'LD', 'RD', 'LVL', 'RVL', 'LG', 'RG', 'LLFA', 'RLFA']) {
      expect(bodySite(code)?.codeSystem, code).toBe('HL70163');
    }
    expect(bodySite('lvl')?.label).toBe('Left Vastus Lateralis');
  });

  it('offers V01–V07 for VFC eligibility, keeps V00 readable but unlisted, V22–V25 only on request', () => {
    expect(listVfcEligibility().map((v) => v.code)).toEqual(['V01', 'V02', 'V03', 'V04', 'V05', 'V06', 'V07']);
    expect(vfcEligibility('V00')?.status).toBe('Deprecated');
    expect(listVfcEligibility({ includeUnconfirmed: true }).map((v) => v.code)).toContain('V22');
    expect(vfcEligibility('v02')?.label).toMatch(/Medicaid/);
  });

  it('has the completion, refusal, historical-source and funding codes of the IG', () => {
    expect(listCompletionStatuses().map((c) => c.code)).toEqual(['CP', 'RE', 'NA', 'PA']);
    expect(listRefusalReasons().map((c) => c.code)).toEqual(['00', '01', '02', '03']);
    expect(listHistoricalSources().map((c) => c.code)).toEqual(['00', '01', '02', '03', '04', '05', '06', '07', '08']);
    expect(historicalSource('00')?.label).toBe('New immunization record');
    expect(fundingSource('VXC1')).toMatchObject({ label: 'Federal funds', codeSystem: 'CDCPHINVS' });
    expect(fundingSource('PHC70')?.label).toBe('Private funds');
    expect(administeredUnit('ML')).toMatchObject({ code: 'mL', codeSystem: 'UCUM' });
  });
});

describe('dose-form defaults', () => {
  it('suggests a route per vaccine', () => {
    const cases: Record<string, string> = {
      '03': 'SC', '21': 'SC', '94': 'SC', '10': 'SC', '116': 'PO', '119': 'PO', '25': 'PO', '149': 'NS', '111': 'NS',
      '141': 'IM', '140': 'IM', '08': 'IM', '20': 'IM', '208': 'IM', '115': 'IM', '187': 'IM',
    };
    for (const [code, hl70162] of Object.entries(cases)) expect(defaultRouteForCvx(code)?.hl70162, `CVX ${code}`).toBe(hl70162);
    expect(defaultRouteForCvx('9999')).toBeUndefined();
  });

  it('suggests the thigh for infants and the deltoid/arm for older patients', () => {
    expect(defaultBodySiteForRoute('IM', 0.2)?.code).toBe('LT');
    expect(defaultBodySiteForRoute('C28161', 2.9)?.code).toBe('LT');
    expect(defaultBodySiteForRoute('IM', 3)?.code).toBe('LD');
    expect(defaultBodySiteForRoute('IM', 45)?.code).toBe('LD');
    expect(defaultBodySiteForRoute('SC', 0.5)?.code).toBe('LT');
    expect(defaultBodySiteForRoute('SC', 1)?.code).toBe('LA');
    expect(defaultBodySiteForRoute('NS', 5)).toBeUndefined();
    expect(defaultBodySiteForRoute('PO', 0.2)).toBeUndefined();
    expect(defaultBodySiteForRoute('XX', 5)).toBeUndefined();
    expect(defaultBodySiteForRoute('IM', -1)).toBeUndefined();
    expect(defaultBodySiteForRoute('IM', Number.NaN)).toBeUndefined();
  });
});

describe('VIS', () => {
  it('lists editions for a CVX, current first, with ISO dates and 24-digit GS1 strings', () => {
    const editions = visForCvx('03');
    expect(editions.length).toBeGreaterThan(1);
    expect(editions[0]!.status).toBe('Current');
    for (const e of editions) {
      expect(e.editionDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(e.encodedString).toMatch(/^253\d{21}$/);
      // The GS1 string ends with the edition date as YYMMDD: the two CDC columns must agree.
      expect(e.encodedString.slice(-6)).toBe(e.editionDate.slice(2).replace(/-/g, ''));
    }
    const current = currentVisForCvx('03');
    expect(current.length).toBeGreaterThan(0);
    expect(current.every((e) => e.status === 'Current')).toBe(true);
    expect(current[0]!.pdfUrl).toMatch(/^https:\/\/www\.cdc\.gov\//);
  });

  it('gives a combination vaccine one current VIS per component plus the multi-pediatric VIS', () => {
    const types = currentVisForCvx('110').map((e) => e.documentType);
    expect(types).toEqual(expect.arrayContaining(['Hepatitis B Vaccine VIS', 'Polio Vaccine VIS', 'Multi Pediatric Vaccines VIS']));
    expect(types.some((t) => t.startsWith('DTaP'))).toBe(true);
  });

  it('finds an edition by its GS1 string and knows nothing of unknown ones', () => {
    expect(visByEncodedString('253088698300001111200108')).toMatchObject({ documentType: 'Adenovirus Vaccine VIS', editionDate: '2020-01-08', status: 'Current' });
    expect(visByEncodedString('253000000000000000000000')).toBeUndefined();
    expect(visForCvx('9999')).toEqual([]);
    expect(currentVisForCvx('9999')).toEqual([]);
  });
});

describe('NDC and GTIN', () => {
  it('accepts the usual NDC spellings', () => {
    const byLabelForm = ndc('49281-421-50');
    expect(byLabelForm).toMatchObject({ ndc11: '49281042150', ndcFormatted: '49281-0421-50', ndc10: '49281-421-50', cvx: '150', mvx: 'PMC', unitOfUse: false });
    expect(ndc('49281-0421-50')).toBe(byLabelForm);
    expect(ndc('49281042150')).toBe(byLabelForm);
    expect(ndc('4928142150')).toBe(byLabelForm);
    expect(ndc(' 49281-421-50 ')).toBe(byLabelForm);
    expect(ndc('0006-4047-41')?.ndcFormatted).toBe('00006-4047-41');
  });

  it('rejects malformed or unknown NDCs', () => {
    for (const input of ['', '12345', '49281-421', '49281-421-500', 'abcde-fghi-jk', '99999-9999-99', '123456-12-1']) {
      expect(ndc(input), input).toBeUndefined();
    }
    expect(normalizeNdc11('1-2-3')).toBeUndefined();
    expect(normalizeNdc11('50090-4958-1')).toBe('50090495801');
    expect(ndc('50090-4958-1')?.ndcFormatted).toBe('50090-4958-01');
  });

  it('maps a GTIN from the table to its NDC and CVX, preferring the unit of use', () => {
    const p = ndcByGtin('00349281521003');
    expect(p).toMatchObject({ ndcFormatted: '49281-0521-00', cvx: '161', unitOfUse: true, proprietaryName: 'FLUZONE QUADRIVALENT', route: 'C28161' });
    expect(p?.linkedNdc11).toContain('49281052125');
    // Stamaril's GTIN is in both tables: the vial (unit of use) wins.
    expect(ndcByGtin('00349281913013')?.unitOfUse).toBe(true);
  });

  it('falls back to the NDC digits of a GTIN CDC does not list', () => {
    expect(ndc('49281-0416-88')?.gtin).toBeUndefined();
    const body = '0034928141688';
    expect(ndcByGtin(body + gs1CheckDigit(body))?.ndcFormatted).toBe('49281-0416-88');
  });

  it('rejects GTINs with a bad check digit or not carrying an NDC', () => {
    expect(ndcByGtin('00349281521004')).toBeUndefined();
    expect(ndcByGtin('0034928152100')).toBeUndefined();
    const foreign = '0400638133393';
    expect(ndcByGtin(foreign + gs1CheckDigit(foreign))).toBeUndefined();
  });

  it('keeps every CVX CDC gives for one NDC', () => {
    expect(ndc('58160-0821-01')).toMatchObject({ cvx: '43', cvxOptions: ['43', '44'], mvx: 'SKB' });
  });

  it('has consistent rows: known CVX, valid GTINs, GTIN carrying the NDC, no ambiguous 10-digit NDCs', () => {
    const seen = new Set<string>();
    for (const entry of allCvx()) {
      for (const p of ndcsForCvx(entry.code)) {
        if (seen.has(p.ndc11 + p.unitOfUse)) continue;
        seen.add(p.ndc11 + p.unitOfUse);
        for (const c of p.cvxOptions) expect(cvx(c), `${p.ndcFormatted} → CVX ${c}`).toBeDefined();
        if (p.gtin) {
          expect(ndcByGtin(p.gtin)?.ndc11).toBe(p.ndc11);
          expect(p.gtin.slice(3, 13)).toBe(p.ndc10.replace(/-/g, ''));
        }
        expect(ndc(p.ndcFormatted)?.ndc11).toBe(p.ndc11);
        expect(ndc(p.ndc10)?.ndc11).toBe(p.ndc11);
      }
    }
    expect(seen.size).toBe(1063);
    expect(ambiguousNdc10Digits()).toEqual([]);
  });

  it('lists NDCs for a CVX, units of use first', () => {
    const list = ndcsForCvx('141');
    expect(list.length).toBeGreaterThan(0);
    const flags = list.map((p) => p.unitOfUse);
    expect(flags).toEqual([...flags].sort((a, b) => Number(b) - Number(a)));
    expect(ndcsForCvx('9999')).toEqual([]);
  });
});

describe('searchVaccines with a status filter', () => {
  it('returns only the statuses asked for', () => {
    const active = searchVaccines('influenza', 100, { statuses: ['Active'] });
    expect(active.length).toBeGreaterThan(0);
    expect(active.every((c) => c.status === 'Active')).toBe(true);
    expect(searchVaccines('88', 5, { statuses: ['Active'] }).map((c) => c.code)).not.toContain('88');
  });
});
