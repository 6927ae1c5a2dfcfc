/**
 * The workstation's own DICOMweb endpoint: one Fetch-API handler, mounted at app://…/dicom-web/
 * in Electron and at /dicom-web/ in the browser host. The viewer asks it for the QIDO-RS and
 * WADO-RS resources it needs; it answers from the encrypted cache when it can, otherwise from
 * the PACS (caching what it fetched), with the PACS's URLs rewritten onto its own path. The
 * renderer never learns the PACS's address and never holds its credentials.
 */
import type { DicomwebEndpoint } from '../../../adapters/dicomweb/index.ts';
import { CacheError, type CacheStore } from '../cache/index.ts';
import { chooseAccept } from './accept.ts';
import { answerBatchFrames } from './batch-frames.ts';
import { decodeAnswer, lengthOf, piecesOf, type PacsAnswer, type PiecedAnswer } from './cached-answer.ts';
import type { PacsFailure } from './fetch-from-pacs.ts';
import { boundaryOf, joinMultipart, rewritePartLocations, splitMultipart } from './multipart.ts';
import { createPacsFetches, type SharedRequest } from './pacs-fetches.ts';
import { framedPieces, framedStream, multipartFrame } from './frame-as-multipart.ts';
import { pacsRootPathOf, type UrlMapping } from './pacs-urls.ts';
import { isJsonRoute, parseProxyRoute, type ProxyRoute } from './proxy-route.ts';
import { rewriteDicomJson } from './rewrite-metadata.ts';
import { answerMatchesRoute } from './answer-hierarchy.ts';
import { createSeriesReadAhead, type ReadAheadSeries } from './series-read-ahead.ts';
import { memberCheck, namesInstanceData, SeriesMembers } from './series-members.ts';
import { DICOMWEB_ERROR_HEADER, DICOMWEB_PACS_STATUS_HEADER, type DicomwebErrorCode } from '../../../shared/api/dicomweb-errors.ts';

export interface DicomwebProxySource {
  sourceId: string;
  endpoint: DicomwebEndpoint;
}

export interface DicomwebProxyOptions {
  sources: readonly DicomwebProxySource[];
  /** Where answers are kept, encrypted per patient; without it every request goes to the PACS. */
  cache?: CacheStore;
  /**
   * The cache's patient key for a study, from the patient sessions that listed it. Nothing is
   * cached (or read from the cache) for a study no open patient owns.
   */
  patientKeyFor?: (studyUid: string) => string | undefined;
  /** The mount point; default "/dicom-web/". */
  pathPrefix?: string;
  /** Answers larger than this are refused (413); default 512 MiB. */
  maxResponseBytes?: number;
  /** One line per cache fallback or PACS failure; never carries URLs, credentials or patient data. */
  log?: (line: string) => void;
  clock?: () => Date;
}

export interface DicomwebProxy {
  (request: Request): Promise<Response>;
  /**
   * Resolves once every answer already sent has also been written to the cache (answers go to
   * the viewer before they are sealed and stored): for shutdown, tests and benchmarks.
   */
  settled(): Promise<void>;
}

/** How an answer was obtained, in the x-huizhen-cache header (benchmarks and tests read it). */
type CacheOutcome = 'hit' | 'miss' | 'bypass' | 'refetched' | 'stale';

const DEFAULT_PREFIX = '/dicom-web/';
/** What the viewer asks for a frame (features/imaging/cornerstone-setup.ts); whole-series retrieval fills exactly these answers. */
const READ_AHEAD_ACCEPT = chooseAccept('frames', 'application/octet-stream; transfer-syntax=*', true);

/** The cache name of an answer, also the key concurrent requests for it share. */
function cacheName(sourceId: string, resourcePath: string, query: string, variant: string): string {
  return `dicomweb|${sourceId}|${resourcePath}?${query}|${variant}`;
}

/**
 * Whether this request is one the series read-ahead serves or starts from: the series' metadata
 * (what the viewer asks first) or one frame asked the way the viewer asks it, both by GET.
 */
function readAheadRole(request: Request, route: ProxyRoute, cacheVariant: string): 'metadata' | 'frame' | undefined {
  if (request.method !== 'GET' || !route.seriesUid) return undefined;
  if (route.kind === 'series-metadata') return 'metadata';
  if (route.kind === 'frames' && READ_AHEAD_ACCEPT.ok && cacheVariant === READ_AHEAD_ACCEPT.cacheVariant) return 'frame';
  return undefined;
}
const DEFAULT_MAX_BYTES = 512 * 1024 * 1024;

