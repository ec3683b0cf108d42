import { statfsSync } from 'node:fs';
import { classifyStoreError } from '../domain/store-errors';

// The store's side of the error vocabulary (electron/domain/store-errors.ts): it alone reads
// the disk, so a failed write on a full disk is named as the full disk it is.

export { STORE_ERROR_KINDS, StoreError, conflict, kindForCode, NEARLY_FULL_BYTES, notFound, type StoreErrorKind } from '../domain/store-errors';

/** Free bytes for an unprivileged writer on the disk holding `folder`, when the OS says. */
export function freeBytes(folder: string): number | undefined {
  try {
    const s = statfsSync(folder);
    return s.bavail * s.bsize;
  } catch {
    return undefined;
  }
}

/** As classifyStoreError, reading the free space of the disk holding `folder` when given. */
export function classifyError(err: unknown, doing?: string, folder?: string): unknown {
  return classifyStoreError(err, doing, folder ? { folder, freeBytes: () => freeBytes(folder) } : undefined);
}
