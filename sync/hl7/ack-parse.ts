// Reads a registry's ACK into a typed result. Never throws: a malformed or empty ACK becomes a
// typed error the sync engine can record, because an ACK we misread is a rejection nobody sees.
import { ACK_CODES, hl70357Text, type AckCode, type ErrorLocation, type ErrorSeverity } from './ack-types';
import { formFieldFor } from './form-fields';
import { Hl7ParseError, parseMessage, serializeSegment, type Hl7Message, type Hl7Segment } from './message';

export interface AckError {
  /** ERR-2 (or the 2.3.1-style ERR-1 when ERR-2 is empty). */
  location?: ErrorLocation;
  /** The domain property the location concerns (`dose.lotNumber`), for the work queue. */
  formField?: string;
  /** ERR-3.1, HL7 table 0357. */
  hl7Code?: string;
  hl7Text?: string;
  /** ERR-4; when the registry left it empty, `E` (conservative) unless ERR-3 is `0`. */
  severity: ErrorSeverity;
  severityGiven: boolean;
  /** ERR-5, table 0533 or the registry's own code. */
  applicationCode?: string;
  applicationText?: string;
  applicationCodingSystem?: string;
  /** The registry's words for a person: ERR-8, else ERR-9 (IG erratum), ERR-7, MSA-3, code texts. */
  message: string;
  /** The ERR segment as received. */
  raw: string;
}

export type AckOutcome = 'accepted' | 'warning' | 'rejected';

export interface ParsedAck {
  ok: true;
  /** MSA-1. */
  code: AckCode;
  /** MSA-2: MSH-10 of the message this acknowledges. */
  acknowledgedControlId: string;
  /** MSH-10 of the ACK itself. */
  ackControlId: string;
  /** MSA-3, which many registries fill although Z23 marks it X. */
  text?: string;
  errors: AckError[];
  /** What happened to the message as a whole, for the outbox state. */
  outcome: AckOutcome;
  /** True when the whole message was refused (AR/CR, or an error on MSH/PID or without location). */
  messageRejected: boolean;
  /** 1-based order groups (ORC/RXA/RXR occurrences) with an error-severity problem. */
  rejectedOrderGroups: number[];
  /** A reject the registry may accept later unchanged (record locked, internal error). */
  retryable: boolean;
}

export type AckParseErrorKind = 'empty' | 'not_hl7' | 'missing_msa' | 'unknown_ack_code' | 'missing_control_id';

export interface AckParseFailure {
  ok: false;
  kind: AckParseErrorKind;
  /** What an IT admin needs to know, in words. */
  message: string;
  /** The first 500 characters of what was received. */
  excerpt: string;
}

export type AckParseResult = ParsedAck | AckParseFailure;

export interface ParseAckOptions {
  /** The message the ACK answers: resolves OBX error locations to form fields. */
  sent?: Hl7Message | string;
}

const NON_GROUP_SEGMENTS = new Set(['MSH', 'PID', 'SFT', 'BHS', 'FHS']);
const ORDER_SEGMENTS = new Set(['ORC', 'RXA', 'RXR', 'TQ1', 'TQ2']);
const TRANSIENT_CODES = new Set(['206', '207']);

const positiveInt = (s: string): number | undefined => {
  const n = Number(s.trim());
  return s.trim() !== '' && Number.isInteger(n) && n > 0 ? n : undefined;
};

function readLocation(err: Hl7Segment): ErrorLocation | undefined {
  const segment = err.get(2).trim().toUpperCase();
  if (segment) {
    const loc: ErrorLocation = { segment };
    const keys = ['sequence', 'field', 'repetition', 'component', 'subcomponent'] as const;
    keys.forEach((k, i) => {
      const v = positiveInt(err.get(2, { comp: i + 2 }));
      if (v !== undefined) loc[k] = v;
    });
    return loc;
  }
  // HL7 2.3.1 ELD in ERR-1: segment^sequence^field^code(CE, as subcomponents)
  const old = err.get(1).trim().toUpperCase();
  if (!old) return undefined;
  const loc: ErrorLocation = { segment: old };
  const seq = positiveInt(err.get(1, { comp: 2 }));
  const field = positiveInt(err.get(1, { comp: 3 }));
  if (seq !== undefined) loc.sequence = seq;
  if (field !== undefined) loc.field = field;
  return loc;
}