/** A refusal or failure: the code for the viewer to word, the English line for logs and curl. */
function textResponse(status: number, code: DicomwebErrorCode, message: string, headers: Record<string, string> = {}): Response {
  return new Response(`${message}\n`, {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', [DICOMWEB_ERROR_HEADER]: code, ...headers },
  });
}

/** A PACS failure as the viewer gets it: the code to word, and the PACS's own status when it had one. */
function failureResponse(failure: PacsFailure): Response {
  const pacsStatus: Record<string, string> =
    failure.pacsStatus !== undefined ? { [DICOMWEB_PACS_STATUS_HEADER]: String(failure.pacsStatus) } : {};
  return textResponse(failure.status, failure.code, failure.message, pacsStatus);
}

/**
 * A body held in memory, handed on as it is. `new Response(bytes)` copies the bytes (undici's
 * extractBody): for a series served from the read-ahead or the cache that was 105 MB more to
 * allocate and collect per 200 frames, ≈ 0.1 s of the main thread plus its garbage collection
 * (docs/benchmarks.md). A one-chunk stream passes the same view on without a copy.
 */
function asStream(pieces: readonly Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      for (const piece of pieces) if (piece.byteLength > 0) controller.enqueue(piece);
      controller.close();
    },
  });
}

/** An instance no metadata of the path's study and series lists: refused before anything of it is fetched. */
function notInSeries(route: ProxyRoute, log: (line: string) => void): Response {
  log(`dicomweb-proxy: ${route.sourceId}: ${route.kind}: an instance not listed in the path's study and series refused`);
  return textResponse(403, 'not-in-series', 'This instance is not one of the study and series the path names.');
}

/** Searches may change (a new series arrives); everything else is addressed by immutable UIDs. */
function isSearch(route: ProxyRoute): boolean {
  return route.kind === 'search-series' || route.kind === 'search-instances';
}

/** The body to send for a request: served-form answers as they are; the rest rendered now. */
function renderAnswer(
  route: ProxyRoute,
  answer: PacsAnswer | PiecedAnswer,
  mapping: UrlMapping,
  servedMapping: UrlMapping,
  members: SeriesMembers,
): { ok: true; contentType: string; pieces: readonly Uint8Array[] } | { ok: false; message: string } {
  // Kept frames (cut from a series retrieve, in pieces) and other answers kept the way they are served.
  if (!isJsonRoute(route.kind) && ('pieces' in answer || answer.form === 'served'))
    return { ok: true, contentType: answer.contentType, pieces: piecesOf(answer) };
  if ('pieces' in answer) return { ok: false, message: 'a frame where DICOM JSON was asked' };
  if (isJsonRoute(route.kind)) {
    const rewritten = rewriteDicomJson(answer.body, mapping);
    if (!rewritten.ok) return rewritten;
    if (!answerMatchesRoute(route, rewritten.json)) return { ok: false, message: 'the PACS answered with data of another study or series' };
    members.learn(route, rewritten.json);
    return { ok: true, contentType: 'application/dicom+json', pieces: [Buffer.from(JSON.stringify(rewritten.json), 'utf8')] };
  }
  // A multipart answer cached before answers were kept in served form.
  const boundary = boundaryOf(answer.contentType);
  if (!answer.contentType.toLowerCase().startsWith('multipart/related') || !boundary) {
    return { ok: false, message: 'the PACS answered without a multipart/related body' };
  }
  const split = splitMultipart(answer.body, boundary);
  if (!split.ok) return { ok: false, message: `the PACS answered a malformed multipart body: ${split.message}` };
  return { ok: true, contentType: answer.contentType, pieces: [joinMultipart(rewritePartLocations(split.parts, servedMapping), boundary)] };
}

/** A cached answer; `damaged` when a blob was there but unusable (then fetched again and logged). */
async function readCachedAnswer(
  cache: CacheStore | undefined,
  log: (line: string) => void,
  patientKey: string,
  name: string,
  sourceId: string,
): Promise<{ answer?: PacsAnswer; damaged: boolean }> {
  if (!cache) return { damaged: false };
  try {
    const bytes = await cache.getBlob(patientKey, name);
    if (!bytes) return { damaged: false };
    const answer = decodeAnswer(bytes);
    if (answer) return { answer, damaged: false };
    log(`dicomweb-proxy: ${sourceId}: a cached answer had an unreadable frame; fetching it again`);
    return { damaged: true };
  } catch (error) {
    const code = error instanceof CacheError ? error.code : 'io';
    log(`dicomweb-proxy: ${sourceId}: cached answer unusable (${code}); fetching it again`);
    return { damaged: true };
  }
}

