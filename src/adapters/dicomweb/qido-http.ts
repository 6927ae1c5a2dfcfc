/**
 * QIDO-RS GETs over ky rather than dicomweb-client: dicomweb-client joins repeated query keys
 * into one comma list (`includefield=a,b`), which Orthanc 1.10's plugin ignores, while repeated
 * keys (`includefield=a&includefield=b`) work on every server. ky also reports the socket's
 * errno, so "connection refused" reads as such.
 */
import ky from 'ky';
import type { SourceError } from '../source-error.ts';
import { abortedError, httpError, protocolError, timeoutError, unreachableError, type DicomwebRequestContext } from './dicomweb-errors.ts';
import { authorizationHeader, type DicomwebEndpoint } from './dicomweb-transport.ts';

/** [key, value] pairs: keys may repeat. */
export type QueryPairs = readonly (readonly [string, string])[];

const NETWORK_TEXT: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_SOCKET: 'connection closed by the server',
};

/** Node's fetch hides the errno in `cause` chains. */
function networkCode(error: unknown): string | undefined {
  let e: unknown = error;
  for (let depth = 0; depth < 5 && e && typeof e === 'object'; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^(E[A-Z]+|UND_ERR_[A-Z_]+)$/.test(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

export async function qidoGet(
  endpoint: DicomwebEndpoint,
  path: string,
  query: QueryPairs,
  label: string,
  signal: AbortSignal,
): Promise<unknown> {
  const ctx: DicomwebRequestContext = { sourceId: endpoint.sourceId, sourceName: endpoint.sourceName, request: label };
  const url = new URL(`${endpoint.baseUrl}/${path}`);
  for (const [k, v] of query) url.searchParams.append(k, v);
  const headers: Record<string, string> = { accept: 'application/dicom+json, application/json;q=0.9' };
  const authorization = authorizationHeader(endpoint.auth);
  if (authorization) headers.authorization = authorization;

  const deadline = AbortSignal.timeout(endpoint.timeoutMs);
  const stopped = (): SourceError =>
    signal.aborted
      ? signal.reason instanceof Error && signal.reason.name === 'TimeoutError'
        ? timeoutError(ctx, undefined)
        : abortedError(ctx)
      : timeoutError(ctx, endpoint.timeoutMs);
  let status: number;
  let statusText: string;
  let body: string;
  try {
    const response = await ky.get(url, {
      headers,
      retry: 0,
      timeout: false,
      throwHttpErrors: false,
      signal: AbortSignal.any([signal, deadline]),
    });
    status = response.status;
    statusText = response.statusText;
    body = await response.text();
  } catch (error) {
    if (signal.aborted || deadline.aborted) throw stopped();
    const code = networkCode(error);
    throw code ? unreachableError(ctx, NETWORK_TEXT[code] ?? `network error ${code}`) : unreachableError(ctx);
  }
  if (status === 204) return [];
  if (status < 200 || status >= 300) throw httpError(ctx, status, statusText);
  if (body.trim() === '') return [];
  try {
    return JSON.parse(body) as unknown;
  } catch {
    // The parser's message quotes the body, which may hold patient data: keep it out.
    throw protocolError(ctx, `answered with a body that is not JSON (${body.length} bytes)`);
  }
}
