import type { z } from 'zod';

/**
 * One problem with one field, phrased for the person at the keyboard. `path` is the form
 * field it belongs to (`dose.lotNumber`, `patient.address.zip`), so the UI can put the message
 * next to the field and the registry's own errors can be mapped onto the same names.
 */
export interface FieldIssue {
  path: string;
  message: string;
  /** Stable machine code for tests and translations, e.g. `dose.date_in_future`. */
  code: string;
}

export class DomainValidationError extends Error {
  readonly issues: readonly FieldIssue[];

  constructor(issues: readonly FieldIssue[]) {
    super(issues.map((i) => `${i.path}: ${i.message}`).join('\n') || 'Invalid input.');
    this.name = 'DomainValidationError';
    this.issues = issues;
  }
}

export function issuesFromZod(error: z.ZodError, prefix: string): FieldIssue[] {
  return error.issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter(Boolean).join('.'),
    message: issue.message,
    code: `${prefix || 'input'}.${customCode(issue) ?? issue.code}`,
  }));
}

/** A refinement may name its own stable code (`params.code`), e.g. `text_emoji`. */
function customCode(issue: z.core.$ZodIssue): string | undefined {
  if (issue.code !== 'custom') return undefined;
  const code = (issue.params as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Accepted input, with notes that do not block saving (e.g. an NDC the CDC table lacks). */
export type Validated<T> = { ok: true; value: T; warnings?: FieldIssue[] } | { ok: false; issues: FieldIssue[] };
