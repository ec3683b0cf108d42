// A small hand-written supporting data set, so each CDSi rule can be tested in isolation
// against numbers that are easy to check by hand.
import type { CdsiSupportingData, SeriesData, SeriesDoseData } from '../../../../electron/domain/forecast/supporting-data';

export function dose(n: number, over: Partial<SeriesDoseData> = {}): SeriesDoseData {
  return {
    doseNumber: n,
    ages: [],
    intervals: [],
    allowableIntervals: [],
    preferable: [{ cvx: '901', forecast: true }],
    allowable: [{ cvx: '902' }],
    inadvertent: [],
    skips: [],
    recurring: false,
    ...over,
  };
}

export function series(name: string, doses: SeriesDoseData[], over: Partial<SeriesData> = {}): SeriesData {
  return {
    name,
    vaccineGroup: 'Testgroup',
    type: 'Standard',
    genders: [],
    defaultSeries: true,
    productPath: false,
    seriesGroup: '1',
    seriesGroupName: 'Standard',
    priority: 'A',
    preference: 1,
    indications: [],
    doses,
    ...over,
  };
}

/**
 * Antigen "Testitis" (vaccine group "Testgroup"): CVX 901 preferable, 902 allowable,
 * 903 inadvertent for dose 2, 904 a live vaccine conflicting with 905 (another antigen).
 * Dose 1 from 6 weeks (abs. 6 weeks - 4 days), recommended 2 months, past due after 3 months;
 * dose 2 four weeks later (abs. 4 weeks - 4 days), recommended 8 weeks, past due after 12 weeks,
 * maximum age 5 years.
 */
export function miniData(seriesList?: SeriesData[]): CdsiSupportingData {
  const standard = series('Testitis 2-dose series', [
    dose(1, {
      ages: [{ absMinAge: '6 weeks - 4 days', minAge: '6 weeks', earliestRecAge: '2 months', latestRecAge: '3 months + 1 day', maxAge: '5 years' }],
      preferable: [{ cvx: '901', forecast: true }, { cvx: '904', forecast: true }],
    }),
    dose(2, {
      ages: [{ absMinAge: '10 weeks - 4 days', minAge: '10 weeks', maxAge: '5 years' }],
      intervals: [{ fromPrevious: true, absMinInt: '4 weeks - 4 days', minInt: '4 weeks', earliestRecInt: '8 weeks', latestRecInt: '12 weeks + 1 day' }],
      preferable: [{ cvx: '901', forecast: true }, { cvx: '904', forecast: true }],
      inadvertent: ['903'],
    }),
  ]);
  return {
    version: 'test',
    source: 'unit test data',
    antigens: {
      Testitis: {
        immunity: { guidelines: ['500'], birthDate: [{ before: '1957-01-01', exclusions: ['055'] }] },
        contraindications: { antigen: [{ code: '600' }], vaccine: [{ code: '601', vaccines: [{ cvx: '904' }] }] },
        series: seriesList ?? [standard],
      },
      Otheritis: {
        immunity: { guidelines: [], birthDate: [] },
        contraindications: { antigen: [], vaccine: [] },
        series: [series('Otheritis 1-dose series', [dose(1, { preferable: [{ cvx: '905', forecast: true }], allowable: [] })], { vaccineGroup: 'Othergroup' })],
      },
    },
    vaccineGroups: [
      { name: 'Testgroup', administerFullVaccineGroup: false, antigens: ['Testitis'] },
      { name: 'Othergroup', administerFullVaccineGroup: false, antigens: ['Otheritis'] },
    ],
    cvx: {
      '901': { name: 'Test vaccine', antigens: [{ antigen: 'Testitis' }] },
      '902': { name: 'Test vaccine, allowable', antigens: [{ antigen: 'Testitis' }] },
      '903': { name: 'Test vaccine, adult formulation', antigens: [{ antigen: 'Testitis' }] },
      '904': { name: 'Test vaccine, live', antigens: [{ antigen: 'Testitis' }] },
      '905': { name: 'Other vaccine, live', antigens: [{ antigen: 'Otheritis' }] },
      '906': { name: 'Unrelated vaccine', antigens: [{ antigen: 'Otheritis' }] },
      '907': { name: 'Test vaccine, withdrawn', antigens: [{ antigen: 'Testitis' }] },
    },
    liveVirusConflicts: [{ previousCvx: '905', currentCvx: '904', begin: '1 day', minEnd: '24 days', end: '28 days' }],
    observations: {
      '500': { title: 'Lab evidence of immunity to Testitis' },
      '600': { title: 'Severe allergic reaction to Testitis vaccine' },
      '601': { title: 'Immunocompromised' },
      '055': { title: 'Health care personnel' },
    },
  };
}
