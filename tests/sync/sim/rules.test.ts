import { sampleVxu } from '../../../sync/sim';
import { dropSegment, setField, SimHarness } from './helpers';

let h: SimHarness;
afterEach(async () => h?.stop());

const vxu = (id = 'C1', dose = 'D1') => sampleVxu({ controlId: id, doseId: dose });

describe('simulator rules: AA, AE with ERR, AR', () => {
  beforeEach(async () => {
    h = await SimHarness.start();
  });

  it('accepts a complete new administration with AA and no ERR', async () => {
    const ack = await h.send(vxu());
    expect(ack).toMatchObject({ code: 'AA', errs: [] });
    expect(h.sim.accepted()).toMatchObject([{ fillerOrderId: 'D1', cvx: '140', lot: 'LOT123', mvx: 'SKB', administeredAt: '20251015', controlId: 'C1' }]);
  });

  it.each([
    ['RXA-15 lot', (m: string) => setField(m, 'RXA', 15, ''), 'RXA^1^15|101|E'],
    ['RXA-17 manufacturer', (m: string) => setField(m, 'RXA', 17, ''), 'RXA^1^17|101|E'],
    ['RXA-21 action code', (m: string) => setField(m, 'RXA', 21, ''), 'RXA^1^21|101|E'],
    ['RXA-5 vaccine code', (m: string) => setField(m, 'RXA', 5, ''), 'RXA^1^5|101|E'],
    ['unknown CVX', (m: string) => setField(m, 'RXA', 5, '9876^Nothing^CVX'), 'RXA^1^5|103|E'],
    ['RXA-3 before the date of birth', (m: string) => setField(m, 'RXA', 3, '20140101'), 'RXA^1^3|102|E'],
    ['RXA-3 in the future', (m: string) => setField(m, 'RXA', 3, '20251225'), 'RXA^1^3|102|E'],
    ['RXA-3 not a date', (m: string) => setField(m, 'RXA', 3, '20251340'), 'RXA^1^3|102|E'],
    ['ORC-3 dose id', (m: string) => setField(m, 'ORC', 3, ''), 'ORC^1^3|101|E'],
    ['the 64994-7 eligibility OBX', (m: string) => dropSegment(m, 'OBX'), 'RXA^1|101|E'],
  ])('rejects the dose when %s is missing or wrong (AE, not stored)', async (_name, edit, err) => {
    const ack = await h.send(edit(vxu()));
    expect(ack.code).toBe('AE');
    expect(ack.errs.map((e) => e.split('|').slice(0, 3).join('|'))).toContain(err);
    expect(ack.errs.every((e) => (e.split('|')[3] ?? '').length > 10)).toBe(true);
    expect(h.sim.accepted()).toEqual([]);
  });

  it('accepts a vaccinator known by name only (no NPI), and warns when RXA-10 names nobody', async () => {
    const byName = await h.send(setField(vxu('C7', 'D7'), 'RXA', 10, '^Nurse^Nancy^^^^^^^^^^^^^^^^^^^RN'));
    expect(byName).toMatchObject({ code: 'AA', errs: [] });
    const nobody = await h.send(setField(vxu('C8', 'D8'), 'RXA', 10, ''));
    expect(nobody.errs.map((e) => e.split('|').slice(0, 3).join('|'))).toContain('RXA^1^10|101|W');
  });

  it.each([
    ['PID-3 identifier', (m: string) => setField(m, 'PID', 3, ''), 'PID^1^3|101|E'],
    ['PID-5 name', (m: string) => setField(m, 'PID', 5, ''), 'PID^1^5|101|E'],
    ['PID-7 date of birth', (m: string) => setField(m, 'PID', 7, ''), 'PID^1^7|101|E'],
    ['a future date of birth', (m: string) => setField(m, 'PID', 7, '20300101'), 'PID^1^7|102|E'],
    ['the PID segment', (m: string) => dropSegment(m, 'PID'), 'PID|100|E'],
    ['MSH-10 control id', (m: string) => setField(m, 'MSH', 10, ''), 'MSH^1^10|101|E'],
    ['the MSH-21 Z22 profile', (m: string) => setField(m, 'MSH', 21, ''), 'MSH^1^21|101|E'],
  ])('rejects the whole message when %s is missing or wrong (AE)', async (_name, edit, err) => {
    const ack = await h.send(edit(vxu()));
    expect(ack.code).toBe('AE');
    expect(ack.errs.map((e) => e.split('|').slice(0, 3).join('|'))).toContain(err);
    expect(h.sim.accepted()).toEqual([]);
  });

  it.each([
    ['version 2.3.1', (m: string) => setField(m, 'MSH', 12, '2.3.1'), 'MSH^1^12|203|E'],
    ['message type ADT', (m: string) => setField(m, 'MSH', 9, 'ADT^A04^ADT_A01'), 'MSH^1^9|200|E'],
    ['event V05', (m: string) => setField(m, 'MSH', 9, 'VXU^V05^VXU_V04'), 'MSH^1^9|201|E'],
    ['processing id X', (m: string) => setField(m, 'MSH', 11, 'X'), 'MSH^1^11|202|E'],
  ])('answers AR for %s', async (_name, edit, err) => {
    const ack = await h.send(edit(vxu()));
    expect(ack.code).toBe('AR');
    expect(ack.errs.map((e) => e.split('|').slice(0, 3).join('|'))).toEqual([err]);
    expect(h.sim.stats.acks.AR).toBe(1);
  });

  it('answers AR with the control id when the text is not HL7', async () => {
    const ack = await h.send('MSH|^~\\&|A|B|||20251015||VXU^V04^VXU_V04|Q9|P|2.5.1\rthis is not a segment\r');
    expect(ack.code).toBe('AR');
    expect(ack.text).toContain('MSA|AR|Q9');
  });

  it('keeps a dose with warnings and reports them with ERR-4 W (AE by default)', async () => {
    const ack = await h.send(setField(vxu(), 'PID', 8, ''));
    expect(ack.code).toBe('AE');
    expect(ack.errs).toEqual([expect.stringMatching(/^PID\^1\^8\|101\|W\|/)]);
    expect(h.sim.accepted()).toHaveLength(1);
  });

  it('drops only the bad dose of a two-dose message', async () => {
    const first = vxu('C2', 'GOOD');
    const second = setField(vxu('C2', 'BAD').split('\r').slice(2).join('\r'), 'RXA', 15, '');
    const ack = await h.send(first + second);
    expect(ack.code).toBe('AE');
    expect(ack.errs.map((e) => e.split('|')[0])).toEqual(['RXA^2^15']);
    expect(h.sim.accepted().map((d) => d.fillerOrderId)).toEqual(['GOOD']);
  });

  it('answers MessageTooLargeFault for two messages in one call', async () => {
    const out = await h.transport.submit(vxu('C1', 'D1') + vxu('C2', 'D2'));
    expect(out).toMatchObject({ kind: 'needs_person', code: 'message_too_large' });
    expect(h.sim.accepted()).toEqual([]);
  });
});

