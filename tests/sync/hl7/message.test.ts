import fc from 'fast-check';
import { Hl7Message as MedplumMessage } from '@medplum/core';
import {
  Hl7ParseError,
  comps,
  mshSegment,
  parseMessage,
  reps,
  seg,
  serializeMessage,
  tryParseMessage,
  Hl7Message,
} from '../../../sync/hl7/message';
import { unescapeHl7 } from '../../../sync/hl7/encoding';
import { IG_EXAMPLE_1 } from './examples';

const NIST = [
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
].join('\r') + '\r';

describe('parseMessage', () => {
  it('reads the NIST example into segments, fields, components', () => {
    const m = parseMessage(NIST);
    expect(m.segments.map((s) => s.name)).toEqual(['MSH', 'PID', 'PD1', 'NK1', 'ORC', 'RXA', 'RXR', 'OBX', 'OBX', 'OBX', 'OBX']);
    expect(m.messageType).toEqual({ code: 'VXU', event: 'V04', structure: 'VXU_V04' });
    expect(m.controlId).toBe('NIST-IZ-001.00');
    expect(m.get('MSH', 1)).toBe('|');
    expect(m.get('MSH', 2)).toBe('^~\\&');
    expect(m.get('MSH', 7)).toBe('20120701082240-0500');
    expect(m.get('PID', 5, { comp: 2 })).toBe('Madelynn');
    expect(m.get('PID', 5, { comp: 7 })).toBe('L');
    expect(m.get('RXA', 5)).toBe('33332-0010-01');
    expect(m.get('RXA', 17, { comp: 2 })).toBe('CSL Behring');
    expect(m.get('OBX', 3, { occurrence: 4 })).toBe('29769-7');
    expect(m.get('OBX', 5, { occurrence: 3 })).toBe('20120702');
    expect(m.get('RXA', 99)).toBe('');
    expect(m.get('ZZZ', 1)).toBe('');
    expect(m.segment('PID')?.has(6)).toBe(true);
    expect(m.segment('PID')?.has(9)).toBe(false);
  });

  it('round-trips the NIST example byte for byte', () => {
    expect(serializeMessage(parseMessage(NIST))).toBe(NIST);
  });

  it('round-trips the IG example VXU #1, dropping only its trailing empty fields', () => {
    expect(IG_EXAMPLE_1).toContain('^Clerk^Myron||\r');
    expect(serializeMessage(parseMessage(IG_EXAMPLE_1))).toBe(IG_EXAMPLE_1.replace(/\|+\r/g, '\r'));
    expect(parseMessage(IG_EXAMPLE_1).get('ORC', 12, { occurrence: 2, comp: 21 })).toBe('MD');
  });

  it('splits segments on CR, LF and CRLF and ignores blank lines and a BOM', () => {
    for (const sep of ['\r', '\n', '\r\n']) {
      const text = '\uFEFF' + NIST.split('\r').join(sep) + sep + sep;
      const m = parseMessage(text);
      expect(m.segments.length).toBe(11);
      expect(serializeMessage(m)).toBe(NIST);
    }
  });

  it('decodes escapes, repetitions and subcomponents', () => {
    const m = parseMessage("MSH|^~\\&|A\rPID|1||1^^^MIIS&2.16.840.1&ISO^SR~2^^^X^MR||O'Brien-Smith\\F\\Jr\\S\\^Ren\\T\\ée\r");
    expect(m.get('PID', 3, { rep: 2 })).toBe('2');
    expect(m.get('PID', 3, { comp: 4, sub: 2 })).toBe('2.16.840.1');
    expect(m.get('PID', 3, { comp: 4, sub: 3 })).toBe('ISO');
    expect(m.get('PID', 5)).toBe("O'Brien-Smith|Jr^");
    expect(m.get('PID', 5, { comp: 2 })).toBe('Ren&ée');
    expect(m.segment('PID')?.repetitions(3)).toHaveLength(2);
    expect(m.segment('PID')?.components(3, 2)).toEqual(['2', '', '', 'X', 'MR']);
  });

  it('reads custom delimiters from MSH', () => {
    const m = parseMessage('MSH#*@!$#App#Fac\rPID#1##a*b@c$d*e!F!');
    expect(m.get('PID', 3)).toBe('a');
    expect(m.get('PID', 3, { comp: 2 })).toBe('b');
    expect(m.get('PID', 3, { rep: 2 })).toBe('c');
    expect(m.get('PID', 3, { rep: 2, comp: 1, sub: 2 })).toBe('d');
    expect(m.get('PID', 3, { rep: 2, comp: 2 })).toBe('e#');
    expect(serializeMessage(m)).toBe('MSH#*@!$#App#Fac\rPID#1##a*b@c$d*e!F!\r');
  });

  it('ignores indentation before segment names (pretty-printed SOAP)', () => {
    const m = parseMessage('  MSH|^~\\&|A\n    MSA|AA|1\n');
    expect(m.get('MSA', 2)).toBe('1');
  });

  it('tells the HL7 null "" (delete) from an empty or absent field', () => {
    const pid = parseMessage('MSH|^~\\&|A\rPID|1||""|||x').segment('PID')!;
    expect(pid.isNull(3)).toBe(true);
    expect(pid.get(3)).toBe('""');
    expect([pid.isNull(4), pid.has(4), pid.isNull(40), pid.has(40), pid.has(6)]).toEqual([false, false, false, false, true]);
  });

  it('accepts batch headers', () => {
    const m = parseMessage('BHS|^~\\&|DoseDesk\rMSH|^~\\&|DoseDesk\rBTS|1');
    expect(m.segments.map((s) => s.name)).toEqual(['BHS', 'MSH', 'BTS']);
  });

  it('rejects text that is not HL7 with a typed error', () => {
    for (const bad of ['', '   ', '<html>503</html>', 'PID|1', 'MSH', 'MSH|^~', 'MSH|^^^^|x', 'MSH|^~\\&|A\rthis is not a segment']) {
      expect(() => parseMessage(bad)).toThrow(Hl7ParseError);
      const r = tryParseMessage(bad);
      expect(r.ok).toBe(false);
    }
    expect(tryParseMessage(NIST).ok).toBe(true);
  });
});

