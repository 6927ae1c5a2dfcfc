import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeAad, open, seal } from '../../../src/main/services/keys/aead.ts';
import { KeyError } from '../../../src/main/services/keys/key-error.ts';

const key = randomBytes(32);
const aad = encodeAad('test', ['patient-a', 'cdr', 'Observation', 'ref-1', 'key-1']);

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(KeyError);
    return (error as KeyError).code;
  }
  return undefined;
}

describe('AES-256-GCM seal/open', () => {
  it('round-trips any bytes under any context', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.array(fc.string(), { maxLength: 5 }), (plain, fields) => {
        const context = encodeAad('prop', fields);
        expect(new Uint8Array(open(key, seal(key, plain, context), context, 'x'))).toEqual(plain);
      }),
      { numRuns: 200 },
    );
  });

  it('uses a fresh nonce per message: equal plaintexts give different ciphertexts', () => {
    const a = seal(key, Buffer.from('same'), aad);
    const b = seal(key, Buffer.from('same'), aad);
    expect(a.subarray(1, 13).equals(b.subarray(1, 13))).toBe(false);
    expect(a.equals(b)).toBe(false);
  });

  it('refuses another context (row), another key, and any flipped bit as tampered', () => {
    const sealed = seal(key, Buffer.from('{"secret":"张三"}'), aad);
    const otherRow = encodeAad('test', ['patient-b', 'cdr', 'Observation', 'ref-1', 'key-1']);
    expect(codeOf(() => open(key, sealed, otherRow, 'x'))).toBe('tampered');
    expect(codeOf(() => open(randomBytes(32), sealed, aad, 'x'))).toBe('tampered');
    for (let i = 1; i < sealed.length; i += 7) {
      const flipped = Buffer.from(sealed);
      flipped[i] = flipped[i]! ^ 0x80;
      expect(codeOf(() => open(key, flipped, aad, 'x'))).toBe('tampered');
    }
  });

  it('says corrupt for truncated bytes and unknown format versions, never returning plaintext', () => {
    const sealed = seal(key, Buffer.from('hello'), aad);
    expect(codeOf(() => open(key, sealed.subarray(0, 20), aad, 'x'))).toBe('corrupt');
    expect(codeOf(() => open(key, new Uint8Array(0), aad, 'x'))).toBe('corrupt');
    const future = Buffer.from(sealed);
    future[0] = 2;
    expect(codeOf(() => open(key, future, aad, 'x'))).toBe('corrupt');
    expect(codeOf(() => seal(randomBytes(16), Buffer.from('x'), aad))).toBe('invalid-input');
  });

  it('encodes contexts unambiguously: field boundaries matter', () => {
    expect(encodeAad('l', ['ab', 'c']).equals(encodeAad('l', ['a', 'bc']))).toBe(false);
    expect(encodeAad('l', ['a', '']).equals(encodeAad('l', ['a']))).toBe(false);
    expect(encodeAad('record', ['x']).equals(encodeAad('label', ['x']))).toBe(false);
  });
});
