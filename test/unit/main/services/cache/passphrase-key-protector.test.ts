import { describe, expect, it } from 'vitest';
import { CacheError } from '../../../../../src/main/services/cache/cache-error.ts';
import { createPassphraseKeyProtector, PASSPHRASE_BACKEND } from '../../../../../src/main/services/cache/passphrase-key-protector.ts';
import { KeyProtectionError } from '../../../../../src/main/services/security/index.ts';

const fast = { log2Cost: 10 };
const secret = new Uint8Array(32).map((_, i) => i);

async function failure(promise: Promise<unknown>): Promise<KeyProtectionError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(KeyProtectionError);
  expect((error as KeyProtectionError).code).toBe('unprotect-failed');
  expect((error as KeyProtectionError).backendName).toBe(PASSPHRASE_BACKEND);
  return error as KeyProtectionError;
}

describe('passphrase KeyProtector (scrypt)', () => {
  const protector = createPassphraseKeyProtector('一二三四五六七八', fast);

  it('round-trips, with a fresh salt each time', async () => {
    const a = await protector.protect(secret);
    const b = await protector.protect(secret);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
    expect(await protector.unprotect(a)).toEqual(secret);
    expect(protector.backendName).toBe('passphrase:scrypt');
  });

  it('tells a wrong passphrase apart from damaged bytes', async () => {
    const sealed = await protector.protect(secret);
    expect((await failure(createPassphraseKeyProtector('一二三四五六七九', fast).unprotect(sealed))).message).toBe(
      'The passphrase is wrong.',
    );
    const damaged = Buffer.from(sealed);
    damaged[damaged.length - 1] = damaged[damaged.length - 1]! ^ 1;
    expect((await failure(protector.unprotect(damaged))).message).toMatch(/passphrase is right but the protected key is damaged/);
    expect((await failure(protector.unprotect(new Uint8Array(10)))).message).toMatch(/not a passphrase-sealed key/);
    const badParams = Buffer.from(sealed);
    badParams[5] = 40;
    expect((await failure(protector.unprotect(badParams))).message).toMatch(/implausible scrypt parameters/);
    const future = Buffer.from(sealed);
    future[4] = 9;
    expect((await failure(protector.unprotect(future))).message).toMatch(/unknown format/);
  });

  it('reads keys sealed at another cost: the parameters travel with the salt', async () => {
    const sealed = await createPassphraseKeyProtector('一二三四五六七八', { log2Cost: 11 }).protect(secret);
    expect(await protector.unprotect(sealed)).toEqual(secret);
  });

  it('treats composed and decomposed forms of the same passphrase alike (NFC)', async () => {
    const composed = createPassphraseKeyProtector('caf\u00e9-passphrase', fast);
    const decomposed = createPassphraseKeyProtector('cafe\u0301-passphrase', fast);
    expect(await decomposed.unprotect(await composed.protect(secret))).toEqual(secret);
  });

  it('refuses short passphrases and out-of-range costs', () => {
    expect(() => createPassphraseKeyProtector('short')).toThrow(CacheError);
    expect(() => createPassphraseKeyProtector('long enough passphrase', { log2Cost: 4 })).toThrow(/log2 cost/);
    expect(() => createPassphraseKeyProtector('long enough passphrase', { log2Cost: 12.5 })).toThrow(/log2 cost/);
  });
});
