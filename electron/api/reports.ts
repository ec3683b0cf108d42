import { z } from 'zod';
import { isoDate } from '../domain/common';
import type { Role } from '../domain/user';
import type { MethodSpec } from '../api';
import type { ClinicianReport, ComplianceReport, DosesGivenReport, LotUsageReport } from '../store/reports';

// The clinic reports: what a VFC doses-administered report needs, whether doses reached MIIS
// within the 72 hours 105 CMR 222 allows, lot usage and who gave what. Each takes a date range
// (clinic calendar days, both ends included) and is counted by the store (store/reports.ts).

export type { ClinicianReport, ComplianceReport, DosesGivenReport, LotUsageReport };

const CLINICAL = ['administrator', 'clinician'] as const satisfies readonly Role[];
/** A year and a little: a report over more is a different question (and a slower one). */
export const MAX_REPORT_DAYS = 400;

export const reportRangeSchema = z
  .strictObject({ from: isoDate, to: isoDate })
  .refine((r) => r.from <= r.to, { message: 'The start date must be on or before the end date.', path: ['from'] })
  .refine((r) => (Date.parse(r.to) - Date.parse(r.from)) / 86_400_000 <= MAX_REPORT_DAYS, {
    message: `Choose a range of at most ${MAX_REPORT_DAYS} days.`,
    path: ['to'],
  });

const custom = <T>() => z.custom<T>((v) => typeof v === 'object' && v !== null);
const spec = <I extends z.ZodType, O extends z.ZodType>(s: MethodSpec<I, O>): MethodSpec<I, O> => s;

export const reportsContract = {
  'reports.dosesGiven': spec({ input: reportRangeSchema, output: custom<DosesGivenReport>(), access: CLINICAL }),
  /** Names the patients whose doses were late: an audited read of patient data. */
  'reports.compliance': spec({ input: reportRangeSchema, output: custom<ComplianceReport>(), access: CLINICAL, phi: true }),
  'reports.lotUsage': spec({ input: reportRangeSchema, output: custom<LotUsageReport>(), access: CLINICAL }),
  'reports.byClinician': spec({ input: reportRangeSchema, output: custom<ClinicianReport>(), access: CLINICAL }),
};
