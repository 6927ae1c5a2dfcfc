import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SCRYPT_COST,
  hashPassword,
  parsePasswordHash,
  verifyPassword,
} from '../../../../../src/main/services/auth/password-hash.ts';
import { PasswordHashSchema } from '../../../../../src/shared/config/auth.ts';
import { authErrorOf } from './auth-fixtures.ts';

// Low cost keeps the suite fast; the default (OWASP) cost is checked once below.
const FAST = { N: 2 ** 10, r: 8, p: 1 };

describe('password hashes', () => {
  it('writes a self-describing scrypt string and verifies it', async () => {
    const hash = await hashPassword('正确的密码 correct horse', FAST);
    expect(hash).toMatch(/^scrypt\$1024\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(await verifyPassword('正确的密码 correct horse', hash)).toBe(true);
    expect(await verifyPassword('正确的密码 correct hors', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  it('salts every hash', async () => {
    expect(await hashPassword('same', FAST)).not.toBe(await hashPassword('same', FAST));
  });

  it('treats full-width and half-width input from a Chinese IME as the same password (NFKC)', async () => {
    const hash = await hashPassword('huizhen-demo', FAST);
    expect(await verifyPassword('ｈｕｉｚｈｅｎ－ｄｅｍｏ', hash)).toBe(true);
  });

  it('uses OWASP cost by default, which the config schema accepts', async () => {
    expect(DEFAULT_SCRYPT_COST).toEqual({ N: 131072, r: 8, p: 1 });
    const hash = await hashPassword('x');
    expect(parsePasswordHash(hash).cost).toEqual(DEFAULT_SCRYPT_COST);
    expect(PasswordHashSchema.safeParse(hash).success).toBe(true);
  });

  it('names what is wrong with an unreadable hash', () => {
    expect(authErrorOf(() => parsePasswordHash('bcrypt$2b$10$abc')).code).toBe('invalid-hash');
    expect(authErrorOf(() => parsePasswordHash('scrypt$1000$8$1$AAAAAAAAAAAAAAAAAAAAAA$' + 'A'.repeat(43))).message).toContain('N=1000');
    expect(authErrorOf(() => parsePasswordHash('scrypt$1024$0$1$AAAAAAAAAAAAAAAAAAAAAA$' + 'A'.repeat(43))).message).toContain('r=0');
    expect(authErrorOf(() => parsePasswordHash('scrypt$1024$8$1$short$' + 'A'.repeat(43))).code).toBe('invalid-hash');
    expect(authErrorOf(() => parsePasswordHash('scrypt$1024$8$1$AAAAAAAAAAAAAAAAAAAAAA$has spaces')).code).toBe('invalid-hash');
  });

  it('refuses a cost scrypt itself rejects, as invalid-hash rather than a raw error', async () => {
    // r * p must stay below 2^30; this passes the string format and fails in scrypt.
    const absurd = 'scrypt$1024$999$999$AAAAAAAAAAAAAAAAAAAAAA$' + 'A'.repeat(43);
    await expect(verifyPassword('x', absurd)).rejects.toMatchObject({ code: 'invalid-hash' });
  });
});

describe('PasswordHashSchema (config)', () => {
  const salt = 'A'.repeat(22);
  const key = 'B'.repeat(43);
  it.each([
    ['a bcrypt hash', '$2b$10$abcdefghijklmnopqrstuv', 'expected scrypt'],
    ['N below the floor', `scrypt$1024$8$1$${salt}$${key}`, 'N=1024'],
    ['N not a power of two', `scrypt$100000$8$1$${salt}$${key}`, 'N=100000'],
    ['r out of range', `scrypt$131072$64$1$${salt}$${key}`, 'r=64'],
    ['p out of range', `scrypt$131072$8$0$${salt}$${key}`, 'p=0'],
    ['plain text', 'huizhen-demo', 'expected scrypt'],
  ])('rejects %s', (_label, value, message) => {
    const result = PasswordHashSchema.safeParse(value);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message).join(' ')).toContain(message);
  });
});
