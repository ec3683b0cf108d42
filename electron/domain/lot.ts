import { z } from 'zod';
import { normalizeCvxCode } from './codes/internal';
import { checkNdc } from './codes/ndc';
import { isoDate } from './common';
import { lotNumberField, ndcField } from './product-fields';

// A vaccine lot in the clinic's fridge. Picking it on the dose form fills manufacturer,
// expiry, NDC and funding; recording a dose takes one from `dosesOnHand`.

export const lotInputSchema = z
  .object({
    lotNumber: lotNumberField(),
    cvx: z.string().trim().regex(/^\d{1,3}$/, { message: 'Choose the vaccine (CVX) this lot contains.' }),
    mvx: z.string().trim().min(1, { message: 'Manufacturer (MVX) is required.' }).max(4),
    ndc: ndcField.optional(),
    expirationDate: isoDate,
    dosesOnHand: z.number().int({ message: 'Doses on hand is a whole number.' }).min(0, { message: 'Doses on hand cannot be negative.' }).max(100_000),
    /** CDCPHINVS funding source of this stock (VXC50 public, PHC70 private, …). */
    fundingSource: z.string().trim().min(1).max(6).optional(),
    /** Default dose volume in mL for this product (e.g. 0.5). */
    doseVolumeMl: z.number().positive().max(3).optional(),
    receivedOn: isoDate.optional(),
    lowStockThreshold: z.number().int().min(0).max(10_000).default(5),
  })
  // Every dose drawn from the lot reports its NDC: a package of another vaccine would mislabel them all.
  .superRefine((lot, ctx) => {
    if (!lot.ndc) return;
    const check = checkNdc(lot.ndc, normalizeCvxCode(lot.cvx));
    if (check.kind === 'cvx_mismatch') {
      const { product } = check;
      ctx.addIssue({
        code: 'custom',
        path: ['ndc'],
        message: `NDC ${lot.ndc} is ${product.proprietaryName} (CVX ${product.cvxOptions.join(' or ')}), not CVX ${lot.cvx}. Check the vaccine or the NDC on the box.`,
        params: { code: 'ndc_cvx_mismatch' },
      });
    }
  });
export type LotInput = z.input<typeof lotInputSchema>;
export type LotFields = z.output<typeof lotInputSchema>;

export interface Lot extends LotFields {
  id: string;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

export function isLotExpiredOn(lot: Pick<LotFields, 'expirationDate'>, date: string): boolean {
  return lot.expirationDate < date;
}
