import type { ProxyRoute } from './proxy-route.ts';
import type { ReadAheadSeries, SeriesReadAhead } from './series-read-ahead.ts';

/** Series whose instance lists are remembered; past it the least recently used go first (they are learnt again from the metadata). */
const REMEMBERED_SERIES = 2000;

const STUDY_UID = '0020000D';
const SERIES_UID = '0020000E';
const SOP_INSTANCE_UID = '00080018';

const seriesKey = (sourceId: string, studyUid: string, seriesUid: string) => `${sourceId}|${studyUid}|${seriesUid}`;

function uidOf(dataset: unknown, tag: string): string | undefined {
  if (typeof dataset !== 'object' || dataset === null) return undefined;
  const value = (dataset as Record<string, { Value?: unknown[] } | undefined>)[tag]?.Value?.[0];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Which instances belong to which study and series, as the metadata and search answers the
 * proxy served said. Access is decided on a request's Study UID; a PACS that finds an instance
 * by its own UID whatever the path says would serve another patient's pixels (or whole Part 10
 * file) under the open patient's study. Only a dataset that names its study, series and instance
 * itself counts: one that leaves them out vouches for nothing.
 */
export class SeriesMembers {
  private readonly bySeries = new Map<string, Set<string>>();
  private readonly learning = new Map<string, Promise<void>>();
  /** Series whose whole instance list an answer gave (their metadata, their study's): an instance not in it is not of them. */
  private readonly listed = new Set<string>();

  private readonly prefix: string;
  private readonly ask: (request: Request) => Promise<Response>;

  /**
   * @param prefix the proxy's mount point
   * @param ask the proxy's own handler: a series' metadata is asked as the viewer asks it (cache, sharing, timeouts) and learnt while it is rendered
   */
  constructor(prefix: string, ask: (request: Request) => Promise<Response>) {
    this.prefix = prefix;
    this.ask = ask;
  }

  /**
   * Whether the instance a frame, instance or bulk data request names is one of the path's study
   * and series. Not yet known (no metadata of the series served since start): the series' metadata
   * is asked first — once per series at a time — never the pixel data.
   */
  async isMember(route: ProxyRoute & { seriesUid: string; instanceUid: string }): Promise<boolean> {
    const { sourceId, studyUid, seriesUid, instanceUid } = route;
    if (this.has(sourceId, studyUid, seriesUid, instanceUid)) return true;
    // Listed without it: asking again would list the same (metadata is cached); a tab repeating the request costs nothing.
    if (this.isListed(sourceId, studyUid, seriesUid)) return false;
    const key = seriesKey(sourceId, studyUid, seriesUid);
    let learnt = this.learning.get(key);
    if (!learnt) {
      // A metadata request that fails leaves the instance unknown: refused like one not in the series.
      learnt = this.learnSeries(route)
        .catch(() => undefined)
        .finally(() => this.learning.delete(key));
      this.learning.set(key, learnt);
    }
    await learnt;
    return this.has(sourceId, studyUid, seriesUid, instanceUid);
  }

  private async learnSeries(route: ProxyRoute & { seriesUid: string }): Promise<void> {
    const path = `${this.prefix}${route.sourceId}/studies/${route.studyUid}/series/${route.seriesUid}/metadata`;
    const answer = await this.ask(new Request(new URL(path, 'http://huizhen.invalid'), { headers: { accept: 'application/dicom+json' } }));
    await answer.body?.cancel();
  }

  /** Learns from a DICOM JSON answer already checked against its route (answer-hierarchy.ts). */
  learn(route: ProxyRoute, datasets: readonly unknown[]): void {
    let lastKey: string | undefined;
    let members: Set<string> | undefined;
    for (const dataset of datasets) {
      const study = uidOf(dataset, STUDY_UID);
      const series = uidOf(dataset, SERIES_UID);
      const instance = uidOf(dataset, SOP_INSTANCE_UID);
      if (study !== route.studyUid || !series || !instance) continue;
      const key = seriesKey(route.sourceId, study, series);
      if (route.kind === 'series-metadata' || route.kind === 'study-metadata') this.listed.add(key);
      if (key !== lastKey || !members) {
        members = this.bySeries.get(key) ?? new Set();
        // Re-inserted: the most recently used series go last.
        this.bySeries.delete(key);
        this.bySeries.set(key, members);
        lastKey = key;
      }
      members.add(instance);
    }
    this.forgetOldest();
  }

  private forgetOldest(): void {
    for (const key of this.bySeries.keys()) {
      if (this.bySeries.size <= REMEMBERED_SERIES) break;
      this.bySeries.delete(key);
      this.listed.delete(key);
    }
  }

  /** One instance whose own data set named this study and series (an instance cut from a series retrieve). */
  add(sourceId: string, studyUid: string, seriesUid: string, instanceUid: string): void {
    const key = seriesKey(sourceId, studyUid, seriesUid);
    const members = this.bySeries.get(key) ?? new Set<string>();
    this.bySeries.delete(key);
    this.bySeries.set(key, members);
    members.add(instanceUid);
    this.forgetOldest();
  }

  /** Whether an answer served said this instance is of this study and series. */
  has(sourceId: string, studyUid: string, seriesUid: string, instanceUid: string): boolean {
    return this.bySeries.get(seriesKey(sourceId, studyUid, seriesUid))?.has(instanceUid) ?? false;
  }

  /** Whether the series' whole instance list is known (a metadata answer of it, or of its study, was served). */
  isListed(sourceId: string, studyUid: string, seriesUid: string): boolean {
    return this.listed.has(seriesKey(sourceId, studyUid, seriesUid));
  }
}

/** The routes that name one instance's pixels or file: checked against the study's series before anything is fetched. */
export function namesInstanceData(route: ProxyRoute): route is ProxyRoute & { seriesUid: string; instanceUid: string } {
  return (route.kind === 'frames' || route.kind === 'instance' || route.kind === 'bulkdata') && !!route.seriesUid && !!route.instanceUid;
}

/**
 * Whether the instance is of the path's study and series, decided before any of its pixels are
 * served or fetched. A frame neither cached nor of a series an answer has listed yet (a client
 * that asks frames without the series' metadata) waits for the series' whole retrieve (`series`
 * given), which vouches for every instance it cuts by the instance's own data set and is the
 * request the frame would have joined anyway; what the retrieve did not vouch for is looked up in
 * the series' metadata.
 */
export function memberCheck(members: SeriesMembers, readAhead: Pick<SeriesReadAhead, 'start' | 'passed'>) {
  return async (route: ProxyRoute & { seriesUid: string; instanceUid: string }, series: ReadAheadSeries | undefined): Promise<boolean> => {
    const { sourceId, studyUid, seriesUid, instanceUid } = route;
    if (members.has(sourceId, studyUid, seriesUid, instanceUid)) return true;
    if (series && route.kind === 'frames' && !members.isListed(sourceId, studyUid, seriesUid)) {
      readAhead.start(series);
      await readAhead.passed(series, instanceUid);
      if (members.has(sourceId, studyUid, seriesUid, instanceUid)) return true;
    }
    return members.isMember(route);
  };
}
