import fc from 'fast-check';
import { buildVxu, buildVxuMessage, Hl7BuildError } from '../../../sync/hl7/vxu';
import { parseMessage } from '../../../sync/hl7/message';
import { fixedOffsetProvider } from '../../../sync/hl7/encoding';
import { hl7ConfigForSite, massachusettsHl7Defaults } from '../../../sync/hl7/config';
import { compareWithMedplum } from './independent';
import { administered, child, config, historical, legacyVis, nurse, patient, refusal, site, vxuInput } from './fixtures';

const lines = (text: string): string[] => text.split('\r').filter(Boolean);
const line = (text: string, name: string, occurrence = 1): string => lines(text).filter((l) => l.startsWith(name + '|'))[occurrence - 1] ?? '';

describe('buildVxu: a new administration (Example C shape)', () => {
  const text = buildVxu(vxuInput());

  it('ends every segment with CR and orders segments as Z22 wants', () => {
    expect(text.endsWith('\r')).toBe(true);
    expect(text).not.toContain('\n');
    expect(lines(text).map((l) => l.slice(0, 3))).toEqual(['MSH', 'PID', 'PD1', 'ORC', 'RXA', 'RXR', 'OBX', 'OBX', 'OBX', 'OBX', 'OBX']);
  });

  it('writes MSH from the site configuration', () => {
    expect(line(text, 'MSH')).toBe(
      'MSH|^~\\&|DoseDesk|10144|MIIS|99990|20251015103512-0400||VXU^V04^VXU_V04|DD20251015-000457|P|2.5.1|||ER|AL|||||Z22^CDCPHINVS|Sample Pharmacy^^^^^MIIS^XX^^^10144',
    );
  });

  it('writes PID with identifiers, names by type, race, address, phone, email, language, ethnicity', () => {
    expect(line(text, 'PID')).toBe(
      'PID|1||PH-000123^^^10144^MR||Rivera^Ana^Lucia^^^^L|Santos^^^^^^M|19850312|F||2106-3^White^CDCREC|12 Elm St^Apt 3^Worcester^MA^01608^USA^H||^PRN^PH^^^508^5551234~^NET^Internet^ana.rivera@example.com||spa^Spanish^HL70296|||||||2135-2^Hispanic or Latino^CDCREC',
    );
  });

  it('writes PD1 with publicity, protection and registry status and their dates', () => {
    expect(line(text, 'PD1')).toBe('PD1|||||||||||02^Reminder/recall - any method^HL70215|N||||A|20251015|20251015');
  });

  it('writes ORC with the dose id, enterer, orderer (NPI, credential) and entering organization', () => {
    expect(line(text, 'ORC')).toBe(
      'ORC|RE||DD-DOSE-000457^10144|||||||^Clerk^Casey||1982736450^Chen^Robert^^^^^^CMS^L^^^NPI^^^^^^^^MD|||||10144^Sample Pharmacy^HL70362',
    );
  });

  it('writes RXA with CVX+NDC, amount, source, vaccinator with title, location with address, lot, expiry, MVX, status, action', () => {
    const rxa = parseMessage(text).segment('RXA')!;
    expect(rxa.get(1)).toBe('0');
    expect(rxa.get(2)).toBe('1');
    expect(rxa.get(3)).toBe('202510151030-0400');
    expect(rxa.components(5).slice(0, 3)).toEqual(['140', 'Influenza, split virus, trivalent, PF', 'CVX']);
    expect(rxa.get(5, { comp: 4 })).toBe('49281-0421-50');
    expect(rxa.get(5, { comp: 6 })).toBe('NDC');
    expect(rxa.get(6)).toBe('0.5');
    expect(rxa.components(7)).toEqual(['mL', 'milliliter', 'UCUM']);
    expect(rxa.components(9)).toEqual(['00', 'New immunization record', 'NIP001']);
    expect(rxa.get(10)).toBe('1234567893');
    expect(rxa.get(10, { comp: 2 })).toBe('Patel');
    expect(rxa.get(10, { comp: 21 })).toBe('PHARMD');
    expect(rxa.components(11)).toEqual(['', '', '', '10144', '', '', '', '', '100 Main St', '', 'Worcester', 'MA', '01608', 'USA']);
    expect(rxa.get(15)).toBe('UT8675AA');
    expect(rxa.get(16)).toBe('20260630');
    expect(rxa.components(17)).toEqual(['PMC', 'Sanofi Pasteur', 'MVX']);
    expect(rxa.get(18)).toBe('');
    expect(rxa.get(20)).toBe('CP');
    expect(rxa.get(21)).toBe('A');
  });

  it('writes RXR with NCIT route, HL70162 alternate and site', () => {
    expect(line(text, 'RXR')).toBe('RXR|C28161^Intramuscular^NCIT^IM^Intramuscular^HL70162|LD^Left Deltoid^HL70163');
  });

  it('writes the OBX groups: eligibility with VXC40, funding, VIS barcode + presented date, gender identity', () => {
    const m = parseMessage(text);
    const obx = m.all('OBX');
    expect(obx.map((o) => [o.get(1), o.get(2), o.get(3), o.get(4), o.get(5), o.get(11)])).toEqual([
      ['1', 'CE', '64994-7', '1', 'V01', 'F'],
      ['2', 'CE', '30963-3', '2', 'PHC70', 'F'],
      ['3', 'CE', '69764-9', '3', '253088698300010311250131', 'F'],
      ['4', 'DT', '29769-7', '3', '20251015', 'F'],
      ['5', 'CE', '76691-5', '4', '446141000124107', 'F'],
    ]);
    expect(obx[0]!.components(17)).toEqual(['VXC40', 'Eligibility captured at the immunization level', 'CDCPHINVS']);
    expect(obx[0]!.get(5, { comp: 3 })).toBe('HL70064');
    expect(obx[2]!.get(5, { comp: 3 })).toBe('cdcgs1vis');
  });
});

