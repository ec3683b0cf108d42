import { z } from 'zod';
import { requiredText } from './common';
import { addressSchema } from './patient';

// The clinic or pharmacy this installation reports for. MIIS knows it by its Vaccine PIN
// (MSH-4) and facility ID; its address is the administering location (RXA-11) that
// 105 CMR 222.100 asks for with every new dose.

export const siteSchema = z.object({
  name: requiredText(120, 'Site name'),
  vaccinePin: z.string().trim().regex(/^[A-Za-z0-9-]{1,20}$/, { message: 'The MIIS Vaccine PIN is the short code MIIS gave the site at onboarding.' }),
  facilityId: z.string().trim().min(1).max(30),
  address: addressSchema,
  phone: z.string().trim().optional(),
});
export type Site = z.infer<typeof siteSchema>;
