import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createHeadWitness, openAuditLog } from '../../../../../src/main/services/audit/index.ts';
import { type WitnessSlot } from '../../../../../src/main/services/audit/head-witness.ts';
import { openEvent, randomKeys, tempAuditDir } from './audit-fixtures.ts';

/** The cache's meta row, in memory. */
function memorySlot(): WitnessSlot & { bytes: Buffer | undefined } {
  const slot = {
    bytes: undefined as Buffer | undefined,
    read: () => slot.bytes,
    update(next: (current: Buffer | undefined) => Uint8Array | undefined) {
      const value = next(slot.bytes);
      if (value !== undefined) slot.bytes = Buffer.from(value);
    },
  };
  return slot;
}

const LOG_A = 'a'.repeat(32);
const LOG_B = 'b'.repeat(32);
const hash = (n: number) => String(n).padStart(64, '0');

describe('the head witness only moves forward', () => {
  it('counts every write, refuses an older head or another log, and replaces only by beginLog', () => {
    const witness = createHeadWitness(memorySlot(), randomBytes(32), 'test store');
    expect(witness.read()).toEqual({ state: 'none' });
    expect(witness.advance({ logId: LOG_A, seq: 1, hash: hash(1) })).toMatchObject({ kind: 'written', head: { seq: 1, counter: 1 } });
    expect(witness.advance({ logId: LOG_A, seq: 3, hash: hash(3) })).toMatchObject({ kind: 'written', head: { seq: 3, counter: 2 } });
    expect(witness.advance({ logId: LOG_A, seq: 2, hash: hash(2) })).toMatchObject({ kind: 'behind', recorded: { seq: 3 } });
    expect(witness.advance({ logId: LOG_B, seq: 9, hash: hash(9) })).toMatchObject({ kind: 'behind', recorded: { logId: LOG_A } });
    expect(witness.beginLog({ logId: LOG_B, seq: 0, hash: hash(0) })).toMatchObject({
      kind: 'written',
      head: { logId: LOG_B, seq: 0, counter: 3 },
    });
  });

  it('a head written under another key reads as edited and is never overwritten', () => {
    const slot = memorySlot();
    createHeadWitness(slot, randomBytes(32), 'test store').advance({ logId: LOG_A, seq: 1, hash: hash(1) });
    const other = createHeadWitness(slot, randomBytes(32), 'test store');
    expect(other.read()).toEqual({ state: 'edited' });
    expect(other.advance({ logId: LOG_A, seq: 2, hash: hash(2) })).toMatchObject({ kind: 'unusable' });
  });

  it('a witness one append behind (a crash before it was written) opens and is brought up to date', async () => {
    const dir = tempAuditDir();
    const keys = randomKeys();
    const slot = memorySlot();
    const witness = createHeadWitness(slot, keys.mac, 'test store');
    const log = await openAuditLog(dir, keys, { witness });
    await log.append(openEvent(1));
    const afterOne = slot.bytes;
    await log.append(openEvent(2));
    await log.close();
    slot.bytes = afterOne;
    const reopened = await openAuditLog(dir, keys, { witness });
    expect(witness.read()).toMatchObject({ state: 'read', head: { seq: 2 } });
    await reopened.close();
  });
});
