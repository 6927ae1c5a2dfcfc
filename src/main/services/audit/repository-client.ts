/**
 * PUTs one AuditEvent to the audit repository with ky, the way the FHIR adapter talks to servers:
 * no ky retries (the forwarder owns them), a deadline, and failures mapped to SourceError by the
 * shared HTTP mapping, so messages never carry credentials.
 */
import ky from 'ky';
import type { AuditEvent } from '@medplum/fhirtypes';
import { transportError, type RequestContext } from '../../../adapters/http/request-errors.ts';
import { httpError } from '../../../adapters/fhir/fhir-errors.ts';
import { staticAuthorization } from '../../../adapters/fhir/auth/auth-provider.ts';
import type { AuditRepositoryConfig } from '../../../shared/config/audit.ts';
import { AuditError } from './audit-error.ts';

export type RepositoryAuth = { type: 'bearer'; token: string } | { type: 'basic'; username: string; password: string };

export interface AuditRepository {
  baseUrl: string;
  auth?: RepositoryAuth;
  timeoutMs?: number;
}

export const REPOSITORY_SOURCE_ID = 'audit-repository';

/** Resolves the configured secrets from the environment; says which variable is missing. */
export function repositoryFromConfig(config: AuditRepositoryConfig, env: NodeJS.ProcessEnv = process.env): AuditRepository {
  const base = { baseUrl: config.baseUrl, timeoutMs: config.timeoutMs };
  const auth = config.auth;
  if (!auth) return base;
  const name = auth.type === 'bearer' ? auth.tokenEnv : auth.passwordEnv;
  const secret = env[name];
  if (!secret) throw new AuditError('io', `audit.repository.auth needs ${name} to be set`);
  return {
    ...base,
    auth: auth.type === 'bearer' ? { type: 'bearer', token: secret } : { type: 'basic', username: auth.username, password: secret },
  };
}

interface RepositoryAnswer {
  status: number;
  statusText: string;
  body: string;
  retryAfter: string | null;
}

/** One request to the repository: no ky retries (the forwarder owns them), a deadline, transport failures typed. */
function repositoryRequester(repository: AuditRepository) {
  const base = new URL(repository.baseUrl.endsWith('/') ? repository.baseUrl : `${repository.baseUrl}/`);
  const timeoutMs = repository.timeoutMs ?? 10_000;
  // The same header the FHIR adapter sends for these credentials.
  const header = repository.auth ? staticAuthorization(repository.auth) : undefined;
  return async (
    method: 'get' | 'put',
    id: string,
    signal: AbortSignal,
    resource?: AuditEvent,
  ): Promise<{ ctx: RequestContext; answer: RepositoryAnswer }> => {
    const url = new URL(`AuditEvent/${encodeURIComponent(id)}`, base);
    const ctx: RequestContext = {
      sourceId: REPOSITORY_SOURCE_ID,
      sourceName: 'audit repository',
      request: `${method.toUpperCase()} AuditEvent/${id}`,
    };
    const deadline = AbortSignal.timeout(timeoutMs);
    try {
      const response = await ky(url, {
        method,
        ...(resource ? { body: JSON.stringify(resource) } : {}),
        headers: {
          ...(resource ? { 'content-type': 'application/fhir+json' } : {}),
          accept: 'application/fhir+json',
          ...(header ? { authorization: header } : {}),
        },
        retry: 0,
        timeout: timeoutMs,
        throwHttpErrors: false,
        signal: AbortSignal.any([signal, deadline]),
      });
      const answer = {
        status: response.status,
        statusText: response.statusText,
        retryAfter: response.headers.get('retry-after'),
        body: await response.text(),
      };
      return { ctx, answer };
    } catch (error) {
      throw transportError(ctx, error, signal, deadline, timeoutMs);
    }
  };
}

export type PutAuditEvent = (resource: AuditEvent, signal: AbortSignal) => Promise<void>;

export function createAuditEventPutter(repository: AuditRepository): PutAuditEvent {
  const request = repositoryRequester(repository);
  return async (resource, signal) => {
    const { ctx, answer } = await request('put', resource.id ?? '', signal, resource);
    // 200 (updated) or 201 (created): either way the repository now holds this event once.
    if (answer.status !== 200 && answer.status !== 201)
      throw httpError(ctx, answer.status, answer.statusText, answer.body, answer.retryAfter);
  };
}

/** Reads one AuditEvent by id: true when the repository holds it, false on 404/410 (verify's rollback check). */
export type HasAuditEvent = (id: string, signal?: AbortSignal) => Promise<boolean>;

export function createAuditEventReader(repository: AuditRepository): HasAuditEvent {
  const request = repositoryRequester(repository);
  return async (id, signal) => {
    const { ctx, answer } = await request('get', id, signal ?? new AbortController().signal);
    if (answer.status === 200) return true;
    // 410: deleted in the repository, which still means it was delivered there once.
    if (answer.status === 410) return true;
    if (answer.status === 404) return false;
    throw httpError(ctx, answer.status, answer.statusText, answer.body, answer.retryAfter);
  };
}
