import { beforeEach, describe, expect, it } from 'vitest';
import { createSafeStorageKeyProtector } from '../../../src/main/electron/key-protection.ts';
import { KeyProtectionError } from '../../../src/main/services/security/index.ts';
import { app, resetFakeElectron, safeStorage } from '../../fakes/electron.ts';

const key = new Uint8Array(Array.from({ length: 32 }, (_, i) => i * 7));

beforeEach(() => resetFakeElectron());

describe('the safeStorage KeyProtector', () => {
  it('refuses before app ready (backend "unknown")', async () => {
    await expect(createSafeStorageKeyProtector({ platform: 'linux' })).rejects.toMatchObject({ code: 'unavailable' });
  });

  it('refuses Linux basic_text without an explicit opt-in', async () => {
    app.markReady();
    safeStorage.backend = 'basic_text';
    const attempt = createSafeStorageKeyProtector({ platform: 'linux' });
    await expect(attempt).rejects.toBeInstanceOf(KeyProtectionError);
    await expect(attempt).rejects.toMatchObject({ code: 'insecure-backend', backendName: 'safeStorage:basic_text' });
  });

  it('accepts basic_text with the opt-in and says so in its backend name', async () => {
    app.markReady();
    safeStorage.backend = 'basic_text';
    const protector = await createSafeStorageKeyProtector({ platform: 'linux', allowBasicText: true });
    expect(protector.backendName).toBe('safeStorage:basic_text');
  });

  it('round-trips bytes through a real keyring backend and does not return them in the clear', async () => {
    app.markReady();
    const protector = await createSafeStorageKeyProtector({ platform: 'linux' });
    expect(protector.backendName).toBe('safeStorage:gnome_libsecret');
    const sealed = await protector.protect(key);
    expect(Buffer.from(sealed).includes(Buffer.from(key))).toBe(false);
    expect(await protector.unprotect(sealed)).toEqual(key);
  });

  it('names the platform store on macOS and Windows', async () => {
    app.markReady();
    expect((await createSafeStorageKeyProtector({ platform: 'darwin' })).backendName).toBe('safeStorage:keychain');
    expect((await createSafeStorageKeyProtector({ platform: 'win32' })).backendName).toBe('safeStorage:dpapi');
  });

  it('refuses when the OS store provides no encryption', async () => {
    app.markReady();
    safeStorage.available = false;
    await expect(createSafeStorageKeyProtector({ platform: 'darwin' })).rejects.toMatchObject({ code: 'unavailable' });
  });

  it('reports bytes it cannot open as a typed error', async () => {
    app.markReady();
    const protector = await createSafeStorageKeyProtector({ platform: 'linux' });
    await expect(protector.unprotect(new Uint8Array([1, 2, 3]))).rejects.toMatchObject({ code: 'unprotect-failed' });
  });
});
