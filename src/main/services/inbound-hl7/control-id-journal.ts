/**
 * The recent message control ids (MSH-10) per sender, so a retransmission, which a sender makes
 * whenever an ACK got lost, is acknowledged again without being stored twice — and, worse,
 * without an old retransmitted A08 overwriting a newer one. The ids live in the encrypted cache
 * (they name patients' messages, and must survive a restart): one sealed record per sender under
 * a pseudo patient key that no real cache key can take (source ids have no ":").
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { SourcedResource } from '../../../adapters/source-adapter.ts';
import type { CacheStore, RecordWrite } from '../cache/index.ts';

export interface RememberedId {
  senderKey: string;
  controlId: string;
}

/** The journal's rows that remember some ids, for the caller to commit with the messages' records. */
export interface JournalWrite {
  /** Empty when every id was already known. */
  writes: RecordWrite[];
  /** Call once `writes` are durable: from then on `has` knows the ids. */
  settle(): void;
}

export interface ControlIdJournal {
  has(senderKey: string, controlId: string): boolean;
  /** Resolves once the id is durable; rejects with the store's CacheError. */
  remember(senderKey: string, controlId: string): Promise<void>;
  /**
   * The rows to write so these ids are remembered, one per sender however many ids it has (a group
   * commit re-seals each sender's window once, not once per message). Prepare and commit one batch
   * at a time: the next batch builds on what the previous one settled.
   */
  prepare(ids: readonly RememberedId[]): JournalWrite;
}

export interface JournalOptions {
  sourceId: string;
  sourceName: string;
  /** Ids kept per sender, oldest dropped first. */
  window: number;
  /** Told when the stored journal could not be read (it then starts empty). */
  onUnreadable?: (detail: string) => void;
}

export const journalKeyOf = (sourceId: string): string => `inbound-hl7:${sourceId}:control-ids`;

/**
 * The stored form: a FHIR Parameters resource, so the cache's envelope checks apply as to any record.
 * The ids are one JSON array in one parameter (`controlIds`): a window of thousands of ids is
 * re-written with every group commit, and thousands of parameter objects made each commit cost
 * the main thread milliseconds to build and hand to the cache's writer thread. Journals written
 * before kept one `controlId` parameter per id; they are still read.
 */
const SenderSchema = z.object({ name: z.literal('sender'), valueString: z.string() });
const StoredJournalSchema = z.union([
  z.object({
    resourceType: z.literal('Parameters'),
    id: z.string(),
    parameter: z.tuple([SenderSchema, z.object({ name: z.literal('controlIds'), valueString: z.string() })]),
  }),
  z.object({
    resourceType: z.literal('Parameters'),
    id: z.string(),
    parameter: z.tuple([SenderSchema]).rest(z.object({ name: z.literal('controlId'), valueString: z.string() })),
  }),
]);
const IdListSchema = z.array(z.string());

/** The ids of a stored journal record, oldest first. */
function idsOf(parameter: z.infer<typeof StoredJournalSchema>['parameter']): string[] {
  const [, ...rest] = parameter;
  const joined = rest.find((p) => p.name === 'controlIds');
  if (joined) return IdListSchema.parse(JSON.parse(joined.valueString));
  return rest.map((p) => p.valueString);
}

interface Window {
  order: string[];
  known: Set<string>;
}

function recordIdOf(senderKey: string): string {
  return `ctl-${createHash('sha256').update(senderKey).digest('hex').slice(0, 24)}`;
}

export async function openControlIdJournal(store: CacheStore, options: JournalOptions): Promise<ControlIdJournal> {
  const key = journalKeyOf(options.sourceId);
  const recent = new Map<string, Window>();
  const { records, failures } = await store.getRecords(key, { sourceId: options.sourceId });
  for (const f of failures) options.onUnreadable?.(`${f.error.code}: ${f.error.message}`);
  for (const { resource } of records) {
    const parsed = StoredJournalSchema.safeParse(resource);
    if (!parsed.success) {
      options.onUnreadable?.(`unexpected shape at "${parsed.error.issues[0]?.path.join('.') ?? ''}"`);
      continue;
    }
    let order: string[];
    try {
      order = idsOf(parsed.data.parameter).slice(-options.window);
    } catch {
      options.onUnreadable?.('the remembered ids are not a list of strings');
      continue;
    }
    recent.set(parsed.data.parameter[0].valueString, { order, known: new Set(order) });
  }

  function toRecord(senderKey: string, order: readonly string[]): SourcedResource {
    const id = recordIdOf(senderKey);
    return {
      resource: {
        resourceType: 'Parameters',
        id,
        parameter: [
          { name: 'sender', valueString: senderKey },
          { name: 'controlIds', valueString: JSON.stringify(order) },
        ],
      },
      provenance: {
        sourceId: options.sourceId,
        sourceName: options.sourceName,
        sourceKind: 'hl7v2',
        nativeId: `control-ids/${id}`,
        fetchedAt: new Date().toISOString(),
      },
    };
  }

  function prepare(ids: readonly RememberedId[]): JournalWrite {
    // Each sender's window is copied once per batch, however many of its ids the batch holds.
    const next = new Map<string, Window>();
    for (const { senderKey, controlId } of ids) {
      const entry = next.get(senderKey);
      if (entry?.known.has(controlId) || (!entry && recent.get(senderKey)?.known.has(controlId))) continue;
      const copy = entry ?? { order: [...(recent.get(senderKey)?.order ?? [])], known: new Set(recent.get(senderKey)?.known) };
      copy.order.push(controlId);
      copy.known.add(controlId);
      next.set(senderKey, copy);
    }
    for (const entry of next.values()) {
      const over = entry.order.length - options.window;
      if (over > 0) for (const dropped of entry.order.splice(0, over)) entry.known.delete(dropped);
    }
    return {
      writes:
        next.size === 0 ? [] : [{ patientKey: key, sourceId: options.sourceId, records: [...next].map(([s, e]) => toRecord(s, e.order)) }],
      // Memory changes only once the write is durable: a failed write leaves the ids unknown, so
      // the retransmission that follows is stored instead of being waved through.
      settle: () => {
        for (const [senderKey, entry] of next) recent.set(senderKey, entry);
      },
    };
  }

  return {
    has(senderKey, controlId) {
      return recent.get(senderKey)?.known.has(controlId) ?? false;
    },
    async remember(senderKey, controlId) {
      const { writes, settle } = prepare([{ senderKey, controlId }]);
      if (writes.length > 0) await store.putRecordBatch(writes);
      settle();
    },
    prepare,
  };
}
