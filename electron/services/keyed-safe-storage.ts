import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SafeStorageLike } from './credentials';

// A safeStorage that seals with AES-256-GCM under a key it is given. The backend cannot reach
// Electron's safeStorage (only main can), so main hands it a data key that main keeps wrapped by
// safeStorage; headless runs use a key that lives only in their process. What the OS keychain
// offers is reported as the caller says.

export function keyedSafeStorage(key: Buffer, protection: { available: boolean; backend?: string }): SafeStorageLike {
  if (key.length !== 32) throw new Error('The backend data key must be 32 bytes.');
  return {
    isEncryptionAvailable: () => protection.available,
    encryptString(plainText) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plainText, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    decryptString(encrypted) {
      const decipher = createDecipheriv('aes-256-gcm', key, encrypted.subarray(0, 12));
      decipher.setAuthTag(encrypted.subarray(12, 28));
      return Buffer.concat([decipher.update(encrypted.subarray(28)), decipher.final()]).toString('utf8');
    },
    getSelectedStorageBackend: () => protection.backend ?? 'unknown',
  };
}
