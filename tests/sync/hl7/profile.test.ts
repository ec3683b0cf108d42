// Every message the codec builds is checked against NIST's machine-readable conformance profiles,
// read from their XML, so a field the profile requires cannot silently go missing.
import { readFileSync } from 'node:fs';
import { checkProfile, loadProfile, type ConformanceProfile } from '../../../sync/hl7/profile';
import { localValueSets } from '../../../sync/hl7/value-sets';
import { buildVxu, buildVxuMessage } from '../../../sync/hl7/vxu';
import { buildAck } from '../../../sync/hl7/ack-build';
import { comps, parseMessage, type Hl7Message } from '../../../sync/hl7/message';
import { parseHl7Timestamp } from '../../../sync/hl7/encoding';
import { administered, child, historical, legacyVis, patient, refusal, vxuInput } from './fixtures';
import { IG_EXAMPLE_1 } from './examples';
import { compareWithMedplum } from './independent';

const dir = new URL('../../../build/sources/nist-profiles/', import.meta.url);
const read = (name: string): ConformanceProfile => loadProfile(readFileSync(new URL(name, dir), 'utf8'));

const vxuProfile = read('VXU-Z22_Profile.xml');
const ackProfile = read('ACK-Z23_Profile.xml');

const check = (m: Hl7Message) => checkProfile(m, vxuProfile, localValueSets);

const built = {
  administered: () => buildVxuMessage(vxuInput()),
  'child, legacy VIS, update': () => buildVxuMessage(vxuInput({ patient: child, dose: legacyVis, action: 'U' })),
  historical: () => buildVxuMessage(vxuInput({ dose: historical, administeredBy: undefined, orderedBy: undefined })),
  refusal: () => buildVxuMessage(vxuInput({ dose: refusal })),
  delete: () => buildVxuMessage(vxuInput({ action: 'D' })),
  'partially administered': () => buildVxuMessage(vxuInput({ dose: { ...administered, completionStatus: 'PA' } })),
  'not administered': () => buildVxuMessage(vxuInput({ dose: { ...administered, completionStatus: 'NA' } })),
  'race and ethnicity asked, declined': () => buildVxuMessage(vxuInput({ patient: { ...patient, races: ['ASKU'], ethnicity: 'ASKU' } })),
};

describe('the NIST profiles are read', () => {
  it('VXU Z22: structure, segments and data types', () => {
    expect(vxuProfile.name).toBe('Z22');
    expect(vxuProfile.structure.map((n) => n.name)).toEqual(['MSH', 'SFT', 'PID', 'PD1', 'NK1', 'VXU_V04.PATIENT', 'GT1', 'VXU_V04.INSURANCE', 'VXU_V04.ORDER']);
    expect(vxuProfile.segments.get('RXA_IZ 1_5_Z22')?.fields).toHaveLength(26);
    expect(vxuProfile.datatypes.get('XPN_IZ')?.[6]).toMatchObject({ name: 'Name Type Code', usage: 'R' });
  });
});

describe('every message buildVxu makes conforms to VXU Z22', () => {
  it.each(Object.entries(built))('%s', (_name, make) => {
    expect(check(make())).toEqual([]);
  });

  it('the NIST example message conforms too (the checker is not tuned to our output)', () => {
    const nist = parseMessage(
      [
        'MSH|^~\\&|Test EHR Application|X68||NIST Test Iz Reg|20120701082240-0500||VXU^V04^VXU_V04|NIST-IZ-001.00|P|2.5.1|||ER|AL|||||Z22^CDCPHINVS',
        'PID|1||D26376273^^^NIST MPI^MR||Snow^Madelynn^Ainsley^^^^L|Lam^Morgan^^^^^M|20070706|F||2076-8^Native Hawaiian or Other Pacific Islander^CDCREC|32 Prescott Street Ave^^Warwick^MA^02452^USA^L||^PRN^PH^^^657^5558563|||||||||2186-5^non Hispanic or Latino^CDCREC',
        'PD1|||||||||||02^Reminder/Recall - any method^HL70215|||||A|20120701|20120701',
        'NK1|1|Lam^Morgan^^^^^L|MTH^Mother^HL70063|32 Prescott Street Ave^^Warwick^MA^02452^USA^L|^PRN^PH^^^657^5558563',
        'ORC|RE||IZ-783274^NDA|||||||I-23432^Burden^Donna^A^^^^^NIST-AA-1^^^^PRN||57422^RADON^NICHOLAS^^^^^^NIST-AA-1^L^^^MD',
        'RXA|0|1|20120814||33332-0010-01^Influenza, seasonal, injectable, preservative free^NDC|0.5|mL^MilliLiter [SI Volume Units]^UCUM||00^New immunization record^NIP001|7832-1^Lemon^Mike^A^^^^^NIST-AA-1^^^^PRN|^^^X68||||Z0860BB|20121104|CSL^CSL Behring^MVX|||CP|A',
        'RXR|C28161^Intramuscular^NCIT|LD^Left Arm^HL70163',
        'OBX|1|CE|64994-7^Vaccine funding program eligibility category^LN|1|V05^VFC eligible - Federally Qualified Health Center Patient (under-insured)^HL70064||||||F|||20120701|||VXC40^Eligibility captured at the immunization level^CDCPHINVS',
        'OBX|2|CE|30956-7^vaccine type^LN|2|88^Influenza, unspecified formulation^CVX||||||F',
        'OBX|3|TS|29768-9^Date vaccine information statement published^LN|2|20120702||||||F',
        'OBX|4|TS|29769-7^Date vaccine information statement presented^LN|2|20120814||||||F',
      ].join('\r'),
    );
    expect(check(nist)).toEqual([]);
  });
});

