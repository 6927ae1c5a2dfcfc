/**
 * The log's head kept a second time, outside the audit folder: the anchor sits beside the log,
 * so whoever can restore an older copy of the folder (or delete it) restores or deletes the
 * anchor with it. The witness lives where that copy cannot reach — in the cache's database,
 * beside the key material the audit keys come from (safeStorage in the desktop app, the
 * passphrase elsewhere) — and only moves forward: every write carries a counter one higher than
 * the last, and a head behind the one recorded is refused. Rolling it back means rolling back the
 * key material too (docs/security.md, section 5, names that residual risk).
 */
import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { encodeAad } from '../keys/index.ts';
import { AUDIT_FORMAT, equalHex } from './audit-line.ts';

/** Where the witness's bytes live: the cache offers exactly this (readServiceState / updateServiceState). */
export interface WitnessSlot {
  read(): Buffer | undefined;
  /** One transaction: `next` gets the current bytes and returns the new ones (undefined: keep). */
  update(next: (current: Buffer | undefined) => Uint8Array | undefined): void;
}

const HeadSchema = z
  .object({
    format: z.literal(AUDIT_FORMAT),
    logId: z.string().regex(/^[0-9a-f]{32}$/),
    seq: z.number().int().min(0),
    hash: z.string().regex(/^[0-9a-f]{64}$/),
    /** Writes so far, over every log this key store has witnessed: monotonic, never reset. */
    counter: z.number().int().min(1),
    mac: z.string().regex(/^[0-9a-f]{64}$/),
  })
  .strict();
export type WitnessedHead = Omit<z.infer<typeof HeadSchema>, 'format' | 'mac'>;
export type HeadFields = Pick<WitnessedHead, 'logId' | 'seq' | 'hash'>;

export type WitnessReading =
  | { state: 'none' }
  | { state: 'unreadable'; problem: string }
  /** Its MAC does not verify: edited, or written under other keys. */
  | { state: 'edited' }
  | { state: 'read'; head: WitnessedHead };

/** What a write did; `behind` when the head offered is older than the one recorded (never written). */
export type WitnessWrite =
  { kind: 'written'; head: WitnessedHead } | { kind: 'behind'; recorded: WitnessedHead } | { kind: 'unusable'; reading: WitnessReading };

export interface HeadWitness {
  /** Where it is kept, for messages ("the cache's key store"). */
  readonly where: string;
  read(): WitnessReading;
  /** Records a head of the same log further on (or equal), or the first head of a new log. */
  advance(head: HeadFields): WitnessWrite;
  /** Records the start of a new log, replacing whatever log was recorded (an administrator's deliberate act). */
  beginLog(head: HeadFields): WitnessWrite;
}

function headMac(macKey: Buffer, head: WitnessedHead): string {
  return createHmac('sha256', macKey)
    .update(encodeAad(`${AUDIT_FORMAT}/witness`, [head.logId, String(head.seq), head.hash, String(head.counter)]))
    .digest('hex');
}

function parse(macKey: Buffer, bytes: Buffer | undefined): WitnessReading {
  if (bytes === undefined) return { state: 'none' };
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    return { state: 'unreadable', problem: 'the witnessed head is not JSON' };
  }
  const parsed = HeadSchema.safeParse(json);
  if (!parsed.success)
    return { state: 'unreadable', problem: `the witnessed head field ${parsed.error.issues[0]?.path.join('.') || '(root)'} is invalid` };
  const { format: _format, mac, ...head } = parsed.data;
  return equalHex(headMac(macKey, head), mac) ? { state: 'read', head } : { state: 'edited' };
}

function serialize(macKey: Buffer, head: WitnessedHead): Buffer {
  return Buffer.from(JSON.stringify({ format: AUDIT_FORMAT, ...head, mac: headMac(macKey, head) }), 'utf8');
}

export function createHeadWitness(slot: WitnessSlot, macKey: Buffer, where: string): HeadWitness {
  function write(head: HeadFields, newLog: boolean): WitnessWrite {
    let result: WitnessWrite | undefined;
    slot.update((current) => {
      const reading = parse(macKey, current);
      if (reading.state === 'unreadable' || reading.state === 'edited') {
        result = { kind: 'unusable', reading };
        return undefined;
      }
      const recorded = reading.state === 'read' ? reading.head : undefined;
      const sameLog = recorded?.logId === head.logId;
      if (recorded && !newLog && (!sameLog || head.seq < recorded.seq)) {
        // Another log, or an older head of this one: never written over; the caller reports it.
        result = { kind: 'behind', recorded };
        return undefined;
      }
      const next: WitnessedHead = { ...head, counter: (recorded?.counter ?? 0) + 1 };
      result = { kind: 'written', head: next };
      return serialize(macKey, next);
    });
    return result ?? { kind: 'unusable', reading: { state: 'unreadable', problem: 'the witness was not written' } };
  }
  return {
    where,
    read: () => parse(macKey, slot.read()),
    advance: (head) => write(head, false),
    beginLog: (head) => write(head, true),
  };
}
