import type { ApiError, ApiErrorKind } from '../api';
import type { FieldIssue } from '../domain/errors';

/**
 * A failure a service or handler raises on purpose. The IPC dispatcher turns it into the
 * contract's `{ ok: false, error }` data; anything else thrown becomes a generic `internal`.
 */
export class ApiFailure extends Error {
  readonly kind: ApiErrorKind;
  readonly code?: string;
  readonly issues?: FieldIssue[];
  readonly retryAfter?: string;

  constructor(kind: ApiErrorKind, message: string, extra: { code?: string; issues?: FieldIssue[]; retryAfter?: string } = {}) {
    super(message);
    this.name = 'ApiFailure';
    this.kind = kind;
    this.code = extra.code;
    this.issues = extra.issues;
    this.retryAfter = extra.retryAfter;
  }

  toApiError(): ApiError {
    const error: ApiError = { kind: this.kind, message: this.message };
    if (this.code) error.code = this.code;
    if (this.issues) error.issues = [...this.issues];
    if (this.retryAfter) error.retryAfter = this.retryAfter;
    return error;
  }
}

export const notFound = (what: string, code = 'not_found'): ApiFailure =>
  new ApiFailure('not_found', `${what} was not found. It may have been removed; refresh and try again.`, { code });
