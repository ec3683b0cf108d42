import { Hl7Message as MedplumMessage } from '@medplum/core';
import { buildAck } from '../../../sync/hl7/ack-build';
import { headerProblem, parseAck, type ParsedAck } from '../../../sync/hl7/ack-parse';
import { parseMessage } from '../../../sync/hl7/message';
import { compareWithMedplum } from './independent';

const lines = (...l: string[]): string => l.join('\r') + '\r';

function ok(text: string, sent?: string): ParsedAck {
  const r = parseAck(text, { sent });
  if (!r.ok) throw new Error(`expected a parsed ACK, got ${r.kind}: ${r.message}`);
  return r;
}

const SENT = lines(
  'MSH|^~\\&|DoseDesk|10144|MIIS|99990|20251015103512-0400||VXU^V04^VXU_V04|DD-000457|T|2.5.1|||ER|AL|||||Z22^CDCPHINVS|Sample Pharmacy^^^^^MIIS^XX^^^10144',
  'PID|1||PH-1^^^DoseDesk^MR||Rivera^Ana^^^^^L||19850312|F',
  'ORC|RE||DD-1^DoseDesk',
  'RXA|0|1|20251015||140^Flu^CVX|0.5|mL^^UCUM||00^New^NIP001||||||UT8675AA|20260630|PMC^Sanofi^MVX|||CP|A',
  'OBX|1|CE|64994-7^Eligibility^LN|1|V01^Not VFC^HL70064||||||F',
  'OBX|2|CE|30963-3^Funding^LN|2|PHC70^Private^CDCPHINVS||||||F',
  'OBX|3|CE|69764-9^Document type^LN|3|253088698300010311250131^Flu VIS^cdcgs1vis||||||F',
  'OBX|4|DT|29769-7^VIS presented^LN|3|20251015||||||F',
  'OBX|5|CE|69764-9^Document type^LN|4|253088698300026411121116^Multi VIS^cdcgs1vis||||||F',
  'OBX|6|DT|29769-7^VIS presented^LN|4|20251015||||||F',
);

