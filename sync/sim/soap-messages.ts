import { CDC_NS, SOAP12_NS, type CdcFaultType, type SoapOperation } from '../transport/soap-envelope';
import { child, childNames, escapeXmlText, parseXml, text, type XmlNode } from '../transport/xml';

// The registry side of the CDC 2011 SOAP contract: reading requests, writing answers and faults.

export interface SoapRequest {
  operation: SoapOperation;
  /** WS-Security UsernameToken from the header, when present. */
  wsse?: { username: string; password: string };
  /** username/password elements of the body, when present. */
  body?: { username: string; password: string };
  facilityId?: string;
  hl7Message?: string;
  echoBack?: string;
}

export type ParsedRequest =
  | { ok: true; request: SoapRequest }
  | { ok: false; unsupportedOperation?: string; why: string };

export function parseSoapRequest(xml: string): ParsedRequest {
  let doc: Record<string, XmlNode>;
  try {
    doc = parseXml(xml);
  } catch (e) {
    return { ok: false, why: `The request is not well-formed XML: ${e instanceof Error ? e.message : String(e)}` };
  }
  const env = doc['Envelope'];
  const body = child(env, 'Body');
  if (env === undefined || body === undefined) return { ok: false, why: 'The request is not a SOAP envelope with a Body.' };
  const token = child(child(child(env, 'Header'), 'Security'), 'UsernameToken');
  const wsse = token === undefined ? undefined : { username: text(child(token, 'Username')) ?? '', password: text(child(token, 'Password')) ?? '' };

  const submit = child(body, 'submitSingleMessage');
  if (submit !== undefined) {
    const u = text(child(submit, 'username'));
    const p = text(child(submit, 'password'));
    const request: SoapRequest = {
      operation: 'submitSingleMessage',
      facilityId: text(child(submit, 'facilityID')),
      hl7Message: text(child(submit, 'hl7Message')),
    };
    if (wsse) request.wsse = wsse;
    if ((u ?? '') !== '' || (p ?? '') !== '') request.body = { username: u ?? '', password: p ?? '' };
    return { ok: true, request };
  }
  const ct = child(body, 'connectivityTest');
  if (ct !== undefined) {
    return { ok: true, request: { operation: 'connectivityTest', echoBack: text(child(ct, 'echoBack')) ?? '' } };
  }
  const names = childNames(body);
  return { ok: false, unsupportedOperation: names[0] ?? '', why: `The operation ${names[0] ?? '(none)'} is not part of the CDC 2011 service.` };
}

export function buildReturnEnvelope(operation: SoapOperation, returnText: string, rawCr = false): string {
  // rawCr reproduces servers that put bare CRs in the XML: the client's parser turns them into LF.
  const escaped = rawCr ? escapeXmlText(returnText.replace(/\r/g, '\n')).replace(/\n/g, '\r') : escapeXmlText(returnText);
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<env:Envelope xmlns:env="${SOAP12_NS}"><env:Body>` +
    `<${operation}Response xmlns="${CDC_NS}"><return>${escaped}</return></${operation}Response>` +
    `</env:Body></env:Envelope>`
  );
}

/** Detail codes and texts as AIRA's reference server sends them (docs/domain.md §2.1). */
export const FAULT_DEFAULTS: Record<CdcFaultType, { code: string; reason: string; detail: string; soapCode: 'Sender' | 'Receiver' }> = {
  SecurityFault: { code: '10', reason: 'Security', detail: 'Invalid Username or Password', soapCode: 'Sender' },
  MessageTooLargeFault: {
    code: '1313',
    reason: 'MessageTooLarge',
    detail: 'More than one HL7 message was submitted. Please submit one and only one HL7 message per transaction',
    soapCode: 'Sender',
  },
  UnsupportedOperationFault: { code: '8675309', reason: 'UnsupportedOperation', detail: 'This operation is not supported', soapCode: 'Sender' },
  UnknownFault: { code: '54353', reason: 'Unknown', detail: 'An unexpected problem occurred', soapCode: 'Receiver' },
};

export function buildFaultEnvelope(type: CdcFaultType, detail?: string): string {
  const d = FAULT_DEFAULTS[type];
  const detailText = escapeXmlText(detail ?? d.detail);
  // The generic fault element of the WSDL stands for UnknownFault.
  const element = type === 'UnknownFault' ? 'fault' : type;
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<env:Envelope xmlns:env="${SOAP12_NS}"><env:Body><env:Fault>` +
    `<env:Code><env:Value>env:${d.soapCode}</env:Value></env:Code>` +
    `<env:Reason><env:Text xml:lang="en">${detailText}</env:Text></env:Reason>` +
    `<env:Detail><${element} xmlns="${CDC_NS}"><Code>${d.code}</Code><Reason>${d.reason}</Reason><Detail>${detailText}</Detail></${element}></env:Detail>` +
    `</env:Fault></env:Body></env:Envelope>`
  );
}

/** HTTP status per the SOAP 1.2 HTTP binding: Sender faults 400, others 500. */
export function faultHttpStatus(type: CdcFaultType): number {
  return FAULT_DEFAULTS[type].soapCode === 'Sender' ? 400 : 500;
}
