/**
 * Which DICOMweb resource a proxy request names. Only the paths the viewer needs are served;
 * every path segment is checked against what DICOM allows (UIDs are digits and dots, at most
 * 64 characters), so nothing the renderer sends can reach another PACS path.
 */
import { BATCH_FRAMES_SEGMENT, parseInstanceList } from './batch-frames.ts';

export type RouteKind =
  /** QIDO-RS: the series of a study. */
  | 'search-series'
  /** QIDO-RS: the instances of a series. */
  | 'search-instances'
  | 'study-metadata'
  | 'series-metadata'
  | 'instance-metadata'
  /** WADO-RS: one or more frames of an instance, as stored (multipart/related). */
  | 'frames'
  /** WADO-RS: a whole instance (multipart/related; type=application/dicom). */
  | 'instance'
  /** WADO-RS: bulk data of an instance, as named by a BulkDataURI in its metadata. */
  | 'bulkdata'
  /** Not DICOMweb: first frames of several instances of a series, from the cache only (batch-frames.ts). */
  | 'batch-frames';

export interface ProxyRoute {
  sourceId: string;
  kind: RouteKind;
  studyUid: string;
  seriesUid?: string;
  instanceUid?: string;
  /** The instances a frame batch names (batch-frames only). */
  instanceUids?: readonly string[];
  /** The path below the DICOMweb root, e.g. "studies/1.2/series/1.3/metadata". */
  resourcePath: string;
  /** Canonical query string without "?" (QIDO only), "" when none. */
  query: string;
}

export type RouteResult = { ok: true; route: ProxyRoute } | { ok: false; status: 400 | 404; message: string };

const UID = /^[0-9]+(\.[0-9]+)*$/;
const SOURCE_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** A frame list: one-based frame numbers, comma-separated. */
const FRAME_LIST = /^[1-9][0-9]{0,5}(,[1-9][0-9]{0,5}){0,63}$/;
/** Bulk data paths as Orthanc (and others) write them: tags and item indexes. */
const BULK_SEGMENT = /^([0-9A-Fa-f]{8}|[0-9]{1,6})$/;
/** Characters a valid proxy path can contain; anything else (%, ;, quotes, spaces…) is refused. */
const PATH_CHARS = /^[A-Za-z0-9._,/-]*$/;

const QIDO_PARAMS = new Set(['includefield', 'limit', 'offset']);
const INCLUDE_FIELD = /^(all|[0-9A-Fa-f]{8}|[A-Za-z][A-Za-z0-9]{0,63})(,([0-9A-Fa-f]{8}|[A-Za-z][A-Za-z0-9]{0,63}))*$/;
const COUNT = /^[0-9]{1,6}$/;

export function isDicomUid(value: string): boolean {
  return value.length <= 64 && UID.test(value);
}

function bad(message: string): RouteResult {
  return { ok: false, status: 400, message };
}

function notFound(message: string): RouteResult {
  return { ok: false, status: 404, message };
}

/** Quoted for an error message without echoing arbitrary lengths back. */
function shown(segment: string): string {
  return JSON.stringify(segment.length > 70 ? `${segment.slice(0, 70)}…` : segment);
}

function checkUid(segment: string | undefined, what: string): string | undefined {
  if (segment === undefined || !isDicomUid(segment)) return `${shown(segment ?? '')} is not a DICOM ${what}`;
  return undefined;
}

function canonicalQuery(params: URLSearchParams, allowed: boolean): { ok: true; query: string } | { ok: false; message: string } {
  const entries = [...params.entries()];
  if (entries.length === 0) return { ok: true, query: '' };
  if (!allowed) return { ok: false, message: 'this resource takes no query parameters' };
  const out = new URLSearchParams();
  for (const [name, value] of entries.sort(([a], [b]) => a.localeCompare(b))) {
    if (!QIDO_PARAMS.has(name)) return { ok: false, message: `query parameter ${shown(name)} is not supported` };
    const valid = name === 'includefield' ? INCLUDE_FIELD.test(value) : COUNT.test(value);
    if (!valid) return { ok: false, message: `query parameter ${name}=${shown(value)} is not valid` };
    out.append(name, value);
  }
  return { ok: true, query: out.toString() };
}

