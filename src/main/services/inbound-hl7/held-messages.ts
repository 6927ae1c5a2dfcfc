/**
 * Messages that were not converted because they went over a budget (size, CPU time, memory) or
 * the conversion worker failed on them: kept whole, encrypted in the cache, for hospital IT to
 * inspect — a refusal for a limit must not lose a patient's result. One sealed FHIR Binary per
 * distinct message (its id is a digest of the bytes, so a retransmission overwrites itself),
 * under a pseudo patient key no real cache key can take (source ids have no ":").
 */
import { createHash } from 'node:crypto';
import type { Binary } from '@medplum/fhirtypes';
import type { CacheStore } from '../cache/index.ts';
import type { BudgetLimit } from './conversion-thread.ts';

export const heldMessagesKeyOf = (sourceId: string): string => `inbound-hl7:${sourceId}:held`;

/** Binary.meta.tag system whose code names the limit the message went over. */
export const HELD_LIMIT_SYSTEM = 'urn:huizhen:inbound-hl7:held-limit';

export interface HeldMessage {
  sourceId: string;
  sourceName: string;
  frame: Uint8Array;
  limit: BudgetLimit;
  /** MSH-10 as far as it could be read; "" when not. */
  controlId: string;
  receivedAt: string;
}

/** Resolves once the message is durable; rejects with the store's CacheError. */
export async function holdMessage(store: CacheStore, held: HeldMessage): Promise<void> {
  const id = `held-${createHash('sha256').update(held.frame).digest('hex').slice(0, 32)}`;
  const resource: Binary = {
    resourceType: 'Binary',
    id,
    contentType: 'x-application/hl7-v2+er7',
    meta: { lastUpdated: held.receivedAt, tag: [{ system: HELD_LIMIT_SYSTEM, code: held.limit }] },
    data: Buffer.from(held.frame.buffer, held.frame.byteOffset, held.frame.byteLength).toString('base64'),
  };
  await store.putRecords(heldMessagesKeyOf(held.sourceId), held.sourceId, [
    {
      resource,
      provenance: {
        sourceId: held.sourceId,
        sourceName: held.sourceName,
        sourceKind: 'hl7v2',
        nativeId: `held/${held.controlId || id}`,
        messageType: 'held push',
        fetchedAt: held.receivedAt,
      },
    },
  ]);
}
