import fc from 'fast-check';
import ndcTable from '../../../../assets/code-tables/ndc.json';
import { parseGs1, type Gs1Result, type Gs1Scan } from '../../../../electron/domain/barcode/gs1';
import { gs1CheckDigit, isGtin14, ndc10DigitsFromGtin } from '../../../../electron/domain/barcode/gtin';

const GS = '\u001d';
const opts = { referenceYear: 2026 };

function ok(result: Gs1Result): Gs1Scan {
  if (!result.ok) throw new Error(`expected a successful scan, got: ${result.error}`);
  return result;
}

function fail(result: Gs1Result): string {
  if (result.ok) throw new Error(`expected a failed scan, got GTIN ${result.gtin}`);
  return result.error;
}

const vials = ndcTable.rows.filter((r) => r.unitOfUse && r.gtin !== null);

describe('GTIN arithmetic', () => {
  it('computes GS1 check digits', () => {
    expect(gs1CheckDigit('0034928152100')).toBe(3);
    expect(gs1CheckDigit('0034928158905')).toBe(8);
    expect(isGtin14('00349281521003')).toBe(true);
    expect(isGtin14('00349281521004')).toBe(false);
    expect(isGtin14('0034928152100')).toBe(false);
    expect(isGtin14('0034928152100a')).toBe(false);
  });

  it('every GTIN in CDC table passes its check digit', () => {
    expect(vials.length).toBeGreaterThan(100);
    for (const r of ndcTable.rows) if (r.gtin) expect(isGtin14(r.gtin), r.gtin).toBe(true);
  });

  it('extracts the NDC digits of a US drug GTIN only', () => {
    expect(ndc10DigitsFromGtin('00349281521003')).toBe('4928152100');
    expect(ndc10DigitsFromGtin('10358160821018')).toBe('5816082101');
    expect(ndc10DigitsFromGtin('04006381333931')).toBeUndefined();
    expect(ndc10DigitsFromGtin('123')).toBeUndefined();
  });
});

describe('parseGs1: real vials', () => {
  it('reads the CDC example DataMatrix (GTIN, expiry, lot)', () => {
    const scan = ok(parseGs1('01003492815890581713102810U4275AA', opts));
    expect(scan).toMatchObject({ gtin: '00349281589058', expiration: '2013-10-28', lot: 'U4275AA', ndc: '49281-0589-05', cvx: '114', mvx: 'PMC' });
    expect(scan.warnings).toEqual([]);
  });

  it('reads several vials from the NDC table, with and without the ]d2 prefix', () => {
    const sample = vials.filter((_, i) => i % 25 === 0);
    expect(sample.length).toBeGreaterThan(5);
    for (const vial of sample) {
      for (const prefix of ['', ']d2']) {
        const scan = ok(parseGs1(`${prefix}01${vial.gtin}17270331` + `10LOT${vial.ndc11.slice(0, 5)}${GS}21SN1`, opts));
        expect(scan.gtin).toBe(vial.gtin);
        expect(scan.ndc).toBe(vial.ndc11);
        expect(scan.cvx).toBe(vial.cvx[0]);
        expect(scan.cvxOptions).toEqual(vial.cvx);
        expect(scan.lot).toBe(`LOT${vial.ndc11.slice(0, 5)}`);
        expect(scan.serial).toBe('SN1');
        expect(scan.expiration).toBe('2027-03-31');
      }
    }
  });

  it('warns when one NDC carries two CVX (Engerix-B) and gives both', () => {
    const scan = ok(parseGs1(`011035816082101817280100` + `10AB123`, opts));
    expect(scan.cvxOptions).toEqual(['43', '44']);
    expect(scan.warnings.join(' ')).toMatch(/more than one vaccine code/);
  });

  it('reads the GTIN CDC published with 13 digits (Nuvaxovid) as 14', () => {
    expect(ok(parseGs1('0100380631207017172609301012345', opts))).toMatchObject({ ndc: '80631-0207-01', cvx: '313', mvx: 'NVX' });
  });
});

