/**
 * Group commit for pushed messages. Every message that is stored costs a durable commit (an fsync
 * of the WAL, synchronous=FULL); one per message caps a workstation at a few dozen messages a
 * second on a loaded machine. Messages staged while the previous commit runs (the cache seals and
 * commits a batch in its record writer thread, so this thread goes on admitting deliveries) are
 * written in one transaction: their records and the control-id journal rows that remember them,
 * so a message is either stored and remembered or neither — a crash between the commit and the ack
 * to the sender leaves a redelivery that the journal recognises. Batches commit one after another,
 * in the order their messages were staged, so a later message's upsert still wins over an earlier one's.
 */
import { channel } from 'node:diagnostics_channel';
import type { CacheStore, RecordWrite } from '../cache/index.ts';
import type { ControlIdJournal, RememberedId } from './control-id-journal.ts';

export interface CommitJob {
  writes: RecordWrite[];
  id: RememberedId;
}

export interface GroupCommitter {
  /** Resolves once the job's records and its id are durable; rejects with the store's CacheError. */
  commit(job: CommitJob): Promise<void>;
  /** The commit a staged id waits for (undefined when it is not staged): a redelivery must wait for it. */
  pending(id: RememberedId): Promise<void> | undefined;
  /** Resolves once everything staged so far is committed (or failed). */
  idle(): Promise<void>;
}

interface Staged {
  job: CommitJob;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export interface GroupCommitOptions {
  store: CacheStore;
  journal: ControlIdJournal;
  /** Messages per transaction at most: bounds how long one commit holds the cache's write lock. */
  maxBatch: number;
}

const idKey = (id: RememberedId): string => `${id.senderKey}\u0000${id.controlId}`;

/**
 * Every committed batch's size and wall time ({ messages, ms }), for whoever measures (the broker
 * benchmark's histogram) without a handle on this module: publishing costs nothing unsubscribed.
 */
const committed = channel('huizhen.inbound-hl7.group-commit');

function told(messages: number, startedAt: number): void {
  if (committed.hasSubscribers) committed.publish({ messages, ms: performance.now() - startedAt });
}

export function createGroupCommitter(options: GroupCommitOptions): GroupCommitter {
  const { store, journal } = options;
  const staged: Staged[] = [];
  let scheduled = false;
  let draining = false;
  let chain: Promise<void> = Promise.resolve();
  const waiting = new Map<string, Promise<void>>();

  async function write(batch: readonly Staged[]): Promise<void> {
    const remembered = journal.prepare(batch.map((s) => s.job.id));
    await store.putRecordBatch([...batch.flatMap((s) => s.job.writes), ...remembered.writes]);
    remembered.settle();
  }

  async function commitBatch(batch: readonly Staged[]): Promise<void> {
    const startedAt = performance.now();
    try {
      await write(batch);
      told(batch.length, startedAt);
      for (const s of batch) s.resolve();
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
      // One message the store refuses must not hold back the others: each is tried on its own.
      for (const s of batch) {
        const singleAt = performance.now();
        try {
          await write([s]);
          told(1, singleAt);
          s.resolve();
        } catch (single) {
          s.reject(single);
        }
      }
    }
  }

  /**
   * The next batch is taken when the previous commit ends, not when its messages were staged: the
   * commit runs off this thread (the cache's record writer), and what arrives meanwhile joins the
   * next one — one transaction for every message that waited, instead of a queue of small ones.
   */
  async function drain(): Promise<void> {
    while (staged.length > 0) {
      const batch = staged.splice(0, options.maxBatch);
      await commitBatch(batch);
    }
  }

  function flush(): void {
    scheduled = false;
    if (draining) return;
    draining = true;
    chain = chain.then(drain).finally(() => {
      draining = false;
      if (staged.length > 0) schedule();
    });
  }

  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    // After the I/O callbacks of this turn: the conversions that came back together join one batch.
    setImmediate(flush);
  }

  return {
    commit(job) {
      const done = new Promise<void>((resolve, reject) => staged.push({ job, resolve, reject }));
      const key = idKey(job.id);
      const settled = done.then(
        () => undefined,
        () => undefined,
      );
      waiting.set(key, settled);
      void settled.then(() => {
        if (waiting.get(key) === settled) waiting.delete(key);
      });
      schedule();
      return done;
    },
    pending: (id) => waiting.get(idKey(id)),
    async idle() {
      while (staged.length > 0 || waiting.size > 0) await Promise.all([...waiting.values()]);
    },
  };
}
