import { child, childNames, escapeXmlText, parseXml, text, type XmlNode } from './xml';

// The CDC IIS 2011 SOAP 1.2 contract (build/sources/cdc-wsdl/cdc-iis-2011.wsdl, docs/domain.md §2.1).

export const SOAP12_NS = 'http://www.w3.org/2003/05/soap-envelope';
export const CDC_NS = 'urn:cdc:iisb:2011';
export const WSSE_NS = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
export const WSU_NS = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd';
export const WSSE_PASSWORD_TEXT =
  'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText';

export type SoapOperation = 'submitSingleMessage' | 'connectivityTest';

export function soapContentType(operation: SoapOperation): string {
  return `application/soap+xml; charset=utf-8; action="${CDC_NS}:${operation}"`;
}

export interface SubmitRequestFields {
  username: string;
  password: string;
  facilityId: string;
  /** Already encoded as the endpoint wants it (plain or Base64). */
  hl7Message: string;
  credentialPlacement: 'wsse' | 'body';
}

function wsseHeader(username: string, password: string): string {
  return (
    `<wsse:Security xmlns:wsse="${WSSE_NS}" soap:mustUnderstand="true">` +
    `<wsse:UsernameToken wsu:Id="UsernameToken-1" xmlns:wsu="${WSU_NS}">` +
    `<wsse:Username>${escapeXmlText(username, 'The username')}</wsse:Username>` +
    `<wsse:Password Type="${WSSE_PASSWORD_TEXT}">${escapeXmlText(password, 'The password')}</wsse:Password>` +
    `</wsse:UsernameToken></wsse:Security>`
  );
}

function envelope(header: string, body: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<soap:Envelope xmlns:soap="${SOAP12_NS}" xmlns:urn="${CDC_NS}">` +
    `<soap:Header>${header}</soap:Header><soap:Body>${body}</soap:Body></soap:Envelope>`
  );
}

export function buildSubmitSingleMessageRequest(f: SubmitRequestFields): string {
  const inBody = f.credentialPlacement === 'body';
  const body =
    `<urn:submitSingleMessage>` +
    (inBody
      ? `<urn:username>${escapeXmlText(f.username, 'The username')}</urn:username>` +
        `<urn:password>${escapeXmlText(f.password, 'The password')}</urn:password>`
      : '') +
    `<urn:facilityID>${escapeXmlText(f.facilityId, 'The facility ID')}</urn:facilityID>` +
    `<urn:hl7Message>${escapeXmlText(f.hl7Message, 'The HL7 message')}</urn:hl7Message>` +
    `</urn:submitSingleMessage>`;
  return envelope(inBody ? '' : wsseHeader(f.username, f.password), body);
}

export function buildConnectivityTestRequest(echoBack: string): string {
  return envelope('', `<urn:connectivityTest><urn:echoBack>${escapeXmlText(echoBack)}</urn:echoBack></urn:connectivityTest>`);
}

export type CdcFaultType = 'SecurityFault' | 'MessageTooLargeFault' | 'UnsupportedOperationFault' | 'UnknownFault';

export type SoapResponse =
  | { kind: 'return'; operation: SoapOperation; text: string }
  | {
      kind: 'fault';
      /** From the Detail element; UnknownFault when the detail is the generic `fault` or absent. */
      faultType: CdcFaultType;
      /** SOAP 1.2 Code/Value, e.g. Sender or Receiver (prefix removed). */
      soapCode: string;
      reasonText: string;
      detailCode?: string;
      detailText?: string;
    }
  | { kind: 'malformed'; why: string };

function stripPrefix(v: string): string {
  const i = v.indexOf(':');
  return (i >= 0 ? v.slice(i + 1) : v).trim();
}

function parseFault(fault: XmlNode): SoapResponse {
  // SOAP 1.2: Code/Value, Reason/Text, Detail/*; SOAP 1.1 servers send faultcode/faultstring/detail.
  const soapCode = stripPrefix(text(child(child(fault, 'Code'), 'Value')) ?? text(child(fault, 'faultcode')) ?? '');
  const reasonText = (text(child(child(fault, 'Reason'), 'Text')) ?? text(child(fault, 'faultstring')) ?? '').trim();
  const detail = child(fault, 'Detail') ?? child(fault, 'detail');
  let faultType: CdcFaultType = 'UnknownFault';
  let detailCode: string | undefined;
  let detailText: string | undefined;
  for (const name of childNames(detail)) {
    if (name === 'SecurityFault' || name === 'MessageTooLargeFault' || name === 'UnsupportedOperationFault') {
      faultType = name;
    } else if (name !== 'fault' && name !== 'UnknownFault') {
      continue;
    }
    const d = child(detail, name);
    detailCode = text(child(d, 'Code'))?.trim();
    detailText = text(child(d, 'Detail'))?.trim();
    break;
  }
  return { kind: 'fault', faultType, soapCode, reasonText, detailCode, detailText };
}

/** Reads a response envelope by local names; anything unexpected is `malformed`, never a throw. */
export function parseSoapResponse(xml: string): SoapResponse {
  let doc: Record<string, XmlNode>;
  try {
    doc = parseXml(xml);
  } catch (e) {
    return { kind: 'malformed', why: `the answer is not well-formed XML (${e instanceof Error ? e.message : String(e)})` };
  }
  const env = doc['Envelope'];
  if (env === undefined) return { kind: 'malformed', why: 'the answer is not a SOAP envelope' };
  const body = child(env, 'Body');
  if (body === undefined) return { kind: 'malformed', why: 'the SOAP envelope has no Body' };
  const fault = child(body, 'Fault');
  if (fault !== undefined) return parseFault(fault);
  for (const operation of ['submitSingleMessage', 'connectivityTest'] as const) {
    const resp = child(body, `${operation}Response`);
    if (resp === undefined) continue;
    const ret = text(child(resp, 'return'));
    if (ret === undefined) return { kind: 'malformed', why: `${operation}Response has no return text` };
    return { kind: 'return', operation, text: ret };
  }
  return { kind: 'malformed', why: `the SOAP Body holds ${childNames(body).join(', ') || 'nothing'} instead of a response` };
}