describe('parseAck on the IG examples', () => {
  it('AA without errors is accepted', () => {
    const a = ok(lines('MSH|^~\\&|DCS|MYIIS|MYIIS||20090604000000-0500||ACK^V04^ACK|1234567|P|2.5.1|||NE|NE|||||Z23^CDCPHINVS', 'MSA|AA|9299381'));
    expect(a).toMatchObject({ code: 'AA', acknowledgedControlId: '9299381', ackControlId: '1234567', errors: [], outcome: 'accepted', messageRejected: false });
  });

  it('AA with a warning is accepted with warnings', () => {
    const a = ok(lines('MSH|^~\\&|DCS|MYIIS|MYIIS||200906040000-0500||ACK^V04^ACK|1234886|P|2.5.1', 'MSA|AA|9299381', 'ERR||PID^2| |W||||PID-2 is not supported -- data ignored'));
    expect(a.outcome).toBe('warning');
    expect(a.errors).toHaveLength(1);
    expect(a.errors[0]).toMatchObject({ severity: 'W', severityGiven: true, location: { segment: 'PID', sequence: 2 }, message: 'PID-2 is not supported -- data ignored' });
    expect(a.errors[0]?.hl7Code).toBeUndefined();
  });

  it('AE with a missing patient name rejects the message and points at patient.lastName', () => {
    const a = ok(
      lines(
        'MSH|^~\\&|DCS|MYIIS|MYIIS||200906040000-0500||ACK^V04^ACK|13434534|P|2.5.1|||',
        'MSA|AE|9299381',
        'ERR||PID^1^5|101^required field missing^HL70357|E|7^required data Missing^HL70533||||Patient name is required',
        'ERR||PID|100^required segment missing^HL70357|E||||PID is required segment. Message rejected',
      ),
    );
    expect(a.outcome).toBe('rejected');
    expect(a.messageRejected).toBe(true);
    expect(a.errors).toHaveLength(2);
    expect(a.errors[0]).toMatchObject({
      location: { segment: 'PID', sequence: 1, field: 5 },
      formField: 'patient.lastName',
      hl7Code: '101',
      hl7Text: 'required field missing',
      severity: 'E',
      applicationCode: '7',
      applicationText: 'required data Missing',
      applicationCodingSystem: 'HL70533',
      message: 'Patient name is required',
    });
    expect(a.errors[1]?.location).toEqual({ segment: 'PID' });
    expect(a.errors[1]?.formField).toBeUndefined();
  });

  it('AE on the first RXA drops that order group only', () => {
    const a = ok(
      lines(
        'MSH|^~\\&|DCS|MYIIS|MYIIS||20090604000000-0500||ACK^V04^ACK|49348812|P|2.5.1',
        'MSA|AE|9299381',
        'ERR||RXA^1^5|103^table value not found^HL70357|E|5^table value not found^HL70533||||Vaccine code not recognized—field rejected',
        'ERR||RXA^1^5|101^required field missing^HL70357|E|7^required data  missing^HL70533||||RXA-5 is required segment rejected',
        'ERR||RXA|100^required segment missing^HL70357|E||||RXA is required segment segment-group rejected',
      ),
    );
    expect(a.outcome).toBe('rejected');
    expect(a.messageRejected).toBe(false);
    expect(a.rejectedOrderGroups).toEqual([1]);
    expect(a.errors.map((e) => e.formField)).toEqual(['dose.cvx', 'dose.cvx', undefined]);
    expect(a.errors[0]?.message).toBe('Vaccine code not recognized—field rejected');
  });

  it('AR for an unsupported version is a whole-message reject, not retryable', () => {
    const a = ok(
      lines(
        'MSH|^~\\&|DCS|MYIIS|MYIIS||200906040000-0500||ACK^V04^ACK|12343467|P|2.5.1|||',
        'MSA|AR|9299381',
        'ERR||MSH^1^12|203^unsupported version id^^HL70357|E||||Unsupported HL7 Version ID—Message rejected',
      ),
    );
    expect(a).toMatchObject({ code: 'AR', outcome: 'rejected', messageRejected: true, retryable: false });
    expect(a.errors[0]?.hl7Code).toBe('203');
  });

  it('AR for a registry internal error is retryable', () => {
    const a = ok(lines('MSH|^~\\&|MIIS|99990|||20251015||ACK^V04^ACK|9|P|2.5.1', 'MSA|AR|DD-1', 'ERR|||207^Application internal error^HL70357|E||||Database unavailable, try later'));
    expect(a).toMatchObject({ outcome: 'rejected', retryable: true });
  });
});

