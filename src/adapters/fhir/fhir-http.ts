/**
 * GETs against one FHIR server with ky: auth header from an AuthProvider (renewed once on a 401
 * when it can be), Accept, a per-request deadline from config.resilience.timeoutMs, the caller's
 * AbortSignal, no retries (the aggregator owns them), and every failure mapped to a SourceError.
 * Only plain ky options are used (absolute URLs, throwHttpErrors off, no hooks).
 */
import ky from 'ky';
import type { Resource } from '@medplum/fhirtypes';
import type { AuthProvider } from './auth/auth-provider.ts';
import { httpError, protocolError, transportError, type RequestContext } from './fhir-errors.ts';

export interface FhirHttpConfig {
  sourceId: string;
  sourceName: string;
  baseUrl: string;
  auth: AuthProvider;
  timeoutMs: number;
  /** Told of every answered request (benchmarks, metrics); never sees headers. */
  onResponse?: (info: ResponseInfo) => void;
}

export interface ResponseInfo {
  request: string;
  status: number;
  bytes: number;
}

export interface FhirResponse<R extends Resource> {
  resource: R;
  fetchedAt: string;
  etag?: string;
}

export type ConditionalResponse<R extends Resource> =
  ({ notModified: false } & FhirResponse<R>) | { notModified: true; etag: string; fetchedAt: string };

export interface FhirHttp {
  readonly baseUrl: string;
  readonly sourceId: string;
  readonly sourceName: string;
  /** `target` is a path relative to the base ("Patient?name=x") or an absolute URL of the same origin (paging links). */
  get<R extends Resource>(target: string, expectedType: R['resourceType'], signal: AbortSignal): Promise<FhirResponse<R>>;
  /** A read with If-None-Match: a 304 comes back as notModified instead of a body. */
  getConditional<R extends Resource>(
    target: string,
    expectedType: R['resourceType'],
    signal: AbortSignal,
    etag: string | undefined,
  ): Promise<ConditionalResponse<R>>;
  /** Plain JSON that is not a FHIR resource (e.g. .well-known/smart-configuration). */
  getJson(target: string, signal: AbortSignal): Promise<unknown>;
}

/** "GET Patient" style label: path relative to the base, without the query. */
export function requestLabel(baseUrl: URL, url: URL): string {
  const basePath = baseUrl.pathname.replace(/\/+$/, '');
  const path = url.pathname.startsWith(basePath) ? url.pathname.slice(basePath.length).replace(/^\/+/, '') : url.pathname;
  return `GET ${decodeURIComponent(path) || '/'}`;
}

interface RawAnswer {
  status: number;
  statusText: string;
  retryAfter: string | null;
  etag: string | null;
  body: string;
  fetchedAt: string;
}

