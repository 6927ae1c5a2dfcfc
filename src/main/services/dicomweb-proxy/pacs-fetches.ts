/**
 * The proxy's calls to the PACS: one fetch per resource however many requests want it at once,
 * the "as stored" → Explicit VR Little Endian retry, and the answer stored in the cache after the
 * viewer has it. Frames are passed on while they arrive; other answers are read whole first.
 */
import type { DicomwebEndpoint } from '../../../adapters/dicomweb/index.ts';
import { CacheError, type CacheStore } from '../cache/index.ts';
import { deferAnswer, type DeferredAnswer, type PacsAnswer, type PiecedAnswer } from './cached-answer.ts';
import { createKeptAnswers } from './kept-answers.ts';
import { fetchFromPacs, openFromPacs, type PacsBody, type PacsFailure, type PacsFetchOptions } from './fetch-from-pacs.ts';
import { boundaryOf, multipartPieces, rewritePartLocations, splitMultipart } from './multipart.ts';
import type { UrlMapping } from './pacs-urls.ts';
import { isJsonRoute, type ProxyRoute } from './proxy-route.ts';
import { streamAnswer, type StreamStart } from './stream-answer.ts';
import { createWriteBehind } from './write-behind.ts';

/** Explicit VR Little Endian: what every PACS can send, the fallback when "as stored" fails. */
const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';
const ANY_TRANSFER_SYNTAX = /transfer-syntax=\*/i;

export interface PacsSource {
  sourceId: string;
  endpoint: DicomwebEndpoint;
}

export interface PacsFetchContext {
  cache: CacheStore | undefined;
  maxBytes: number;
  log: (line: string) => void;
  clock: () => Date;
}

export interface SharedAccept {
  upstream: string;
  singlePart: boolean;
}

type Prepared = { ok: true; encoded: DeferredAnswer } | { ok: false; message: string };
/** A shared answer, framed only if a request takes it from here (most read it from the cache). */
export type Shared = { ok: true; answer: () => PacsAnswer } | PacsFailure;

/** One PACS fetch shared by concurrent requests: its answer, and when it is also in the cache. */
export interface InFlight {
  answer: Promise<Shared>;
  /** Settles once the answer is stored (or storing failed, or there was nothing to store). */
  settled: Promise<void>;
}

/** What one request asks of the PACS, and where its answer is kept. */
export interface SharedRequest {
  source: PacsSource;
  route: ProxyRoute;
  accept: SharedAccept;
  /** The cache name, also the key that concurrent requests share. */
  name: string;
  patientKey: string | undefined;
  servedMapping: UrlMapping;
}

/**
 * What the PACS sent, made into the answer to keep: multipart bodies get their part locations
 * rewritten here, once, onto the proxy's path (path-absolute, so the same bytes serve both
 * hosts), and are written straight into the cache blob — each payload byte copied once.
 * DICOM JSON is kept as sent: its URLs name the requesting origin, rewritten per request.
 */
const TRANSFER_SYNTAX_PARAM = /transfer-syntax\s*=\s*"?([0-9.]+)/i;

/** The transfer syntax of a one-part answer, from the part's Content-Type or else the body's. */
function transferSyntaxOfPart(headerLines: readonly string[], contentType: string): string | undefined {
  const partType = headerLines.find((l) => /^content-type:/i.test(l));
  return (partType ? TRANSFER_SYNTAX_PARAM.exec(partType)?.[1] : undefined) ?? TRANSFER_SYNTAX_PARAM.exec(contentType)?.[1];
}

function prepareAnswer(route: ProxyRoute, fetched: PacsBody, fetchedAt: string, servedMapping: UrlMapping, singlePart: boolean): Prepared {
  if (isJsonRoute(route.kind))
    return { ok: true, encoded: deferAnswer({ contentType: fetched.contentType, fetchedAt, form: 'pacs' }, [fetched.body]) };
  const boundary = boundaryOf(fetched.contentType);
  if (!fetched.contentType.toLowerCase().startsWith('multipart/related') || !boundary) {
    return { ok: false, message: 'the PACS answered without a multipart/related body' };
  }
  const split = splitMultipart(fetched.body, boundary);
  if (!split.ok) return { ok: false, message: `the PACS answered a malformed multipart body: ${split.message}` };
  const only = split.parts.length === 1 ? split.parts[0] : undefined;
  const syntax = singlePart && only ? transferSyntaxOfPart(only.headerLines, fetched.contentType) : undefined;
  if (only && syntax) {
    // The one frame alone, its syntax named (without it a reader must assume Implicit VR LE).
    return {
      ok: true,
      encoded: deferAnswer({ contentType: `application/octet-stream; transfer-syntax=${syntax}`, fetchedAt, form: 'served' }, [only.body]),
    };
  }
  // No syntax to name: the multipart answer, which every client that asked for one frame reads too.
  const pieces = multipartPieces(rewritePartLocations(split.parts, servedMapping), boundary);
  return { ok: true, encoded: deferAnswer({ contentType: fetched.contentType, fetchedAt, form: 'served' }, pieces) };
}

