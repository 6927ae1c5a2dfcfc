/**
 * scrypt password hashes in a self-describing string, `scrypt$N$r$p$salt$hash`, so the cost
 * can be raised later without invalidating the hashes already in config files.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { PASSWORD_HASH_PATTERN } from '../../../shared/config/auth.ts';
import { AuthError } from './auth-error.ts';

export interface ScryptCost {
  N: number;
  r: number;
  p: number;
}

/** OWASP Password Storage Cheat Sheet's first scrypt choice (128 MiB, a few hundred ms). */
export const DEFAULT_SCRYPT_COST: ScryptCost = { N: 2 ** 17, r: 8, p: 1 };
const SALT_BYTES = 16;
const KEY_BYTES = 32;

export interface ParsedPasswordHash {
  cost: ScryptCost;
  salt: Buffer;
  key: Buffer;
}

export function parsePasswordHash(encoded: string): ParsedPasswordHash {
  const match = PASSWORD_HASH_PATTERN.exec(encoded);
  if (!match) throw new AuthError('invalid-hash', 'passwordHash: expected scrypt$N$r$p$salt$hash (salt and hash in base64url)');
  const [, n = '', r = '', p = '', salt = '', key = ''] = match;
  const cost = { N: Number(n), r: Number(r), p: Number(p) };
  if (cost.N < 2 || (cost.N & (cost.N - 1)) !== 0) throw new AuthError('invalid-hash', `passwordHash: N=${n} is not a power of two`);
  if (cost.r < 1 || cost.p < 1) throw new AuthError('invalid-hash', `passwordHash: r=${r}, p=${p} must be at least 1`);
  return { cost, salt: Buffer.from(salt, 'base64url'), key: Buffer.from(key, 'base64url') };
}

export function formatPasswordHash({ cost, salt, key }: ParsedPasswordHash): string {
  return `scrypt$${cost.N}$${cost.r}$${cost.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

function deriveKey(password: string, salt: Buffer, cost: ScryptCost, length: number): Promise<Buffer> {
  // Node's default maxmem (32 MiB) is below OWASP's 128 MiB; allow exactly what the cost needs.
  const options: ScryptOptions = { N: cost.N, r: cost.r, p: cost.p, maxmem: 128 * cost.N * cost.r + 1024 * 1024 };
  const refused = (error: Error): AuthError =>
    new AuthError('invalid-hash', `passwordHash: scrypt refused N=${cost.N}, r=${cost.r}, p=${cost.p}: ${error.message}`, { cause: error });
  return new Promise((resolve, reject) => {
    try {
      scrypt(password.normalize('NFKC'), salt, length, options, (error, key) => (error ? reject(refused(error)) : resolve(key)));
    } catch (error) {
      // Parameters scrypt cannot run with are thrown synchronously, not passed to the callback.
      reject(refused(error as Error));
    }
  });
}

export async function hashPassword(password: string, cost: ScryptCost = DEFAULT_SCRYPT_COST): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  return formatPasswordHash({ cost, salt, key: await deriveKey(password, salt, cost, KEY_BYTES) });
}

/** Spends the same work whether or not the password matches; compares in constant time. */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const { cost, salt, key } = parsePasswordHash(encoded);
  const candidate = await deriveKey(password, salt, cost, key.length);
  return timingSafeEqual(candidate, key);
}

/**
 * A hash no password matches, at the given cost: verifying an unknown username against it takes
 * as long as verifying a known one, so response time does not reveal which usernames exist.
 */
export function unmatchableHash(cost: ScryptCost): string {
  return formatPasswordHash({ cost, salt: randomBytes(SALT_BYTES), key: randomBytes(KEY_BYTES) });
}
