/**
 * One GET to the PACS for the proxy: its credentials added here (they never leave main), a
 * deadline, and every failure mapped to the status the viewer gets. The PACS's own error
 * bodies are never passed on: they may name its URL, its paths or its software.
 */
import { authorizationHeader, type DicomwebEndpoint } from '../../../adapters/dicomweb/index.ts';
import type { DicomwebErrorCode } from '../../../shared/api/dicomweb-errors.ts';

/** What the PACS sent: its media type and body (read into one buffer). */
export interface PacsBody {
  contentType: string;
  body: Uint8Array<ArrayBuffer>;
}

export type PacsFetchResult =
  | { ok: true; answer: PacsBody }
  | { ok: false; status: 404 | 406 | 413 | 502 | 504; code: DicomwebErrorCode; message: string; pacsStatus?: number };

export interface PacsFetchOptions {
  endpoint: DicomwebEndpoint;
  resourcePath: string;
  query: string;
  accept: string;
  /**
   * Ask for the body uncompressed (frames, bulk data, instances). Node's fetch otherwise offers
   * gzip, and Orthanc then gzips every 525 kB frame: 200 frames 4–11 s instead of 0.3–0.4 s
   * on loopback, for pixel data that barely compresses.
   */
  identity?: boolean;
  maxBytes: number;
  signal?: AbortSignal;
}

function failed(status: 404 | 406 | 413 | 502 | 504, code: DicomwebErrorCode, message: string, pacsStatus?: number): PacsFetchResult {
  return { ok: false, status, code, message, ...(pacsStatus !== undefined ? { pacsStatus } : {}) };
}

class TooLarge extends Error {}

/**
 * The body in one buffer, allocated once when the PACS declares its length (the usual case),
 * so each network chunk is copied exactly once; the limit is enforced as bytes arrive.
 */
async function readBody(response: Response, maxBytes: number): Promise<Uint8Array<ArrayBuffer>> {
  // A compressed answer's Content-Length counts the compressed bytes, not what fetch yields.
  const declared = response.headers.has('content-encoding') ? NaN : Number(response.headers.get('content-length') ?? '');
  const reader = response.body?.getReader();
  if (!reader) return new Uint8Array(0);
  const sized = Number.isSafeInteger(declared) && declared >= 0 ? new Uint8Array(new ArrayBuffer(declared)) : undefined;
  /** Bytes in `sized`; once a chunk does not fit, it and every later chunk go to `rest`. */
  let inSized = 0;
  const rest: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (total + value.byteLength > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new TooLarge();
    }
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

export async function fetchFromPacs(options: PacsFetchOptions): Promise<PacsFetchResult> {
  const { endpoint } = options;
  const url = `${endpoint.baseUrl}/${options.resourcePath}${options.query ? `?${options.query}` : ''}`;
  const headers: Record<string, string> = { accept: options.accept };
  if (options.identity) headers['accept-encoding'] = 'identity';
  const authorization = authorizationHeader(endpoint.auth);
  if (authorization) headers.authorization = authorization;
  const deadline = AbortSignal.timeout(endpoint.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
  const name = endpoint.sourceName;
  let response: Response | undefined;
  // A GET is idempotent: one more try when the connection failed before any answer (a reused
  // keep-alive socket the PACS had just closed — Orthanc closes idle ones after ~1 s).
  for (let attempt = 0; !response; attempt++) {
    try {
      response = await fetch(url, { headers, signal, redirect: 'error' });
    } catch {
      if (deadline.aborted) return failed(504, 'pacs-timeout', `${name} did not answer within ${endpoint.timeoutMs} ms`);
      if (attempt >= 1 || signal.aborted) return failed(502, 'pacs-unreachable', `${name} cannot be reached`);
    }
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    const status = response.status;
    if (status === 404) return failed(404, 'pacs-not-found', `${name} does not have this resource`, status);
    if (status === 406) return failed(406, 'pacs-media-type', `${name} cannot send this resource in the requested media type`, status);
    // Orthanc answers 400 for a frame number beyond the instance's frames.
    if (status === 400) return failed(404, 'pacs-not-found', `${name} refused the request (HTTP 400): no such frame or resource`, status);
    if (status === 401 || status === 403)
      return failed(502, 'pacs-credentials', `${name} refused the workstation's credentials (HTTP ${status})`, status);
    return failed(502, 'pacs-failed', `${name} failed (HTTP ${status})`, status);
  }
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > options.maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    return failed(413, 'pacs-too-large', `${name} answered with more than ${options.maxBytes} bytes`);
  }
  const contentType = response.headers.get('content-type');
  if (!contentType) {
    await response.body?.cancel().catch(() => undefined);
    return failed(502, 'pacs-malformed', `${name} answered without a Content-Type`);
  }
  let body: Uint8Array<ArrayBuffer>;
  try {
    body = await readBody(response, options.maxBytes);
  } catch (error) {
    if (error instanceof TooLarge) return failed(413, 'pacs-too-large', `${name} answered with more than ${options.maxBytes} bytes`);
    if (deadline.aborted) return failed(504, 'pacs-timeout', `${name} did not finish its answer within ${endpoint.timeoutMs} ms`);
    return failed(502, 'pacs-broke-off', `${name} broke off its answer`);
  }
  return { ok: true, answer: { contentType, body } };
}