describe('buildVxu: other kinds of record', () => {
  it('historical: 999 amount, NIP001 source, no vaccinator, no RXR, no eligibility/funding/VIS', () => {
    const m = buildVxuMessage(vxuInput({ dose: historical, administeredBy: undefined }));
    const rxa = m.segment('RXA')!;
    expect(rxa.toString()).toBe('RXA|0|1|20190301||03^MMR^CVX|999|||01^Historical information - source unspecified^NIP001|||||||||||CP|A');
    expect(m.segment('RXR')).toBeUndefined();
    expect(m.all('OBX').map((o) => o.get(3))).toEqual(['76691-5']);
    expect(m.segment('ORC')!.has(12)).toBe(false);
  });

  it('refusal: RXA-18 reason, RXA-20 RE, RXA-9 empty, ORC-3 still present', () => {
    const m = buildVxuMessage(vxuInput({ dose: refusal }));
    expect(m.segment('RXA')!.toString()).toBe('RXA|0|1|20251015||140^Influenza, split virus, trivalent, PF^CVX|999||||||||||||03^Patient decision^NIP002||RE|A');
    expect(m.get('ORC', 3)).toBe('DD-REF-000458');
    expect(m.segment('RXR')).toBeUndefined();
  });

  it('update and delete resend the same order group with the same ORC-3 and RXA-21 U / D', () => {
    const add = buildVxuMessage(vxuInput());
    const upd = buildVxuMessage(vxuInput({ action: 'U', messageControlId: 'DD-2' }));
    const del = buildVxuMessage(vxuInput({ action: 'D', messageControlId: 'DD-3' }));
    expect(upd.get('RXA', 21)).toBe('U');
    expect(del.get('RXA', 21)).toBe('D');
    for (const m of [upd, del]) {
      expect(m.get('ORC', 3)).toBe(add.get('ORC', 3));
      expect(m.segment('RXA')!.toString().slice(0, -1)).toBe(add.segment('RXA')!.toString().slice(0, -1));
      expect(m.all('OBX').map((o) => o.toString())).toEqual(add.all('OBX').map((o) => o.toString()));
    }
    expect(del.controlId).toBe('DD-3');
  });

  it('legacy VIS method: vaccine type + edition date + presented date share an OBX-4; several VIS get several groups', () => {
    const m = buildVxuMessage(vxuInput({ patient: child, dose: legacyVis }));
    const obx = m.all('OBX').map((o) => `${o.get(1)}:${o.get(3)}:${o.get(4)}:${o.get(5)}`);
    expect(obx).toEqual([
      '1:64994-7:1:V02',
      '2:30963-3:2:VXC50',
      '3:30956-7:3:110',
      '4:29768-9:3:20210806',
      '5:29769-7:3:20251015',
      '6:69764-9:4:253088698300026411121116',
      '7:29769-7:4:20251015',
    ]);
  });

  it('child: SR identifier, multiple birth, guardians as NK1, data-sharing objection with its date', () => {
    const m = buildVxuMessage(vxuInput({ patient: child, dose: legacyVis }));
    expect(m.get('PID', 3, { rep: 2 })).toBe('987633');
    expect(m.get('PID', 3, { rep: 2, comp: 4 })).toBe('MIIS');
    expect(m.get('PID', 3, { rep: 2, comp: 5 })).toBe('SR');
    expect(m.segment('PID')!.repetitions(10).map((r) => r[0]![0])).toEqual(['2054-5', '2028-9']);
    expect([m.get('PID', 24), m.get('PID', 25)]).toEqual(['Y', '2']);
    expect([m.get('PD1', 12), m.get('PD1', 13), m.get('PD1', 16), m.get('PD1', 17)]).toEqual(['Y', '20250102', 'A', '20240115']);
    expect(m.all('NK1').map((n) => n.toString())).toEqual([
      'NK1|1|Smith^Mary^^^^^L|MTH^Mother^HL70063|12 Elm St^Apt 3^Worcester^MA^01608^USA^H|^PRN^PH^^^617^5550100',
      "NK1|2|O'Brien^Sean^^^^^L|FTH^Father^HL70063",
    ]);
  });

  it('leaves race and ethnicity empty when the patient declined or they are unknown (RE, no null flavour in CDCREC)', () => {
    const m = buildVxuMessage(vxuInput({ patient: { ...patient, races: ['ASKU'], ethnicity: 'UNK' } }));
    expect(m.get('PID', 10)).toBe('');
    expect(m.get('PID', 22)).toBe('');
    expect(m.segment('PID')!.toString()).not.toMatch(/ASKU|UNK|NULLFL/);
  });

  it('sends the races a patient gave and drops a declined entry beside them', () => {
    const m = buildVxuMessage(vxuInput({ patient: { ...patient, races: ['2106-3', 'ASKU'], ethnicity: 'ASKU' } }));
    expect(m.segment('PID')!.repetitions(10).map((r) => r[0]![0])).toEqual(['2106-3']);
    expect(m.get('PID', 22)).toBe('');
  });
});