describe('parseAck mapping and tolerance', () => {
  it('maps several ERR locations back to form fields, OBX through the sent VXU', () => {
    const a = ok(
      lines(
        'MSH|^~\\&|MIIS|99990|DoseDesk|10144|20251015103600-0400||ACK^V04^ACK|A1|T|2.5.1|||NE|NE|||||Z23^CDCPHINVS',
        'MSA|AE|DD-000457',
        'ERR||PID^1^11^1^5|102^Data type error^HL70357|W|4^Invalid value^HL70533||||ZIP code is invalid -- ignored',
        'ERR||RXA^1^15|101^Required field missing^HL70357|E|7^Required data missing^HL70533||||Lot number is required',
        'ERR||OBX^1^5|103^Table value not found^HL70357|E|5^Table value not found^HL70533||||Eligibility code unknown',
        'ERR||OBX^6^5|102^Data type error^HL70357|W||||VIS date invalid',
        'ERR||RXR^1^2|103^^HL70357|W||||Site unknown',
        'ERR||NK1^2^2^1^2|101^^HL70357|W||||Guardian first name missing',
        'ERR||MSH^1^4|204^Unknown key identifier^HL70357|E||||Unknown Vaccine PIN',
      ),
      SENT,
    );
    expect(a.errors.map((e) => e.formField)).toEqual([
      'patient.address.zip',
      'dose.lotNumber',
      'dose.vfcEligibility',
      'dose.vis.1.presentedOn',
      'dose.site',
      'patient.guardians.1.firstName',
      'site.vaccinePin',
    ]);
    expect(a.errors[4]?.hl7Text).toBe('Table value not found'); // filled from table 0357
    expect(a.messageRejected).toBe(true); // the MSH error
  });

  it('uses the sent VXU to tell the MIIS id from the MRN, a bad source from a bad kind, and gender identity', () => {
    const sent = SENT.replace('PID|1||PH-1^^^DoseDesk^MR|', 'PID|1||PH-1^^^DoseDesk^MR~555^^^MIIS^SR|').replace(
      'OBX|6|DT|29769-7^VIS presented^LN|4|20251015||||||F',
      'OBX|6|DT|29769-7^VIS presented^LN|4|20251015||||||F\rOBX|7|CE|76691-5^Gender identity^LN|5|UNK^Unknown^NULLFL||||||F',
    );
    const a = ok(
      lines('MSH|^~\\&|X', 'MSA|AE|1', 'ERR||PID^1^3^2|204|E', 'ERR||PID^1^3^1|204|W', 'ERR||RXA^1^9|103|E', 'ERR||OBX^7^5|103|W', 'ERR||ZZZ^1^1|207|W'),
      sent,
    );
    expect(a.errors.map((e) => e.formField)).toEqual(['patient.miisId', 'patient.mrn', 'dose.kind', 'patient.genderIdentity', undefined]);
  });

  it('without the sent VXU an OBX location has no form field but keeps its location', () => {
    const a = ok(lines('MSH|^~\\&|X', 'MSA|AE|1', 'ERR||OBX^3^5|103|E'));
    expect(a.errors[0]?.location).toEqual({ segment: 'OBX', sequence: 3, field: 5 });
    expect(a.errors[0]?.formField).toBeUndefined();
    expect(a.errors[0]?.message).toBe('Table value not found');
  });

  it('reads 2.3.1-style ERR-1, missing severity, MSA-3 text and LF line ends', () => {
    const a = ok('MSH|^~\\&|X\nMSA|AE|77|RECORD REJECTED\nERR|RXA^1^15^101&Required field missing&HL70357\n');
    expect(a.text).toBe('RECORD REJECTED');
    expect(a.errors[0]).toMatchObject({
      location: { segment: 'RXA', sequence: 1, field: 15 },
      formField: 'dose.lotNumber',
      hl7Code: '101',
      severity: 'E',
      severityGiven: false,
      message: 'RECORD REJECTED',
    });
  });

  it('reads an ACK wrapped in a batch (BHS … BTS)', () => {
    const a = ok(lines('BHS|^~\\&|MIIS|99990', 'MSH|^~\\&|MIIS|99990|||20251015||ACK^V04^ACK|A9|P|2.5.1', 'MSA|AA|DD-9', 'BTS|1'));
    expect(a).toMatchObject({ code: 'AA', acknowledgedControlId: 'DD-9', ackControlId: 'A9', outcome: 'accepted' });
  });

  it('treats AE without any ERR as a rejection a person must see', () => {
    expect(ok(lines('MSH|^~\\&|X', 'MSA|AE|1')).outcome).toBe('rejected');
  });

  it('treats AE with only warnings (IIS Sandbox style) as accepted with warnings', () => {
    expect(ok(lines('MSH|^~\\&|X', 'MSA|AE|1', 'ERR||PD1^1^11|103|W||||Publicity ignored')).outcome).toBe('warning');
  });

  it('an informational "message accepted" ERR does not make a warning', () => {
    expect(ok(lines('MSH|^~\\&|X', 'MSA|AA|1', 'ERR|||0^Message accepted^HL70357|I')).outcome).toBe('accepted');
  });

  it('accepts lower-case and padded MSA-1 and the commit forms', () => {
    expect(ok(lines('MSH|^~\\&|X', 'MSA| aa |1')).code).toBe('AA');
    expect(ok(lines('MSH|^~\\&|X', 'MSA|CA|1')).outcome).toBe('accepted');
    expect(ok(lines('MSH|^~\\&|X', 'MSA|CE|1')).outcome).toBe('rejected');
    expect(ok(lines('MSH|^~\\&|X', 'MSA|CR|1')).messageRejected).toBe(true);
  });
});