export function createDicomwebProxy(options: DicomwebProxyOptions): DicomwebProxy {
  const prefix = options.pathPrefix ?? DEFAULT_PREFIX;
  if (!/^\/([^/]+\/)*$/.test(prefix)) throw new Error(`pathPrefix must start and end with "/", got "${prefix}"`);
  const sources = new Map(options.sources.map((s) => [s.sourceId, s]));
  const log = options.log ?? (() => {});
  const clock = options.clock ?? (() => new Date());
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_BYTES;
  const pacs = createPacsFetches({ cache: options.cache, maxBytes, log, clock });
  const readAhead = createSeriesReadAhead({
    frameName: (sourceId, framePath) => cacheName(sourceId, framePath, '', READ_AHEAD_ACCEPT.ok ? READ_AHEAD_ACCEPT.cacheVariant : ''),
    keep: ({ encoded, ...stored }) => pacs.keep(stored, encoded),
    untilCached: (name) => pacs.untilCached(name),
    streaming: (delta) => pacs.streaming(delta),
    vouched: (series, instanceUid) => members.add(series.source.sourceId, series.studyUid, series.seriesUid, instanceUid),
    log,
    clock,
  });

  /**
   * A frame from the series' whole retrieve: kept in memory, or waited for while the retrieve
   * still has its instance to come. Undefined: ask the PACS.
   */
  async function readAheadFrame(series: ReadAheadSeries, instanceUid: string, name: string): Promise<PiecedAnswer | undefined> {
    await readAhead.passed(series, instanceUid);
    return pacs.takeKept(name);
  }

  const members = new SeriesMembers(prefix, (request) => handler(request));
  const isMember = memberCheck(members, readAhead);

  const readCache = (patientKey: string, name: string, sourceId: string) =>
    readCachedAnswer(options.cache, log, patientKey, name, sourceId);

  const handler = async function dicomwebProxy(request: Request): Promise<Response> {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return textResponse(405, 'read-only', 'The DICOMweb endpoint is read-only: GET or HEAD.', { allow: 'GET, HEAD' });
    }
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return textResponse(400, 'bad-request', 'Bad request URL.');
    }
    const parsed = parseProxyRoute(url, prefix);
    if (!parsed.ok) return textResponse(parsed.status, 'bad-request', parsed.message);
    const { route } = parsed;
    const source = sources.get(route.sourceId);
    if (!source) return textResponse(404, 'unknown-source', `No DICOMweb source "${route.sourceId}".`);
    if (route.kind === 'batch-frames') {
      const patientKey = options.cache ? options.patientKeyFor?.(route.studyUid) : undefined;
      return answerBatchFrames(request, route, {
        servedRoot: `${prefix}${route.sourceId}`,
        patientKey,
        knows: (seriesUid, instanceUid) => members.has(route.sourceId, route.studyUid, seriesUid, instanceUid),
        readCached: async (key, framePath, variant) => {
          const name = cacheName(route.sourceId, framePath, '', variant);
          await pacs.untilCached(name);
          return (await readCache(key, name, route.sourceId)).answer;
        },
      });
    }
    const accept = chooseAccept(
      route.kind,
      request.headers.get('accept'),
      route.kind === 'frames' && !/\/frames\/[0-9]+,/.test(route.resourcePath),
    );
    if (!accept.ok) return textResponse(406, 'not-acceptable', accept.message);

    const pacsRootPath = pacsRootPathOf(source.endpoint.baseUrl);
    const mapping: UrlMapping = { pacsRootPath, proxyRoot: `${url.origin}${prefix}${route.sourceId}` };
    const servedMapping: UrlMapping = { pacsRootPath, proxyRoot: `${prefix}${route.sourceId}` };
    const name = cacheName(route.sourceId, route.resourcePath, route.query, accept.cacheVariant);
    const patientKey = options.cache ? options.patientKeyFor?.(route.studyUid) : undefined;
    const shared: SharedRequest = { source, route, accept, name, patientKey, servedMapping };
    const role = readAheadRole(request, route, accept.cacheVariant);
    const series: ReadAheadSeries | undefined =
      role && patientKey && route.seriesUid ? { source, studyUid: route.studyUid, seriesUid: route.seriesUid, patientKey } : undefined;

    // Cut from the series' whole retrieve and not yet handed out: served from memory.
    let answer: PacsAnswer | PiecedAnswer | undefined = pacs.takeKept(name);
    let outcome: CacheOutcome = patientKey ? 'miss' : 'bypass';
    let cacheDamaged = false;
    if (!answer && patientKey && !isSearch(route)) {
      // Being fetched or stored for another request: wait, then read it like any cached answer.
      await pacs.untilCached(name);
      const cached = await readCache(patientKey, name, route.sourceId);
      answer = cached.answer;
      cacheDamaged = cached.damaged;
      if (answer) outcome = 'hit';
    }
    // Before anything of an instance is served or fetched; a frame not cached may wait for the retrieve to vouch for it.
    if (namesInstanceData(route) && !(await isMember(route, answer ? undefined : series))) return notInSeries(route, log);
    // Not cached: the series' metadata lets a finished retrieve run again (after a purge). The first
    // frames asked of a series go to the PACS on their own and the retrieve starts behind them: the
    // frame a reader waits for (the middle slice a viewer opens on, a thumbnail) is then neither
    // queued behind the instances the PACS sends before it nor sharing the cores with the retrieve.
    if (!answer && series && role === 'metadata') readAhead.rearm(series);
    const firstOfSeries = !answer && series !== undefined && role === 'frame' && !readAhead.started(series);
    if (!answer && series && role === 'frame' && route.instanceUid && !firstOfSeries)
      answer = await readAheadFrame(series, route.instanceUid, name);
    if (!answer && request.method === 'GET' && route.kind === 'frames' && !pacs.inFlight.has(name)) {
      const fetchedAt = clock().toISOString();
      const streamed = await pacs.streamShared(shared, fetchedAt);
      if (!streamed.ok) return failureResponse(streamed.failure);
      // The PACS has answered the first frame: the rest of the series now comes in one retrieve.
      if (firstOfSeries && series) readAhead.start(series);
      const framed = accept.asMultipart
        ? multipartFrame(streamed.contentType, `${servedMapping.proxyRoot}/${route.resourcePath}`)
        : undefined;
      const headers = {
        'content-type': framed?.contentType ?? streamed.contentType,
        'cache-control': 'no-store',
        vary: 'accept',
        'x-huizhen-cache': cacheDamaged ? 'refetched' : outcome,
        'x-huizhen-fetched-at': fetchedAt,
      };
      return new Response(framed ? framedStream(framed, streamed.body) : streamed.body, { status: 200, headers });
    }
    if (!answer) {
      const fetched = await pacs.fetchShared(shared).answer;
      if (fetched.ok) {
        answer = fetched.answer();
        if (cacheDamaged) outcome = 'refetched';
      } else {
        // A search the PACS cannot answer now: what it said last time, marked stale.
        const offline = fetched.status === 502 || fetched.status === 504;
        const fallback = offline && patientKey && isSearch(route) ? (await readCache(patientKey, name, route.sourceId)).answer : undefined;
        if (!fallback) return failureResponse(fetched);
        answer = fallback;
        outcome = 'stale';
      }
    }

    const rendered = renderAnswer(route, answer, mapping, servedMapping, members);
    if (!rendered.ok) {
      log(`dicomweb-proxy: ${route.sourceId}: ${route.kind}: ${rendered.message}`);
      return textResponse(502, 'pacs-malformed', rendered.message);
    }
    const framed = accept.asMultipart
      ? multipartFrame(rendered.contentType, `${servedMapping.proxyRoot}/${route.resourcePath}`)
      : undefined;
    const pieces = framed ? framedPieces(framed, rendered.pieces) : rendered.pieces;
    const headers = {
      'content-type': framed?.contentType ?? rendered.contentType,
      'content-length': String(lengthOf(pieces)),
      // The encrypted cache is the only cache: no plaintext copy in the browser's HTTP cache.
      'cache-control': 'no-store',
      vary: 'accept',
      'x-huizhen-cache': outcome,
      'x-huizhen-fetched-at': answer.fetchedAt,
    };
    return new Response(request.method === 'HEAD' ? null : asStream(pieces), { status: 200, headers });
  };
  return Object.assign(handler, {
    // Retrieves still running may keep frames: they end (or stall) first, then every copy is written.
    settled: async () => {
      await readAhead.settled();
      await pacs.settled();
    },
  });
}
