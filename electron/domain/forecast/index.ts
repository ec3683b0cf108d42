// CDC CDSi immunization evaluation and forecast: public API.
export { evaluateAndForecast } from './evaluate-and-forecast';
export { dueSummary, dueVaccinesFirst } from './due-summary';
export type { DueItem, DueSummary, NotDueItem } from './due-summary';
export { buildRecallList, DEFAULT_AGE_BANDS } from './recall';
export type { AgeBand, RecallEntry, RecallList, RecallOptions, RecallPatient } from './recall';
export { defaultSupportingData } from './default-data';
export type * from './types';
export type { CdsiSupportingData } from './supporting-data';
