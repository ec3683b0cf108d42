import {
  buildConnectivityTestRequest,
  buildSubmitSingleMessageRequest,
  parseSoapResponse,
  soapContentType,
} from '../../../sync/transport/soap-envelope';
import { batchUnwrap, batchWrap, decodePayload, encodePayload, mshField, splitSegments } from '../../../sync/transport/hl7-payload';
import { parseRetryAfter, MAX_RETRY_AFTER_MS } from '../../../sync/transport/retry-after';
import { escapeXmlText, parseXml, child, text, UnencodableTextError } from '../../../sync/transport/xml';
import { buildFaultEnvelope, buildReturnEnvelope, parseSoapRequest } from '../../../sync/sim/soap-messages';

const HL7 = 'MSH|^~\\&|DoseDesk|10144|MIIS|99990|20251015093000-0500||VXU^V04^VXU_V04|C1|P|2.5.1\rPID|1||M1^^^X^MR||O<Brien&Co^Ana\r';

describe('request envelopes', () => {
  it('puts credentials in a WS-Security UsernameToken and leaves them out of the body (MIIS)', () => {
    const xml = buildSubmitSingleMessageRequest({ username: 'u&1', password: 'p<w>"', facilityId: '10144', hl7Message: HL7, credentialPlacement: 'wsse' });
    expect(xml).toContain('<wsse:UsernameToken');
    expect(xml).toContain('<wsse:Username>u&amp;1</wsse:Username>');
    expect(xml).toContain('#PasswordText">p&lt;w&gt;&quot;</wsse:Password>');
    expect(xml).not.toContain('<urn:username>');
    const req = parseSoapRequest(xml);
    expect(req.ok && req.request).toMatchObject({ operation: 'submitSingleMessage', wsse: { username: 'u&1', password: 'p<w>"' }, facilityId: '10144', hl7Message: HL7 });
    expect(req.ok && req.request.body).toBeUndefined();
  });

  it('puts credentials in the body elements of the WSDL when asked', () => {
    const xml = buildSubmitSingleMessageRequest({ username: 'u', password: 'p', facilityId: 'F', hl7Message: HL7, credentialPlacement: 'body' });
    expect(xml).not.toContain('Security');
    expect(xml).toMatch(/<urn:username>u<\/urn:username><urn:password>p<\/urn:password><urn:facilityID>F<\/urn:facilityID><urn:hl7Message>/);
    const req = parseSoapRequest(xml);
    expect(req.ok && req.request.body).toEqual({ username: 'u', password: 'p' });
  });

  it('sends carriage returns as &#13; so the receiver still sees CR segment ends', () => {
    const xml = buildSubmitSingleMessageRequest({ username: 'u', password: 'p', facilityId: 'F', hl7Message: HL7, credentialPlacement: 'body' });
    expect(xml).not.toContain('\r');
    expect(xml).toContain('2.5.1&#13;PID');
    expect(xml).toContain('O&lt;Brien&amp;Co');
    const req = parseSoapRequest(xml);
    expect(req.ok && req.request.hl7Message).toBe(HL7);
  });

  it('refuses control characters XML cannot carry instead of sending a broken envelope', () => {
    expect(() => escapeXmlText('A\u0001B', 'The HL7 message')).toThrow(UnencodableTextError);
    expect(escapeXmlText('tab\tand\nnewline')).toBe('tab\tand\nnewline');
  });

  it('reads an hl7Message sent as CDATA (MIIS 2020 connector), whose raw CRs arrive as LF', () => {
    const xml = `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:urn="urn:cdc:iisb:2011"><s:Body><urn:submitSingleMessage><urn:facilityID>F</urn:facilityID><urn:hl7Message><![CDATA[${HL7}]]></urn:hl7Message></urn:submitSingleMessage></s:Body></s:Envelope>`;
    const req = parseSoapRequest(xml);
    expect(req.ok && req.request.hl7Message).toBe(HL7.replace(/\r/g, '\n'));
  });

  it('names the SOAP 1.2 action in the content type', () => {
    expect(soapContentType('submitSingleMessage')).toBe('application/soap+xml; charset=utf-8; action="urn:cdc:iisb:2011:submitSingleMessage"');
    const ct = parseSoapRequest(buildConnectivityTestRequest('hello'));
    expect(ct.ok && ct.request).toEqual({ operation: 'connectivityTest', echoBack: 'hello' });
  });
});

