import { describe, expect, it } from 'vitest';
import type { Resource } from '../../../../../src/shared/domain/fhir.ts';
import type { User } from '../../../../../src/shared/domain/user.ts';
import type { AdtEvent } from '../../../../../src/main/services/worklist/adt-event.ts';
import { stayKey } from '../../../../../src/main/services/worklist/census.ts';
import { createCensusKeeper } from '../../../../../src/main/services/worklist/census-keeper.ts';
import { createMemoryLastViewed } from '../../../../../src/main/services/worklist/last-viewed.ts';
import { createWorklist } from '../../../../../src/main/services/worklist/worklist.ts';

const NOW = Date.parse('2026-12-07T02:00:00Z'); // 10:00 in Beijing
const user = (over: Partial<User>): User => ({
  id: 'u',
  displayName: 'u',
  roles: ['ward-doctor'],
  wards: ['CARD-1'],
  practitionerId: 'D1',
  authMethod: 'local',
  ...over,
});
const admit = (id: string, ward: string, bed: string, attending = 'D9', admittedAt = '2026-12-05T22:00:00+08:00'): AdtEvent => ({
  trigger: 'A01',
  patient: { sourceId: 'his', sourcePatientId: id },
  name: `患者${id}`,
  location: { ward, bed },
  attending: { id: attending, display: attending },
  admittedAt,
});
const obs = (at: string, code: string): Resource =>
  ({ resourceType: 'Observation', status: 'final', code: { text: 'K' }, issued: at, interpretation: [{ coding: [{ code }] }] }) as Resource;

function world(records: Record<string, Resource[]> = {}, judgeResults?: () => { abnormal: number; critical: number }) {
  const census = createCensusKeeper();
  for (const e of [admit('10', 'CARD-1', '10'), admit('2', 'CARD-1', '2'), admit('7', 'RESP-2', '7', 'D1'), admit('8', 'RESP-2', '8')])
    census.accept(e);
  census.accept({
    trigger: 'A01',
    patient: { sourceId: 'his', sourcePatientId: 'old' },
    location: { ward: 'CARD-1', bed: '1' },
    admittedAt: '2026-10-01T10:00:00+08:00',
  });
  census.accept({ trigger: 'A03', patient: { sourceId: 'his', sourcePatientId: 'old' }, dischargedAt: '2026-10-05T10:00:00+08:00' });
  const lastViewed = createMemoryLastViewed();
  const worklist = createWorklist({
    census,
    lastViewed,
    careWindowDays: 30,
    clock: () => NOW,
    records: {
      cached: async (ref) =>
        (records[ref.sourcePatientId] ?? []).map((resource) => ({
          resource,
          provenance: {
            sourceId: ref.sourceId,
            sourceName: ref.sourceId,
            sourceKind: 'hl7v2' as const,
            nativeId: resource.id ?? '',
            fetchedAt: new Date(NOW).toISOString(),
          },
        })),
    },
    ...(judgeResults ? { judgeResults } : {}),
  });
  return { worklist, lastViewed };
}
const list = (w: ReturnType<typeof world>['worklist'], u: User) => w.list(u, { from: 'cache', mask: (c) => c });

