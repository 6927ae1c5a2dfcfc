import { afterEach, describe, expect, it } from 'vitest';
import { openCacheStore } from '../../../../../src/main/services/cache/index.ts';
import { journalKeyOf, openControlIdJournal } from '../../../../../src/main/services/inbound-hl7/control-id-journal.ts';
import { tempCacheDir, testProtector } from '../../../../support/cache-fixtures.ts';

const cleanups: (() => void)[] = [];
afterEach(() =>
  cleanups
    .splice(0)
    .reverse()
    .forEach((c) => c()),
);

async function store() {
  const { dir, cleanup } = tempCacheDir('journal');
  cleanups.push(cleanup);
  const opened = await openCacheStore({ directory: dir, protector: testProtector() });
  cleanups.push(() => opened.close());
  return { dir, store: opened };
}

describe('control id journal', () => {
  it('remembers per sender, keeps only the last `window` ids, and survives a reopen', async () => {
    const { dir, store: s } = await store();
    const journal = await openControlIdJournal(s, { sourceId: 'lis', sourceName: 'LIS', window: 3 });
    for (const id of ['a', 'b', 'c', 'd']) await journal.remember('LIS^H', id);
    await journal.remember('LIS^OTHER', 'a');
    expect(['a', 'b', 'c', 'd'].map((id) => journal.has('LIS^H', id))).toEqual([false, true, true, true]);
    expect(journal.has('LIS^OTHER', 'a')).toBe(true);
    expect(journal.has('HIS^H', 'b')).toBe(false);
    s.close();
    const reopened = await openCacheStore({ directory: dir, protector: testProtector() });
    cleanups.push(() => reopened.close());
    const again = await openControlIdJournal(reopened, { sourceId: 'lis', sourceName: 'LIS', window: 2 });
    expect(['b', 'c', 'd'].map((id) => again.has('LIS^H', id))).toEqual([false, true, true]);
    // Sealed like any record: the ids are not in the database file in clear.
    expect((await reopened.getRecords(journalKeyOf('lis'))).records).toHaveLength(2);
  });

  it('reads a journal written before the ids were kept as one list (one controlId parameter per id)', async () => {
    const { store: s } = await store();
    const legacy = {
      resourceType: 'Parameters' as const,
      id: 'ctl-legacy',
      parameter: [{ name: 'sender', valueString: 'LIS^H' }, ...['a', 'b'].map((c) => ({ name: 'controlId', valueString: c }))],
    };
    const provenance = {
      sourceId: 'lis',
      sourceName: 'LIS',
      sourceKind: 'hl7v2' as const,
      nativeId: 'control-ids/ctl-legacy',
      fetchedAt: '2026-01-01T00:00:00Z',
    };
    await s.putRecords(journalKeyOf('lis'), 'lis', [{ resource: legacy, provenance }]);
    const journal = await openControlIdJournal(s, { sourceId: 'lis', sourceName: 'LIS', window: 10 });
    expect(['a', 'b', 'c'].map((id) => journal.has('LIS^H', id))).toEqual([true, true, false]);
    // A batch of several ids of one sender: one row for the sender, the window trimmed once.
    const { writes } = journal.prepare(['c', 'd', 'c'].map((controlId) => ({ senderKey: 'LIS^H', controlId })));
    expect(writes.flatMap((w) => w.records)).toHaveLength(1);
  });

  it('a stored journal of an unexpected shape is reported and ignored', async () => {
    const { store: s } = await store();
    await s.putRecords(journalKeyOf('lis'), 'lis', [
      {
        resource: { resourceType: 'Parameters', id: 'x', parameter: [{ name: 'oops' }] },
        provenance: { sourceId: 'lis', sourceName: 'LIS', sourceKind: 'hl7v2', nativeId: 'x', fetchedAt: 'now' },
      },
    ]);
    const reports: string[] = [];
    const journal = await openControlIdJournal(s, { sourceId: 'lis', sourceName: 'LIS', window: 5, onUnreadable: (d) => reports.push(d) });
    expect(reports).toHaveLength(1);
    expect(journal.has('LIS^H', 'a')).toBe(false);
  });

  it('an id is not remembered when its write fails', async () => {
    const { store: s } = await store();
    const journal = await openControlIdJournal(s, { sourceId: 'lis', sourceName: 'LIS', window: 5 });
    s.close();
    await expect(journal.remember('LIS^H', 'z')).rejects.toMatchObject({ code: 'closed' });
    expect(journal.has('LIS^H', 'z')).toBe(false);
  });
});
