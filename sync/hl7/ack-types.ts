// Vocabulary shared by the ACK builder and parser: MSA-1 codes, ERR locations and the HL7
// tables 0357 (message error condition) and 0533 (application error code).

/** MSA-1, HL7 table 0008: original mode (`AA/AE/AR`) and enhanced-mode commit forms. */
export type AckCode = 'AA' | 'AE' | 'AR' | 'CA' | 'CE' | 'CR';
export const ACK_CODES: readonly AckCode[] = ['AA', 'AE', 'AR', 'CA', 'CE', 'CR'];

/** ERR-4, HL7 table 0516. */
export type ErrorSeverity = 'E' | 'W' | 'I';

/** ERR-2 (ERL): where in the acknowledged message the problem is. */
export interface ErrorLocation {
  segment: string;
  /** Nth occurrence of that segment ID in the message, 1-based. */
  sequence?: number;
  field?: number;
  repetition?: number;
  component?: number;
  subcomponent?: number;
}

const HL70357: Record<string, string> = {
  '0': 'Message accepted',
  '100': 'Segment sequence error',
  '101': 'Required field missing',
  '102': 'Data type error',
  '103': 'Table value not found',
  '200': 'Unsupported message type',
  '201': 'Unsupported event code',
  '202': 'Unsupported processing id',
  '203': 'Unsupported version id',
  '204': 'Unknown key identifier',
  '205': 'Duplicate key identifier',
  '206': 'Application record locked',
  '207': 'Application internal error',
};

/** The table 0357 text for a code, or '' when the code is not in the table. */
export function hl70357Text(code: string): string {
  return HL70357[code] ?? '';
}

const HL70533: Record<string, string> = {
  '1': 'Illogical Date error',
  '2': 'Invalid Date',
  '3': 'Illogical Value error',
  '4': 'Invalid value',
  '5': 'Table value not found',
  '6': 'Required observation missing',
  '7': 'Required data missing',
};

/** The table 0533 text for a code, or '' when the code is not in the table. */
export function hl70533Text(code: string): string {
  return HL70533[code] ?? '';
}
