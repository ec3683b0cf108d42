// Builders for the composite HL7 data types the IZ guide constrains (docs/domain.md §1.3), from the
// domain model's shapes. Each returns one repetition; `reps()` combines them.
import type { Clinician } from '../../electron/domain/clinician';
import type { Address } from '../../electron/domain/patient';
import type { HierarchicDesignator, ResponsibleOrganization } from './config';
import { comps, type Hl7Field } from './message';

/** HD as a field (MSH-3..6). */
export function hd(v: HierarchicDesignator | undefined): Hl7Field | undefined {
  if (!v) return undefined;
  return comps(v.namespaceId, v.universalId, v.universalIdType ?? (v.universalId ? 'ISO' : undefined));
}

/** HD inside a component (CX.4, XCN.9, XON.6): its parts become subcomponents. */
export function hdSub(namespaceId: string | undefined): string[] {
  return [namespaceId ?? ''];
}

/** CE/CWE: `code^text^system`, optionally with an alternate triplet. */
export function ce(code: string, text: string, system: string, alt?: { code: string; text: string; system: string }): Hl7Field {
  return alt ? comps(code, text, system, alt.code, alt.text, alt.system) : comps(code, text, system);
}

/** XON: `name^^^^^authority^type^^^identifier`. */
export function xon(o: ResponsibleOrganization | undefined): Hl7Field | undefined {
  if (!o) return undefined;
  return comps(o.name, '', '', '', '', hdSub(o.assigningAuthority), o.identifier ? (o.identifierTypeCode ?? 'XX') : '', '', '', o.identifier);
}

/** CX: `id^^^authority^type`. */
export function cx(id: string, authority: string, type: string): Hl7Field {
  return comps(id, '', '', hdSub(authority), type);
}

/** XPN: `family^given^middle^suffix^prefix^^type`. */
export function xpn(family: string, given: string | undefined, middle: string | undefined, suffix: string | undefined, type: string): Hl7Field {
  return comps(family, given, middle, suffix, '', '', type);
}

/** XAD: `street^other^city^state^zip^country^type`. */
export function xad(a: Address | undefined, type: string): Hl7Field | undefined {
  if (!a) return undefined;
  return comps(a.street1, a.street2, a.city, a.state, a.zip, a.country, type);
}

/** North American numbers split into area code and local number; anything else stays whole. */
export function splitPhone(phone: string): { area: string; local: string } {
  let digits = phone.replace(/\D/g, '');
  if (digits.length === 11 && digits.startsWith('1')) digits = digits.slice(1);
  if (digits.length === 10) return { area: digits.slice(0, 3), local: digits.slice(3) };
  return { area: '', local: digits };
}

/** XTN phone: `^PRN^PH^^^area^local` (XTN.1 is X in the IZ guide). */
export function xtnPhone(phone: string | undefined, use = 'PRN', equipment = 'PH'): Hl7Field | undefined {
  if (!phone) return undefined;
  const { area, local } = splitPhone(phone);
  if (!local) return undefined;
  return comps('', use, equipment, '', '', area, local);
}

/** XTN email: `^NET^Internet^address`. */
export function xtnEmail(email: string | undefined): Hl7Field | undefined {
  return email ? comps('', 'NET', 'Internet', email) : undefined;
}

/**
 * XCN for a clinician: NPI (authority CMS, type NPI) when known, else the local id; credential
 * in XCN.21 (105 CMR 222.100 asks for the administrator's title).
 */
export function xcnClinician(c: Clinician | undefined, npiAuthority: string, localAuthority: string): Hl7Field | undefined {
  if (!c) return undefined;
  const id = c.npi ?? c.localId ?? '';
  const authority = c.npi ? npiAuthority : c.localId ? localAuthority : '';
  const idType = c.npi ? 'NPI' : c.localId ? 'PRN' : '';
  const parts: (string | string[])[] = [id, c.lastName, c.firstName, '', '', '', '', '', hdSub(authority), 'L', '', '', idType];
  while (parts.length < 20) parts.push('');
  parts.push(c.credential);
  return comps(...parts);
}

/** XCN with only a name (ORC-10 entered by). */
export function xcnName(n: { lastName: string; firstName: string } | undefined): Hl7Field | undefined {
  return n ? comps('', n.lastName, n.firstName) : undefined;
}
