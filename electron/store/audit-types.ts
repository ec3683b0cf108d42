export interface AuditInput {
  userId: string | null;
  /** e.g. `patient.read`, `patient.create`, `dose.record`, `user.sign_in_failed`. */
  action: string;
  entity?: string;
  entityId?: string;
  detail?: Record<string, unknown>;
}

export interface AuditEntry extends AuditInput {
  id: number;
  at: string;
  /** SHA-256 over the previous row's hash and this row's content: tampering breaks the chain. */
  hash: string;
}