describe('parseGs1: encodings', () => {
  const gtin = '00349281521003';

  it('accepts every common form of the group separator', () => {
    for (const sep of [GS, '<GS>', '<gs>', '^]', '{GS}', '[GS]', '\u241d']) {
      const scan = ok(parseGs1(`01${gtin}10AB12${sep}17261231`, opts));
      expect(scan, JSON.stringify(sep)).toMatchObject({ lot: 'AB12', expiration: '2026-12-31', ndc: '49281-0521-00' });
    }
  });

  it('accepts the parenthesised human-readable form, with spaces', () => {
    expect(ok(parseGs1(`(01)${gtin}(17)261231(10)AB12`, opts))).toMatchObject({ gtin, lot: 'AB12', expiration: '2026-12-31' });
    expect(ok(parseGs1(`(01) ${gtin} (10) AB12 (21) 99`, opts))).toMatchObject({ lot: 'AB12', serial: '99' });
  });

  it('ignores a leading FNC1, trailing separator and the Enter a wedge scanner adds', () => {
    expect(ok(parseGs1(`${GS}01${gtin}10AB12${GS}\r\n`, opts)).lot).toBe('AB12');
    expect(ok(parseGs1(`]d2${GS}01${gtin}10AB12\n`, opts)).lot).toBe('AB12');
  });

  it('accepts a bare GTIN-14 and a 12-digit UPC-A of an NDC', () => {
    expect(ok(parseGs1(gtin, opts)).ndc).toBe('49281-0521-00');
    expect(ok(parseGs1(gtin.slice(2), opts)).ndc).toBe('49281-0521-00');
  });

  it('reads the production date and resolves day 00 to the last day of the month', () => {
    const scan = ok(parseGs1(`01${gtin}11250115` + '17280200' + '10X1', opts));
    expect(scan.productionDate).toBe('2025-01-15');
    expect(scan.expiration).toBe('2028-02-29');
    expect(ok(parseGs1(`01${gtin}17270200`, opts)).expiration).toBe('2027-02-28');
  });

  it('resolves two-digit years around the reference year (GS1 §7.12)', () => {
    expect(ok(parseGs1(`01${gtin}17760101`, { referenceYear: 2026 })).expiration).toBe('2076-01-01');
    expect(ok(parseGs1(`01${gtin}17770101`, { referenceYear: 2026 })).expiration).toBe('1977-01-01');
    expect(ok(parseGs1(`01${gtin}17010101`, { referenceYear: 2098 })).expiration).toBe('2101-01-01');
    expect(ok(parseGs1(`01${gtin}17261231`)).expiration).toMatch(/^\d{4}-12-31$/);
  });

  it('reads any order of AIs, any separator style, any prefix (property)', () => {
    const lotArb = fc.stringMatching(/^[A-Za-z0-9-]{1,20}$/);
    const serialArb = fc.option(fc.stringMatching(/^[A-Za-z0-9]{1,20}$/), { nil: undefined });
    const dateArb = fc.record({ y: fc.integer({ min: 0, max: 75 }), m: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 28 }) });
    const two = (n: number) => String(n).padStart(2, '0');
    fc.assert(
      fc.property(
        fc.constantFrom(...vials),
        lotArb,
        serialArb,
        dateArb,
        fc.constantFrom(GS, '<GS>', '^]'),
        fc.constantFrom('', ']d2'),
        fc.boolean(),
        fc.integer({ min: 0, max: 23 }),
        (vial, lot, serial, date, sep, prefix, humanReadable, orderSeed) => {
          const yymmdd = `${two(date.y)}${two(date.m)}${two(date.d)}`;
          const fields: [string, string][] = [['01', vial.gtin!], ['17', yymmdd], ['10', lot]];
          if (serial !== undefined) fields.push(['21', serial]);
          // Permute deterministically from the seed.
          const order = [...fields];
          for (let i = order.length - 1, s = orderSeed; i > 0; i--, s = Math.floor(s / 2) + 7) {
            const j = s % (i + 1);
            [order[i], order[j]] = [order[j]!, order[i]!];
          }
          const text = humanReadable
            ? order.map(([ai, v]) => `(${ai})${v}`).join('')
            : prefix + order.map(([ai, v], i) => `${ai}${v}${(ai === '10' || ai === '21') && i < order.length - 1 ? sep : ''}`).join('');
          const scan = ok(parseGs1(text, opts));
          expect(scan.gtin).toBe(vial.gtin);
          expect(scan.ndc).toBe(vial.ndc11);
          expect(scan.lot).toBe(lot);
          expect(scan.serial).toBe(serial);
          expect(scan.expiration).toBe(`20${yymmdd.slice(0, 2)}-${yymmdd.slice(2, 4)}-${yymmdd.slice(4, 6)}`);
        },
      ),
      { numRuns: 300, seed: 20261125 },
    );
  });
});

