import { readFileSync } from 'node:fs';
import { buildQbp, parseRsp, type RspResult } from '../../../sync/hl7/query';
import { buildVxu } from '../../../sync/hl7/vxu';
import { Hl7BuildError } from '../../../sync/hl7/vxu';
import { parseMessage } from '../../../sync/hl7/message';
import { checkProfile, loadProfile } from '../../../sync/hl7/profile';
import { localValueSets } from '../../../sync/hl7/value-sets';
import { compareWithMedplum } from './independent';
import { child, config, legacyVis, patient, vxuInput } from './fixtures';

const lines = (...l: string[]): string => l.join('\r') + '\r';
const qbpProfile = loadProfile(readFileSync(new URL('../../../build/sources/nist-profiles/QBP-Z44_Profile.xml', import.meta.url), 'utf8'));

const qbpInput = { patient, messageControlId: 'Q-000001', sentAt: new Date('2025-10-15T14:35:12Z'), config };

function ok(text: string): Extract<RspResult, { ok: true }> {
  const r = parseRsp(text);
  if (!r.ok) throw new Error(`${r.kind}: ${r.message}`);
  return r;
}

describe('buildQbp (Z34)', () => {
  it('writes MSH, QPD and RCP', () => {
    expect(buildQbp({ ...qbpInput, queryTag: 'TAG-1', maxCandidates: 5 }).split('\r')).toEqual([
      'MSH|^~\\&|DoseDesk|10144|MIIS|99990|20251015103512-0400||QBP^Q11^QBP_Q11|Q-000001|P|2.5.1|||ER|AL|||||Z34^CDCPHINVS|Sample Pharmacy^^^^^MIIS^XX^^^10144',
      'QPD|Z34^Request Immunization History^CDCPHINVS|TAG-1|PH-000123^^^10144^MR|Rivera^Ana^Lucia^^^^L|Santos^^^^^^M|19850312|F|12 Elm St^Apt 3^Worcester^MA^01608^USA^H|^PRN^PH^^^508^5551234',
      'RCP|I|5^RD&records&HL70126',
      '',
    ]);
  });

  it('adds the MIIS id, multiple birth and escapes typed names; uses the control id as tag by default', () => {
    const m = parseMessage(buildQbp({ ...qbpInput, patient: child }));
    expect(m.get('QPD', 2)).toBe('Q-000001');
    expect(m.get('QPD', 3, { rep: 2 })).toBe('987633');
    expect(m.get('QPD', 4)).toBe("O'Brien-Smith|Jr^");
    expect([m.get('QPD', 10), m.get('QPD', 11)]).toEqual(['Y', '2']);
    expect(m.get('RCP', 2, { comp: 2, sub: 2 })).toBe('records');
    expect(compareWithMedplum(buildQbp({ ...qbpInput, patient: child })).disagreements).toEqual([]);
  });

  it('conforms to the NIST QBP profile structure and header rules', () => {
    const issues = checkProfile(parseMessage(buildQbp(qbpInput)), qbpProfile, localValueSets);
    // The only NIST QBP profile we have is Z44's; its QPD-1 binding names Z44, ours is Z34.
    expect(issues.filter((i) => !(i.location.startsWith('QPD[1]-1') && i.rule === 'value-set'))).toEqual([]);
  });

  it('refuses a bad birth date with a typed error', () => {
    expect(() => buildQbp({ ...qbpInput, patient: { ...patient, dob: '1985-13-01' } })).toThrow(Hl7BuildError);
  });
});