describe('response envelopes', () => {
  it('reads return text whatever the prefixes, keeping CRs sent as &#13;', () => {
    const ack = 'MSH|^~\\&|MIIS|99990\rMSA|AA|C1\r';
    expect(parseSoapResponse(buildReturnEnvelope('submitSingleMessage', ack))).toEqual({ kind: 'return', operation: 'submitSingleMessage', text: ack });
    const soapPrefixed =
      '<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body><ns2:submitSingleMessageResponse xmlns:ns2="urn:cdc:iisb:2011"><ns2:return>MSH|^~\\&amp;|A&#13;MSA|AA|1&#13;</ns2:return></ns2:submitSingleMessageResponse></soap:Body></soap:Envelope>';
    expect(parseSoapResponse(soapPrefixed)).toEqual({ kind: 'return', operation: 'submitSingleMessage', text: 'MSH|^~\\&|A\rMSA|AA|1\r' });
  });

  it.each([
    ['SecurityFault', '10'],
    ['MessageTooLargeFault', '1313'],
    ['UnsupportedOperationFault', '8675309'],
    ['UnknownFault', '54353'],
  ] as const)('recognises %s from its detail element', (type, code) => {
    const parsed = parseSoapResponse(buildFaultEnvelope(type));
    expect(parsed).toMatchObject({ kind: 'fault', faultType: type, detailCode: code });
  });

  it('reads a SOAP 1.1 style fault without CDC detail as UnknownFault', () => {
    const xml = '<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body><S:Fault><faultcode>S:Server</faultcode><faultstring>Database down</faultstring></S:Fault></S:Body></S:Envelope>';
    expect(parseSoapResponse(xml)).toMatchObject({ kind: 'fault', faultType: 'UnknownFault', soapCode: 'Server', reasonText: 'Database down' });
  });

  it.each([
    ['truncated XML', '<env:Envelope xmlns:env="x"><env:Body><submitSingleMessageResponse><return>MSH'],
    ['HTML error page', '<html><body>Bad gateway</body></html>'],
    ['envelope without a response', '<Envelope><Body><somethingElse/></Body></Envelope>'],
    ['empty body', ''],
    ['DTD with entities', '<?xml version="1.0"?><!DOCTYPE e [<!ENTITY a "aaaa">]><Envelope><Body><submitSingleMessageResponse><return>&a;</return></submitSingleMessageResponse></Body></Envelope>'],
  ])('reports %s as malformed instead of throwing', (_name, xml) => {
    expect(parseSoapResponse(xml).kind).toBe('malformed');
  });

  it('keeps leading zeros and whitespace of values', () => {
    const doc = parseXml('<a><b> 007 </b></a>');
    expect(text(child(doc['a'], 'b'))).toBe(' 007 ');
  });
});

describe('HL7 payload handling', () => {
  it('splits ACKs on CR, LF or CRLF', () => {
    expect(splitSegments('MSH|a\rMSA|AA\r')).toEqual(['MSH|a', 'MSA|AA']);
    expect(splitSegments('MSH|a\nMSA|AA\n')).toEqual(['MSH|a', 'MSA|AA']);
    expect(splitSegments('MSH|a\r\nMSA|AA\r\nERR|x')).toEqual(['MSH|a', 'MSA|AA', 'ERR|x']);
  });

  it('wraps in BHS/BTS from the MSH header and unwraps back to the same message', () => {
    const wrapped = batchWrap(HL7);
    const lines = wrapped.split('\r');
    expect(lines[0]).toBe('BHS|^~\\&|DoseDesk|10144|MIIS|99990|20251015093000-0500');
    expect(lines.at(-2)).toBe('BTS|1');
    expect(batchUnwrap(wrapped)).toBe(HL7);
    expect(mshField(HL7, 10)).toBe('C1');
  });

  it('round-trips Base64 with batch wrapping, and tolerates a plain-text answer', () => {
    const o = { payloadEncoding: 'base64' as const, batchWrap: true };
    const encoded = encodePayload(HL7, o);
    expect(encoded).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(decodePayload(encoded, o)).toBe(HL7);
    expect(decodePayload('MSH|^~\\&|X\rMSA|AA|1\r', o)).toBe('MSH|^~\\&|X\rMSA|AA|1\r');
  });
});

describe('Retry-After', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it('reads seconds and HTTP dates, and ignores nonsense', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('99999999', now)).toBe(MAX_RETRY_AFTER_MS);
  });
});
