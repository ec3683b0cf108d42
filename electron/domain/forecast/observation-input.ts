// What the nurse enters for one of a patient's CDSi observations, validated the same way in the
// form, at the API boundary and in the store. No Node, no catalogue: the renderer imports it.
import { z } from 'zod';
import { isoDate, optionalText } from '../common';

export const observationInputSchema = z
  .strictObject({
    /** CDSi observation code, three digits ("160"); a shorter one is padded ("42" → "042"). */
    code: z
      .string()
      .trim()
      .regex(/^\d{1,3}$/, { message: 'Choose a condition from the list.' })
      .transform((c) => c.padStart(3, '0')),
    /** The day it began (diagnosis, transplant, start of therapy, onset of pregnancy). */
    startDate: isoDate.optional(),
    /** The day it stopped applying (a pregnancy ended); absent while it still applies. */
    endDate: isoDate.optional(),
    note: optionalText(200, 'The note'),
  })
  .refine((o) => !o.startDate || !o.endDate || o.endDate >= o.startDate, {
    path: ['endDate'],
    message: 'The end date is before the start date.',
    params: { code: 'end_before_start' },
  });

export type ObservationInput = z.input<typeof observationInputSchema>;
export type ObservationFields = z.output<typeof observationInputSchema>;

export type ObservationSource = 'chart' | 'registry';

/** One observation on a patient's chart. */
export interface PatientObservation {
  id: string;
  patientId: string;
  code: string;
  /** CDSi's title, for the chart. */
  title: string;
  startDate?: string;
  endDate?: string;
  note?: string;
  source: ObservationSource;
  recordedBy?: string;
  recordedAt: string;
  updatedAt: string;
  version: number;
}

/** Whether an observation applies on a day (started by then, not yet ended). */
export function inForceOn(o: { startDate?: string; endDate?: string }, day: string): boolean {
  return (!o.startDate || o.startDate <= day) && (!o.endDate || o.endDate >= day);
}
