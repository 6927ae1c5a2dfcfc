/**
 * Frames of a cached series in one answer: `…/studies/{st}/series/{se}/x-huizhen-frames?instances=a,b,…`.
 * A cached 200-slice reopen spent about half of the host's main thread per request (HTTP parsing,
 * the Fetch bridge, the gate, the cache lookup), not per byte (docs/benchmarks.md); a batch of
 * frames pays that once. It is answered from the encrypted cache only: a frame not sealed there
 * refuses the whole batch (409, never a PACS request), and the viewer asks for those frames one by
 * one as before, which is where PACS fetches, read-ahead and their failures are handled and worded.
 *
 * Each part is byte for byte the single-part answer to `…/instances/{uid}/frames/1` asked with the
 * same Accept header, with that URL as its Content-Location and its length as Content-Length: the
 * viewer splits the parts as they stream in (no boundary scan) and hands each to the loader as if
 * it had asked for it alone.
 */
import { DICOMWEB_ERROR_HEADER, type DicomwebErrorCode } from '../../../shared/api/dicomweb-errors.ts';
import { chooseAccept } from './accept.ts';
import type { PacsAnswer } from './cached-answer.ts';
import { isDicomUid, type ProxyRoute } from './proxy-route.ts';

export const BATCH_FRAMES_SEGMENT = 'x-huizhen-frames';
/** 24 × 525 kB ≈ 13 MB held per request; 200 slices in 9 requests instead of 200. */
export const MAX_BATCH_INSTANCES = 24;
/** A UID is at most 64 characters: anything longer is refused before it is split. */
const MAX_LIST_CHARS = MAX_BATCH_INSTANCES * 65;

export type InstanceList = { ok: true; instanceUids: string[]; query: string } | { ok: false; message: string };

/** The batch's one query parameter, `instances`: 1–24 distinct SOP Instance UIDs, comma-separated. */
export function parseInstanceList(params: URLSearchParams): InstanceList {
  const names = [...params.keys()];
  if (names.length !== 1 || names[0] !== 'instances')
    return { ok: false, message: 'a frame batch takes exactly one query parameter, instances' };
  const raw = params.get('instances') ?? '';
  if (raw.length === 0 || raw.length > MAX_LIST_CHARS)
    return { ok: false, message: `instances must name 1–${MAX_BATCH_INSTANCES} instances` };
  const instanceUids = raw.split(',');
  if (instanceUids.length > MAX_BATCH_INSTANCES) return { ok: false, message: `instances must name 1–${MAX_BATCH_INSTANCES} instances` };
  if (!instanceUids.every(isDicomUid)) return { ok: false, message: 'instances must be SOP Instance UIDs' };
  if (new Set(instanceUids).size !== instanceUids.length) return { ok: false, message: 'instances names an instance twice' };
  return { ok: true, instanceUids, query: `instances=${raw}` };
}

export interface BatchFramesRequest {
  /** `studies/{st}/series/{se}` below the source. */
  seriesPath: string;
  instanceUids: readonly string[];
  /** The served path of the source, e.g. "/dicom-web/pacs": each part's Content-Location starts with it. */
  servedRoot: string;
  /** The cached answer of one frame path (`…/instances/{uid}/frames/1`), undefined when it is not in the cache. */
  readFrame(framePath: string): Promise<PacsAnswer | undefined>;
}

export type BatchFramesResult =
  { ok: true; contentType: string; chunks: Uint8Array[]; byteLength: number; parts: number } | { ok: false; missing: number };

const CRLF = '\r\n';

/**
 * Reads every frame of the batch from the cache, then frames them as one multipart/related body.
 * The frame bytes are not copied: the chunks are the small part headers between views of the
 * cached bodies, written to the socket as they are.
 */
