import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { afterEach, describe, expect, it } from 'vitest';
import { openCacheStore, type CacheStore } from '../../../../../src/main/services/cache/index.ts';
import { openControlIdJournal } from '../../../../../src/main/services/inbound-hl7/control-id-journal.ts';
import { createGroupCommitter } from '../../../../../src/main/services/inbound-hl7/group-commit.ts';
import { observation, tempCacheDir, testProtector } from '../../../../support/cache-fixtures.ts';

const cleanups: (() => void)[] = [];
afterEach(() =>
  cleanups
    .splice(0)
    .reverse()
    .forEach((c) => c()),
);

async function opened() {
  const { dir, cleanup } = tempCacheDir('group-commit');
  cleanups.push(cleanup);
  const store = await openCacheStore({ directory: dir, protector: testProtector() });
  cleanups.push(() => store.close());
  // Counts the transactions the committer asks for.
  const batches: number[] = [];
  const counted: CacheStore = { ...store, putRecordBatch: (writes) => (batches.push(writes.length), store.putRecordBatch(writes)) };
  return { dir, store, counted, batches };
}

const job = (i: number, sourceId = 'lis') => ({
  writes: [{ patientKey: `lis:P${i % 2}`, sourceId: 'lis', records: [observation(i, sourceId)] }],
  id: { senderKey: 'LIS^H', controlId: `MSG-${i}` },
});

describe('group commit of pushed messages', () => {
  it('commits messages staged in one turn in one transaction, records and control ids together, durable across a reopen', async () => {
    const { dir, store, counted, batches } = await opened();
    const journal = await openControlIdJournal(counted, { sourceId: 'lis', sourceName: 'LIS', window: 100 });
    const committer = createGroupCommitter({ store: counted, journal, maxBatch: 64 });
    // What the broker benchmark's batch-size histogram reads.
    const published: number[] = [];
    const told = (message: unknown): void => void published.push((message as { messages: number }).messages);
    subscribe('huizhen.inbound-hl7.group-commit', told);
    cleanups.push(() => unsubscribe('huizhen.inbound-hl7.group-commit', told));
    const done = [1, 2, 3, 4].map((i) => committer.commit(job(i)));
    expect(committer.pending({ senderKey: 'LIS^H', controlId: 'MSG-2' })).toBeDefined();
    expect(journal.has('LIS^H', 'MSG-2')).toBe(false);
    await Promise.all(done);
    // One batch: four patients' writes and one journal row for the sender, however many ids.
    expect(batches).toEqual([5]);
    expect(published).toEqual([4]);
    expect(committer.pending({ senderKey: 'LIS^H', controlId: 'MSG-2' })).toBeUndefined();
    expect([1, 2, 3, 4].every((i) => journal.has('LIS^H', `MSG-${i}`))).toBe(true);
    store.close();
    const reopened = await openCacheStore({ directory: dir, protector: testProtector() });
    cleanups.push(() => reopened.close());
    const again = await openControlIdJournal(reopened, { sourceId: 'lis', sourceName: 'LIS', window: 100 });
    expect([1, 2, 3, 4].every((i) => again.has('LIS^H', `MSG-${i}`))).toBe(true);
    expect((await reopened.getRecords('lis:P0')).records.map((r) => r.resource.id)).toEqual(['obs-2', 'obs-4']);
  });

  it('caps a transaction at maxBatch messages and commits the batches in order', async () => {
    const { counted, batches } = await opened();
    const journal = await openControlIdJournal(counted, { sourceId: 'lis', sourceName: 'LIS', window: 100 });
    const committer = createGroupCommitter({ store: counted, journal, maxBatch: 2 });
    const order: number[] = [];
    await Promise.all([1, 2, 3, 4, 5].map((i) => committer.commit(job(i)).then(() => order.push(i))));
    expect(batches).toEqual([3, 3, 2]);
    expect(order).toEqual([1, 2, 3, 4, 5]);
  });

  it('a message the store refuses fails alone: the others of its batch are stored, its id stays unknown', async () => {
    const { store, counted } = await opened();
    const journal = await openControlIdJournal(counted, { sourceId: 'lis', sourceName: 'LIS', window: 100 });
    const committer = createGroupCommitter({ store: counted, journal, maxBatch: 64 });
    // Records claiming another source are refused by the cache.
    const results = await Promise.allSettled([committer.commit(job(1)), committer.commit(job(2, 'his')), committer.commit(job(3))]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(['MSG-1', 'MSG-2', 'MSG-3'].map((id) => journal.has('LIS^H', id))).toEqual([true, false, true]);
    expect((await store.getRecords('lis:P0')).records).toHaveLength(0);
    expect((await store.getRecords('lis:P1')).records.map((r) => r.resource.id)).toEqual(['obs-1', 'obs-3']);
  });

  it('a failed transaction keeps neither the records nor the ids (the broker delivers them again)', async () => {
    const { store, counted } = await opened();
    const journal = await openControlIdJournal(counted, { sourceId: 'lis', sourceName: 'LIS', window: 100 });
    const committer = createGroupCommitter({ store: counted, journal, maxBatch: 64 });
    const staged = [committer.commit(job(1)), committer.commit(job(2))];
    store.close();
    const results = await Promise.allSettled(staged);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(journal.has('LIS^H', 'MSG-1') || journal.has('LIS^H', 'MSG-2')).toBe(false);
    await committer.idle();
  });
});
