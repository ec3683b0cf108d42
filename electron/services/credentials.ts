import type { Actor, SettingsRepo } from '../store/types';
import { ApiFailure } from './errors';

// MIIS credentials (the web-service user name and password a site gets at onboarding) are
// entered in the app and kept only as ciphertext from Electron's safeStorage (DPAPI on
// Windows, Keychain on macOS, the Secret Service / KWallet on Linux). Never in plain text:
// where the OS has no protected store, saving is refused.

/** The part of Electron's `safeStorage` this module needs (main passes the real one). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: `basic_text` means a hard-coded key, i.e. no real protection. */
  getSelectedStorageBackend?(): string;
}

export interface RegistryCredentials {
  username: string;
  password: string;
}

export interface CredentialStatus {
  stored: boolean;
  username?: string;
  protectionAvailable: boolean;
  backend?: string;
}

/** Settings-table key of the encrypted credentials (read-only elsewhere, e.g. by --check-config). */
export const CREDENTIALS_KEY = 'registry.credentials';
const KEY = CREDENTIALS_KEY;
/** Linux backends that are not real protection (Chromium's fixed key, or none detected). */
const UNPROTECTED_BACKENDS = new Set(['basic_text', 'unknown']);

export interface StoredCredentials {
  /** Shown without decrypting, so the settings screen can say whose credentials are stored. */
  username: string;
  /** base64 of safeStorage ciphertext of JSON {username, password}. */
  cipher: string;
}

export class CredentialStore {
  constructor(
    private readonly safeStorage: SafeStorageLike,
    private readonly settings: SettingsRepo,
    private readonly platform: NodeJS.Platform = process.platform,
  ) {}

  protection(): { available: boolean; backend?: string } {
    const backend = this.platform === 'linux' ? this.safeStorage.getSelectedStorageBackend?.() : undefined;
    if (!this.safeStorage.isEncryptionAvailable()) return { available: false, backend };
    if (backend && UNPROTECTED_BACKENDS.has(backend)) return { available: false, backend };
    return { available: true, backend };
  }

  status(): CredentialStatus {
    const p = this.protection();
    const stored = this.settings.get<StoredCredentials>(KEY);
    const out: CredentialStatus = { stored: Boolean(stored), protectionAvailable: p.available };
    if (stored) out.username = stored.username;
    if (p.backend) out.backend = p.backend;
    return out;
  }

  save(credentials: RegistryCredentials, actor: Actor): void {
    const p = this.protection();
    if (!p.available) {
      throw new ApiFailure(
        'forbidden',
        p.backend
          ? `This computer has no protected password store (${p.backend}), so DoseDesk will not keep the MIIS password. IT: install and unlock a Secret Service keyring (GNOME Keyring or KWallet).`
          : 'This computer offers no protected password store, so DoseDesk will not keep the MIIS password. Ask IT to enable the OS keychain.',
        { code: 'credentials.no_protection' },
      );
    }
    const cipher = this.safeStorage.encryptString(JSON.stringify(credentials)).toString('base64');
    this.settings.set(KEY, { username: credentials.username, cipher } satisfies StoredCredentials, actor);
  }

  /** The stored credentials, or undefined; throws when they exist but cannot be decrypted. */
  load(): RegistryCredentials | undefined {
    const stored = this.settings.get<StoredCredentials>(KEY);
    if (!stored) return undefined;
    if (!this.safeStorage.isEncryptionAvailable()) {
      throw new ApiFailure('registry', 'The OS keychain is not available right now, so the MIIS password cannot be read. Sign in to the computer again, or re-enter the credentials.', {
        code: 'credentials.unavailable',
      });
    }
    try {
      const parsed = JSON.parse(this.safeStorage.decryptString(Buffer.from(stored.cipher, 'base64'))) as RegistryCredentials;
      if (typeof parsed.username !== 'string' || typeof parsed.password !== 'string') throw new Error('bad shape');
      return parsed;
    } catch {
      throw new ApiFailure('registry', 'The stored MIIS credentials cannot be decrypted on this computer (the OS keychain changed?). An administrator must enter them again.', {
        code: 'credentials.undecryptable',
      });
    }
  }
}
