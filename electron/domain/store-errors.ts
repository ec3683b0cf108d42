// SQLite and file-system failures, classified into what the person at the screen (or the IT
// admin behind them) can do about each. Callers never see a raw SqliteError. Pure: the store
// (electron/store/errors.ts) adds the free-space reading of the disk, the sync engine
// classifies what the store threw without touching the disk.

export const STORE_ERROR_KINDS = [
  'corrupt',
  'read_only',
  'disk_full',
  'busy',
  'constraint',
  'newer_version',
  'durability',
  'io',
  'not_found',
  'conflict',
  /** Encrypted, and the key is missing or does not open it (driver.ts): never a new empty file. */
  'locked',
] as const;
export type StoreErrorKind = (typeof STORE_ERROR_KINDS)[number];

export class StoreError extends Error {
  readonly kind: StoreErrorKind;
  /** The SQLite or errno code behind it, when there is one (for IT and the log). */
  readonly code?: string;

  constructor(kind: StoreErrorKind, message: string, options?: { code?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'StoreError';
    this.kind = kind;
    this.code = options?.code;
  }
}

const ADVICE: Record<Exclude<StoreErrorKind, 'newer_version' | 'not_found' | 'conflict' | 'locked'>, string> = {
  corrupt:
    'The DoseDesk database file is damaged. Nothing was saved. Do not delete or replace the file: close DoseDesk and call IT; DoseDesk names the backup it checked and found whole on its damage screen and in --check-config.',
  read_only:
    'DoseDesk cannot write to its database (the file or its folder is read-only, or the disk was unplugged). Nothing was saved. Ask IT to check the permissions of the DoseDesk data folder.',
  disk_full:
    'The disk is full, so the record could not be saved. Nothing was saved. Free some disk space (or ask IT to), then try again.',
  busy:
    'The database is in use by another program (another DoseDesk window or a virus scanner). Nothing was saved. Wait a moment and try again; if it keeps happening, close other DoseDesk windows or ask IT.',
  constraint: 'This change conflicts with data already saved (for example a duplicate). Nothing was saved.',
  durability:
    'DoseDesk could not switch on safe saving (write-ahead log with full sync) for its database, so it will not record doses. Ask IT to check the disk and the data folder (network drives are not supported).',
  io: 'The computer could not read or write the database file. Nothing was saved. Try again; if it keeps happening, ask IT to check the disk.',
};

function codeOf(err: unknown): string | undefined {
  if (err && typeof err === 'object' && 'code' in err) {
    const code = (err as { code: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

export function kindForCode(code: string | undefined): StoreErrorKind | undefined {
  if (!code) return undefined;
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') return 'corrupt';
  if (code.startsWith('SQLITE_READONLY') || code === 'EROFS' || code === 'EACCES' || code === 'EPERM') return 'read_only';
  if (code.startsWith('SQLITE_CANTOPEN')) return 'read_only';
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'SQLITE_IOERR_FSYNC_ENOSPC') return 'disk_full';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'busy';
  if (code.startsWith('SQLITE_CONSTRAINT')) return 'constraint';
  if (code.startsWith('SQLITE_IOERR') || code === 'EIO') return 'io';
  return undefined;
}

/** Below this much free space, an I/O error from SQLite is the disk being full (SQLite then reports e.g. SQLITE_IOERR_SHMSIZE). */
export const NEARLY_FULL_BYTES = 2 * 1024 * 1024;

function diskFullAdvice(folder: string | undefined, free: number | undefined): string {
  if (!folder) return ADVICE.disk_full;
  const left = free === undefined ? '' : ` (${Math.floor(free / 1024)} KB free)`;
  return `The disk that holds the DoseDesk data folder ${folder} is full${left}, so DoseDesk could not write to its database. Nothing was saved and nothing was lost. Free some disk space (empty the recycle bin, remove large downloads) or ask IT to, then try again.`;
}

/** The disk holding the data folder, when the caller can read its free space. */
export interface DiskReading {
  folder: string;
  freeBytes: () => number | undefined;
}

/**
 * Turns anything thrown by better-sqlite3 or node:fs into a StoreError; returns other errors
 * unchanged. With the data folder's `disk`, an I/O error on a disk with (almost) no space left
 * is reported as the full disk it is, not as a disk fault.
 */
export function classifyStoreError(err: unknown, doing?: string, disk?: DiskReading): unknown {
  const folder = disk?.folder;
  if (err instanceof StoreError) return err;
  const code = codeOf(err);
  let kind = kindForCode(code);
  if (!kind) return err;
  let free: number | undefined;
  if ((kind === 'io' || kind === 'disk_full') && folder) {
    free = disk?.freeBytes();
    if (kind === 'io' && free !== undefined && free < NEARLY_FULL_BYTES) kind = 'disk_full';
  }
  const detail = err instanceof Error ? err.message : String(err);
  const advice = kind === 'disk_full' ? diskFullAdvice(folder, free) : ADVICE[kind as keyof typeof ADVICE];
  const prefix = doing ? `While ${doing}: ` : '';
  return new StoreError(kind, `${prefix}${advice} (${code}: ${detail})`, { code, cause: err });
}

export function notFound(what: string, id: string): StoreError {
  return new StoreError('not_found', `${what} ${id} was not found. It may have been removed; reload the screen.`);
}

export function conflict(what: string, expected: number, actual: number): StoreError {
  return new StoreError(
    'conflict',
    `Someone else changed this ${what} while you were editing it (you started from version ${expected}, it is now version ${actual}). Reload it, check their changes, and make yours again.`,
  );
}
