import { safeStorage } from 'electron';
import { KeyProtectionError, type KeyProtector } from '../services/security/index.ts';

export interface SafeStorageKeyProtectorOptions {
  /**
   * Accept Linux's `basic_text` backend, which encrypts with a key hard-coded in Chromium
   * (obfuscation, not protection). Only for a user who was told so and agreed; the backend name
   * ("safeStorage:basic_text") is then recorded with whatever it protects.
   */
  allowBasicText?: boolean;
  /** Defaults to process.platform; a parameter so tests can cover every platform. */
  platform?: NodeJS.Platform;
}

/**
 * The desktop KeyProtector: Electron's safeStorage, i.e. the macOS Keychain, Windows DPAPI, or
 * a Linux secret service (libsecret / KWallet). Call after app ready: before it, the backend
 * is "unknown" and encryption is unavailable, and this refuses rather than guess.
 */
export async function createSafeStorageKeyProtector(options: SafeStorageKeyProtectorOptions = {}): Promise<KeyProtector> {
  const backendName = `safeStorage:${storageBackend(options.platform ?? process.platform)}`;

  if (backendName === 'safeStorage:unknown') {
    throw new KeyProtectionError('unavailable', backendName, 'The OS key store is not available yet (was the app ready?).');
  }
  if (backendName === 'safeStorage:basic_text' && !options.allowBasicText) {
    throw new KeyProtectionError(
      'insecure-backend',
      backendName,
      'No OS keyring was found (Linux "basic_text" backend), so keys could not be protected. ' +
        'Install and unlock a secret service (GNOME Keyring or KWallet), or start with an explicit opt-in.',
    );
  }
  if (!(await safeStorage.isAsyncEncryptionAvailable())) {
    throw new KeyProtectionError('unavailable', backendName, 'The OS key store refused to provide encryption.');
  }

  return {
    backendName,
    // safeStorage seals strings; keys are bytes, so they travel as base64.
    async protect(plain) {
      const sealed = await safeStorage.encryptStringAsync(Buffer.from(plain).toString('base64'));
      return new Uint8Array(sealed);
    },
    async unprotect(sealed) {
      try {
        const { result } = await safeStorage.decryptStringAsync(Buffer.from(sealed));
        return new Uint8Array(Buffer.from(result, 'base64'));
      } catch (error) {
        throw new KeyProtectionError(
          'unprotect-failed',
          backendName,
          'The OS key store could not open a protected key (another user or keyring, or damaged data).',
          { cause: error },
        );
      }
    },
  };
}

/** safeStorage only names its backend on Linux; elsewhere the platform decides it. */
function storageBackend(platform: NodeJS.Platform): string {
  if (platform === 'darwin') return 'keychain';
  if (platform === 'win32') return 'dpapi';
  return safeStorage.getSelectedStorageBackend();
}
