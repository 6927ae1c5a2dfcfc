import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { KeyProtectionError, type KeyProtector } from '../security/index.ts';
import { encodeAad, open, seal } from '../keys/index.ts';
import { CacheError } from './cache-error.ts';

/**
 * The KeyProtector of the browser host and the CLI: a key derived from the user's passphrase
 * with scrypt seals the bytes. Sealed layout:
 *   "HZPP" | version 1 | log2(N) | r | p | salt (16) | verifier (32) | AES-GCM seal
 * The verifier (a hash of a second half of the scrypt output) tells a wrong passphrase apart
 * from damaged bytes; the cost parameters travel with the salt so they can be raised later
 * without breaking what was sealed before.
 */
export const PASSPHRASE_BACKEND = 'passphrase:scrypt';
const MAGIC = Buffer.from('HZPP', 'ascii');
const FORMAT_VERSION = 1;
const SALT_BYTES = 16;
const VERIFIER_BYTES = 32;
const HEADER_BYTES = MAGIC.length + 4 + SALT_BYTES + VERIFIER_BYTES;
/** OWASP's scrypt recommendation (2024): N=2^17, r=8, p=1 (128 MiB, about 0.3 s here). */
export const OWASP_LOG2_COST = 17;
const MIN_PASSPHRASE_CHARS = 8;

export interface PassphraseKeyProtectorOptions {
  /** log2 of scrypt's N for what is sealed from now on; tests use a small value to stay fast. */
  log2Cost?: number;
}

interface ScryptParams {
  log2N: number;
  r: number;
  p: number;
}

function deriveKeys(passphrase: string, salt: Buffer, params: ScryptParams): Promise<{ key: Buffer; verifier: Buffer }> {
  const N = 2 ** params.log2N;
  return new Promise((resolve, reject) => {
    // Passphrases typed through an IME can arrive composed or decomposed; NFC makes them equal.
    scrypt(
      passphrase.normalize('NFC'),
      salt,
      64,
      { N, r: params.r, p: params.p, maxmem: 256 * N * params.r + 1024 * 1024 },
      (error, derived) => {
        if (error) return reject(error);
        const key = Buffer.from(derived.subarray(0, 32));
        const verifier = createHash('sha256').update('huizhen/passphrase-verifier').update(derived.subarray(32)).digest();
        derived.fill(0);
        resolve({ key, verifier });
      },
    );
  });
}

function header(params: ScryptParams, salt: Buffer, verifier: Buffer): Buffer {
  return Buffer.concat([MAGIC, Buffer.from([FORMAT_VERSION, params.log2N, params.r, params.p]), salt, verifier]);
}

export function createPassphraseKeyProtector(passphrase: string, options: PassphraseKeyProtectorOptions = {}): KeyProtector {
  if ([...passphrase].length < MIN_PASSPHRASE_CHARS) {
    throw new CacheError('invalid-input', `A cache passphrase needs at least ${MIN_PASSPHRASE_CHARS} characters.`);
  }
  const log2N = options.log2Cost ?? OWASP_LOG2_COST;
  if (!Number.isInteger(log2N) || log2N < 10 || log2N > 22) {
    throw new CacheError('invalid-input', `scrypt log2 cost must be an integer in 10..22, got ${log2N}.`);
  }
  const fail = (message: string, cause?: unknown) =>
    new KeyProtectionError('unprotect-failed', PASSPHRASE_BACKEND, message, cause === undefined ? undefined : { cause });

  return {
    backendName: PASSPHRASE_BACKEND,
    async protect(plain) {
      const params = { log2N, r: 8, p: 1 };
      const salt = randomBytes(SALT_BYTES);
      const { key, verifier } = await deriveKeys(passphrase, salt, params);
      const head = header(params, salt, verifier);
      try {
        return new Uint8Array(Buffer.concat([head, seal(key, plain, encodeAad('huizhen/passphrase', [head.toString('hex')]))]));
      } finally {
        key.fill(0);
      }
    },
    async unprotect(sealed) {
      const bytes = Buffer.from(sealed);
      if (bytes.length < HEADER_BYTES || !bytes.subarray(0, 4).equals(MAGIC)) {
        throw fail('The protected key is not a passphrase-sealed key (damaged or from another backend).');
      }
      if (bytes[4] !== FORMAT_VERSION) throw fail(`The protected key has an unknown format (version ${bytes[4]}).`);
      const params = { log2N: bytes[5]!, r: bytes[6]!, p: bytes[7]! };
      if (params.log2N < 10 || params.log2N > 22 || params.r < 1 || params.r > 32 || params.p < 1 || params.p > 16) {
        throw fail('The protected key carries implausible scrypt parameters (damaged).');
      }
      const head = bytes.subarray(0, HEADER_BYTES);
      const salt = bytes.subarray(8, 8 + SALT_BYTES);
      const storedVerifier = bytes.subarray(8 + SALT_BYTES, HEADER_BYTES);
      const { key, verifier } = await deriveKeys(passphrase, salt, params);
      try {
        if (!timingSafeEqual(verifier, storedVerifier)) throw fail('The passphrase is wrong.');
        try {
          return new Uint8Array(
            open(key, bytes.subarray(HEADER_BYTES), encodeAad('huizhen/passphrase', [head.toString('hex')]), 'The protected key'),
          );
        } catch (error) {
          throw fail('The passphrase is right but the protected key is damaged.', error);
        }
      } finally {
        key.fill(0);
      }
    },
  };
}
