import { z } from 'zod';
import { observationInputSchema, type PatientObservation } from '../domain/forecast/observation-input';
import type { Role } from '../domain/user';
import type { MethodSpec } from '../api';

// Conditions on the chart: a patient's CDSi observations (indications such as asplenia or
// dialysis, contraindications such as anaphylaxis to a previous dose or pregnancy, evidence of
// immunity), which the forecast and the recall list read. Codes and titles are CDSi's
// (ScheduleSupportingData.xml), searched in the catalogue shipped with the app.

export type { PatientObservation };

const id = z.string().trim().min(1, { message: 'An id is required.' }).max(100);
const CLINICAL = ['administrator', 'clinician'] as const satisfies readonly Role[];

/** One entry of the condition picker: CDSi's code and texts, and what it does in the forecast. */
export const observationOptionSchema = z.object({
  code: z.string(),
  title: z.string(),
  indication: z.string().optional(),
  contraindication: z.string().optional(),
  clarifying: z.string().optional(),
  /** Vaccine groups it opens a risk series for / contraindicates / is evidence of immunity for. */
  indicationFor: z.array(z.string()),
  contraindicates: z.array(z.string()),
  immunityFor: z.array(z.string()),
  /** The schedule counts from its date (transplant, start of therapy, onset of pregnancy). */
  needsDate: z.boolean(),
});
export type ObservationOption = z.infer<typeof observationOptionSchema>;

const patientObservationSchema = z.custom<PatientObservation>((v) => typeof v === 'object' && v !== null);

const spec = <I extends z.ZodType, O extends z.ZodType>(s: MethodSpec<I, O>): MethodSpec<I, O> => s;

export const conditionsContract = {
  /** The CDSi observations matching a code or words; empty text lists the ones that change a forecast. */
  'conditions.search': spec({
    input: z.strictObject({ text: z.string().trim().max(80), limit: z.number().int().min(1).max(100).optional() }),
    output: z.array(observationOptionSchema),
    access: 'signed_in',
  }),
  'conditions.listForPatient': spec({ input: z.strictObject({ patientId: id }), output: z.array(patientObservationSchema), access: 'signed_in', phi: true }),
  'conditions.record': spec({
    input: z.strictObject({ patientId: id, observation: observationInputSchema }),
    output: patientObservationSchema,
    access: CLINICAL,
    phi: true,
  }),
  /** New dates or note (a pregnancy has ended); `expectedVersion` guards against two editors. */
  'conditions.update': spec({
    input: z.strictObject({ id, observation: observationInputSchema, expectedVersion: z.number().int().min(0) }),
    output: patientObservationSchema,
    access: CLINICAL,
    phi: true,
  }),
  /** Entered in error: leaves the chart and the forecast; needs a reason for the audit trail. */
  'conditions.remove': spec({
    input: z.strictObject({ id, reason: z.string().trim().min(3, { message: 'Say why this condition is being removed.' }).max(500) }),
    output: patientObservationSchema,
    access: CLINICAL,
    phi: true,
  }),
} as const;
