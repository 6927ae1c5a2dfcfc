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
  return { ...base, auth: auth.type === 'bearer' ? { type: 'bearer', token: secret } : { type: 'basic', username: auth.username, password: secret } };
}

export type PutAuditEvent = (resource: AuditEvent, signal: AbortSignal) => Promise<void>;

export function createAuditEventPutter(repository: AuditRepository): PutAuditEvent {
  const base = new URL(repository.baseUrl.endsWith('/') ? repository.baseUrl : `${repository.baseUrl}/`);
  const timeoutMs = repository.timeoutMs ?? 10_000;
  // The same header the FHIR adapter sends for these credentials.
  const header = repository.auth ? staticAuthorization(repository.auth) : undefined;
  return async (resource, signal) => {
    const url = new URL(`AuditEvent/${encodeURIComponent(resource.id ?? '')}`, base);
    const ctx: RequestContext = { sourceId: REPOSITORY_SOURCE_ID, sourceName: 'audit repository', request: `PUT AuditEvent/${resource.id ?? ''}` };
    const deadline = AbortSignal.timeout(timeoutMs);
    let status: number;
    let statusText: string;
    let body: string;
    let retryAfter: string | null;
    try {
      const response = await ky.put(url, {
        body: JSON.stringify(resource),
        headers: { 'content-type': 'application/fhir+json', accept: 'application/fhir+json', ...(header ? { authorization: header } : {}) },
        retry: 0,
        timeout: timeoutMs,
        throwHttpErrors: false,
        signal: AbortSignal.any([signal, deadline]),
      });
      status = response.status;
      statusText = response.statusText;
      retryAfter = response.headers.get('retry-after');
      body = await response.text();
    } catch (error) {
      throw transportError(ctx, error, signal, deadline, timeoutMs);
    }
    // 200 (updated) or 201 (created): either way the repository now holds this event once.
    if (status !== 200 && status !== 201) throw httpError(ctx, status, statusText, body, retryAfter);
  };
}

/** Reads one AuditEvent by id: true when the repository holds it, false on 404/410 (verify's rollback check). */
export type HasAuditEvent = (id: string, signal?: AbortSignal) => Promise<boolean>;

export function createAuditEventReader(repository: AuditRepository): HasAuditEvent {
  const base = new URL(repository.baseUrl.endsWith('/') ? repository.baseUrl : `${repository.baseUrl}/`);
  const timeoutMs = repository.timeoutMs ?? 10_000;
  const header = repository.auth ? staticAuthorization(repository.auth) : undefined;
  return async (id, signal) => {
    const url = new URL(`AuditEvent/${encodeURIComponent(id)}`, base);
    const ctx: RequestContext = { sourceId: REPOSITORY_SOURCE_ID, sourceName: 'audit repository', request: `GET AuditEvent/${id}` };
    const deadline = AbortSignal.timeout(timeoutMs);
    const aborted = signal ?? new AbortController().signal;
    let status: number;
    let statusText: string;
    let body: string;
    let retryAfter: string | null;
    try {
      const response = await ky.get(url, {
        headers: { accept: 'application/fhir+json', ...(header ? { authorization: header } : {}) },
        retry: 0,
        timeout: timeoutMs,
        throwHttpErrors: false,
        signal: AbortSignal.any([aborted, deadline]),
      });
      status = response.status;
      statusText = response.statusText;
      retryAfter = response.headers.get('retry-after');
      body = await response.text();
    } catch (error) {
      throw transportError(ctx, error, aborted, deadline, timeoutMs);
    }
    if (status === 200) return true;
    // 410: deleted in the repository, which still means it was delivered there once.
    if (status === 410) return true;
    if (status === 404) return false;
    throw httpError(ctx, status, statusText, body, retryAfter);
  };
}
