import { parseVisBarcode, visEncodedString } from '../../../../electron/domain/barcode/vis';
import { currentVisForCvx } from '../../../../electron/domain/codes/index';

describe('parseVisBarcode', () => {
  it('reads a VIS barcode in raw, prefixed and parenthesised form', () => {
    for (const input of ['253088698300010311250131', ']d2253088698300010311250131\r\n', '(253)0886983000103(11)250131']) {
      const result = parseVisBarcode(input);
      expect(result.ok, input).toBe(true);
      if (result.ok) expect(result.edition).toMatchObject({ editionDate: '2025-01-31', encodedString: '253088698300010311250131' });
    }
  });

  it('reads every current VIS edition of MMR from its own string', () => {
    for (const e of currentVisForCvx('03')) {
      const result = parseVisBarcode(e.encodedString);
      expect(result).toEqual({ ok: true, edition: e });
    }
  });

  it('explains what is wrong with anything else', () => {
    const notVis = parseVisBarcode('01003492815210031726123110AB');
    expect(notVis.ok ? '' : notVis.error).toMatch(/not a VIS barcode/);
    const badCheck = parseVisBarcode('253088698300010411250131');
    expect(badCheck.ok ? '' : badCheck.error).toMatch(/misread/);
    const unknown = parseVisBarcode('253088698300010311990101');
    expect(unknown.ok ? '' : unknown.error).toMatch(/not in the CDC VIS table/);
    expect(visEncodedString('25308869830001031125013')).toBeUndefined();
  });
});
