import type { CodeLists, CodeOption, VaccineOption, VisDocument } from '../api';
import * as codes from '../domain/codes';
import type { CodedValue } from '../domain/codes';
import { CREDENTIAL_LABELS, ETHNICITY_LABELS, LANGUAGES, RACE_LABELS, RELATIONSHIP_LABELS, demographicOptions } from '../domain/codes/demographics';

// The code tables as the forms need them: dropdown lists and the vaccine picker. A small
// interface so handler tests can run without the generated tables if needed.

export interface CodeCatalog {
  searchVaccines(text: string, limit: number, includeInactive: boolean): VaccineOption[];
  lists(): CodeLists;
  currentVis(cvx: string): VisDocument[];
}

const fromCoded = (rows: readonly CodedValue[]): CodeOption[] =>
  rows.map((r) => (r.note ? { code: r.code, label: r.label, detail: r.note } : { code: r.code, label: r.label }));

export function createCodeCatalog(): CodeCatalog {
  let cachedLists: CodeLists | undefined;
  return {
    searchVaccines(text, limit, includeInactive) {
      const found = codes.searchVaccines(text, limit, includeInactive ? {} : { statuses: ['Active'] });
      return found.map((c) => ({
        cvx: c.code,
        shortName: c.shortName,
        fullName: c.fullName,
        status: c.status,
        manufacturers: codes.manufacturersForCvx(c.code).map((m) => ({ code: m.mvx, label: m.name, detail: m.tradeNames.join(', ') || undefined })),
      }));
    },
    lists() {
      cachedLists ??= {
        routes: fromCoded(codes.listRoutes()),
        sites: fromCoded(codes.listBodySites()),
        manufacturers: codes
          .allMvx()
          .filter((m) => m.status === 'Active')
          .map((m) => ({ code: m.code, label: m.name })),
        fundingSources: fromCoded(codes.listFundingSources()),
        vfcEligibility: fromCoded(codes.listVfcEligibility()),
        refusalReasons: fromCoded(codes.listRefusalReasons()),
        historicalSources: fromCoded(codes.listHistoricalSources()),
        completionStatuses: fromCoded(codes.listCompletionStatuses()),
        credentials: demographicOptions(CREDENTIAL_LABELS),
        races: demographicOptions(RACE_LABELS),
        ethnicities: demographicOptions(ETHNICITY_LABELS),
        relationships: demographicOptions(RELATIONSHIP_LABELS),
        languages: LANGUAGES.filter((l) => l.offered).map(({ code, label }) => ({ code, label })),
      };
      return cachedLists;
    },
    currentVis(cvx) {
      return codes.currentVisForCvx(cvx).map((v) => ({ documentType: v.documentType, editionDate: v.editionDate, encodedString: v.encodedString }));
    },
  };
}