describe('parseAck on garbage never throws', () => {
  const cases: [string, string][] = [
    ['', 'empty'],
    ['   \r\n', 'empty'],
    ['<soap:Fault>Server busy</soap:Fault>', 'not_hl7'],
    ['MSH|^~\\&|X\rPID|1', 'missing_msa'],
    ['MSH|^~\\&|X\rMSA|OK|1', 'unknown_ack_code'],
    ['MSH|^~\\&|X\rMSA|AA', 'missing_control_id'],
    ['MSH|^~', 'not_hl7'],
    ['\u0000\u0001binary', 'not_hl7'],
  ];
  it.each(cases)('%j → %s', (text, kind) => {
    const r = parseAck(text);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.kind).toBe(kind);
      expect(r.message.length).toBeGreaterThan(10);
    }
  });

  it('survives non-string input', () => {
    expect(parseAck(undefined as unknown as string).ok).toBe(false);
  });
});

describe('buildAck', () => {
  const at = new Date('2025-10-15T14:36:00Z');

  it('answers a VXU with a Z23 ACK that swaps sender and receiver and echoes MSH-10', () => {
    const text = buildAck({ received: parseMessage(SENT), code: 'AA', messageControlId: 'ACK-1', sentAt: at, offsetMinutes: -240 });
    expect(text.split('\r')).toEqual([
      'MSH|^~\\&|MIIS|99990|DoseDesk|10144|20251015103600-0400||ACK^V04^ACK|ACK-1|T|2.5.1|||NE|NE|||||Z23^CDCPHINVS||Sample Pharmacy^^^^^MIIS^XX^^^10144',
      'MSA|AA|DD-000457',
      '',
    ]);
    expect(ok(text)).toMatchObject({ code: 'AA', acknowledgedControlId: 'DD-000457', outcome: 'accepted' });
  });

  it('writes ERR segments that parseAck and @medplum/core read back', () => {
    const text = buildAck({
      received: parseMessage(SENT),
      code: 'AE',
      messageControlId: 'ACK-2',
      sentAt: at,
      errors: [
        { location: { segment: 'RXA', sequence: 1, field: 15 }, hl7Code: '101', severity: 'E', applicationCode: '7', userMessage: 'Lot | number ^ missing & more' },
        { location: { segment: 'PID', sequence: 1, field: 11, repetition: 1, component: 5 }, hl7Code: '102', severity: 'W', userMessage: 'ZIP ignored' },
      ],
    });
    const a = ok(text, SENT);
    expect(a.errors.map((e) => [e.formField, e.hl7Code, e.hl7Text, e.severity, e.applicationText, e.message])).toEqual([
      ['dose.lotNumber', '101', 'Required field missing', 'E', 'Required data missing', 'Lot | number ^ missing & more'],
      ['patient.address.zip', '102', 'Data type error', 'W', undefined, 'ZIP ignored'],
    ]);
    expect(compareWithMedplum(text).disagreements).toEqual([]);
    const m = MedplumMessage.parse(text);
    expect(m.getSegment('MSA')?.getField(2).toString()).toBe('DD-000457');
    expect(m.getAllSegments('ERR')).toHaveLength(2);
    expect(m.getAllSegments('ERR')[0]?.getField(2).toString()).toBe('RXA^1^15');
  });

  it('answers an unreadable message with AR and the control id it was given', () => {
    const text = buildAck({
      code: 'AR',
      receivedControlId: 'unknown',
      messageControlId: 'ACK-3',
      sentAt: at,
      sendingApplication: 'MIIS',
      errors: [{ hl7Code: '200', severity: 'E', userMessage: 'Unsupported message type' }],
    });
    expect(text.startsWith('MSH|^~\\&|MIIS||||20251015143600+0000||ACK^V04^ACK|ACK-3|P|2.5.1|||NE|NE|||||Z23^CDCPHINVS\r')).toBe(true);
    expect(ok(text)).toMatchObject({ code: 'AR', acknowledgedControlId: 'unknown', messageRejected: true });
  });
});