export function createFhirHttp(config: FhirHttpConfig): FhirHttp {
  const base = new URL(config.baseUrl.endsWith('/') ? config.baseUrl : `${config.baseUrl}/`);
  const accept = 'application/fhir+json, application/json;q=0.9';

  async function send(
    url: URL,
    ctx: RequestContext,
    signal: AbortSignal,
    extra: Record<string, string>,
    authorization: string | undefined,
  ): Promise<RawAnswer> {
    const headers: Record<string, string> = { accept, ...extra };
    if (authorization) headers.authorization = authorization;
    // ky's timeout covers the wait for headers; the deadline signal also covers reading the body.
    const deadline = AbortSignal.timeout(config.timeoutMs);
    try {
      const response = await ky.get(url, {
        headers,
        retry: 0,
        timeout: config.timeoutMs,
        throwHttpErrors: false,
        signal: AbortSignal.any([signal, deadline]),
      });
      const body = await response.text();
      config.onResponse?.({ request: ctx.request, status: response.status, bytes: Buffer.byteLength(body) });
      return {
        status: response.status,
        statusText: response.statusText,
        retryAfter: response.headers.get('retry-after'),
        etag: response.headers.get('etag'),
        body,
        fetchedAt: new Date().toISOString(),
      };
    } catch (error) {
      throw transportError(ctx, error, signal, deadline, config.timeoutMs);
    }
  }

  /** Sends with credentials; one retry with a renewed token when the server refuses the current one. */
  async function exchange(
    target: string,
    signal: AbortSignal,
    extra: Record<string, string> = {},
    withAuth = true,
  ): Promise<{ answer: RawAnswer; ctx: RequestContext }> {
    const url = new URL(target, base);
    const ctx: RequestContext = { sourceId: config.sourceId, sourceName: config.sourceName, request: requestLabel(base, url) };
    // Never send our credentials to another origin, whatever a Bundle.link says.
    if (url.origin !== base.origin) throw protocolError(ctx, `refused to follow a link to another origin (${url.origin})`);
    const authorization = withAuth ? await config.auth.header(signal) : undefined;
    let answer = await send(url, ctx, signal, extra, authorization);
    if (answer.status === 401 && authorization && config.auth.renewable) {
      config.auth.reject(authorization);
      answer = await send(url, ctx, signal, extra, await config.auth.header(signal));
    }
    if (answer.status !== 304 && (answer.status < 200 || answer.status >= 300))
      throw httpError(ctx, answer.status, answer.statusText, answer.body, answer.retryAfter);
    return { answer, ctx };
  }

  function parseJson(ctx: RequestContext, body: string): unknown {
    try {
      return JSON.parse(body);
    } catch {
      // The parser's message quotes the body, which may hold patient data: keep it out.
      throw protocolError(ctx, `answered with a body that is not JSON (${body.length} bytes)`);
    }
  }

  function asResource<R extends Resource>(ctx: RequestContext, body: string, expectedType: R['resourceType']): R {
    const parsed = parseJson(ctx, body);
    const type = typeof parsed === 'object' && parsed !== null ? (parsed as { resourceType?: unknown }).resourceType : undefined;
    if (type !== expectedType) {
      throw protocolError(ctx, `expected a ${expectedType} but got ${typeof type === 'string' ? `a ${type}` : 'no FHIR resource'}`);
    }
    return parsed as R;
  }

  return {
    baseUrl: base.toString().replace(/\/$/, ''),
    sourceId: config.sourceId,
    sourceName: config.sourceName,

    async get<R extends Resource>(target: string, expectedType: R['resourceType'], signal: AbortSignal): Promise<FhirResponse<R>> {
      const { answer, ctx } = await exchange(target, signal);
      if (answer.status === 304) throw protocolError(ctx, 'answered 304 Not Modified to an unconditional request');
      return {
        resource: asResource<R>(ctx, answer.body, expectedType),
        fetchedAt: answer.fetchedAt,
        ...(answer.etag ? { etag: answer.etag } : {}),
      };
    },

    async getConditional<R extends Resource>(
      target: string,
      expectedType: R['resourceType'],
      signal: AbortSignal,
      etag: string | undefined,
    ): Promise<ConditionalResponse<R>> {
      const { answer, ctx } = await exchange(target, signal, etag ? { 'if-none-match': etag } : {});
      if (answer.status === 304) {
        if (!etag) throw protocolError(ctx, 'answered 304 Not Modified to an unconditional request');
        return { notModified: true, etag: answer.etag ?? etag, fetchedAt: answer.fetchedAt };
      }
      return {
        notModified: false,
        resource: asResource<R>(ctx, answer.body, expectedType),
        fetchedAt: answer.fetchedAt,
        ...(answer.etag ? { etag: answer.etag } : {}),
      };
    },

    async getJson(target: string, signal: AbortSignal): Promise<unknown> {
      // Discovery documents are public; sending a token there could even recurse into discovery.
      const { answer, ctx } = await exchange(target, signal, { accept: 'application/json' }, false);
      return parseJson(ctx, answer.body);
    },
  };
}
