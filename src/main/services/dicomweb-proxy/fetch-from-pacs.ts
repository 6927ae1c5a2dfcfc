/**
 * One GET to the PACS for the proxy: its credentials added here (they never leave main), a
 * deadline, and every failure mapped to the status the viewer gets. The PACS's own error
 * bodies are never passed on: they may name its URL, its paths or its software.
 */
import { authorizationHeader, type DicomwebEndpoint } from '../../../adapters/dicomweb/index.ts';
import type { PacsAnswer } from './cached-answer.ts';

export type PacsFetchResult =
  | { ok: true; answer: PacsAnswer }
  | { ok: false; status: 404 | 406 | 413 | 502 | 504; message: string; pacsStatus?: number };

export interface PacsFetchOptions {
  endpoint: DicomwebEndpoint;
  resourcePath: string;
  query: string;
  accept: string;
  maxBytes: number;
  signal?: AbortSignal;
  clock: () => Date;
}

function failed(status: 404 | 406 | 413 | 502 | 504, message: string, pacsStatus?: number): PacsFetchResult {
  return { ok: false, status, message, ...(pacsStatus !== undefined ? { pacsStatus } : {}) };
}

export async function fetchFromPacs(options: PacsFetchOptions): Promise<PacsFetchResult> {
  const { endpoint } = options;
  const url = `${endpoint.baseUrl}/${options.resourcePath}${options.query ? `?${options.query}` : ''}`;
  const headers: Record<string, string> = { accept: options.accept };
  const authorization = authorizationHeader(endpoint.auth);
  if (authorization) headers.authorization = authorization;
  const deadline = AbortSignal.timeout(endpoint.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
  const name = endpoint.sourceName;
  let response: Response;
  try {
    response = await fetch(url, { headers, signal, redirect: 'error' });
  } catch {
    if (deadline.aborted) return failed(504, `${name} did not answer within ${endpoint.timeoutMs} ms`);
    return failed(502, `${name} cannot be reached`);
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    const status = response.status;
    if (status === 404) return failed(404, `${name} does not have this resource`, status);
    if (status === 406) return failed(406, `${name} cannot send this resource in the requested media type`, status);
    // Orthanc answers 400 for a frame number beyond the instance's frames.
    if (status === 400) return failed(404, `${name} refused the request (HTTP 400): no such frame or resource`, status);
    if (status === 401 || status === 403) return failed(502, `${name} refused the workstation's credentials (HTTP ${status})`, status);
    return failed(502, `${name} failed (HTTP ${status})`, status);
  }
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > options.maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    return failed(413, `${name} answered with more than ${options.maxBytes} bytes`);
  }
  let body: Uint8Array;
  try {
    body = new Uint8Array(await response.arrayBuffer());
  } catch {
    if (deadline.aborted) return failed(504, `${name} did not finish its answer within ${endpoint.timeoutMs} ms`);
    return failed(502, `${name} broke off its answer`);
  }
  if (body.byteLength > options.maxBytes) return failed(413, `${name} answered with more than ${options.maxBytes} bytes`);
  const contentType = response.headers.get('content-type');
  if (!contentType) return failed(502, `${name} answered without a Content-Type`);
  return { ok: true, answer: { contentType, body, fetchedAt: options.clock().toISOString() } };
}
