/**
 * One GET to the PACS for the proxy: its credentials added here (they never leave main), a
 * deadline, and every failure mapped to the status the viewer gets. The PACS's own error
 * bodies are never passed on: they may name its URL, its paths or its software.
 */
import { authorizationHeader, type DicomwebEndpoint } from '../../../adapters/dicomweb/index.ts';
import type { DicomwebErrorCode } from '../../../shared/api/dicomweb-errors.ts';
import { pacsGet, type PacsHttpAnswer } from './pacs-http.ts';

/** What the PACS sent: its media type and body (read into one buffer). */
export interface PacsBody {
  contentType: string;
  body: Uint8Array<ArrayBuffer>;
}

export type PacsFailure = { ok: false; status: 404 | 406 | 413 | 502 | 504; code: DicomwebErrorCode; message: string; pacsStatus?: number };

export type PacsFetchResult = { ok: true; answer: PacsBody } | PacsFailure;

/** The PACS's answer once its status and headers are in, its body still arriving. */
export interface PacsOpenAnswer {
  contentType: string;
  /** The body chunk by chunk; rejects when the PACS breaks off, times out or sends too much. */
  chunks: AsyncIterable<Uint8Array>;
  /** Stops reading the body (the viewer went away). */
  cancel(): void;
  /** The body's length when the PACS declared it (and did not compress the body). */
  declaredLength?: number;
}

export type PacsOpenResult = { ok: true; answer: PacsOpenAnswer } | PacsFailure;

export interface PacsFetchOptions {
  endpoint: DicomwebEndpoint;
  resourcePath: string;
  query: string;
  accept: string;
  /**
   * Say explicitly that the body must come uncompressed (frames, bulk data, instances): Orthanc
   * gzipped every 525 kB frame when Node's fetch offered gzip — 200 frames 4–11 s instead of
   * 0.3–0.4 s on loopback, for pixel data that barely compresses. (No compression is offered now.)
   */
  identity?: boolean;
  maxBytes: number;
  signal?: AbortSignal;
}

function failed(status: 404 | 406 | 413 | 502 | 504, code: DicomwebErrorCode, message: string, pacsStatus?: number): PacsFailure {
  return { ok: false, status, code, message, ...(pacsStatus !== undefined ? { pacsStatus } : {}) };
}

/**
 * The body in one buffer, allocated once when the PACS declares its length (the usual case),
 * so each network chunk is copied exactly once.
 */
