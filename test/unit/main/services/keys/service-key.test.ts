import { describe, expect, it } from 'vitest';
import { auditKeysFrom } from '../../../../../src/main/services/audit/index.ts';
import { CREDENTIALS_KEY_PURPOSE } from '../../../../../src/main/services/credentials/open-cache-vault.ts';
import { blindRef, deriveServiceKey, KeyError, unwrapKey } from '../../../../../src/main/services/keys/index.ts';
import { deriveIndexKeys } from '../../../../../src/main/services/keys/key-hierarchy.ts';

/*
 * Golden values computed with the derivation as it stood inside the cache store (commit 40e3aea,
 * cache-store.ts deriveServiceKey / key-hierarchy.ts) for a fixed index key of 32 bytes of 0x07
 * and a master key of 32 bytes of 0x09. Existing caches, audit logs and credential vaults open
 * only while these stay equal.
 */
const indexKey = Buffer.alloc(32, 7);
const masterKey = Buffer.alloc(32, 9);
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('service keys derived by the key module', () => {
  it('equal the old derivation for the credential vault and the audit log', () => {
    expect(hex(deriveServiceKey(indexKey, CREDENTIALS_KEY_PURPOSE))).toBe(
      'b35ad13fd8662e6203d1459b1bd04ffcc952941c8795b8dd50001053eb2dad25',
    );
    const audit = auditKeysFrom({ deriveServiceKey: (purpose) => deriveServiceKey(indexKey, purpose) });
    expect(hex(audit.seal)).toBe('a0dc93d7bf49605404fd3cbf24c08a1847fd6d6b8ec8bb92f01a7d87bca0c71a');
    expect(hex(audit.mac)).toBe('35d3dc0ae7d9450a5e0926e4939526204c34857f7edb8f957cc7f2d43f08ac31');
  });

  it('refuses a malformed purpose', () => {
    expect(() => deriveServiceKey(indexKey, 'A')).toThrow(KeyError);
    expect(() => deriveServiceKey(indexKey, 'Bad Purpose')).toThrow(/is not a key purpose/);
  });
});

describe('the cache key hierarchy in the key module', () => {
  it('derives the same blind-index and blob-name keys and blind refs as before', () => {
    const keys = deriveIndexKeys(indexKey);
    expect(hex(keys.blind)).toBe('3d51fa4599934f1daca4c0670755c5f75c3f0304b2cb0ba70d896b5283c65a18');
    expect(hex(keys.blobName)).toBe('9cb0a2b0f8ac53eb9a13134ce475b0e76274c4c2bee5fc2f2e2bd68b98f197b0');
    expect(blindRef(keys.blind, 'patient', 'P-1')).toBe('7c881469c338eab0bc312697d7e7acfb339758b051daa19dabd04f1aabb0a95b');
  });

  it('unwraps keys that the old code wrapped', () => {
    const wrappedIndex = Buffer.from(
      '01f495064514ae33157cfdae38a1a36f54552fe478fa33c74b4fa63c1a8445c65c12cdfa7e8e971c974bfed856a072e26880592798abf1a56b409fbf23',
      'hex',
    );
    const wrappedPatient = Buffer.from(
      '01d4328a0f457a184697430e80531838a12cf8eba50fa445521aad126d1cb8c0149c37acc0c4c57ca68555211dbffa209abacd3b2a1df23c07a21bcb9f',
      'hex',
    );
    expect(unwrapKey(masterKey, 'm1', { kind: 'index' }, wrappedIndex)).toEqual(indexKey);
    expect(unwrapKey(masterKey, 'm1', { kind: 'patient', patientRef: 'ref-a', keyId: 'k1' }, wrappedPatient)).toEqual(Buffer.alloc(32, 3));
  });
});