describe('headerProblem: errors no edit of a dose can fix', () => {
  const HEAD = 'MSH|^~\\&|MIIS|99990|DoseDesk|10144|20251015||ACK^V04^ACK|A1|P|2.5.1';

  it('an E on MSH-4 is the site identity, with the field named', () => {
    const a = ok(lines(HEAD, 'MSA|AR|DD-000457', 'ERR||MSH^1^4|204^Unknown key identifier^HL70357|E||||Sending facility 10144 is not registered'));
    expect(headerProblem(a)).toMatchObject({ kind: 'site_identity', field: 4, fieldName: 'sending facility', message: 'Sending facility 10144 is not registered' });
  });

  it.each([3, 5, 6, 11, 22, 23])('an E on MSH-%i is the site identity too', (field) => {
    const a = ok(lines(HEAD, 'MSA|AE|DD-000457', `ERR||MSH^1^${field}|103^Table value not found^HL70357|E`));
    expect(headerProblem(a)).toMatchObject({ kind: 'site_identity', field });
  });

  it.each([9, 12, 21])('an E on MSH-%i is the message format, the same for every message', (field) => {
    const a = ok(lines(HEAD, 'MSA|AR|DD-000457', `ERR||MSH^1^${field}|203^Unsupported version id^HL70357|E`));
    expect(headerProblem(a)).toMatchObject({ kind: 'message_header', field });
  });

  it.each([7, 10])('an E on MSH-%i belongs to this one message', (field) => {
    const a = ok(lines(HEAD, 'MSA|AE|DD-000457', `ERR||MSH^1^${field}|102^Data type error^HL70357|E`));
    expect(headerProblem(a)).toBeUndefined();
  });

  it('a warning on MSH-4, or an error on PID or RXA, is not a header problem', () => {
    expect(headerProblem(ok(lines(HEAD, 'MSA|AA|DD-000457', 'ERR||MSH^1^4|103^x^HL70357|W')))).toBeUndefined();
    expect(headerProblem(ok(lines(HEAD, 'MSA|AE|DD-000457', 'ERR||PID^1^7|101^x^HL70357|E', 'ERR||RXA^1^15|101^x^HL70357|E')))).toBeUndefined();
  });

  it('the header problem wins over a dose error in the same ACK', () => {
    const a = ok(lines(HEAD, 'MSA|AE|DD-000457', 'ERR||RXA^1^15|101^x^HL70357|E', 'ERR||MSH^1^4|204^x^HL70357|E'));
    expect(headerProblem(a)).toMatchObject({ kind: 'site_identity', field: 4 });
  });

  it('reads an unknown facility from the text when the registry points nowhere', () => {
    expect(headerProblem(ok(lines(HEAD, 'MSA|AR|DD-000457', 'ERR|||207^x^HL70357|E||||Facility ID 10144 is not recognized')))).toMatchObject({ kind: 'site_identity' });
    expect(headerProblem(ok(lines(HEAD, 'MSA|AR|DD-000457|Unknown organization code')))).toMatchObject({ kind: 'site_identity', message: 'Unknown organization code' });
    // A located error mentioning a facility is the dose's (RXA-11 can differ per dose).
    expect(headerProblem(ok(lines(HEAD, 'MSA|AE|DD-000457', 'ERR||RXA^1^11|103^x^HL70357|E||||Administered-at facility is invalid')))).toBeUndefined();
    expect(headerProblem(ok(lines(HEAD, 'MSA|AR|DD-000457', 'ERR|||207^x^HL70357|E||||Registry is down for maintenance')))).toBeUndefined();
  });
});