/**
 * Parses `<prefix><sourceId>/studies/…` from a request URL. `prefix` is the mount point,
 * e.g. "/dicom-web/". A path outside the prefix or naming no served resource is a 404; a
 * segment that is not what DICOM allows there (a traversal, an encoded character, a bad UID,
 * an unknown query parameter) is a 400.
 */
export function parseProxyRoute(url: URL, prefix: string): RouteResult {
  const path = url.pathname;
  if (!path.startsWith(prefix)) return notFound('not a DICOMweb path');
  const rest = path.slice(prefix.length);
  // URL parsing already resolved "." and ".." segments; what is left must be plain characters.
  if (!PATH_CHARS.test(rest)) return bad('the path contains characters no DICOMweb resource has');
  const segments = rest.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..')) return bad('the path has an empty or relative segment');
  const [sourceId, studies, studyUid, ...tail] = segments;
  if (sourceId === undefined || !SOURCE_ID.test(sourceId)) return bad(`${shown(sourceId ?? '')} is not a source id`);
  if (studies !== 'studies' || studyUid === undefined) return notFound('only studies/{uid}/… resources are served');
  const studyError = checkUid(studyUid, 'Study Instance UID');
  if (studyError) return bad(studyError);

  const base = `studies/${studyUid}`;
  const make = (kind: RouteKind, resourcePath: string, ids: { seriesUid?: string; instanceUid?: string }, qido = false): RouteResult => {
    const query = canonicalQuery(url.searchParams, qido);
    if (!query.ok) return bad(query.message);
    return { ok: true, route: { sourceId, kind, studyUid, ...ids, resourcePath, query: query.query } };
  };

  if (tail.length === 1 && tail[0] === 'metadata') return make('study-metadata', `${base}/metadata`, {});
  if (tail[0] !== 'series') return notFound('unknown study resource');
  if (tail.length === 1) return make('search-series', `${base}/series`, {}, true);

  const seriesUid = tail[1]!;
  const seriesError = checkUid(seriesUid, 'Series Instance UID');
  if (seriesError) return bad(seriesError);
  const seriesPath = `${base}/series/${seriesUid}`;
  if (tail.length === 3 && tail[2] === 'metadata') return make('series-metadata', `${seriesPath}/metadata`, { seriesUid });
  if (tail.length === 3 && tail[2] === BATCH_FRAMES_SEGMENT) {
    const list = parseInstanceList(url.searchParams);
    if (!list.ok) return bad(list.message);
    const resourcePath = `${seriesPath}/${BATCH_FRAMES_SEGMENT}`;
    return {
      ok: true,
      route: { sourceId, kind: 'batch-frames', studyUid, seriesUid, instanceUids: list.instanceUids, resourcePath, query: list.query },
    };
  }
  if (tail[2] !== 'instances') return notFound('unknown series resource');
  if (tail.length === 3) return make('search-instances', `${seriesPath}/instances`, { seriesUid }, true);

  const instanceUid = tail[3]!;
  const instanceError = checkUid(instanceUid, 'SOP Instance UID');
  if (instanceError) return bad(instanceError);
  const instancePath = `${seriesPath}/instances/${instanceUid}`;
  const ids = { seriesUid, instanceUid };
  if (tail.length === 4) return make('instance', instancePath, ids);
  if (tail.length === 5 && tail[4] === 'metadata') return make('instance-metadata', `${instancePath}/metadata`, ids);
  if (tail[4] === 'frames') {
    if (tail.length !== 6) return notFound('frames/{numbers} expected');
    if (!FRAME_LIST.test(tail[5]!)) return bad(`${shown(tail[5]!)} is not a list of frame numbers`);
    return make('frames', `${instancePath}/frames/${tail[5]}`, ids);
  }
  if (tail[4] === 'bulk') {
    const bulk = tail.slice(5);
    if (bulk.length === 0 || bulk.length > 8 || !bulk.every((s) => BULK_SEGMENT.test(s))) return bad('not a bulk data path');
    return make('bulkdata', `${instancePath}/bulk/${bulk.join('/').toLowerCase()}`, ids);
  }
  return notFound('unknown instance resource');
}

/** The kinds answered with DICOM JSON (the rest are multipart/related). */
export function isJsonRoute(kind: RouteKind): boolean {
  return kind === 'search-series' || kind === 'search-instances' || kind.endsWith('metadata');
}
