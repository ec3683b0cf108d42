import { z } from 'zod';
import { checkNdc } from './codes/ndc';
import { FIELD_LIMITS } from './field-limits';
import { requiredTextField } from './text';

// The fields that identify a vaccine package, shared by the inventory lot and the dose, so a lot
// received and a dose recorded from it are held to the same rules.

/** RXA-15: as printed on the vial or box (GS1 AI 10 characters), at most the profile's 20. */
export const lotNumberField = (what = 'Lot number') => requiredTextField({ what, max: FIELD_LIMITS.lotNumber, kind: 'lot' });

function ndcFormatMessage(text: string, digits: number): string {
  if (digits === 10 && /^\d+$/.test(text)) {
    return 'Type the NDC with its hyphens as printed on the package (e.g. 58160-820-52): ten digits without them can be split two ways.';
  }
  return `“${text}” is not an NDC (it has ${digits} digits). An NDC has 10 digits in three groups as printed on the package (e.g. 58160-820-52), or 11 (58160-0820-52).`;
}

/** An NDC in any usual form; whether CDC knows it, and for which vaccine, is a rule (dose-rules). */
export const ndcField = z
  .string()
  .trim()
  .superRefine((value, ctx) => {
    const check = checkNdc(value);
    if (check.kind === 'malformed') ctx.addIssue({ code: 'custom', message: ndcFormatMessage(value, check.digits), params: { code: 'ndc_malformed' } });
  });
