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
    code: `${prefix || 'input'}.${issue.code}`,
  }));
}

export type Validated<T> = { ok: true; value: T } | { ok: false; issues: FieldIssue[] };
