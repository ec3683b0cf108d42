import { XMLParser } from 'fast-xml-parser';

// XML helpers shared by the transport and the simulator.

// Characters XML 1.0 cannot carry at all, even escaped.
// eslint-disable-next-line no-control-regex
const NOT_XML_CHARS = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/;

export class UnencodableTextError extends Error {
  constructor(what: string) {
    super(`${what} contains control characters that cannot be sent in XML; the message must be rebuilt with them removed or HL7-escaped.`);
    this.name = 'UnencodableTextError';
  }
}

/**
 * Escapes text for an XML element. CR becomes `&#13;` because an XML parser turns a raw CR (and
 * CRLF) into LF, and HL7 segments must still end in CR on the other side.
 */
export function escapeXmlText(text: string, what = 'The text'): string {
  if (NOT_XML_CHARS.test(text)) throw new UnencodableTextError(what);
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\r/g, '&#13;');
}

/** A parsed element: fast-xml-parser yields strings for text-only elements, objects otherwise. */
export type XmlNode = string | { [name: string]: XmlNode | XmlNode[] };

// Prefixes are dropped: servers use soap:, env:, S: or a default namespace interchangeably.
// Values stay strings and untrimmed so an HL7 message keeps its trailing CR and leading zeros.
const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

/** Parses a SOAP envelope; throws on malformed XML or a DTD (SOAP 1.2 forbids DTDs in envelopes). */
export function parseXml(xml: string): Record<string, XmlNode> {
  // Refusing DTDs outright keeps entity-expansion tricks out of both the client and the simulator.
  if (/<!DOCTYPE/i.test(xml)) throw new Error('a SOAP message must not contain a document type declaration');
  return parser.parse(xml, true) as Record<string, XmlNode>;
}

/** Child element by local name; the first one if it repeats. */
export function child(node: XmlNode | XmlNode[] | undefined, name: string): XmlNode | undefined {
  const n = Array.isArray(node) ? node[0] : node;
  if (n === undefined || typeof n === 'string') return undefined;
  const c = n[name];
  return Array.isArray(c) ? c[0] : c;
}

/** Text content of an element: '' for an empty element, undefined if it is not text. */
export function text(node: XmlNode | undefined): string | undefined {
  if (node === undefined) return undefined;
  if (typeof node === 'string') return node;
  const t = node['#text'];
  if (typeof t === 'string') return t;
  // An element with only whitespace children between tags, or empty: no text.
  return Object.keys(node).length === 0 ? '' : undefined;
}

export function childNames(node: XmlNode | undefined): string[] {
  if (node === undefined || typeof node === 'string') return [];
  return Object.keys(node).filter((k) => k !== '#text');
}
