import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ephemeralSafeStorage } from '../../../electron/services/start';
import { STORE_KEY_FILE, formatRecoveryKey, openStoreKey, parseRecoveryKey } from '../../../electron/services/store-key';
import { openStore } from '../../../electron/store';
import { tempDir } from '../store/helpers';

describe('the database key', () => {
  it('is made once, kept only wrapped by the keychain, and unwrapped again at the next start', () => {
    const tmp = tempDir();
    const safeStorage = ephemeralSafeStorage();
    try {
      const first = openStoreKey({ dir: tmp.dir, safeStorage, databases: [], platform: 'linux' });
      expect(first.key).toHaveLength(32);
      expect(first.recoveryKey).toMatch(/^([0-9A-Z]{4}-){13}[0-9A-Z]{4}$/);
      expect(readFileSync(join(tmp.dir, STORE_KEY_FILE), 'utf8')).not.toContain(first.key.toString('hex'));
      const again = openStoreKey({ dir: tmp.dir, safeStorage, databases: [], platform: 'linux' });
      expect(again.key.equals(first.key)).toBe(true);
      expect(again.recoveryKey).toBeUndefined();
    } finally {
      tmp.cleanup();
    }
  });

  it('refuses the basic_text backend, making no key', () => {
    const tmp = tempDir();
    const safeStorage = { ...ephemeralSafeStorage(), getSelectedStorageBackend: () => 'basic_text' };
    try {
      expect(() => openStoreKey({ dir: tmp.dir, safeStorage, databases: [], platform: 'linux' })).toThrow(expect.objectContaining({ code: 'no_protection', message: expect.stringContaining('basic_text') }));
      expect(existsSync(join(tmp.dir, STORE_KEY_FILE))).toBe(false);
    } finally {
      tmp.cleanup();
    }
  });

  it('never makes a new key for an encrypted database whose key file is gone', () => {
    const tmp = tempDir();
    try {
      const path = join(tmp.dir, 'dosedesk.sqlite3');
      openStore(path, { key: randomBytes(32) }).close();
      expect(() => openStoreKey({ dir: tmp.dir, safeStorage: ephemeralSafeStorage(), databases: [path], platform: 'linux' })).toThrow(expect.objectContaining({ code: 'missing', message: expect.stringContaining('recovery key') }));
      expect(existsSync(join(tmp.dir, STORE_KEY_FILE))).toBe(false);
    } finally {
      tmp.cleanup();
    }
  });

  it('reads the recovery key back as typed (lower case, spaces, O for 0) and catches a typo', () => {
    const key = randomBytes(32);
    const text = formatRecoveryKey(key);
    expect(parseRecoveryKey(text.toLowerCase().replace(/-/g, ' ').replace(/0/g, 'O')).equals(key)).toBe(true);
    const typo = `${text.slice(0, 5)}${text[5] === 'A' ? 'B' : 'A'}${text.slice(6)}`;
    expect(() => parseRecoveryKey(typo)).toThrow(/typing mistake/);
  });
});
