/**
 * A SMART Backend Services authorization server for the demo CDR: clients are registered with a
 * public JWKS; POST /auth/token verifies the client assertion (signature against that JWKS,
 * iss = sub = client_id, aud = this endpoint, exp at most five minutes ahead, jti never reused)
 * and hands out opaque bearer tokens the FHIR endpoint then checks.
 */
import { randomBytes } from 'node:crypto';
import { createLocalJWKSet, decodeJwt, jwtVerify, type JSONWebKeySet } from 'jose';
import { z } from 'zod';

export interface SmartClientRegistration {
  clientId: string;
  jwks: JSONWebKeySet;
  /** Scopes the client may be granted (default: system/*.rs and system/*.read). */
  allowedScopes?: readonly string[];
}

export interface SmartServerOptions {
  clients: readonly SmartClientRegistration[];
  /** Lifetime of issued access tokens (default 300 s). */
  tokenLifetimeSeconds?: number;
}

export const TOKEN_PATH = '/auth/token';
export const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const SUPPORTED_ALGS = ['RS384', 'ES384'];
const MAX_ASSERTION_AHEAD_S = 300;
const CLOCK_SKEW_S = 60;

export interface TokenAnswer {
  status: number;
  body: Record<string, unknown>;
}

const TokenRequestSchema = z.object({
  grant_type: z.literal('client_credentials'),
  scope: z.string().min(1),
  client_assertion_type: z.literal(ASSERTION_TYPE),
  client_assertion: z.string().min(1),
});

export interface SmartAuthorizationServer {
  /** .well-known/smart-configuration for a server whose origin is `origin`. */
  configuration(origin: string): Record<string, unknown>;
  token(form: URLSearchParams, origin: string, now?: number): Promise<TokenAnswer>;
  isValidToken(authorization: string | undefined, now?: number): boolean;
  /** Forget every issued token, as a server restart or a key rotation would (tests the client's renewal on 401). */
  revokeAll(): void;
  /** How many tokens were issued (tests assert on caching). */
  readonly issuedCount: number;
}

const oauthError = (status: number, error: string, description: string): TokenAnswer => ({
  status,
  body: { error, error_description: description },
});

export function createSmartAuthorizationServer(options: SmartServerOptions): SmartAuthorizationServer {
  const lifetime = options.tokenLifetimeSeconds ?? 300;
  const clients = new Map(options.clients.map((c) => [c.clientId, { ...c, keys: createLocalJWKSet(c.jwks) }]));
  const tokens = new Map<string, number>();
  /** jti → expiry (s): kept until the assertion could no longer be accepted anyway. */
  const seenJti = new Map<string, number>();
  let issued = 0;

  function prune(nowS: number): void {
    for (const [jti, exp] of seenJti) if (exp + CLOCK_SKEW_S < nowS) seenJti.delete(jti);
    for (const [token, exp] of tokens) if (exp < nowS * 1000) tokens.delete(token);
  }

  return {
    configuration(origin) {
      return {
        token_endpoint: `${origin}${TOKEN_PATH}`,
        token_endpoint_auth_methods_supported: ['private_key_jwt'],
        token_endpoint_auth_signing_alg_values_supported: SUPPORTED_ALGS,
        grant_types_supported: ['client_credentials'],
        scopes_supported: ['system/*.rs', 'system/*.read'],
        capabilities: ['client-confidential-asymmetric'],
      };
    },

    async token(form, origin, now = Date.now()) {
      const nowS = Math.floor(now / 1000);
      prune(nowS);
      const request = TokenRequestSchema.safeParse(Object.fromEntries(form));
      if (!request.success) {
        const issue = request.error.issues[0];
        const field = String(issue?.path[0] ?? 'body');
        return field === 'grant_type'
          ? oauthError(400, 'unsupported_grant_type', 'only client_credentials is supported')
          : oauthError(400, 'invalid_request', `missing or invalid ${field}`);
      }
      const { client_assertion: assertion, scope } = request.data;
      let clientId: string | undefined;
      try {
        clientId = decodeJwt(assertion).iss;
      } catch {
        return oauthError(400, 'invalid_request', 'client_assertion is not a JWT');
      }
      const client = clientId ? clients.get(clientId) : undefined;
      if (!client) return oauthError(401, 'invalid_client', 'unknown client');
      let payload;
      try {
        ({ payload } = await jwtVerify(assertion, client.keys, {
          issuer: client.clientId,
          subject: client.clientId,
          audience: `${origin}${TOKEN_PATH}`,
          algorithms: SUPPORTED_ALGS,
          requiredClaims: ['exp', 'jti'],
          clockTolerance: CLOCK_SKEW_S,
          currentDate: new Date(now),
        }));
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        return oauthError(401, 'invalid_client', `client assertion rejected (${typeof code === 'string' ? code : 'invalid'})`);
      }
      const exp = payload.exp as number;
      const jti = payload.jti as string;
      if (exp - nowS > MAX_ASSERTION_AHEAD_S + CLOCK_SKEW_S)
        return oauthError(401, 'invalid_client', 'client assertion expires more than five minutes ahead');
      if (seenJti.has(jti)) return oauthError(401, 'invalid_client', 'client assertion replayed (jti already used)');
      seenJti.set(jti, exp);

      const allowed = new Set(client.allowedScopes ?? ['system/*.rs', 'system/*.read']);
      const requested = scope.split(/\s+/).filter(Boolean);
      const refused = requested.filter((s) => !allowed.has(s));
      if (refused.length > 0) return oauthError(400, 'invalid_scope', `scope not allowed for this client: ${refused.join(' ')}`);

      const accessToken = randomBytes(32).toString('base64url');
      tokens.set(accessToken, now + lifetime * 1000);
      issued++;
      return { status: 200, body: { access_token: accessToken, token_type: 'bearer', expires_in: lifetime, scope: requested.join(' ') } };
    },

    isValidToken(authorization, now = Date.now()) {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
      const expires = match ? tokens.get(match[1] as string) : undefined;
      return expires !== undefined && expires > now;
    },

    revokeAll() {
      tokens.clear();
    },

    get issuedCount() {
      return issued;
    },
  };
}
