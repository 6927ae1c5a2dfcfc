/**
 * One dicomweb-client call against one DICOMweb server, made cancellable and mapped to
 * SourceError. dicomweb-client speaks XMLHttpRequest, which Node lacks: each call gets its own
 * xhr2 instance (never a global), so a deadline or the caller's AbortSignal can abort exactly
 * that request. No retries here: the aggregator owns them.
 */
import { createRequire } from 'node:module';
import dicomwebClient from 'dicomweb-client';
import type { DicomwebAuth, DicomwebSourceConfig } from '../../shared/config/sources/dicomweb.ts';
import type { SourceError } from '../source-error.ts';
import { abortedError, httpError, protocolError, timeoutError, unreachableError, type DicomwebRequestContext } from './dicomweb-errors.ts';

/** What the adapter and the WADO functions need to reach one server. */
export interface DicomwebEndpoint {
  sourceId: string;
  sourceName: string;
  /** DICOMweb root without a trailing slash, e.g. http://127.0.0.1:8042/dicom-web */
  baseUrl: string;
  auth: DicomwebAuth;
  /** Per-request deadline. */
  timeoutMs: number;
}

export function endpointFromConfig(config: DicomwebSourceConfig): DicomwebEndpoint {
  return {
    sourceId: config.id,
    sourceName: config.name,
    baseUrl: config.baseUrl.replace(/\/+$/, ''),
    auth: config.auth,
    timeoutMs: config.resilience.timeoutMs,
  };
}

/** The part of XMLHttpRequest this module touches (the project type-checks without the DOM lib). */
interface XhrLike {
  abort(): void;
}
const XhrConstructor = createRequire(import.meta.url)('xhr2') as new () => XhrLike;

/** dicomweb-client's own typings are loose (any[] returns, `request` missing on searches). */
export interface XhrRequestOptions {
  instance: XhrLike;
}
export interface MediaTypeOption {
  mediaType: string;
  transferSyntaxUID?: string;
}
export interface DicomwebClientCalls {
  searchForStudies(options: { queryParams?: Record<string, string>; request: XhrRequestOptions }): Promise<unknown>;
  searchForSeries(options: {
    studyInstanceUID: string;
    queryParams?: Record<string, string>;
    request: XhrRequestOptions;
  }): Promise<unknown>;
  retrieveStudyMetadata(options: { studyInstanceUID: string; request: XhrRequestOptions }): Promise<unknown>;
  retrieveSeriesMetadata(options: { studyInstanceUID: string; seriesInstanceUID: string; request: XhrRequestOptions }): Promise<unknown>;
  retrieveInstanceFrames(options: {
    studyInstanceUID: string;
    seriesInstanceUID: string;
    sopInstanceUID: string;
    frameNumbers: string;
    mediaTypes?: MediaTypeOption[];
    request: XhrRequestOptions;
  }): Promise<unknown>;
}

interface ClientConstructor {
  new (options: { url: string; headers?: Record<string, string>; verbose?: boolean }): DicomwebClientCalls;
}
const DICOMwebClient = (dicomwebClient as unknown as { api: { DICOMwebClient: ClientConstructor } }).api.DICOMwebClient;

export function authorizationHeader(auth: DicomwebAuth): string | undefined {
  switch (auth.type) {
    case 'none':
      return undefined;
    case 'basic':
      return `Basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}`;
    case 'bearer':
      return `Bearer ${auth.token}`;
  }
}

const clients = new WeakMap<DicomwebEndpoint, DicomwebClientCalls>();

function clientFor(endpoint: DicomwebEndpoint): DicomwebClientCalls {
  let client = clients.get(endpoint);
  if (!client) {
    const authorization = authorizationHeader(endpoint.auth);
    client = new DICOMwebClient({ url: endpoint.baseUrl, headers: authorization ? { Authorization: authorization } : {}, verbose: false });
    clients.set(endpoint, client);
  }
  return client;
}

/** dicomweb-client rejects with an Error carrying the XHR status (0 = no HTTP answer). */
function failureStatus(error: unknown): { status: number; statusText: string } | undefined {
  if (typeof error !== 'object' || error === null || !('status' in error)) return undefined;
  const status = (error as { status: unknown }).status;
  const statusText = (error as { request?: { statusText?: unknown } }).request?.statusText;
  return typeof status === 'number' ? { status, statusText: typeof statusText === 'string' ? statusText : '' } : undefined;
}

/**
 * Runs `call` with a fresh XHR. `label` names the request in errors ("QIDO-RS GET studies").
 * Any failure becomes a SourceError: timeout, aborted, unreachable, or the HTTP status's code.
 */
export async function callDicomweb<T>(
  endpoint: DicomwebEndpoint,
  label: string,
  signal: AbortSignal,
  call: (client: DicomwebClientCalls, request: XhrRequestOptions) => Promise<T>,
): Promise<T> {
  const ctx: DicomwebRequestContext = { sourceId: endpoint.sourceId, sourceName: endpoint.sourceName, request: label };
  const deadline = AbortSignal.timeout(endpoint.timeoutMs);
  const stop = AbortSignal.any([signal, deadline]);
  const whyStopped = (): SourceError => {
    if (signal.aborted)
      return signal.reason instanceof Error && signal.reason.name === 'TimeoutError' ? timeoutError(ctx, undefined) : abortedError(ctx);
    return timeoutError(ctx, endpoint.timeoutMs);
  };
  if (stop.aborted) throw whyStopped();

  const instance = new XhrConstructor();
  // xhr2's abort() never completes the request, so dicomweb-client's promise would stay
  // pending: race it against the abort instead.
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => {
      instance.abort();
      reject(whyStopped());
    };
    stop.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([call(clientFor(endpoint), { instance }), aborted]);
  } catch (error) {
    if (stop.aborted) throw whyStopped();
    const failure = failureStatus(error);
    if (failure && failure.status > 0) throw httpError(ctx, failure.status, failure.statusText);
    if (failure) throw unreachableError(ctx);
    // e.g. dicomweb-client failing to split a multipart body the server mislabelled.
    throw protocolError(ctx, `unreadable answer (${error instanceof Error ? error.message : typeof error})`);
  } finally {
    if (onAbort) stop.removeEventListener('abort', onAbort);
  }
}
