/**
 * SMART Backend Services: trades a short-lived JWT client assertion, signed with the client's
 * private key, for an access token (OAuth client_credentials), caches the token and renews it
 * shortly before it expires or when the FHIR server rejects it. Neither the key, the assertion
 * nor the token ever reaches a message, a log or an error cause.
 */
import { randomUUID } from 'node:crypto';
import ky from 'ky';
import { SignJWT, type CryptoKey } from 'jose';
import { z } from 'zod';
import type { SmartBackendAuth } from '../../../shared/config/sources/fhir.ts';
import { SourceError } from '../../source-error.ts';
import { transportError, type RequestContext } from '../fhir-errors.ts';
import type { FhirHttp } from '../fhir-http.ts';
import { discoverTokenEndpoint } from './smart-discovery.ts';
import { loadSmartPrivateKey } from './smart-private-key.ts';
import type { AuthProvider } from './auth-provider.ts';

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** SMART asks for assertions valid no longer than five minutes. */
const ASSERTION_LIFETIME_S = 300;
/** When the server does not say how long a token lives. */
const DEFAULT_TOKEN_LIFETIME_S = 300;

const TokenResponseSchema = z
  .object({
    access_token: z.string().min(1),
    token_type: z.string().regex(/^bearer$/i, 'expected token_type "bearer"'),
    expires_in: z.coerce.number().int().positive().optional(),
    scope: z.string().optional(),
  })
  .loose();

const TokenErrorSchema = z.object({ error: z.string(), error_description: z.string().optional() }).loose();

interface CachedToken {
  value: string;
  renewAt: number;
}

export interface SmartAuthOptions {
  auth: SmartBackendAuth;
  /** The FHIR server's own client, for discovery (same origin, no auth header). */
  discovery: FhirHttp;
  timeoutMs: number;
  now?: () => number;
}

/** Renew a minute early, or at 80 % of a short lifetime. */
export function renewalTime(issuedAt: number, lifetimeS: number): number {
  const lifetimeMs = lifetimeS * 1000;
  return issuedAt + lifetimeMs - Math.min(60_000, lifetimeMs / 5);
}

function tokenLabel(tokenUrl: string): string {
  return `POST ${new URL(tokenUrl).pathname}`;
}

/** The token endpoint must not be reachable in clear text unless the FHIR server itself is. */
function checkEndpoint(tokenUrl: string, baseUrl: string, ctx: RequestContext): void {
  const token = new URL(tokenUrl);
  if (token.protocol === 'http:' && new URL(baseUrl).protocol === 'https:') {
    throw new SourceError('protocol', ctx.sourceId, `${ctx.sourceName}: refused a token endpoint over plain http for an https FHIR server`);
  }
}

export function createSmartBackendAuth(options: SmartAuthOptions): AuthProvider {
  const { auth, discovery, timeoutMs } = options;
  const now = options.now ?? Date.now;
  const { sourceId, sourceName } = discovery;
  let key: Promise<CryptoKey> | undefined;
  let endpoint: Promise<string> | undefined;
  let cached: CachedToken | undefined;
  let pending: Promise<CachedToken> | undefined;

  const once = <T>(get: () => Promise<T> | undefined, set: (p: Promise<T> | undefined) => void, make: () => Promise<T>): Promise<T> => {
    const existing = get();
    if (existing) return existing;
    const made = make();
    set(made);
    // A failure is not remembered: the next request tries again (the file may be fixed, the server back).
    made.catch(() => {
      if (get() === made) set(undefined);
    });
    return made;
  };

  const tokenEndpoint = (signal: AbortSignal): Promise<string> =>
    once(
      () => endpoint,
      (p) => (endpoint = p),
      async () => auth.tokenUrl ?? (await discoverTokenEndpoint(discovery, auth.algorithm, signal)),
    );

  async function assertion(tokenUrl: string): Promise<string> {
    const signingKey = await once(
      () => key,
      (p) => (key = p),
      () => loadSmartPrivateKey(auth, { sourceId, sourceName }),
    );
    const issuedAt = Math.floor(now() / 1000);
    return new SignJWT({})
      .setProtectedHeader({ alg: auth.algorithm, kid: auth.keyId, typ: 'JWT' })
      .setIssuer(auth.clientId)
      .setSubject(auth.clientId)
      .setAudience(tokenUrl)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + ASSERTION_LIFETIME_S)
      .setJti(randomUUID())
      .sign(signingKey);
  }

  async function requestToken(): Promise<CachedToken> {
    // Shared by every request waiting for a token, so bound by our deadline, not one caller's signal.
    const deadline = AbortSignal.timeout(timeoutMs);
    const tokenUrl = await tokenEndpoint(deadline);
    const ctx: RequestContext = { sourceId, sourceName, request: tokenLabel(tokenUrl) };
    checkEndpoint(tokenUrl, discovery.baseUrl, ctx);
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      scope: auth.scope,
      client_assertion_type: ASSERTION_TYPE,
      client_assertion: await assertion(tokenUrl),
    });
    let status: number;
    let text: string;
    const issuedAt = now();
    try {
      const response = await ky.post(tokenUrl, {
        body: form,
        headers: { accept: 'application/json' },
        retry: 0,
        timeout: timeoutMs,
        throwHttpErrors: false,
        signal: deadline,
      });
      status = response.status;
      text = await response.text();
    } catch (error) {
      throw transportError(ctx, error, deadline, deadline, timeoutMs);
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (status < 200 || status >= 300) {
      const oauth = TokenErrorSchema.safeParse(body);
      const detail = oauth.success
        ? `${oauth.data.error}${oauth.data.error_description ? `: ${oauth.data.error_description.slice(0, 200)}` : ''}`
        : `HTTP ${status}`;
      const code =
        status === 400 || status === 401
          ? 'unauthorized'
          : status === 403
            ? 'forbidden'
            : status === 429
              ? 'rate-limited'
              : status >= 500
                ? 'server-error'
                : 'protocol';
      throw new SourceError(code, sourceId, `${sourceName}: token request refused (${detail})`, { request: ctx.request, status });
    }
    const parsed = TokenResponseSchema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new SourceError(
        'protocol',
        sourceId,
        `${sourceName}: ${ctx.request}: not a token response (${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'})`,
        { request: ctx.request, status },
      );
    }
    return { value: parsed.data.access_token, renewAt: renewalTime(issuedAt, parsed.data.expires_in ?? DEFAULT_TOKEN_LIFETIME_S) };
  }

  function waitFor<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
    if (signal.aborted) return Promise.reject(abortError(signal));
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => reject(abortError(signal));
      signal.addEventListener('abort', onAbort, { once: true });
      promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  function abortError(signal: AbortSignal): SourceError {
    const timedOut = signal.reason instanceof Error && signal.reason.name === 'TimeoutError';
    return new SourceError(
      timedOut ? 'timeout' : 'aborted',
      sourceId,
      `${sourceName}: token request ${timedOut ? 'exceeded its deadline' : 'was cancelled'}`,
    );
  }

  return {
    renewable: true,
    async header(signal: AbortSignal): Promise<string> {
      if (cached && now() < cached.renewAt) return `Bearer ${cached.value}`;
      const token = await waitFor(
        once(
          () => pending,
          (p) => (pending = p),
          () =>
            requestToken().then((t) => {
              cached = t;
              pending = undefined;
              return t;
            }),
        ),
        signal,
      );
      return `Bearer ${token.value}`;
    },
    reject(header: string): void {
      // Only the token that was refused is dropped: ten parallel 401s cause one renewal.
      if (cached && header === `Bearer ${cached.value}`) cached = undefined;
    },
  };
}
