/**
 * Consistent UID replacement for one export: the same original UID always gets the same new
 * UID within the export (so references between instances still resolve), and a fresh secret
 * per export means two exports of the same study cannot be linked by their UIDs. New UIDs are
 * 2.25.<decimal of a 128-bit UUID> (PS3.5 B.2): the HMAC-SHA-256 of the UID under the secret,
 * cut to 128 bits and stamped as a version 8 (custom) UUID.
 */
import { createHmac, randomBytes } from 'node:crypto';

export interface UidRemapper {
  remap(uid: string): string;
  /** How many distinct originals were remapped so far. */
  readonly size: number;
}

export function createUidRemapper(secret: Uint8Array = randomBytes(32)): UidRemapper {
  if (secret.byteLength < 16) throw new RangeError('the UID secret must be at least 16 bytes');
  const seen = new Map<string, string>();
  return {
    remap(uid: string): string {
      const original = uid.replace(/\0/g, '').trim();
      const known = seen.get(original);
      if (known) return known;
      const digest = createHmac('sha256', secret).update(original, 'utf8').digest().subarray(0, 16);
      digest[6] = (digest[6]! & 0x0f) | 0x80; // version 8
      digest[8] = (digest[8]! & 0x3f) | 0x80; // RFC 9562 variant
      const fresh = `2.25.${BigInt(`0x${digest.toString('hex')}`).toString(10)}`;
      seen.set(original, fresh);
      return fresh;
    },
    get size() {
      return seen.size;
    },
  };
}
