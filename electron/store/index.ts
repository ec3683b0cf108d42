export { openStore, type DurabilityReport, type LocalStore, type OpenStoreOptions } from './open-store';
export { StoreError, STORE_ERROR_KINDS, type StoreErrorKind } from './errors';
export type { StoreLogger } from './migrate';
export type { PatientImport } from './patients';
export type { BackupView, StoreDiagnostics } from './diagnostics';
export * from './types';
