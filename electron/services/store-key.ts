import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { KEY_BYTES, fileEncryption, type StoreKey } from '../store/driver';
import type { SafeStorageLike } from './credentials';

// The database key: 256 random bits made on the first start of a version that encrypts, kept
// only as `dosedesk-store.key` in the data folder, wrapped by the OS keychain through Electron's
// safeStorage (passed in, so this module runs in whichever process unwraps it; the key it
// returns goes to whoever opens the store). Never logged, never sent to the renderer.
// Where the OS has no protected store (Linux `basic_text`), no key is made: a key wrapped with
// Chromium's fixed key would protect nothing, as with the MIIS credentials.
//
// The recovery key is the same 256 bits written for people (Crockford base32 in groups of four,
// with a check group), shown once at setup: with it a database copied to another machine, or
// restored after the keychain is gone, opens again, and its key is wrapped anew there.

export const STORE_KEY_FILE = 'dosedesk-store.key';
const UNPROTECTED_BACKENDS = new Set(['basic_text', 'unknown']);
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export class StoreKeyError extends Error {
  constructor(
    readonly code: 'no_protection' | 'unwrap_failed' | 'missing' | 'bad_recovery_key',
    message: string,
  ) {
    super(message);
    this.name = 'StoreKeyError';
  }
}

interface KeyFile {
  version: 1;
  /** base64 of safeStorage ciphertext of the key's hex. */
  wrapped: string;
  createdAt: string;
}

function base32(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

function checkGroup(key: StoreKey): string {
  return base32(createHash('sha256').update(key).digest()).slice(0, 4);
}

/** The key as a person copies it: 13 groups of four characters, then a check group. */
export function formatRecoveryKey(key: StoreKey): string {
  const text = base32(key);
  const groups = text.match(/.{1,4}/g) ?? [];
  return [...groups, checkGroup(key)].join('-');
}

/** Reads a recovery key as typed (any case, spaces or dashes, O for 0, I/L for 1); throws on a typo. */
export function parseRecoveryKey(text: string): StoreKey {
  const clean = text.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (clean.length !== 56 || [...clean].some((c) => !ALPHABET.includes(c))) {
    throw new StoreKeyError('bad_recovery_key', 'That is not a DoseDesk recovery key: it has 14 groups of four letters and digits. Check what was typed against the printed key.');
  }
  let bits = 0;
  let value = 0;
  const bytes: number[] = [];
  for (const c of clean.slice(0, 52)) {
    value = ((value << 5) | ALPHABET.indexOf(c)) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  const key = Buffer.from(bytes.slice(0, KEY_BYTES));
  if (checkGroup(key) !== clean.slice(52)) throw new StoreKeyError('bad_recovery_key', 'The recovery key has a typing mistake (its last group does not match). Check each group against the printed key.');
  return key;
}

function protection(safeStorage: SafeStorageLike, platform: NodeJS.Platform): void {
  const backend = platform === 'linux' ? safeStorage.getSelectedStorageBackend?.() : undefined;
  if (!safeStorage.isEncryptionAvailable() || (backend && UNPROTECTED_BACKENDS.has(backend))) {
    throw new StoreKeyError(
      'no_protection',
      backend
        ? `This computer has no protected key store (${backend}), so DoseDesk cannot keep its database key safely and will not start. IT: install and unlock a Secret Service keyring (GNOME Keyring or KWallet).`
        : 'This computer offers no protected key store, so DoseDesk cannot keep its database key safely and will not start. Ask IT to enable the OS keychain.',
    );
  }
}

function writeAtomically(path: string, text: string): void {
  const temp = `${path}.tmp`;
  writeFileSync(temp, text, { mode: 0o600 });
  const fd = openSync(temp, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
}

export interface StoreKeyOptions {
  /** The data folder holding the databases and the key file. */
  dir: string;
  safeStorage: SafeStorageLike;
  /** Database files in `dir` (both modes): an encrypted one without a key file is never given a new key. */
  databases: string[];
  /** IT's key-escrow folder (machine configuration): the recovery key is deposited there at setup. */
  escrowFolder?: string;
  platform?: NodeJS.Platform;
  now?: () => Date;
}

export interface OpenedStoreKey {
  key: StoreKey;
  /** Only when the key was made now: the recovery key to show the administrator once. */
  recoveryKey?: string;
  /** Where the recovery key was deposited for IT, when an escrow folder is configured. */
  escrowedAt?: string;
}

/** Stores `key` wrapped by this computer's keychain (after setup, or after a recovery key was entered). */
export function saveStoreKey(dir: string, key: StoreKey, safeStorage: SafeStorageLike, options: { platform?: NodeJS.Platform; now?: () => Date } = {}): void {
  protection(safeStorage, options.platform ?? process.platform);
  const file: KeyFile = { version: 1, wrapped: safeStorage.encryptString(key.toString('hex')).toString('base64'), createdAt: (options.now ?? (() => new Date()))().toISOString() };
  writeAtomically(join(dir, STORE_KEY_FILE), `${JSON.stringify(file)}\n`);
}

/**
 * The key of this installation: unwrapped from the key file, or made on first start (only when
 * no encrypted database is there: one without its key file needs the recovery key, never a new
 * key, which would leave it unopenable).
 */
export function openStoreKey(options: StoreKeyOptions): OpenedStoreKey {
  const platform = options.platform ?? process.platform;
  const path = join(options.dir, STORE_KEY_FILE);
  if (existsSync(path)) {
    let file: KeyFile;
    try {
      file = JSON.parse(readFileSync(path, 'utf8')) as KeyFile;
    } catch {
      throw new StoreKeyError('unwrap_failed', `The database key file ${path} is damaged. An administrator enters the recovery key to open the database again; do not delete the database.`);
    }
    if (!options.safeStorage.isEncryptionAvailable()) {
      throw new StoreKeyError('unwrap_failed', 'The OS keychain is not available right now, so DoseDesk cannot unlock its database. Sign in to the computer again; if it keeps happening, an administrator enters the recovery key.');
    }
    try {
      const key = Buffer.from(options.safeStorage.decryptString(Buffer.from(file.wrapped, 'base64')), 'hex');
      if (key.length !== KEY_BYTES) throw new Error('wrong length');
      return { key };
    } catch {
      throw new StoreKeyError('unwrap_failed', `This computer's keychain cannot unwrap the database key in ${path} (the user profile or the keychain changed?). An administrator enters the recovery key to open the database again; do not delete the database.`);
    }
  }
  const encrypted = options.databases.filter((db) => fileEncryption(db) === 'encrypted');
  if (encrypted.length) {
    throw new StoreKeyError('missing', `${encrypted.join(' and ')} is encrypted, and this computer has no key for it (${STORE_KEY_FILE} is missing: a copy from another computer, or a restore after the keychain was lost). An administrator enters the recovery key shown at setup; do not delete the database.`);
  }
  protection(options.safeStorage, platform);
  const key = randomBytes(KEY_BYTES);
  saveStoreKey(options.dir, key, options.safeStorage, { platform, now: options.now });
  const recoveryKey = formatRecoveryKey(key);
  const out: OpenedStoreKey = { key, recoveryKey };
  if (options.escrowFolder) {
    const at = join(options.escrowFolder, `${hostname()}-dosedesk-recovery-key.txt`);
    writeAtomically(at, `DoseDesk recovery key for ${hostname()} (${options.dir}), made ${new Date().toISOString()}:\n${recoveryKey}\n`);
    out.escrowedAt = at;
  }
  return out;
}