describe('parseRsp', () => {
  const qpd = 'QPD|Z34^Request Immunization History^CDCPHINVS|37374859|123456^^^MYEHR^MR|Child^Bobbie^Q^^^^L|Que^Suzy^^^^^M|20050512|M|10 East Main St^^Myfaircity^GA^^^L';

  it('Z32: one match with its history (IG example)', () => {
    const r = ok(
      lines(
        'MSH|^~\\&|MYIIS|MyStateIIS|MYEHR|Myclinic|20091130020000-0500||RSP^K11^RSP_K11|7731029|P|2.5.1|||NE|NE|||||Z32^CDCPHINVS|MyStateIIS|Myclinic',
        'MSA|AA|793543',
        'QAK|37374859|OK|Z34^Request Immunization History^CDCPHINVS',
        qpd,
        'PID|1||123456^^^MYEHR^MR~987633^^^MYIIS^SR||Child^Robert^Quenton^^^^L|Que^Suzy^^^^^M|20050512|M|||10 East Main St^^Myfaircity^GA',
        'PD1||||||||||||N|20091130',
        'NK1|1|Child^Suzy^^^^^L|MTH^Mother^HL70063',
        'ORC|RE||142324567^YOUR_EHR|||||||^Shotgiver^Fred||^Orderwriter^Sally^^^^^^^^^^^^^^^^^^MD',
        'RXA|0|1|20050725||03^MMR^CVX|0.5|mL^^UCUM||00^New Immunization Record^NIP001',
        'RXR|SC^^HL70162',
        'ORC|RE||142324568^YOUR_EHR',
        'RXA|0|1|20060801||58160-0820-52^HepB^NDC^08^Hep B Peds^CVX|999|||01^Historical^NIP001||||||LOT1~LOT2|202701|SKB^GSK^MVX|||CP|A',
        'OBX|1|CE|30956-7^vaccine type^LN|1|08^Hep B^CVX||||||F|||20060801',
      ),
    );
    expect(r).toMatchObject({ kind: 'history', code: 'AA', acknowledgedControlId: '793543', queryTag: '37374859', status: 'OK', profile: 'Z32' });
    if (r.kind !== 'history') return;
    expect(r.patient).toMatchObject({
      lastName: 'Child',
      firstName: 'Robert',
      middleName: 'Quenton',
      dob: '2005-05-12',
      sex: 'M',
      mothersMaidenName: 'Que',
      protected: false,
      address: { street1: '10 East Main St', city: 'Myfaircity', state: 'GA', zip: '' },
      guardians: [{ lastName: 'Child', firstName: 'Suzy', relationship: 'MTH' }],
    });
    expect(r.patient.identifiers).toEqual([
      { id: '123456', authority: 'MYEHR', type: 'MR' },
      { id: '987633', authority: 'MYIIS', type: 'SR' },
    ]);
    expect(r.doses).toHaveLength(2);
    expect(r.doses[0]).toMatchObject({ orderId: { id: '142324567', namespace: 'YOUR_EHR' }, administeredOn: '2005-07-25', cvx: '03', cvxText: 'MMR', amount: '0.5', units: 'mL', informationSource: '00', historical: false, route: 'SC' });
    expect(r.doses[1]).toMatchObject({ cvx: '08', ndc: '58160-0820-52', historical: true, lotNumbers: ['LOT1', 'LOT2'], expirationDate: '202701', mvx: 'SKB', completionStatus: 'CP', action: 'A' });
    expect(r.doses[1]!.observations).toEqual([{ valueType: 'CE', code: '30956-7', text: 'vaccine type', subId: '1', value: '08', valueText: 'Hep B', observedOn: '2006-08-01' }]);
  });

  it('Z32 built from our own VXU segments reads back the dose we sent', () => {
    const vxu = parseMessage(buildVxu(vxuInput({ patient: child, dose: legacyVis })));
    const body = vxu.segments.filter((s) => s.name !== 'MSH').map((s) => s.toString());
    const r = ok(lines('MSH|^~\\&|MIIS|99990|DoseDesk|10144|20251015||RSP^K11^RSP_K11|R1|P|2.5.1|||NE|NE|||||Z32^CDCPHINVS', 'MSA|AA|Q-1', 'QAK|Q-1|OK|Z34^Request Immunization History^CDCPHINVS', qpd, ...body));
    if (r.kind !== 'history') throw new Error(r.kind);
    expect(r.patient.lastName).toBe("O'Brien-Smith|Jr^");
    expect(r.patient.protected).toBe(true);
    expect(r.doses).toHaveLength(1);
    expect(r.doses[0]).toMatchObject({ orderId: { id: legacyVis.id, namespace: '10144' }, cvx: '110', lotNumbers: ['xy3939'], mvx: 'SKB', route: 'C28161', site: 'RT', historical: false });
    expect(r.doses[0]!.observations.map((o) => o.code)).toEqual(['64994-7', '30963-3', '30956-7', '29768-9', '29769-7', '69764-9', '29769-7']);
  });

  it('Z31: a list of candidates', () => {
    const r = ok(
      lines(
        'MSH|^~\\&|MYIIS|MyStateIIS|MYEHR||20091130||RSP^K11^RSP_K11|7731030|P|2.5.1|||NE|NE|||||Z31^CDCPHINVS',
        'MSA|AA|793543',
        'QAK|37374859|OK',
        qpd,
        'PID|1||99445566^^^MYStateIIS^SR||Child^Robert^^^^^L||20050512|M',
        'NK1|1|Child^Susan|MTH^Mother^HL70063|^^Myfaircity^GA',
        'PID|2||123456^^^MYStateIIS^SR||Child^Robert^^^^^L||20050512|M',
      ),
    );
    expect(r.kind).toBe('candidates');
    if (r.kind !== 'candidates') return;
    expect(r.candidates.map((c) => [c.identifiers[0]?.id, c.lastName, c.dob, c.guardians.length])).toEqual([
      ['99445566', 'Child', '2005-05-12', 1],
      ['123456', 'Child', '2005-05-12', 0],
    ]);
  });

  it.each([
    ['NF', 'no-match'],
    ['TM', 'too-many'],
    ['PD', 'protected'],
  ])('Z33 with QAK-2 %s is %s', (status, kind) => {
    const r = ok(lines('MSH|^~\\&|MYIIS||||20091130||RSP^K11^RSP_K11|7731029|P|2.5.1|||NE|NE|||||Z33^CDCPHINVS', 'MSA|AA|793543', `QAK|37374859|${status}|Z34^request Immunization history^CDCPHINVS`, qpd));
    expect(r.kind).toBe(kind);
    expect(r.profile).toBe('Z33');
  });

  it('Z33 query error carries the ERR segments', () => {
    const r = ok(lines('MSH|^~\\&|MYIIS||||20091130||RSP^K11^RSP_K11|7731029|P|2.5.1|||NE|NE|||||Z33^CDCPHINVS', 'MSA|AE|793543', 'ERR||QPD^1^2|101^required field missing^HL70357|E', 'QAK||AE|Z34^CDCPHINVS', qpd));
    expect(r.kind).toBe('error');
    expect(r.errors[0]).toMatchObject({ location: { segment: 'QPD', sequence: 1, field: 2 }, hl7Code: '101', severity: 'E' });
  });

  it('a Z23 ACK refusing the query is a typed error result', () => {
    const r = ok(lines('MSH|^~\\&|MIIS||||20091130||ACK^Q11^ACK|A1|P|2.5.1', 'MSA|AR|Q-1', 'ERR||MSH^1^9|200^Unsupported message type^HL70357|E||||Queries are not supported'));
    expect(r).toMatchObject({ kind: 'error', code: 'AR', acknowledgedControlId: 'Q-1' });
    expect(r.errors[0]?.message).toBe('Queries are not supported');
  });

  it.each([
    ['', 'empty'],
    ['<html>gateway timeout</html>', 'not_hl7'],
    ['MSH|^~\\&|X||||||VXU^V04^VXU_V04|1|P|2.5.1\rMSA|AA|1', 'not_rsp'],
    ['MSH|^~\\&|X||||||RSP^K11^RSP_K11|1|P|2.5.1\rQAK|1|OK', 'missing_msa'],
  ])('garbage %j is %s, never an exception', (text, kind) => {
    const r = parseRsp(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.kind).toBe(kind);
  });
});

describe('batch wrapping', () => {
  it('wraps messages in BHS/BTS (and FHS/FTS) that our parser reads', async () => {
    const { wrapBatch } = await import('../../../sync/hl7/batch');
    const one = buildVxu(vxuInput());
    const text = wrapBatch([one, one], { batchControlId: 'B-1', sentAt: new Date('2025-10-15T14:35:12Z'), config, file: true });
    const m = parseMessage(text);
    expect(m.segments.map((s) => s.name).filter((n) => !['PID', 'PD1', 'ORC', 'RXA', 'RXR', 'OBX'].includes(n))).toEqual(['FHS', 'BHS', 'MSH', 'MSH', 'BTS', 'FTS']);
    expect(m.segment('BHS')!.toString()).toBe('BHS|^~\\&|DoseDesk|10144|MIIS|99990|20251015103512-0400||||B-1');
    expect(m.get('BTS', 1)).toBe('2');
    // @medplum/core only reads text that starts with MSH, so it checks the wrapped body instead.
    const body = text.slice(text.indexOf('MSH|'), text.indexOf('BTS|'));
    expect(compareWithMedplum(body).disagreements).toEqual([]);
  });
});