async function readBody(chunks: AsyncIterable<Uint8Array>, declared: number | undefined): Promise<Uint8Array<ArrayBuffer>> {
  const sized = declared !== undefined ? new Uint8Array(new ArrayBuffer(declared)) : undefined;
  /** Bytes in `sized`; once a chunk does not fit, it and every later chunk go to `rest`. */
  let inSized = 0;
  const rest: Uint8Array[] = [];
  let total = 0;
  for await (const value of chunks) {
    if (sized && rest.length === 0 && inSized + value.byteLength <= sized.byteLength) {
      sized.set(value, inSized);
      inSized += value.byteLength;
    } else rest.push(value);
    total += value.byteLength;
  }
  if (sized && inSized === sized.byteLength && rest.length === 0) return sized;
  // No or a wrong Content-Length: join what came (rare; the PACS would be at fault).
  const out = new Uint8Array(new ArrayBuffer(total));
  if (sized) out.set(sized.subarray(0, inSized), 0);
  let at = inSized;
  for (const chunk of rest) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

/**
 * Sends the request and checks the answer's status and headers; the body is left to the caller,
 * to read whole (`fetchFromPacs`) or to pass on as it arrives.
 */
export async function openFromPacs(options: PacsFetchOptions): Promise<PacsOpenResult> {
  const { endpoint } = options;
  const url = `${endpoint.baseUrl}/${options.resourcePath}${options.query ? `?${options.query}` : ''}`;
  const headers: Record<string, string> = { accept: options.accept };
  if (options.identity) headers['accept-encoding'] = 'identity';
  const authorization = authorizationHeader(endpoint.auth);
  if (authorization) headers.authorization = authorization;
  const deadline = AbortSignal.timeout(endpoint.timeoutMs);
  // Lets the caller stop reading a body it is passing on.
  const stop = new AbortController();
  const signal = AbortSignal.any([...(options.signal ? [options.signal] : []), deadline, stop.signal]);
  const name = endpoint.sourceName;
  let response: PacsHttpAnswer | undefined;
  // A GET is idempotent: one more try when the connection failed before any answer (a reused
  // keep-alive socket the PACS had just closed).
  for (let attempt = 0; !response; attempt++) {
    try {
      response = await pacsGet(url, headers, signal, attempt > 0);
    } catch {
      if (deadline.aborted) return failed(504, 'pacs-timeout', `${name} did not answer within ${endpoint.timeoutMs} ms`);
      if (attempt >= 1 || signal.aborted) return failed(502, 'pacs-unreachable', `${name} cannot be reached`);
    }
  }
  const status = response.status;
  if (status < 200 || status > 299) {
    response.discard();
    if (status === 404) return failed(404, 'pacs-not-found', `${name} does not have this resource`, status);
    if (status === 406) return failed(406, 'pacs-media-type', `${name} cannot send this resource in the requested media type`, status);
    // Orthanc answers 400 for a frame number beyond the instance's frames.
    if (status === 400) return failed(404, 'pacs-not-found', `${name} refused the request (HTTP 400): no such frame or resource`, status);
    if (status === 401 || status === 403)
      return failed(502, 'pacs-credentials', `${name} refused the workstation's credentials (HTTP ${status})`, status);
    // Redirects are not followed: the PACS's address is configured, not learnt from an answer.
    return failed(502, 'pacs-failed', `${name} failed (HTTP ${status})`, status);
  }
  const length = Number(response.header('content-length') ?? '');
  if (length > options.maxBytes) {
    response.discard();
    return failed(413, 'pacs-too-large', `${name} answered with more than ${options.maxBytes} bytes`);
  }
  const contentType = response.header('content-type');
  if (!contentType) {
    response.discard();
    return failed(502, 'pacs-malformed', `${name} answered without a Content-Type`);
  }
  // Compression is never offered, so a compressed body is one the proxy cannot read.
  const encoding = response.header('content-encoding');
  if (encoding && encoding.toLowerCase() !== 'identity') {
    response.discard();
    return failed(502, 'pacs-malformed', `${name} answered compressed (${encoding.slice(0, 20)}) though not asked to`);
  }
  return {
    ok: true,
    answer: {
      contentType,
      chunks: limitedChunks(response.body, options.maxBytes, name, endpoint.timeoutMs, deadline),
      cancel: () => stop.abort(),
      ...(Number.isSafeInteger(length) && length >= 0 ? { declaredLength: length } : {}),
    },
  };
}

/** Body chunks with the size limit enforced as they arrive, failures worded for the viewer. */
async function* limitedChunks(
  body: AsyncIterable<Uint8Array>,
  maxBytes: number,
  name: string,
  timeoutMs: number,
  deadline: AbortSignal,
): AsyncGenerator<Uint8Array> {
  const iterator = body[Symbol.asyncIterator]();
  let total = 0;
  for (;;) {
    let next: IteratorResult<Uint8Array>;
    try {
      next = await iterator.next();
    } catch {
      throw new PacsBodyError(
        deadline.aborted
          ? failed(504, 'pacs-timeout', `${name} did not finish its answer within ${timeoutMs} ms`)
          : failed(502, 'pacs-broke-off', `${name} broke off its answer`),
      );
    }
    if (next.done) return;
    total += next.value.byteLength;
    if (total > maxBytes) {
      await iterator.return?.();
      throw new PacsBodyError(failed(413, 'pacs-too-large', `${name} answered with more than ${maxBytes} bytes`));
    }
    yield next.value;
  }
}

/** A body that failed after its headers: the failure the viewer is told about. */
export class PacsBodyError extends Error {
  readonly failure: PacsFailure;
  constructor(failure: PacsFailure) {
    super(failure.message);
    this.failure = failure;
  }
}

export async function fetchFromPacs(options: PacsFetchOptions): Promise<PacsFetchResult> {
  const opened = await openFromPacs(options);
  if (!opened.ok) return opened;
  const { contentType, chunks } = opened.answer;
  try {
    return { ok: true, answer: { contentType, body: await readBody(chunks, opened.answer.declaredLength) } };
  } catch (error) {
    if (error instanceof PacsBodyError) return error.failure;
    throw error;
  }
}
