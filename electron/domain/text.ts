import { z } from 'zod';

// Which characters typed text may hold, decided once for every free-text field by where the
// text goes. Names, addresses, identifiers and lot numbers travel to MIIS inside an HL7 VXU,
// inside a SOAP (XML 1.0) envelope, as UTF-8 (docs/domain.md §1.2, §2.1):
// - `|^~\&` can be sent: sync/hl7/encoding.ts escapes them, and they round-trip. Addresses and
//   lot numbers (GS1 allows `&` in a lot) keep them; no name holds one, so in a name they are a
//   typo, and an escaped one also makes the name longer on the wire than the profile counts;
// - control characters are not: XML 1.0 cannot carry most of them even escaped, and a CR or LF
//   would end an HL7 segment. Caught at send time they strand a dose with a message that names
//   no field, so they are refused here, at entry, on the field that holds them;
// - invisible format characters (bidi overrides, zero-width spaces, BOMs, soft hyphens) and
//   U+FFFD (what is left of a character a copy garbled) look like nothing on screen and make
//   two spellings of one name: refused, with their code point so someone can find them;
// - emoji and pictographic symbols are no part of any name or address and registries store
//   names in name-shaped columns: refused;
// - every letter of every script is a name's business (José, Nguyễn, Zoë, O'Brien, 陈, محمد,
//   Ólafsdóttir, ʻIolani), so names are checked by Unicode category, never against ASCII.
// Notes stay on this machine (nothing sends them), so they may hold line breaks and emoji, but
// no other control characters.

/** Which rule a field's text follows. */
export type TextKind = 'name' | 'line' | 'notes' | 'identifier' | 'lot';

export type TextProblem =
  | { kind: 'control'; char: string; codePoint: number; index: number }
  | { kind: 'invisible'; char: string; codePoint: number; index: number }
  | { kind: 'emoji'; char: string; codePoint: number; index: number }
  | { kind: 'not_allowed'; char: string; codePoint: number; index: number }
  | { kind: 'no_letter' };

// Zero-width non-joiner and joiner are how Persian, Urdu and Indic names are spelled correctly.
const JOINERS = new Set([0x200c, 0x200d]);
const EMOJI = /[\p{Extended_Pictographic}\p{Emoji_Modifier}\p{Regional_Indicator}\u20E3]/u;
const FORMAT = /[\p{Cf}\p{Zl}\p{Zp}\p{Co}]/u;
// Variation selectors are combining marks to Unicode, but invisible to a reader (and U+FE0F is
// what turns text into emoji).
const VARIATION_SELECTOR = /[\uFE00-\uFE0F\u{E0100}-\u{E01EF}]/u;
const CONTROL = /\p{Cc}/u;
const SPACE = /\p{Zs}/gu;

/** Letters, marks and the punctuation real names carry (apostrophes, hyphens, periods). */
const NAME_CHAR = /^[\p{L}\p{M}\p{Nd} '’‘`´.,·\-‐‑]$/u;
const LETTER = /\p{L}/u;
/** What an MRN, a registry id or a clinician's local id is made of: printable ASCII. */
const IDENTIFIER_CHAR = /^[\x20-\x7E]$/;
/** GS1's character set 82 (what AI (10) on a vial's barcode may hold), plus spaces typed in. */
const LOT_CHAR = /^[A-Za-z0-9 !"%&'()*+,\-./:;<=>?_]$/;
const LETTER_OR_DIGIT = /[\p{L}\p{Nd}]/u;

function isNoncharacter(cp: number): boolean {
  return (cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) === 0xfffe;
}

type CharProblem = Exclude<TextProblem['kind'], 'no_letter'>;

function classify(ch: string, cp: number, kind: TextKind): CharProblem | undefined {
  if (CONTROL.test(ch)) return kind === 'notes' && (ch === '\n' || ch === '\t') ? undefined : 'control';
  if (cp >= 0xd800 && cp <= 0xdfff) return 'invisible'; // half of a character: a broken copy
  if (isNoncharacter(cp) || cp === 0xfffd || VARIATION_SELECTOR.test(ch)) return 'invisible';
  if (FORMAT.test(ch)) return JOINERS.has(cp) && kind !== 'identifier' && kind !== 'lot' ? undefined : 'invisible';
  if (EMOJI.test(ch)) return kind === 'notes' ? undefined : 'emoji';
  if (kind === 'name' && !NAME_CHAR.test(ch)) return 'not_allowed';
  if (kind === 'identifier' && !IDENTIFIER_CHAR.test(ch)) return 'not_allowed';
  if (kind === 'lot' && !LOT_CHAR.test(ch)) return 'not_allowed';
  return undefined;
}

/** The first character `text` may not hold as this kind of field, if any. */
export function findTextProblem(text: string, kind: TextKind): TextProblem | undefined {
  let index = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) as number;
    const problem = classify(ch, cp, kind);
    if (problem) return { kind: problem, char: ch, codePoint: cp, index };
    index += ch.length;
  }
  if (text !== '' && kind === 'name' && !LETTER.test(text)) return { kind: 'no_letter' };
  if (text !== '' && kind === 'lot' && !LETTER_OR_DIGIT.test(text)) return { kind: 'no_letter' };
  return undefined;
}