describe('building and serializing', () => {
  it('omits trailing empty fields, components, subcomponents and repetitions', () => {
    const m = new Hl7Message([
      mshSegment(['DoseDesk', undefined, undefined]),
      seg('PID', '1', undefined, reps(comps('123', '', '', 'MR', '', ''), comps('', '', '')), '', comps('A', ['x', '', 'y', '', ''], '', ''), '', ''),
      seg('ZZZ'),
      seg('RXA', '', '', ''),
    ]);
    expect(serializeMessage(m)).toBe('MSH|^~\\&|DoseDesk\rPID|1||123^^^MR||A^x&&y\rZZZ\rRXA\r');
  });

  it('keeps leading empty positions', () => {
    const m = new Hl7Message([mshSegment([]), seg('RXA', ...Array(10).fill(undefined), comps('', '', '', '10144'))]);
    expect(serializeMessage(m)).toBe('MSH|^~\\&\rRXA|||||||||||^^^10144\r'); // RXA-11
  });

  it('escapes values on the way out', () => {
    const m = new Hl7Message([mshSegment([]), seg('PID', '1', '', '', '', comps("O'Brien-Smith|Jr^", "Renée D'Souza & Co"))]);
    const text = serializeMessage(m);
    expect(text).toContain("O'Brien-Smith\\F\\Jr\\S\\^Renée D'Souza \\T\\ Co");
    const back = parseMessage(text);
    expect(back.get('PID', 5)).toBe("O'Brien-Smith|Jr^");
    expect(back.get('PID', 5, { comp: 2 })).toBe("Renée D'Souza & Co");
  });

  it('set() pads missing fields', () => {
    const s = seg('PD1');
    s.set(12, 'Y');
    expect(s.toString()).toBe('PD1||||||||||||Y'); // PD1-12
    expect(s.get(12)).toBe('Y');
  });

  it('any typed text survives build → serialize → parse, ours and @medplum/core (property)', () => {
    const typed = fc.string({ unit: 'grapheme', maxLength: 40 });
    fc.assert(
      fc.property(fc.array(typed, { minLength: 1, maxLength: 5 }), (values) => {
        const m = new Hl7Message([mshSegment(['App']), seg('NTE', '1', '', comps(...values))]);
        const text = serializeMessage(m);
        const ours = parseMessage(text);
        const theirs = MedplumMessage.parse(text);
        return values.every((v, i) => {
          const theirsRaw = theirs.getSegment('NTE')?.getField(3)?.getComponent(i + 1) ?? '';
          // Medplum splits subcomponents only on request; its raw component is the whole text.
          return ours.get('NTE', 3, { comp: i + 1 }) === v && unescapeHl7(theirsRaw) === v;
        });
      }),
      { numRuns: 500 },
    );
  });
});