export async function readBatchFrames(request: BatchFramesRequest): Promise<BatchFramesResult> {
  const paths = request.instanceUids.map((uid) => `${request.seriesPath}/instances/${uid}/frames/1`);
  const answers = await Promise.all(paths.map((path) => request.readFrame(path)));
  const missing = answers.filter((answer) => answer === undefined || !isSinglePart(answer)).length;
  if (missing > 0) return { ok: false, missing };
  const boundary = `huizhen-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
  const chunks: Uint8Array[] = [];
  let byteLength = 0;
  const push = (chunk: Uint8Array) => {
    chunks.push(chunk);
    byteLength += chunk.byteLength;
  };
  answers.forEach((answer, i) => {
    const head = `--${boundary}${CRLF}Content-Type: ${answer!.contentType}${CRLF}Content-Location: ${request.servedRoot}/${paths[i]}${CRLF}Content-Length: ${answer!.body.byteLength}${CRLF}${CRLF}`;
    push(Buffer.from(i === 0 ? head : `${CRLF}${head}`, 'latin1'));
    push(answer!.body);
  });
  push(Buffer.from(`${CRLF}--${boundary}--${CRLF}`, 'latin1'));
  return {
    ok: true,
    contentType: `multipart/related; type="application/octet-stream"; boundary=${boundary}`,
    chunks,
    byteLength,
    parts: answers.length,
  };
}

export interface BatchFramesDeps {
  /** The served path of the source, e.g. "/dicom-web/pacs". */
  servedRoot: string;
  /** The owning patient's cache key; undefined (no open patient owns the study, or no cache): refused before any read. */
  patientKey: string | undefined;
  /** The cached answer under a frame's path and Accept variant, or undefined. Never asks the PACS. */
  readCached(patientKey: string, framePath: string, cacheVariant: string): Promise<PacsAnswer | undefined>;
  /** Whether a metadata answer served listed the instance in this series of the route's study (series-members.ts). */
  knows(seriesUid: string, instanceUid: string): boolean;
}

function refusal(status: number, code: DicomwebErrorCode, message: string): Response {
  return new Response(`${message}\n`, {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', [DICOMWEB_ERROR_HEADER]: code },
  });
}

/**
 * The proxy's answer to a batch route. The Accept header is the one the viewer sends for a single
 * frame (a single-part media type): it names what each part is and which cached answers are read.
 */
export async function answerBatchFrames(request: Request, route: ProxyRoute, deps: BatchFramesDeps): Promise<Response> {
  const accept = chooseAccept('frames', request.headers.get('accept'), true);
  if (!accept.ok || !accept.singlePart || accept.asMultipart)
    return refusal(406, 'not-acceptable', 'a frame batch is asked with a single-frame Accept header');
  const { patientKey } = deps;
  if (patientKey === undefined || !route.seriesUid || !route.instanceUids) {
    return refusal(409, 'not-cached', 'these frames are not in the encrypted cache');
  }
  const { seriesUid } = route;
  // Not yet known to be of this series: not from the batch, as if not cached (the viewer asks those frames one by one, checked there).
  const unknown = route.instanceUids.filter((uid) => !deps.knows(seriesUid, uid)).length;
  if (unknown > 0) return refusal(409, 'not-cached', `${unknown} of these instances are not yet known to be of this series`);
  const read = await readBatchFrames({
    seriesPath: `studies/${route.studyUid}/series/${route.seriesUid}`,
    instanceUids: route.instanceUids,
    servedRoot: deps.servedRoot,
    readFrame: (framePath) => deps.readCached(patientKey, framePath, accept.cacheVariant),
  });
  if (!read.ok) return refusal(409, 'not-cached', `${read.missing} of these frames are not in the encrypted cache`);
  const headers = {
    'content-type': read.contentType,
    'content-length': String(read.byteLength),
    'cache-control': 'no-store',
    vary: 'accept',
    'x-huizhen-cache': 'hit',
    'x-huizhen-frames': String(read.parts),
  };
  return new Response(request.method === 'HEAD' ? null : chunkStream(read.chunks), { status: 200, headers });
}

/** Only single-part frame answers go into a batch (what the viewer's frame Accept header is answered with). */
function isSinglePart(answer: PacsAnswer): boolean {
  return answer.form === 'served' && answer.contentType.toLowerCase().startsWith('application/octet-stream');
}

/** The chunks as a body stream that hands each one on as it is: no joining, the socket's back-pressure applies. */
export function chunkStream(chunks: readonly Uint8Array[]): ReadableStream<Uint8Array> {
  let next = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (next < chunks.length) controller.enqueue(chunks[next++]!);
      else controller.close();
    },
  });
}