/** Where an answer is stored: what `store` needs of a request. */
export type StoredRequest = Pick<SharedRequest, 'source' | 'name' | 'patientKey'>;

export interface PacsFetches {
  /** Requests being answered from the PACS, by cache name. */
  inFlight: ReadonlyMap<string, InFlight>;
  /** Reads the answer whole, then serves it; for everything but frames. */
  fetchShared(request: SharedRequest): InFlight;
  /** Passes a frame on as the PACS sends it. */
  streamShared(request: SharedRequest, fetchedAt: string): Promise<StreamStart>;
  /** Waits until `name`'s answer, if one is being fetched or stored, is in the cache. */
  untilCached(name: string): Promise<void>;
  /**
   * Keeps an answer obtained another way (a frame cut from a whole-series retrieve): handed out
   * once from memory by `takeKept`, then, like a streamed frame asked again, stored at once and
   * read from the cache. False, and nothing kept, when `name` is being fetched already.
   */
  keep(request: StoredRequest, encoded: DeferredAnswer): boolean;
  /** A kept answer not yet handed out, now handed out. */
  takeKept(name: string): PiecedAnswer | undefined;
  /** Something other than a frame is streaming from the PACS: writes behind wait for it too. */
  streaming(delta: 1 | -1): void;
  /** Resolves once every answer sent so far is stored. */
  settled(): Promise<void>;
}

