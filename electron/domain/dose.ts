import { z } from 'zod';
import { isoDate } from './common';
import { lotNumberField, ndcField } from './product-fields';
import { optionalTextField } from './text';

// An administered, historical or refused dose, as the dose form records it and as the HL7
// RXA/RXR/OBX group reports it. The rules that need other records (the patient's DOB, the
// lot's expiry, the code tables, today's date) live in dose-rules.ts.

/** New administration, a record copied from elsewhere, or a documented refusal. */
export const DOSE_KINDS = ['administered', 'historical', 'refusal'] as const;
export const doseKind = z.enum(DOSE_KINDS);
export type DoseKind = z.infer<typeof doseKind>;

/** HL7 0322 completion status (RXA-20). */
export const COMPLETION_STATUS = ['CP', 'RE', 'NA', 'PA'] as const;

export const visGivenSchema = z.object({
  /** GS1 fully encoded VIS string (OBX 69764-9) when the VIS is identified by its barcode. */
  encodedString: z.string().trim().regex(/^\d{24}$/, { message: 'A VIS barcode string has 24 digits.' }).optional(),
  /** VIS document type, e.g. `Hepatitis B VIS` (for 29768-9 when no barcode string is known). */
  documentType: optionalTextField({ what: 'VIS document', max: 120, kind: 'line' }),
  editionDate: isoDate,
  presentedOn: isoDate,
});
export type VisGiven = z.infer<typeof visGivenSchema>;

const code = (what: string, max = 10) =>
  z.string({ message: `${what} is required.` }).trim().min(1, { message: `${what} is required.` }).max(max, { message: `${what} code is too long.` });

export const doseInputSchema = z.object({
  patientId: z.string().min(1),
  kind: doseKind.default('administered'),
  cvx: code('Vaccine (CVX)', 4).regex(/^\d{1,3}$/, { message: 'CVX codes are 1–3 digits.' }),
  ndc: ndcField.optional(),
  mvx: code('Manufacturer (MVX)', 4).optional(),
  lotId: z.string().min(1).optional(),
  lotNumber: lotNumberField().optional(),
  expirationDate: isoDate.optional(),
  administeredOn: isoDate,
  /** Time of day (HH:MM, clinic local time) when known; sharpens the 72-hour reporting clock. */
  administeredTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'Use 24-hour time, e.g. 14:05.' }).optional(),
  amountMl: z.number({ message: 'Amount must be a number of millilitres.' }).optional(),
  route: code('Route', 10).optional(),
  site: code('Body site', 6).optional(),
  administeringClinicianId: z.string().min(1).optional(),
  orderingClinicianId: z.string().min(1).optional(),
  facilityId: z.string().min(1).optional(),
  /** HL7 0064 VFC eligibility for this dose (V01–V07). */
  vfcEligibility: code('VFC eligibility', 6).optional(),
  /** CDCPHINVS funding source (VXC50, VXC51, VXC52, PHC70, …). */
  fundingSource: code('Funding source', 6).optional(),
  vis: z.array(visGivenSchema).max(4).default([]),
  completionStatus: z.enum(COMPLETION_STATUS).default('CP'),
  /** NIP002 refusal reason, for kind `refusal`. */
  refusalReason: code('Refusal reason', 2).optional(),
  /** NIP001 information source (01–08) for a historical record. */
  historicalSource: code('Source of the record', 2).optional(),
  notes: optionalTextField({ what: 'Notes', max: 2000, kind: 'notes' }),
});
export type DoseInput = z.input<typeof doseInputSchema>;
export type DoseFields = z.output<typeof doseInputSchema>;

/** Where a dose stands with the registry, as the chart shows it. */
export const REPORTING_STATES = ['waiting', 'sending', 'accepted', 'warning', 'rejected', 'not_reported', 'cancelled'] as const;
export type ReportingState = (typeof REPORTING_STATES)[number];

export interface Dose extends DoseFields {
  /** Stable id: sent as ORC-3 so updates and deletes refer to the same registry record. */
  id: string;
  recordedAt: string;
  recordedBy: string;
  updatedAt: string;
  deletedAt?: string;
  version: number;
}