describe('buildVxu: configuration, never constants', () => {
  it('takes every site value from the configuration', () => {
    const other = hl7ConfigForSite(
      { name: 'Cape Clinic', vaccinePin: 'PIN-77', facilityId: 'F-9', address: site.address },
      { processingId: 'T', receivingApplication: { namespaceId: 'OTHERIIS' }, receivingFacility: { namespaceId: 'X1' }, sendingApplication: { namespaceId: 'DD', universalId: '2.16.840.1.113883.3.9999', universalIdType: 'ISO' }, offsetProvider: fixedOffsetProvider(-300) },
    );
    const m = buildVxuMessage(vxuInput({ config: other }));
    expect(m.segment('MSH')!.components(3)).toEqual(['DD', '2.16.840.1.113883.3.9999', 'ISO']);
    expect([m.get('MSH', 4), m.get('MSH', 5), m.get('MSH', 6), m.get('MSH', 11)]).toEqual(['PIN-77', 'OTHERIIS', 'X1', 'T']);
    expect(m.get('MSH', 7)).toBe('20251015093512-0500');
    expect(m.get('MSH', 22)).toBe('Cape Clinic');
    expect(m.get('MSH', 22, { comp: 10 })).toBe('PIN-77');
    expect(m.get('PID', 3, { comp: 4 })).toBe('PIN-77');
    expect(m.get('ORC', 3, { comp: 2 })).toBe('PIN-77');
    expect(m.get('ORC', 17, { comp: 2 })).toBe('Cape Clinic');
    expect(m.get('RXA', 11, { comp: 4 })).toBe('F-9');
  });

  it('Massachusetts defaults: MIIS / 99990, ER/AL, New York time', () => {
    expect(massachusettsHl7Defaults.receivingApplication.namespaceId).toBe('MIIS');
    expect(massachusettsHl7Defaults.receivingFacility.namespaceId).toBe('99990');
    expect(massachusettsHl7Defaults.offsetProvider(new Date('2025-01-15T12:00:00Z'))).toBe(-300);
  });

  it('can leave gender identity out, or place it under another LOINC', () => {
    const omit = buildVxuMessage(vxuInput({ config: { ...config, genderIdentity: { kind: 'omit' } } }));
    expect(omit.all('OBX').some((o) => o.get(3) === '76691-5')).toBe(false);
    const other = buildVxuMessage(vxuInput({ config: { ...config, genderIdentity: { kind: 'obx', loinc: '99999-9' } } }));
    expect(other.all('OBX').at(-1)!.get(3)).toBe('99999-9');
  });

  it('sends the CVX alone when the site does not want the NDC in RXA-5', () => {
    const m = buildVxuMessage(vxuInput({ config: { ...config, ndcInRxa5: false } }));
    expect(m.segment('RXA')!.components(5)).toEqual(['140', 'Influenza, split virus, trivalent, PF', 'CVX']);
  });

  it('sends the code alone when the code tables have no label', () => {
    const m = buildVxuMessage(vxuInput({ dose: { ...administered, cvx: '777', mvx: 'ZZZ', site: 'QQ', ndc: undefined } }));
    expect(m.segment('RXA')!.components(5)).toEqual(['777', '', 'CVX']);
    expect(m.segment('RXA')!.components(17)).toEqual(['ZZZ', '', 'MVX']);
    expect(m.segment('RXR')!.components(2)).toEqual(['QQ', '', 'HL70163']);
  });

  it('refuses impossible input with a typed error naming the field', () => {
    expect(() => buildVxu(vxuInput({ dose: { ...administered, id: '' } }))).toThrow(Hl7BuildError);
    try {
      buildVxu(vxuInput({ patient: { ...patient, dob: '1985-02-30' } }));
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(Hl7BuildError);
      expect((err as Hl7BuildError).formField).toBe('patient.dob');
    }
    expect(() => buildVxu(vxuInput({ messageControlId: ' ' }))).toThrow(/MSH-10/);
  });
});

