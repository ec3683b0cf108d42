import { basename } from 'node:path';
import { newestVerifiedBackup } from './backups';
import { StoreError } from './errors';

// What IT reads when the database is damaged: what happened, which file, and the one backup
// to restore, named only after it was opened and checked just now. A backup that was not
// checked is never advised.

export interface DamageOptions {
  nativeBinding?: string;
  /** What is wrong with the file, as in "The DoseDesk database X <is damaged>". */
  state?: string;
  code?: string;
  cause?: unknown;
}

export function recoveryAdvice(file: string, options: { nativeBinding?: string } = {}): string {
  const backup = newestVerifiedBackup(file, options);
  if (!backup) {
    return "DoseDesk found no verified backup beside it: IT restores the clinic's own backup of the DoseDesk data folder (see the IT guide), or contacts support.";
  }
  return `The newest backup DoseDesk checked just now and found whole is ${backup.path} (taken ${backup.takenAt}). IT: close DoseDesk, move the damaged file aside (keep it: support may recover doses from it), copy that backup in as ${basename(file)} and start DoseDesk. Doses recorded after ${backup.takenAt} are not in it; any of those not yet reported to MIIS must be entered again.`;
}

/** The `corrupt` StoreError for damage found in `file` (`detail` says what was found where). */
export function damageError(file: string, detail: string, options: DamageOptions = {}): StoreError {
  return new StoreError(
    'corrupt',
    `The DoseDesk database ${file} ${options.state ?? 'is damaged'} (${detail}). DoseDesk stopped writing to it, so nothing more was saved. Do not delete or replace the file: close DoseDesk and call IT. ${recoveryAdvice(file, options)}`,
    { code: options.code ?? 'SQLITE_CORRUPT', cause: options.cause },
  );
}