function readError(err: Hl7Segment, msaText: string, d: Hl7Message['delimiters'], sent?: Hl7Message): AckError {
  const location = readLocation(err);
  const hl7Code = err.get(3).trim() || err.get(1, { comp: 4 }).trim() || undefined;
  const hl7Text = err.get(3, { comp: 2 }).trim() || err.get(1, { comp: 4, sub: 2 }).trim() || (hl7Code ? hl70357Text(hl7Code) : '') || undefined;
  const sevRaw = err.get(4).trim().toUpperCase();
  const severityGiven = sevRaw === 'E' || sevRaw === 'W' || sevRaw === 'I';
  const severity: ErrorSeverity = severityGiven ? (sevRaw as ErrorSeverity) : hl7Code === '0' ? 'I' : 'E';
  const applicationCode = err.get(5).trim() || undefined;
  const applicationText = err.get(5, { comp: 2 }).trim() || undefined;
  const applicationCodingSystem = err.get(5, { comp: 3 }).trim() || undefined;
  const message =
    err.get(8).trim() ||
    // Several IG R1.5 ACK examples put the user text one field late, in ERR-9; registries copy them.
    err.get(9).trim() ||
    err.get(7).trim() ||
    msaText ||
    [hl7Text, applicationText].filter(Boolean).join(': ') ||
    'The registry reported a problem without describing it.';
  const out: AckError = { severity, severityGiven, message, raw: serializeSegment(err, d) };
  if (location) {
    out.location = location;
    const formField = formFieldFor(location, sent);
    if (formField) out.formField = formField;
  }
  if (hl7Code) out.hl7Code = hl7Code;
  if (hl7Text) out.hl7Text = hl7Text;
  if (applicationCode) out.applicationCode = applicationCode;
  if (applicationText) out.applicationText = applicationText;
  if (applicationCodingSystem) out.applicationCodingSystem = applicationCodingSystem;
  return out;
}

function failure(kind: AckParseErrorKind, message: string, text: string): AckParseFailure {
  return { ok: false, kind, message, excerpt: text.slice(0, 500) };
}

function classify(code: AckCode, errors: AckError[]): Pick<ParsedAck, 'outcome' | 'messageRejected' | 'rejectedOrderGroups' | 'retryable'> {
  const hard = errors.filter((e) => e.severity === 'E');
  const refused = code === 'AR' || code === 'CR';
  const messageRejected =
    refused || hard.some((e) => !e.location || NON_GROUP_SEGMENTS.has(e.location.segment)) || (code === 'AE' && errors.length === 0);
  const groups = new Set<number>();
  for (const e of hard) if (e.location && ORDER_SEGMENTS.has(e.location.segment)) groups.add(e.location.sequence ?? 1);
  const rejectedOrderGroups = [...groups].sort((a, b) => a - b);
  // Any error-severity problem needs a person: with one dose per message, a dose-level error
  // is the message's only dose, and an error elsewhere may have dropped data we cannot see.
  const outcome: AckOutcome =
    messageRejected || hard.length > 0 || code === 'CE'
      ? 'rejected'
      : errors.some((e) => e.severity === 'W' || (e.severity === 'I' && e.hl7Code !== '0')) || code === 'AE'
        ? 'warning'
        : 'accepted';
  const retryable = refused && hard.length > 0 && hard.every((e) => e.hl7Code !== undefined && TRANSIENT_CODES.has(e.hl7Code));
  return { outcome, messageRejected, rejectedOrderGroups, retryable };
}

/**
 * MSH fields that carry who is sending and to whom, all from the site's configuration (Vaccine
 * PIN, receiving application and facility, processing mode, responsible organizations).
 */
const SITE_IDENTITY_FIELDS: ReadonlyMap<number, string> = new Map([
  [3, 'sending application'],
  [4, 'sending facility'],
  [5, 'receiving application'],
  [6, 'receiving facility'],
  [11, 'processing ID (production or test)'],
  [22, 'sending responsible organization'],
  [23, 'receiving responsible organization'],
]);

/** MSH fields that belong to one message, not to every message: an error there is that message's. */
const PER_MESSAGE_FIELDS = new Set([7, 10]);