describe('parseGs1: errors a pharmacist can act on', () => {
  const gtin = '00349281521003';

  it('rejects a GTIN with a bad check digit and says which digit was expected', () => {
    expect(fail(parseGs1('01003492815210041726120010X', opts))).toMatch(/00349281521004 fails its check digit \(last digit should be 3\)/);
  });

  it('reports truncated input', () => {
    expect(fail(parseGs1('0100349281521', opts))).toMatch(/cut off in the product number/);
    expect(fail(parseGs1(`01${gtin}1726`, opts))).toMatch(/cut off in the expiry date/);
    expect(fail(parseGs1(`01${gtin}17${GS}261231`, opts))).toMatch(/cut off in the expiry date/);
    expect(fail(parseGs1(`(01)${gtin}(17)2612`, opts))).toMatch(/cut off in the expiry date/);
    expect(fail(parseGs1(`01${gtin}10`, opts))).toMatch(/lot number \(AI 10\) is empty/);
  });

  it('spots a scanner that drops the separator after the lot', () => {
    expect(fail(parseGs1(`01${gtin}10LOT12345678901234567821SERIAL99`, opts))).toMatch(/dropping the separator/);
  });

  it('rejects impossible dates', () => {
    expect(fail(parseGs1(`01${gtin}17261331`, opts))).toMatch(/no valid month/);
    expect(fail(parseGs1(`01${gtin}17270230`, opts))).toMatch(/not a real date/);
    expect(fail(parseGs1(`01${gtin}1726AB31`, opts))).toMatch(/digits only/);
  });

  it('rejects text that is not a vaccine GS1 barcode', () => {
    expect(fail(parseGs1('', opts))).toMatch(/Nothing was scanned/);
    expect(fail(parseGs1(`  ${GS} \n`, opts))).toMatch(/Nothing was scanned/);
    expect(fail(parseGs1('hello world', opts))).toMatch(/not a GS1 barcode/);
    expect(fail(parseGs1('10AB12', opts))).toMatch(/no product number/);
    expect(fail(parseGs1(`01${gtin}8200abc`, opts))).toMatch(/field this app cannot read/);
    expect(fail(parseGs1(`(01)${gtin}(8200)x`, opts))).toMatch(/cannot read \(AI 8200\)/);
    expect(fail(parseGs1(`01${gtin}10A${GS}10B`, opts))).toMatch(/two different values for the lot number/);
    expect(fail(parseGs1(`01${gtin}10A\u0007B`, opts))).toMatch(/characters a GS1 barcode cannot hold/);
  });

  it('scans a valid GTIN that CDC does not list, with a warning instead of a guess', () => {
    const body = '0400638133393';
    const scan = ok(parseGs1(`01${body}${gs1CheckDigit(body)}10AB`, opts));
    expect(scan.ndc).toBeUndefined();
    expect(scan.cvx).toBeUndefined();
    expect(scan.warnings.join(' ')).toMatch(/not in the CDC NDC table/);
    expect(scan.warnings.join(' ')).toMatch(/no expiry date/);
  });
});

describe('parseGs1: look-alike input', () => {
  it('tells the user a VIS barcode belongs in the VIS field', () => {
    expect(fail(parseGs1('253088698300001111200108', opts))).toMatch(/Vaccine Information Statement \(Adenovirus Vaccine VIS, edition 2020-01-08\).*VIS field/);
    expect(fail(parseGs1(']d2253088698300001111200108', opts))).toMatch(/VIS field/);
  });

  it('warns when the expiry seems swallowed by the lot (separator dropped)', () => {
    const scan = ok(parseGs1('010034928152100310ABC17261231', opts));
    expect(scan.lot).toBe('ABC17261231');
    expect(scan.expiration).toBeUndefined();
    expect(scan.warnings.join(' ')).toMatch(/may include the expiry date/);
  });
});
