import { isMessageKey, t } from '../../i18n';

// The reporting engine and the transport say what went wrong as a stable code with values
// (sync/messages/codes.ts), plus an English sentence for logs, IT and the command line. The
// screen shows the code through the catalogue (`engine.<code>`), in the person's language.

export interface CodedMessage {
  code?: string | undefined;
  /** The English sentence: shown only for a code this build does not know. */
  message: string;
  params?: Readonly<Record<string, string | number>> | undefined;
}

const UNFILLED = /\{\w+\}/;

export function engineText(m: CodedMessage): string {
  if (!m.code) return m.message;
  const key = `engine.${m.code}`;
  if (!isMessageKey(key)) return m.message;
  const text = t(key, m.params);
  // A text recorded without its values (by an earlier version) would show `{host}`: the
  // English sentence it carries says more than a sentence with holes.
  return UNFILLED.test(text) ? m.message : text;
}
