import { closeSync, openSync, readSync } from 'node:fs';
import type BetterSqlite3 from 'better-sqlite3';
import Cipher from 'better-sqlite3-multiple-ciphers';
import { StoreError } from './errors';

// The one place that opens a DoseDesk database file, keyed or not. The store is encrypted with
// SQLCipher 4 (better-sqlite3-multiple-ciphers in `sqlcipher` mode, legacy=4) under a raw
// 256-bit key given as x'…' so no key derivation runs at open. Whether a file needs the key is
// read from its first 16 bytes: a plaintext SQLite file starts with "SQLite format 3\0", an
// encrypted one with its random salt. So a plaintext file from an older version still opens
// (for the upgrade, encrypt.ts), and an encrypted file without its key is refused as `locked`,
// never taken for a damaged or a new, empty database.
//
// The key of this installation is installed once per process (installStoreKey) by whoever
// unwrapped it (services/store-key.ts): every module that opens one of the files (side
// connections, carry-over, backups, the IT check) then opens it with the same key, and none of
// them can forget to. An explicit `key` option (restoring a copy from another machine) wins.

export type Database = BetterSqlite3.Database;

/** 32 random bytes. */
export type StoreKey = Buffer;

export const KEY_BYTES = 32;
const PLAIN_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

let installed: StoreKey | undefined;

/** Sets the key every later open uses by default; returns a function that removes it again. */
export function installStoreKey(key: StoreKey | undefined): () => void {
  if (key && key.length !== KEY_BYTES) throw new Error(`A store key is ${KEY_BYTES} bytes, not ${key.length}.`);
  const before = installed;
  installed = key;
  return () => {
    installed = before;
  };
}

export function installedStoreKey(): StoreKey | undefined {
  return installed;
}

export interface DriverOptions {
  readonly?: boolean;
  fileMustExist?: boolean;
  nativeBinding?: string;
  /** Overrides the installed key; `null` opens without a key whatever is installed. */
  key?: StoreKey | null;
}

/** 'plain', 'encrypted', or 'empty' (missing or shorter than a header: a new file). */
export function fileEncryption(path: string): 'plain' | 'encrypted' | 'empty' {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return 'empty';
  }
  try {
    const head = Buffer.alloc(16);
    const n = readSync(fd, head, 0, 16, 0);
    if (n < 16) return 'empty';
    return head.equals(PLAIN_HEADER) ? 'plain' : 'encrypted';
  } finally {
    closeSync(fd);
  }
}

function keyPragma(key: StoreKey): string {
  return `"x'${key.toString('hex')}'"`;
}

/** Puts a connection in SQLCipher 4 mode under `key` (before its first read). */
export function applyKey(db: Database, key: StoreKey, pragma: 'key' | 'rekey' = 'key'): void {
  db.pragma("cipher = 'sqlcipher'");
  db.pragma('legacy = 4');
  db.pragma(`${pragma} = ${keyPragma(key)}`);
}

export function lockedError(path: string, detail: string, cause?: unknown): StoreError {
  return new StoreError(
    'locked',
    `DoseDesk cannot unlock its database ${path}: ${detail}. Nothing was changed and no new database was made. An administrator enters the recovery key shown at setup (or IT restores the key from escrow); do not delete or replace the file.`,
    { code: 'SQLITE_NOTADB', cause },
  );
}

/**
 * Opens `path`: with the key when the file is encrypted (or new and a key is given), without
 * one when it is a plaintext file. Throws a `locked` StoreError when the key is missing or
 * does not open the file.
 */
export function openDatabase(path: string, options: DriverOptions = {}): Database {
  const key = options.key === null ? undefined : (options.key ?? installed);
  // Without a key a file that is not plaintext SQLite is left to SQLite to refuse (as damage):
  // the app always has a key (store-key.ts refuses to start without one for an encrypted file).
  const state = fileEncryption(path);
  const db = new Cipher(path, { readonly: options.readonly ?? false, fileMustExist: options.fileMustExist ?? false, nativeBinding: options.nativeBinding }) as unknown as Database;
  if (state === 'plain' || !key) return db;
  try {
    applyKey(db, key);
    // The first read decrypts page 1: a wrong key fails here, not in the middle of a save.
    db.prepare('SELECT count(*) FROM sqlite_schema').get();
    return db;
  } catch (err) {
    db.close();
    if ((err as { code?: unknown }).code === 'SQLITE_NOTADB') throw lockedError(path, 'the key does not open it (a different key, or the file is damaged)', err);
    throw err;
  }
}