describe('race and ethnicity a patient declined (PID-10/PID-22, usage RE)', () => {
  it('an empty field conforms: RE allows it and says nothing was known to send', () => {
    const m = buildVxuMessage(vxuInput({ patient: { ...patient, races: ['ASKU'], ethnicity: 'ASKU' } }));
    expect(m.get('PID', 10)).toBe('');
    expect(m.get('PID', 22)).toBe('');
    expect(check(m)).toEqual([]);
  });

  it('the null flavour ASKU in its place is outside the CDCREC value sets the profile binds', () => {
    const m = buildVxuMessage(vxuInput());
    const text = m
      .toString()
      .split('\r')
      .map((line) => {
        if (!line.startsWith('PID|')) return line;
        const f = line.split('|');
        f[10] = 'ASKU^Asked but unknown^NULLFL';
        f[22] = 'ASKU^Asked but unknown^NULLFL';
        return f.join('|');
      })
      .join('\r');
    const issues = check(parseMessage(text));
    expect(issues.filter((i) => i.rule === 'value-set').map((i) => i.location)).toEqual(expect.arrayContaining([expect.stringMatching(/^PID\[1\]-10/), expect.stringMatching(/^PID\[1\]-22/)]));
  });
});

describe('the IG example VXU #1 (errata fixed)', () => {
  it('conforms, and both parsers read it alike', () => {
    expect(check(parseMessage(IG_EXAMPLE_1))).toEqual([]);
    expect(compareWithMedplum(IG_EXAMPLE_1).disagreements).toEqual([]);
  });

  it('its published form is caught on the erratum the checker can see (HL70005 is not CDCREC)', () => {
    const published = IG_EXAMPLE_1.replace('1002-5^American Indian or Alaska Native^CDCREC', '1002-5^Native American^HL70005').replace('20120113000000-0500', '201201130000-500');
    const m = parseMessage(published);
    expect(m.get('MSH', 7)).toBe('201201130000-500');
    // Coding-system checks (PID-10.3) are beyond a value-set lookup on .1; the TS_Z format is
    // checked by the codec's timestamp parser instead.
    expect(parseHl7Timestamp(m.get('MSH', 7))).toBeUndefined();
  });
});