// Registries that report an unknown org code without pointing at MSH-4 (in ERR-8 or MSA-3).
const FACILITY_WORDS = /\b(facility|facility id|org(?:anization|anisation)?(?: code| id)?|vaccine pin|pin)\b/i;
const NOT_KNOWN_WORDS = /\b(unknown|invalid|not (?:recogni[sz]ed|registered|found|valid|active|authori[sz]ed|enrolled)|inactive|unregistered|does not match|mismatch)\b/i;

export interface HeaderProblem {
  /** `site_identity`: a value from the site's configuration; `message_header`: the message format itself. */
  kind: 'site_identity' | 'message_header';
  /** MSH field number, when the registry pointed at one. */
  field?: number;
  /** What the field is, in words (`sending facility`). */
  fieldName?: string;
  error?: AckError;
  /** The registry's words. */
  message: string;
}

/**
 * An error-severity problem in the message header rather than in the patient or the dose: no edit
 * of a dose can fix it, and every message from this site would get the same answer.
 */
export function headerProblem(ack: Pick<ParsedAck, 'errors' | 'text'>): HeaderProblem | undefined {
  const hard = ack.errors.filter((e) => e.severity === 'E');
  for (const e of hard) {
    if (e.location?.segment !== 'MSH') continue;
    const field = e.location.field;
    if (field !== undefined && PER_MESSAGE_FIELDS.has(field)) continue;
    const name = field === undefined ? undefined : SITE_IDENTITY_FIELDS.get(field);
    const p: HeaderProblem = { kind: name ? 'site_identity' : 'message_header', error: e, message: e.message };
    if (field !== undefined) p.field = field;
    if (name) p.fieldName = name;
    return p;
  }
  const aboutFacility = (text: string) => FACILITY_WORDS.test(text) && NOT_KNOWN_WORDS.test(text);
  const unlocated = hard.find((e) => !e.location && aboutFacility(e.message));
  if (unlocated) return { kind: 'site_identity', error: unlocated, message: unlocated.message };
  if (hard.length === 0 && ack.text && aboutFacility(ack.text)) return { kind: 'site_identity', message: ack.text };
  return undefined;
}

/** Every ERR segment of a parsed message, structured. */
export function readErrors(msg: Hl7Message, sent?: Hl7Message): AckError[] {
  const msaText = msg.get('MSA', 3).trim();
  return msg.all('ERR').map((e) => readError(e, msaText, msg.delimiters, sent));
}

function parseOrUndefined(text: string): Hl7Message | undefined {
  try {
    return parseMessage(text);
  } catch {
    return undefined;
  }
}

/** Parses an ACK (or any response with an MSA). Never throws. */
export function parseAck(text: string, options: ParseAckOptions = {}): AckParseResult {
  const input = typeof text === 'string' ? text : '';
  try {
    if (input.trim() === '') return failure('empty', 'The registry answered with an empty acknowledgement.', input);
    let msg: Hl7Message;
    try {
      msg = parseMessage(input);
    } catch (err) {
      const why = err instanceof Hl7ParseError ? err.message : String(err);
      return failure('not_hl7', `The registry's answer is not an HL7 acknowledgement: ${why}`, input);
    }
    const msa = msg.segment('MSA');
    if (!msa) return failure('missing_msa', 'The registry\'s acknowledgement has no MSA segment, so it says neither "accepted" nor "rejected".', input);
    const rawCode = msa.get(1).trim().toUpperCase();
    if (!(ACK_CODES as readonly string[]).includes(rawCode)) {
      return failure('unknown_ack_code', `The acknowledgement code MSA-1 is "${msa.get(1)}", not one of AA, AE, AR, CA, CE, CR.`, input);
    }
    const acknowledgedControlId = msa.get(2).trim();
    if (!acknowledgedControlId) {
      return failure('missing_control_id', 'The acknowledgement does not say which message it answers (MSA-2 is empty).', input);
    }
    const sent = typeof options.sent === 'string' ? parseOrUndefined(options.sent) : options.sent;
    const msaText = msa.get(3).trim();
    const errors = readErrors(msg, sent);
    const code = rawCode as AckCode;
    const result: ParsedAck = {
      ok: true,
      code,
      acknowledgedControlId,
      ackControlId: msg.controlId,
      errors,
      ...classify(code, errors),
    };
    if (msaText) result.text = msaText;
    return result;
  } catch (err) {
    // Defensive: parseAck's contract is "never throws".
    return failure('not_hl7', `The acknowledgement could not be read: ${err instanceof Error ? err.message : String(err)}`, input);
  }
}