export function createPacsFetches(options: PacsFetchContext): PacsFetches {
  const { log, clock, maxBytes } = options;
  /** Concurrent requests for one resource (thumbnails and prefetch overlap) share one PACS call. */
  const inFlight = new Map<string, InFlight>();
  const writeBehind = createWriteBehind();

  /**
   * Frames asked "as stored" (transfer-syntax=*) that the PACS refuses with 406 or a 5xx are
   * asked once more as Explicit VR Little Endian: Orthanc 1.10 answers 500 for instances stored
   * Big Endian or Deflated, and serves the same frames fine that way.
   */
  async function withFallback<T extends { ok: true } | PacsFailure>(
    { source, route, accept }: SharedRequest,
    call: (options: PacsFetchOptions) => Promise<T>,
  ): Promise<T> {
    const base = {
      endpoint: source.endpoint,
      resourcePath: route.resourcePath,
      query: route.query,
      identity: !isJsonRoute(route.kind),
      maxBytes,
    };
    const result = await call({ ...base, accept: accept.upstream });
    if (result.ok || route.kind !== 'frames' || !ANY_TRANSFER_SYNTAX.test(accept.upstream)) return result;
    const refused = result.pacsStatus === 406 || (result.pacsStatus !== undefined && result.pacsStatus >= 500);
    if (!refused) return result;
    log(`dicomweb-proxy: ${source.sourceId}: frames as stored refused (HTTP ${result.pacsStatus}); asking for Explicit VR Little Endian`);
    return call({ ...base, accept: accept.upstream.replace(ANY_TRANSFER_SYNTAX, `transfer-syntax=${EXPLICIT_VR_LITTLE_ENDIAN}`) });
  }

  function logFailure({ source, route }: SharedRequest, message: string): void {
    log(`dicomweb-proxy: ${source.sourceId}: ${route.kind} failed: ${message}`);
  }

  /** Seals and writes the answer; a failure is logged, never thrown: the image is still shown. */
  function store({ source, name, patientKey }: StoredRequest, encoded: DeferredAnswer): () => Promise<void> {
    const cache = options.cache;
    if (!cache || !patientKey) return () => Promise.resolve();
    return () =>
      cache.putBlob(patientKey, name, encoded.blob()).catch((error: unknown) => {
        log(`dicomweb-proxy: ${source.sourceId}: could not cache an answer (${error instanceof CacheError ? error.code : 'io'})`);
      });
  }

  /** Registers a fetch that concurrent requests share until its answer is stored. */
  function share(name: string, answer: Promise<Shared>, storing: () => Promise<void>): InFlight {
    const settled = answer.then(storing, () => undefined);
    const entry: InFlight = { answer, settled: settled.finally(() => inFlight.delete(name)) };
    inFlight.set(name, entry);
    return entry;
  }

  /**
   * A frame passed on to the viewer as the PACS sends it (cold frames are what the viewer waits
   * for). Requests for the same frame meanwhile share this fetch: they wait until it is cached
   * and read it there. Its cache copy is written behind (write-behind.ts), once frames stop
   * streaming, so sealing it does not hold up the frames that follow.
   */
  function streamShared(request: SharedRequest, fetchedAt: string): Promise<StreamStart> {
    let resolveAnswer: (shared: Shared) => void = () => {};
    const answer = new Promise<Shared>((resolve) => (resolveAnswer = resolve));
    let storing: Promise<void> = Promise.resolve();
    writeBehind.streaming(1);
    let ended = false;
    const end = (shared: Shared) => {
      if (!ended) writeBehind.streaming(-1);
      ended = true;
      resolveAnswer(shared);
    };
    const failedWith = (failure: PacsFailure): StreamStart => {
      logFailure(request, failure.message);
      end(failure);
      return { ok: false, failure };
    };
    const { source, route, accept } = request;
    const started = (async (): Promise<StreamStart> => {
      const opened = await withFallback(request, openFromPacs);
      if (!opened.ok) return failedWith(opened);
      const start = await streamAnswer(opened.answer, { fetchedAt, singlePart: accept.singlePart, servedMapping: request.servedMapping });
      if (!start.ok) return failedWith(start.failure);
      // A viewer that neither reads nor goes away must not hold up later requests for this frame.
      let gaveUp: ReturnType<typeof setTimeout> | undefined;
      const abandoned = new Promise<undefined>((resolve) => {
        gaveUp = setTimeout(() => resolve(undefined), source.endpoint.timeoutMs);
        gaveUp.unref?.();
      });
      void Promise.race([start.complete, abandoned]).then((encoded) => {
        clearTimeout(gaveUp);
        if (!encoded) {
          const message = start.failure() ?? 'the viewer stopped reading the answer';
          log(`dicomweb-proxy: ${source.sourceId}: ${route.kind} not cached: ${message}`);
          end({ ok: false, status: 502, code: 'pacs-broke-off', message });
          return;
        }
        storing = writeBehind.enqueue(request.name, encoded.byteLength, store(request, encoded));
        end({ ok: true, answer: encoded.answer });
      });
      return start;
    })().catch(() =>
      // Whatever went wrong, the frame is no longer streaming: later copies must not wait on it.
      // (The error's own text is not passed on: it might name the PACS's address.)
      failedWith({ ok: false, status: 502, code: 'pacs-failed', message: 'the proxy could not pass this frame on' }),
    );
    share(request.name, answer, () => storing);
    return started;
  }

  /**
   * The viewer gets the answer as soon as it is prepared; encrypting and storing it (an HMAC,
   * AES-GCM, a file written and fsynced, an index row) happen after, off its critical path.
   * A request for the same resource meanwhile waits for `settled` and reads the cache.
   */
  function fetchShared(request: SharedRequest): InFlight {
    const existing = inFlight.get(request.name);
    if (existing) return existing;
    let storing: Promise<void> = Promise.resolve();
    const answer = (async (): Promise<Shared> => {
      const result = await withFallback(request, fetchFromPacs);
      if (!result.ok) {
        logFailure(request, result.message);
        return result;
      }
      const { source, route } = request;
      const prepared = prepareAnswer(route, result.answer, clock().toISOString(), request.servedMapping, request.accept.singlePart);
      if (!prepared.ok) {
        log(`dicomweb-proxy: ${source.sourceId}: ${route.kind}: ${prepared.message}`);
        return { ok: false, status: 502, code: 'pacs-malformed', message: prepared.message };
      }
      storing = store(request, prepared.encoded)();
      return { ok: true, answer: prepared.encoded.answer };
    })();
    return share(request.name, answer, () => storing);
  }

  async function untilCached(name: string): Promise<void> {
    const pending = inFlight.get(name);
    if (!pending) return;
    await pending.answer;
    // Asked again before it was written behind: store it now rather than after the stream ends.
    writeBehind.hurry(name);
    await pending.settled;
  }

  const keptAnswers = createKeptAnswers((delta) => writeBehind.streaming(delta));

  function keep(request: StoredRequest, encoded: DeferredAnswer): boolean {
    if (inFlight.has(request.name)) return false;
    keptAnswers.keep(request.name, encoded.pieced());
    // Held until stored: a name kept is in flight, so requests for it wait for the cache, not the PACS.
    const storing = writeBehind
      .enqueue(request.name, encoded.byteLength, store(request, encoded))
      .finally(() => keptAnswers.stored(request.name));
    share(request.name, Promise.resolve({ ok: true, answer: encoded.answer }), () => storing);
    return true;
  }

  async function settled(): Promise<void> {
    while (inFlight.size > 0) {
      await writeBehind.drain();
      await Promise.all([...inFlight.values()].map((e) => e.settled));
    }
  }

  return {
    inFlight,
    fetchShared,
    streamShared,
    untilCached,
    settled,
    keep,
    takeKept: (name) => keptAnswers.take(name),
    streaming: (delta) => writeBehind.streaming(delta),
  };
}