describe('simulator options and quirks', () => {
  it('answers AA with warning ERRs when configured so', async () => {
    h = await SimHarness.start({ warningsAs: 'AA' });
    const ack = await h.send(setField(vxu(), 'PID', 8, ''));
    expect(ack.code).toBe('AA');
    expect(ack.errs).toHaveLength(1);
  });

  it('medlar: reports only E-severity ERR segments', async () => {
    h = await SimHarness.start({ quirks: ['medlar'] });
    expect(await h.send(setField(vxu(), 'PID', 8, ''))).toMatchObject({ code: 'AA', errs: [] });
  });

  it('melon: damages MSH-9 of the ACK, which still arrives', async () => {
    h = await SimHarness.start({ quirks: ['melon'] });
    const ack = await h.send(vxu());
    expect(ack.text.split('\r')[0]).toContain('||ZZZ|');
    expect(ack.code).toBe('AA');
  });

  it('clementine: accepts a dose dated before birth; cantaloupe: accepts future dates', async () => {
    h = await SimHarness.start({ quirks: ['clementine', 'cantaloupe'] });
    expect((await h.send(setField(vxu('C1', 'D1'), 'RXA', 3, '20140101'))).code).toBe('AA');
    expect((await h.send(setField(vxu('C2', 'D2'), 'RXA', 3, '20300101'))).code).toBe('AA');
  });

  it('spruce and blackberry: RXR and the patient address become required', async () => {
    h = await SimHarness.start({ quirks: ['spruce', 'blackberry'] });
    expect((await h.send(dropSegment(vxu('C1', 'D1'), 'RXR'))).errs).toEqual([expect.stringMatching(/^RXR\|100\|E\|/)]);
    expect((await h.send(setField(vxu('C2', 'D2'), 'PID', 11, ''))).errs).toEqual([expect.stringMatching(/^PID\^1\^11\|101\|E\|/)]);
    expect(h.sim.accepted()).toEqual([]);
  });

  it('fig: rejects race codes outside CDCREC', async () => {
    h = await SimHarness.start({ quirks: ['fig'] });
    expect((await h.send(setField(vxu(), 'PID', 10, 'W^White^HL70005'))).errs).toEqual([expect.stringMatching(/^PID\^1\^10\|103\|E\|/)]);
    expect((await h.send(setField(vxu('C2', 'D2'), 'PID', 22, 'ASKU^Asked but unknown^NULLFL'))).errs).toEqual([expect.stringMatching(/^PID\^1\^22\|103\|E\|/)]);
  });

  it('fig: accepts race and ethnicity left empty, as the guide allows for a patient who declined (RE)', async () => {
    h = await SimHarness.start({ quirks: ['fig'] });
    const ack = await h.send(setField(setField(vxu(), 'PID', 10, ''), 'PID', 22, ''));
    expect(ack).toMatchObject({ code: 'AA', errs: [] });
    expect(h.sim.accepted()).toHaveLength(1);
  });

  it('cranberry: an update of an unknown dose is rejected (otherwise it is taken as an add)', async () => {
    h = await SimHarness.start({ quirks: ['cranberry'] });
    expect((await h.send(setField(vxu('C1', 'NEW'), 'RXA', 21, 'U'))).code).toBe('AE');
    h.sim.setQuirks([]);
    expect((await h.send(setField(vxu('C2', 'NEW'), 'RXA', 21, 'U'))).code).toBe('AA');
    expect(h.sim.stats).toMatchObject({ held: 1, unknownKeys: 1 });
  });
});
