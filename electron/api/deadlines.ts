import { z } from 'zod';
import type { MethodSpec } from '../api';

// Doses whose legal reporting deadline (105 CMR 222.100: 72 hours, 24 for a newborn's birth
// dose) is near or past, named so a person can open each one. Shows patient names, so each
// call is an audited read, made when a person asks (the status bar only counts).

export const atRiskDoseSchema = z.object({
  seq: z.number(),
  doseId: z.string(),
  patientId: z.string(),
  patientName: z.string().optional(),
  /** CVX of the dose, and its date, to tell one dose of the patient from another. */
  cvx: z.string().optional(),
  administeredOn: z.string().optional(),
  /** `waiting`: not yet accepted, nothing for a person to fix; `rejected`: needs a fix. */
  state: z.enum(['waiting', 'rejected']),
  deadlineAt: z.string(),
});
export type AtRiskDose = z.infer<typeof atRiskDoseSchema>;

export const atRiskPageSchema = z.object({
  items: z.array(atRiskDoseSchema),
  /** Doses at risk in all (the list stops at `limit`). */
  total: z.number(),
  /** Who to call about the registry (the `registry.helpDesk` setting). */
  helpDesk: z.string(),
});
export type AtRiskPage = z.infer<typeof atRiskPageSchema>;

export const deadlinesContract = {
  /** Doses not yet accepted whose deadline is within `withinHours` (default 24) or past, nearest first. */
  'sync.deadlines': {
    input: z.strictObject({
      withinHours: z.number().int().min(0).max(168).optional(),
      limit: z.number().int().min(1).max(200).optional(),
    }),
    output: atRiskPageSchema,
    access: 'signed_in',
    phi: true,
  },
} as const satisfies Record<string, MethodSpec>;
