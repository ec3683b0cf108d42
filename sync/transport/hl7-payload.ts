// How the HL7 text travels inside hl7Message/return: optional BHS/BTS batch wrapping and Base64
// (older MIIS connector, docs/domain.md §3.2). Only the MSH header is read here; full HL7 parsing
// belongs to sync/hl7.

/** ACKs arrive with CR, LF or CRLF segment ends (XML parsers turn raw CRs into LF). */
export function splitSegments(hl7: string): string[] {
  return hl7.split(/\r\n|\r|\n/).filter((s) => s.trim() !== '');
}

/** Raw MSH-n (n ≥ 3) of the first MSH segment, or '' when absent. */
export function mshField(hl7: string, n: number): string {
  const msh = splitSegments(hl7).find((s) => s.startsWith('MSH'));
  if (!msh || msh.length < 4) return '';
  const fields = msh.split(msh[3]);
  // fields[0] = 'MSH', fields[1] = MSH-2 (MSH-1 is the separator itself).
  return fields[n - 1] ?? '';
}

export function batchWrap(hl7: string): string {
  const fieldSep = hl7.startsWith('MSH') && hl7.length > 3 ? hl7[3] : '|';
  const header = [3, 4, 5, 6, 7].map((n) => mshField(hl7, n));
  const encoding = mshField(hl7, 2) || '^~\\&';
  const body = hl7.endsWith('\r') ? hl7 : `${hl7}\r`;
  return `BHS${fieldSep}${encoding}${fieldSep}${header.join(fieldSep)}\r${body}BTS${fieldSep}1\r`;
}

const BATCH_SEGMENTS = /^(FHS|BHS|BTS|FTS)/;

/** Removes FHS/BHS/BTS/FTS lines, keeping the original segment ends of the rest. */
export function batchUnwrap(hl7: string): string {
  const parts = hl7.split(/(\r\n|\r|\n)/);
  let out = '';
  for (let i = 0; i < parts.length; i += 2) {
    const seg = parts[i] ?? '';
    const end = parts[i + 1] ?? '';
    if (BATCH_SEGMENTS.test(seg)) continue;
    out += seg + end;
  }
  return out;
}

export function toBase64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

const BASE64 = /^[A-Za-z0-9+/\s]*={0,2}\s*$/;

/** Decodes Base64 when the text is Base64; a registry that answers in plain text anyway is tolerated. */
export function fromBase64IfEncoded(text: string): string {
  const t = text.trim();
  if (t === '' || /^(MSH|BHS|FHS)/.test(t) || !BASE64.test(t)) return text;
  return Buffer.from(t, 'base64').toString('utf8');
}

export interface PayloadOptions {
  payloadEncoding: 'plain' | 'base64';
  batchWrap: boolean;
}

export function encodePayload(hl7: string, o: PayloadOptions): string {
  const wrapped = o.batchWrap ? batchWrap(hl7) : hl7;
  return o.payloadEncoding === 'base64' ? toBase64(wrapped) : wrapped;
}

export function decodePayload(text: string, o: PayloadOptions): string {
  const plain = o.payloadEncoding === 'base64' ? fromBase64IfEncoded(text) : text;
  return batchUnwrap(plain);
}
