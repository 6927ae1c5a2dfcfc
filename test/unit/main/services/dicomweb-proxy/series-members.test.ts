import { describe, expect, it } from 'vitest';
import type { ProxyRoute } from '../../../../../src/main/services/dicomweb-proxy/proxy-route.ts';
import { namesInstanceData, SeriesMembers } from '../../../../../src/main/services/dicomweb-proxy/series-members.ts';

const STUDY = '2.25.1';
const SERIES = '2.25.1.1';
const uid = (value: string) => ({ vr: 'UI', Value: [value] });
const dataset = (study: string | undefined, series: string | undefined, sop: string) => ({
  ...(study ? { '0020000D': uid(study) } : {}),
  ...(series ? { '0020000E': uid(series) } : {}),
  '00080018': uid(sop),
});
const route = (kind: ProxyRoute['kind'], extra: Partial<ProxyRoute> = {}): ProxyRoute => ({
  sourceId: 'pacs',
  kind,
  studyUid: STUDY,
  resourcePath: '',
  query: '',
  ...extra,
});
const frameOf = (sop: string, series = SERIES) =>
  route('frames', { seriesUid: series, instanceUid: sop }) as ProxyRoute & { seriesUid: string; instanceUid: string };

/** A proxy stand-in that answers a series' metadata by feeding `datasets` to what it learns from, and counts the asks. */
function membersAnswering(datasets: unknown[]) {
  const asked: string[] = [];
  const members: SeriesMembers = new SeriesMembers('/dicom-web/', (request) => {
    asked.push(new URL(request.url).pathname);
    members.learn(route('series-metadata', { seriesUid: SERIES }), datasets);
    return Promise.resolve(new Response('[]'));
  });
  return { members, asked };
}

describe('which instances belong to a study’s series', () => {
  it('learns only datasets that name the route’s study, and their own series and instance', () => {
    const { members } = membersAnswering([]);
    members.learn(route('search-instances', { seriesUid: SERIES }), [
      dataset(STUDY, SERIES, '2.25.1.1.1'),
      dataset('2.25.9', SERIES, '2.25.9.1.1'),
      dataset(undefined, SERIES, '2.25.1.1.2'),
      dataset(STUDY, undefined, '2.25.1.1.3'),
    ]);
    expect(members.has('pacs', STUDY, SERIES, '2.25.1.1.1')).toBe(true);
    expect(members.has('pacs', STUDY, SERIES, '2.25.9.1.1')).toBe(false);
    expect(members.has('pacs', STUDY, SERIES, '2.25.1.1.2')).toBe(false);
    expect(members.has('pacs', STUDY, SERIES, '2.25.1.1.3')).toBe(false);
    expect(members.has('other-pacs', STUDY, SERIES, '2.25.1.1.1')).toBe(false);
    // A search may be one page: the series is not listed by it.
    expect(members.isListed('pacs', STUDY, SERIES)).toBe(false);
  });

  it('an unknown instance: the series’ metadata asked once for concurrent requests, then answered from what it listed', async () => {
    const { members, asked } = membersAnswering([dataset(STUDY, SERIES, '2.25.1.1.1')]);
    const answers = await Promise.all([frameOf('2.25.1.1.1'), frameOf('2.25.1.1.1'), frameOf('2.25.9.9')].map((r) => members.isMember(r)));
    expect(answers).toEqual([true, true, false]);
    expect(asked).toEqual([`/dicom-web/pacs/studies/${STUDY}/series/${SERIES}/metadata`]);
    // Listed: another stranger instance is refused without asking again.
    expect(await members.isMember(frameOf('2.25.9.8'))).toBe(false);
    expect(asked).toHaveLength(1);
  });

  it('a metadata request that fails leaves the instance unknown: refused, and asked again next time', async () => {
    let calls = 0;
    const members = new SeriesMembers('/dicom-web/', () => {
      calls++;
      return Promise.reject(new Error('PACS down'));
    });
    expect(await members.isMember(frameOf('2.25.1.1.1'))).toBe(false);
    expect(await members.isMember(frameOf('2.25.1.1.1'))).toBe(false);
    expect(calls).toBe(2);
  });

  it('frames, whole instances and bulk data are checked; metadata and searches are not', () => {
    const ids = { seriesUid: SERIES, instanceUid: '2.25.1.1.1' };
    expect(['frames', 'instance', 'bulkdata'].map((k) => namesInstanceData(route(k as ProxyRoute['kind'], ids)))).toEqual([
      true,
      true,
      true,
    ]);
    expect(
      ['instance-metadata', 'series-metadata', 'search-instances', 'batch-frames'].map((k) =>
        namesInstanceData(route(k as ProxyRoute['kind'], ids)),
      ),
    ).toEqual([false, false, false, false]);
  });
});
