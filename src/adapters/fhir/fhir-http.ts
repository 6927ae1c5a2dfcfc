/**
 * One GET against a FHIR server with ky: auth header, Accept, a per-request deadline from
 * config.resilience.timeoutMs, the caller's AbortSignal, no retries (the aggregator owns them),
 * and every failure mapped to a SourceError. Only plain ky options are used (absolute URLs,
 * throwHttpErrors off, no hooks) so the code reads the same on ky 1 and ky 2.
 */
import ky from 'ky';
import type { Resource } from '@medplum/fhirtypes';
import type { FhirAuth } from '../../shared/config/schema.ts';
import { httpError, protocolError, transportError, type RequestContext } from './fhir-errors.ts';

export interface FhirHttpConfig {
  sourceId: string;
  sourceName: string;
  baseUrl: string;
  auth: FhirAuth;
  timeoutMs: number;
}

export interface FhirResponse<R extends Resource> {
  resource: R;
  fetchedAt: string;
}

export interface FhirHttp {
  readonly baseUrl: string;
  /** `target` is a path relative to the base ("Patient?name=x") or an absolute URL of the same origin (paging links). */
  get<R extends Resource>(target: string, expectedType: R['resourceType'], signal: AbortSignal): Promise<FhirResponse<R>>;
}

export function authorizationHeader(auth: FhirAuth): string | undefined {
  switch (auth.type) {
    case 'none':
      return undefined;
    case 'basic':
      return `Basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}`;
    case 'bearer':
      return `Bearer ${auth.token}`;
  }
}

/** "GET Patient" style label: path relative to the base, without the query. */
export function requestLabel(baseUrl: URL, url: URL): string {
  const basePath = baseUrl.pathname.replace(/\/+$/, '');
  const path = url.pathname.startsWith(basePath) ? url.pathname.slice(basePath.length).replace(/^\/+/, '') : url.pathname;
  return `GET ${decodeURIComponent(path) || '/'}`;
}

export function createFhirHttp(config: FhirHttpConfig): FhirHttp {
  const base = new URL(config.baseUrl.endsWith('/') ? config.baseUrl : `${config.baseUrl}/`);
  const authorization = authorizationHeader(config.auth);
  const headers: Record<string, string> = { accept: 'application/fhir+json, application/json;q=0.9' };
  if (authorization) headers.authorization = authorization;

  return {
    baseUrl: base.toString().replace(/\/$/, ''),
    async get<R extends Resource>(target: string, expectedType: R['resourceType'], signal: AbortSignal): Promise<FhirResponse<R>> {
      const url = new URL(target, base);
      const ctx: RequestContext = { sourceId: config.sourceId, sourceName: config.sourceName, request: requestLabel(base, url) };
      // Never send our credentials to another origin, whatever a Bundle.link says.
      if (url.origin !== base.origin) throw protocolError(ctx, `refused to follow a link to another origin (${url.origin})`);

      // ky's timeout covers the wait for headers; the deadline signal also covers reading the body.
      const deadline = AbortSignal.timeout(config.timeoutMs);
      let status: number;
      let statusText: string;
      let retryAfter: string | null;
      let body: string;
      try {
        const response = await ky.get(url, {
          headers,
          retry: 0,
          timeout: config.timeoutMs,
          throwHttpErrors: false,
          signal: AbortSignal.any([signal, deadline]),
        });
        status = response.status;
        statusText = response.statusText;
        retryAfter = response.headers.get('retry-after');
        body = await response.text();
      } catch (error) {
        throw transportError(ctx, error, signal, deadline, config.timeoutMs);
      }
      const fetchedAt = new Date().toISOString();

      if (status < 200 || status >= 300) throw httpError(ctx, status, statusText, body, retryAfter);
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch {
        // The parser's message quotes the body, which may hold patient data: keep it out.
        throw protocolError(ctx, `answered with a body that is not JSON (${body.length} bytes)`);
      }
      const type = typeof parsed === 'object' && parsed !== null ? (parsed as { resourceType?: unknown }).resourceType : undefined;
      if (type !== expectedType) {
        throw protocolError(ctx, `expected a ${expectedType} but got ${typeof type === 'string' ? `a ${type}` : 'no FHIR resource'}`);
      }
      return { resource: parsed as R, fetchedAt };
    },
  };
}
