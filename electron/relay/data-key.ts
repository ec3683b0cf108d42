import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SafeStorageLike } from '../services/credentials';

// The key the backend seals registry credentials with, kept on disk only wrapped by Electron's
// safeStorage (the OS keychain), which only main can reach. Without a keychain a fresh key is
// used for this run only: credentials are then refused anyway (credentials.no_protection).

export const DATA_KEY_FILE = 'backend-key.bin';

export function loadDataKey(dataDir: string, safeStorage: SafeStorageLike): Buffer {
  if (!safeStorage.isEncryptionAvailable()) return randomBytes(32);
  const file = join(dataDir, DATA_KEY_FILE);
  if (existsSync(file)) {
    const key = Buffer.from(safeStorage.decryptString(readFileSync(file)), 'base64');
    if (key.length === 32) return key;
  }
  const key = randomBytes(32);
  writeFileSync(file, safeStorage.encryptString(key.toString('base64')), { mode: 0o600 });
  return key;
}