describe('the checker catches what goes missing or wrong', () => {
  it('blanking any required field our VXU sends is reported at that field', () => {
    const base = built.administered();
    let mutations = 0;
    const seen = new Map<string, number>();
    base.segments.forEach((seg, si) => {
      const occurrence = (seen.get(seg.name) ?? 0) + 1;
      seen.set(seg.name, occurrence);
      for (let n = seg.name === 'MSH' ? 3 : 1; n <= seg.length; n++) {
        const copy = built.administered();
        const target = copy.segments[si]!;
        if (!target.has(n)) continue;
        target.set(n, undefined);
        const issues = check(copy);
        const here = issues.filter((i) => i.location.startsWith(`${seg.name}[${occurrence}]-${n}`));
        const requiredHere = required(seg.name, n, copy, si);
        if (requiredHere) {
          mutations++;
          expect(here.map((i) => i.rule), `${seg.name}-${n}`).toContain('usage');
        }
      }
    });
    expect(mutations).toBeGreaterThan(35);
  });

  it('reports a missing required component and a field that must not be sent', () => {
    const m = built.administered();
    m.segment('PID')!.set(5, comps('Rivera', 'Ana'));
    m.segment('PID')!.set(2, 'OLD-ID');
    m.segment('PID')!.set(19, '123-45-6789');
    const issues = check(m).map((i) => `${i.location} ${i.rule}`);
    expect(issues).toEqual(expect.arrayContaining(['PID[1]-5.7 usage', 'PID[1]-2 usage', 'PID[1]-19 usage']));
  });

  it('applies the IG predicates: lot and MVX for new doses, refusal reason only for refusals', () => {
    const m = built.administered();
    m.segment('RXA')!.set(15, undefined);
    m.segment('RXA')!.set(17, undefined);
    m.segment('RXA')!.set(18, comps('00', 'Parental decision', 'NIP002'));
    m.all('OBX')[0]!.set(17, undefined);
    const where = check(m).map((i) => i.location);
    expect(where).toEqual(expect.arrayContaining(['RXA[1]-15', 'RXA[1]-17', 'RXA[1]-18', 'OBX[1]-17']));
    // Historical records need none of these.
    expect(check(built.historical())).toEqual([]);
  });

  it('reports structure: missing PID, a stray segment, a group without its RXA', () => {
    const noPid = built.administered();
    noPid.segments.splice(1, 1);
    expect(check(noPid).some((i) => i.rule === 'structure' && i.location === 'PID')).toBe(true);
    const stray = parseMessage(buildVxu(vxuInput()) + 'ZZZ|1\r');
    expect(check(stray).map((i) => i.location)).toContain('ZZZ');
    const noRxa = built.administered();
    noRxa.segments.splice(noRxa.segments.findIndex((s) => s.name === 'RXA'), 1);
    expect(check(noRxa).some((i) => i.rule === 'structure')).toBe(true);
  });

  it('reports cardinality, length and value-set violations', () => {
    const m = built.administered();
    m.segment('PID')!.set(7, [[['19850312']], [['19850313']]]);
    m.segment('RXA')!.set(15, 'LOT-NUMBER-FAR-TOO-LONG');
    m.segment('PID')!.set(8, 'X');
    m.segment('RXA')!.set(5, comps('777', 'Nothing', 'CVX'));
    m.segment('RXA')!.set(20, 'ZZ');
    const issues = check(m).map((i) => `${i.location} ${i.rule}`);
    expect(issues).toEqual(
      expect.arrayContaining(['PID[1]-7 cardinality', 'RXA[1]-15 length', 'PID[1]-8 value-set', 'RXA[1]-5.1 value-set', 'RXA[1]-20 value-set']),
    );
  });
});

describe('ACKs from buildAck conform to ACK Z23', () => {
  it.each(['AA', 'AE', 'AR'] as const)('%s', (code) => {
    const text = buildAck({
      received: parseMessage(buildVxu(vxuInput())),
      code,
      messageControlId: 'ACK-1',
      sentAt: new Date('2025-10-15T14:36:00Z'),
      offsetMinutes: -240,
      errors: code === 'AA' ? [] : [{ location: { segment: 'RXA', sequence: 1, field: 15 }, hl7Code: '101', severity: 'E', applicationCode: '7', userMessage: 'Lot number is required' }],
    });
    expect(checkProfile(parseMessage(text), ackProfile, localValueSets)).toEqual([]);
  });
});

/** Whether field n of the segment at index si is required (R, or C resolving to R) in the profile. */
function required(name: string, n: number, m: Hl7Message, si: number): boolean {
  const ref = [...vxuProfile.segments.entries()].find(([, d]) => d.name === name)?.[0];
  const def = ref ? vxuProfile.segments.get(ref)?.fields[n - 1] : undefined;
  if (!def) return false;
  if (def.usage === 'R') return true;
  if (def.usage !== 'C') return false;
  // The C fields that are required for a completed new administration (IG R1.5 predicates).
  const conditional: Record<string, boolean> = {
    'RXA-7': true,
    'RXA-9': true,
    'RXA-15': true,
    'RXA-17': true,
    'RXA-21': true,
    'OBX-17': m.segments[si]!.get(3) === '64994-7',
  };
  return conditional[`${name}-${n}`] ?? false;
}