const hex = (cp: number) => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;

function where(text: string, index: number): string {
  if (index === 0) return 'at the start';
  const before = Array.from(text.slice(0, index)).slice(-12).join('');
  return `after “${before}”`;
}

const ALLOWED: Record<TextKind, string> = {
  name: 'A name may hold letters of any alphabet, spaces, hyphens, apostrophes and periods.',
  line: '',
  notes: '',
  identifier: 'Use letters A–Z, digits and punctuation from a US keyboard.',
  lot: 'Type it as printed on the vial or box: letters, digits and - . / are usual.',
};

/** A message for the person at the keyboard: what is wrong, where, and what to do. */
export function describeTextProblem(what: string, text: string, problem: TextProblem, kind: TextKind): string {
  switch (problem.kind) {
    case 'control':
    case 'invisible': {
      const label = problem.kind === 'control' ? 'an invisible control character' : 'an invisible character';
      return `${what} contains ${label} (${hex(problem.codePoint)}) ${where(text, problem.index)}, usually left by copying from another program. Clear the field and type it again.`;
    }
    case 'emoji':
      return `${what} cannot contain “${problem.char}”: emoji and picture symbols cannot be sent to MIIS. Remove it.`;
    case 'not_allowed':
      return `${what} cannot contain “${problem.char}”. ${ALLOWED[kind]}`.trim();
    case 'no_letter':
      return kind === 'lot' ? `${what} needs at least one letter or digit.` : `${what} needs at least one letter.`;
  }
}

/** Machine codes for each problem, stable for tests and translations. */
export const TEXT_ISSUE_CODES: Record<TextProblem['kind'], string> = {
  control: 'text_control_character',
  invisible: 'text_invisible_character',
  emoji: 'text_emoji',
  not_allowed: 'text_character_not_allowed',
  no_letter: 'text_no_letter',
};

/**
 * The one place typed text is tidied before it is checked: any kind of space becomes a plain
 * one (a no-break space pasted from a web page is still a space), line ends become `\n`, and
 * letters are composed (NFC), so "Nguyễn" typed on a Mac and on Windows is one spelling.
 */
function tidy(kind: TextKind) {
  return (v: string): string => {
    const lines = kind === 'notes' ? v.replace(/\r\n?/g, '\n') : v;
    return lines.replace(SPACE, ' ').normalize('NFC').trim();
  };
}

export interface TextFieldSpec {
  /** The field's name as the form labels it ("Middle name"). */
  what: string;
  /** Most characters (UTF-16 units, as the NIST profile check counts them). */
  max: number;
  kind: TextKind;
}

/** A string schema that tidies, bounds and checks the characters of one kind of field. */
export function textSchema({ what, max, kind }: TextFieldSpec) {
  return z
    .string({ message: `${what} must be text.` })
    .overwrite(tidy(kind))
    .max(max, { message: `${what} can be at most ${max} characters.` })
    .superRefine((value, ctx) => {
      const problem = findTextProblem(value, kind);
      if (problem) ctx.addIssue({ code: 'custom', message: describeTextProblem(what, value, problem, kind), params: { code: TEXT_ISSUE_CODES[problem.kind] } });
    });
}

/** Required text: blank (after tidying) is "required", not "too short". */
export function requiredTextField(spec: TextFieldSpec) {
  return textSchema(spec).min(1, { message: `${spec.what} is required.` });
}

/** Optional text: an emptied field becomes undefined, so "cleared" and "never set" are one state. */
export function optionalTextField(spec: TextFieldSpec) {
  return textSchema(spec)
    .transform((v) => (v === '' ? undefined : v))
    .optional();
}
