import { describe, expect, it } from 'vitest';
import { issuesFromZod } from '../../../electron/domain/errors';
import { lotInputSchema, type LotInput } from '../../../electron/domain/lot';

// A lot received into inventory is held to the rules of the doses drawn from it: every dose
// reports its lot number and NDC.

const aLot = (over: Partial<LotInput> = {}): LotInput => ({ lotNumber: 'AB123', cvx: '08', mvx: 'SKB', ndc: '58160-0820-52', expirationDate: '2027-03-31', dosesOnHand: 10, ...over });

function codes(input: LotInput): string[] {
  const r = lotInputSchema.safeParse(input);
  return r.success ? [] : issuesFromZod(r.error, 'lot').map((i) => `${i.path} ${i.code}`);
}

describe('lot input', () => {
  it('accepts a lot whose NDC is a package of its vaccine', () => {
    expect(codes(aLot())).toEqual([]);
    expect(codes(aLot({ cvx: '44', ndc: '58160-821-01' }))).toEqual([]);
  });

  it('refuses an NDC of another vaccine and a malformed NDC', () => {
    expect(codes(aLot({ cvx: '03' }))).toEqual(['lot.ndc lot.ndc_cvx_mismatch']);
    expect(codes(aLot({ ndc: '1234-123-1' }))).toEqual(['lot.ndc lot.ndc_malformed']);
  });

  it('accepts an NDC CDC has not listed (the dose form warns about it)', () => {
    expect(codes(aLot({ ndc: '12345-6789-01' }))).toEqual([]);
  });

  it.each([
    ['NUL', 'AB\u0000', 'lot.text_control_character'],
    ['emoji', 'AB😀', 'lot.text_emoji'],
    ['too long for RXA-15', 'A'.repeat(21), 'lot.too_big'],
  ])('refuses a lot number with %s', (_what, lotNumber, code) => {
    expect(codes(aLot({ lotNumber }))).toEqual([`lot.lotNumber ${code}`]);
  });
});