describe('worklist rows', () => {
  it('the ward by bed (2 before 10), then the doctor’s own elsewhere; another ward and a stay discharged past the care window never', async () => {
    const { rows } = await list(world().worklist, user({}));
    expect(rows.map((r) => [r.ward, r.bed, r.basis, r.mine])).toEqual([
      ['CARD-1', '2', 'ward', false],
      ['CARD-1', '10', 'ward', false],
      ['RESP-2', '7', 'treating', true],
    ]);
  });

  it('roles decide: a nurse gets her ward only, a radiologist and an administrator nothing', async () => {
    const { worklist } = world();
    expect((await list(worklist, user({ roles: ['nurse'] }))).rows.map((r) => r.bed)).toEqual(['2', '10']);
    expect((await list(worklist, user({ roles: ['radiologist'] }))).rows).toEqual([]);
    expect((await list(worklist, user({ roles: ['administrator'], wards: ['CARD-1'] }))).rows).toEqual([]);
  });

  it('counts results since the last look (or since admission), abnormal and critical by the source flags; the judging port can be replaced', async () => {
    const records = {
      '2': [
        obs('2026-12-06T08:00:00+08:00', 'HH'),
        obs('2026-12-06T09:00:00+08:00', 'H'),
        obs('2026-12-06T10:00:00+08:00', 'N'),
        obs('2026-12-01T10:00:00+08:00', 'LL'),
      ],
    };
    const { worklist, lastViewed } = world(records);
    const row = (await list(worklist, user({}))).rows[0]!;
    expect(row.newResults).toEqual({ count: 3, abnormal: 2, critical: 1 });
    expect(row.admissionDay).toBe(3); // admitted 5 Dec 22:00 Beijing, today 7 Dec
    lastViewed.viewed('u', row.refs, '2026-12-06T08:30:00+08:00');
    expect((await list(worklist, user({}))).rows[0]!.newResults).toEqual({ count: 2, abnormal: 1, critical: 0 });
    const configured = world(records, () => ({ abnormal: 4, critical: 5 })).worklist;
    expect((await list(configured, user({}))).rows[0]!.newResults).toMatchObject({ abnormal: 4, critical: 5 });
  });

  it('a result stamped in whole seconds (HL7 v2) within the second of the last look is still new; one with milliseconds is compared exactly', async () => {
    const records = {
      '2': [
        obs('2026-12-07T09:59:59+08:00', 'N'),
        obs('2026-12-07T10:00:00+08:00', 'H'),
        obs('2026-12-07T10:00:00.400+08:00', 'N'),
        obs('2026-12-07T10:00:00.600+08:00', 'N'),
        obs('2026-12-07T09:59+08:00', 'N'),
      ],
    };
    const { worklist, lastViewed } = world(records);
    const ref = (await list(worklist, user({}))).rows[0]!.refs;
    lastViewed.viewed('u', ref, '2026-12-07T10:00:00.500+08:00');
    // 10:00:00 (same second) and 10:00:00.600 are new; 09:59:59, 10:00:00.400 and the minute 09:59 are not.
    expect((await list(worklist, user({}))).rows[0]!.newResults).toEqual({ count: 2, abnormal: 1, critical: 0 });
  });

  it('masks names through the access layer’s masking', async () => {
    const { rows } = await world().worklist.list(user({}), { from: 'cache', mask: (c) => c.map((x) => ({ ...x, displayName: '*' })) });
    expect(rows.every((r) => r.name === '*')).toBe(true);
    expect(rows[0]!.key).toBe(stayKey({ sourceId: 'his', sourcePatientId: '2' }));
  });

  it('a re-read from the cache (after a pushed change) keeps what the last live read learnt of the sources; before any, all are pending', async () => {
    const census = createCensusKeeper();
    census.accept(admit('2', 'CARD-1', '2'));
    census.accept(admit('3', 'CARD-1', '3'));
    const worklist = createWorklist({
      census,
      lastViewed: createMemoryLastViewed(),
      careWindowDays: 30,
      clock: () => NOW,
      records: {
        cached: async () => [],
        // The HIS answered for bed 2, not for bed 3.
        refresh: async (refs) => ({
          pending: new Map(refs.map((ref) => [stayKey(ref), ref.sourcePatientId === '3' ? ['his'] : []])),
          fresh: new Map(),
        }),
      },
    });
    const pending = async (from: 'cache' | 'systems') =>
      (await worklist.list(user({}), { from, mask: (c) => c })).rows.map((r) => [r.bed, r.pendingSources]);
    expect(await pending('cache')).toEqual([
      ['2', ['his']],
      ['3', ['his']],
    ]);
    expect(await pending('systems')).toEqual([
      ['2', []],
      ['3', ['his']],
    ]);
    expect(await pending('cache')).toEqual([
      ['2', []],
      ['3', ['his']],
    ]);
  });
});
