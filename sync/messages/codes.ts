import type { AckParseErrorKind } from '../hl7/ack-parse';
import { STORE_ERROR_KINDS, type StoreErrorKind } from '../../electron/domain/store-errors';
import { OUTCOME_CODES } from '../transport/types';

// Every message code the transport and the engine can put in front of a person. The English
// sentence travels with the code (for logs, IT and the CLI); the renderer shows the code with
// its parameters through its catalogue (`engine.<code>` in renderer/i18n/{en,es,pt}.ts), so a
// Spanish or Portuguese screen never shows the English sentence. A code added here without a
// catalogue entry fails tests/sync/messages/codes.test.ts.

export type { MessageParams } from '../transport/types';

const ACK_PARSE_KINDS = ['empty', 'not_hl7', 'missing_msa', 'unknown_ack_code', 'missing_control_id'] as const satisfies readonly AckParseErrorKind[];
/** MSA-1 codes of a refusal the registry says to retry unchanged. */
const TRANSIENT_ACK_CODES = ['AE', 'AR', 'CE', 'CR'] as const;

export type AckProblemCode =
  | `ack_${AckParseErrorKind}`
  | 'ack_mismatch'
  | 'ack_commit_only'
  | 'ack_site_identity'
  | 'ack_message_header'
  | `ack_${(typeof TRANSIENT_ACK_CODES)[number]}_transient`;

export const ACK_PROBLEM_CODES: readonly AckProblemCode[] = [
  ...ACK_PARSE_KINDS.map((k) => `ack_${k}` as const),
  'ack_mismatch',
  'ack_commit_only',
  'ack_site_identity',
  'ack_message_header',
  ...TRANSIENT_ACK_CODES.map((c) => `ack_${c}_transient` as const),
];

export type StoreProblemCode = `store_${StoreErrorKind}` | 'store_error' | 'engine_error';

export const STORE_PROBLEM_CODES: readonly StoreProblemCode[] = [...STORE_ERROR_KINDS.map((k) => `store_${k}` as const), 'store_error', 'engine_error'];

/** The engine's own: no transport configured, an answer that broke the reader, a message that could not be built. */
export const ENGINE_OWN_CODES = ['not_configured', 'ack_unreadable', 'build_failed'] as const;
export type EngineOwnCode = (typeof ENGINE_OWN_CODES)[number];

export type EngineMessageCode = (typeof OUTCOME_CODES)[number] | AckProblemCode | StoreProblemCode | EngineOwnCode;

/** Every code, for the test that holds the catalogues to it. */
export const ENGINE_MESSAGE_CODES: readonly EngineMessageCode[] = [...OUTCOME_CODES, ...ACK_PROBLEM_CODES, ...STORE_PROBLEM_CODES, ...ENGINE_OWN_CODES];

export function isEngineMessageCode(code: string): code is EngineMessageCode {
  return (ENGINE_MESSAGE_CODES as readonly string[]).includes(code);
}