describe('buildVxu: what users type survives, in our parser and in @medplum/core', () => {
  it('round-trips the names from the issue byte for byte', () => {
    const m = parseMessage(buildVxu(vxuInput({ patient: child, dose: legacyVis })));
    expect(m.get('PID', 5)).toBe("O'Brien-Smith|Jr^");
    expect(m.get('PID', 5, { comp: 2 })).toBe("Renée D'Souza & Co");
  });

  it.each([
    ['administered', vxuInput()],
    ['child with guardians, legacy VIS', vxuInput({ patient: child, dose: legacyVis, action: 'U' })],
    ['historical', vxuInput({ dose: historical })],
    ['refusal', vxuInput({ dose: refusal, action: 'D' })],
  ])('@medplum/core reads the same values: %s', (_name, input) => {
    const { compared, disagreements } = compareWithMedplum(buildVxu(input));
    expect(disagreements).toEqual([]);
    expect(compared).toBeGreaterThan(100);
  });

  it('any typed text in names, address, lot and guardian survives (property, both parsers)', () => {
    const typed = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }).filter((s) => s.trim() === s && s !== '""');
    fc.assert(
      fc.property(typed, typed, typed, typed, typed, (last, first, street, lot, guardian) => {
        const input = vxuInput({
          patient: { ...child, lastName: last, firstName: first, address: { ...patient.address!, street1: street }, guardians: [{ lastName: guardian, firstName: first, relationship: 'GRD' }] },
          dose: { ...administered, lotNumber: lot },
          administeredBy: { ...nurse, lastName: guardian },
        });
        const text = buildVxu(input);
        const m = parseMessage(text);
        const ok =
          m.get('PID', 5) === last &&
          m.get('PID', 5, { comp: 2 }) === first &&
          m.get('PID', 11) === street &&
          m.get('RXA', 15) === lot &&
          m.get('NK1', 2) === guardian &&
          m.get('RXA', 10, { comp: 2 }) === guardian;
        return ok && compareWithMedplum(text).disagreements.length === 0;
      }),
      { numRuns: 300 },
    );
  });
});
