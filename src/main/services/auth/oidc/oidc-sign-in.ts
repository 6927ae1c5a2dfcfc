/**
 * OpenID Connect sign-in for a native app (RFC 8252): authorization code + PKCE (S256), state
 * and nonce, the system browser, and a loopback redirect open only for this one sign-in.
 * openid-client validates the ID token: issuer, audience, nonce, expiry, and (enabled here
 * explicitly, since a loopback demo IdP has no TLS to lean on) its signature via the JWKS.
 */
import * as client from 'openid-client';
import { LOOPBACK_HOSTS, type OidcConfig } from '../../../../shared/config/auth.ts';
import type { User } from '../../../../shared/domain/user.ts';
import { AuthError } from '../auth-error.ts';
import { signInFailedPage, signedInPage } from './callback-pages.ts';
import { mapClaimsToUser, readClaim } from './claims-to-user.ts';
import { discoveryError, signInError } from './idp-errors.ts';
import { openLoopbackRedirect, type LoopbackRedirect, type ReceivedCallback } from './loopback-redirect.ts';

export interface OidcSignInOptions {
  /** Abandons the sign-in: completion rejects with 'cancelled' and the listener closes. */
  signal?: AbortSignal;
  /** Overrides config.signInTimeoutMinutes (tests). */
  timeoutMs?: number;
  /** Fetch for every request to the IdP, e.g. one routed through a proxy agent. */
  fetch?: typeof globalThis.fetch;
}

export interface OidcSignInResult {
  user: User;
  issuer: string;
  /** When the ID token expires: the session must end by then. */
  expiresAt: Date;
  /** For RP-initiated logout (`id_token_hint`); keep it in main only. */
  idToken: string;
}

export interface OidcSignIn {
  /** Open this in the system browser (Electron: shell.openExternal). */
  authorizationUrl: string;
  redirectUri: string;
  /** Settles once: the user, or an AuthError. The loopback listener is closed before it settles. */
  completion: Promise<OidcSignInResult>;
}

const DISCOVERY_TIMEOUT_SECONDS = 10;

function clientConfiguration(config: OidcConfig, fetchImpl: typeof globalThis.fetch | undefined): Promise<client.Configuration> {
  const issuer = new URL(config.issuer);
  const execute = [client.enableNonRepudiationChecks];
  // The config schema already refuses http:// except for an IdP on this machine.
  if (issuer.protocol === 'http:' && LOOPBACK_HOSTS.has(issuer.hostname)) execute.push(client.allowInsecureRequests);
  const auth = config.clientSecret === undefined ? client.None() : client.ClientSecretBasic(config.clientSecret);
  return client.discovery(issuer, config.clientId, undefined, auth, {
    execute,
    timeout: DISCOVERY_TIMEOUT_SECONDS,
    ...(fetchImpl ? { [client.customFetch]: fetchImpl as client.CustomFetch } : {}),
  });
}

/** Rejects when the signal aborts, the deadline passes, or never; `dispose` removes the timer and listener. */
function interruption(signal: AbortSignal | undefined, timeoutMs: number): { promise: Promise<never>; dispose(): void } {
  let dispose = (): void => undefined;
  const promise = new Promise<never>((_resolve, reject) => {
    const onAbort = (): void => reject(new AuthError('cancelled', 'sign-in cancelled'));
    const timer = setTimeout(
      () => reject(new AuthError('timeout', `sign-in not completed within ${Math.round(timeoutMs / 1000)} s`)),
      timeoutMs,
    );
    signal?.addEventListener('abort', onAbort, { once: true });
    dispose = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
  });
  promise.catch(() => undefined);
  return { promise, dispose };
}

async function exchangeCode(
  configuration: client.Configuration,
  config: OidcConfig,
  received: ReceivedCallback,
  checks: { pkceCodeVerifier: string; expectedState: string; expectedNonce: string },
): Promise<OidcSignInResult> {
  const tokens = await client.authorizationCodeGrant(configuration, received.url, { ...checks, idTokenExpected: true });
  const idClaims = tokens.claims();
  if (!idClaims || !tokens.id_token) throw new AuthError('invalid-response', 'the token response carries no ID token');
  let claims: Record<string, unknown> = { ...idClaims };
  // Some IdPs put only the core claims in the ID token and the rest behind the userinfo endpoint.
  if (readClaim(claims, config.claims.roles) === undefined && configuration.serverMetadata().userinfo_endpoint) {
    const info = await client.fetchUserInfo(configuration, tokens.access_token, idClaims.sub);
    claims = { ...info, ...claims };
  }
  const issuer = configuration.serverMetadata().issuer;
  return { user: mapClaimsToUser(claims, issuer, config), issuer, expiresAt: new Date(idClaims.exp * 1000), idToken: tokens.id_token };
}

async function complete(
  configuration: client.Configuration,
  config: OidcConfig,
  loopback: LoopbackRedirect,
  checks: { pkceCodeVerifier: string; expectedState: string; expectedNonce: string },
  stop: { promise: Promise<never>; dispose(): void },
): Promise<OidcSignInResult> {
  let received: ReceivedCallback | undefined;
  try {
    received = await Promise.race([loopback.callback, stop.promise]);
    const result = await Promise.race([exchangeCode(configuration, config, received, checks), stop.promise]);
    received.respond(signedInPage());
    return result;
  } catch (error) {
    const failure = signInError(error);
    received?.respond(signInFailedPage(failure.message));
    throw failure;
  } finally {
    stop.dispose();
    await loopback.close();
  }
}

export async function startOidcSignIn(config: OidcConfig, options: OidcSignInOptions = {}): Promise<OidcSignIn> {
  const { signal } = options;
  if (signal?.aborted) throw new AuthError('cancelled', 'sign-in cancelled');
  const stop = interruption(signal, options.timeoutMs ?? config.signInTimeoutMinutes * 60_000);

  let configuration: client.Configuration;
  try {
    configuration = await Promise.race([clientConfiguration(config, options.fetch), stop.promise]);
  } catch (error) {
    stop.dispose();
    throw discoveryError(config.issuer, error);
  }

  const expectedState = client.randomState();
  const expectedNonce = client.randomNonce();
  const pkceCodeVerifier = client.randomPKCECodeVerifier();
  let loopback: LoopbackRedirect;
  try {
    loopback = await openLoopbackRedirect({ port: config.redirectPort, expectedState });
  } catch (error) {
    stop.dispose();
    throw error;
  }

  const authorizationUrl = client.buildAuthorizationUrl(configuration, {
    redirect_uri: loopback.redirectUri,
    scope: config.scopes,
    code_challenge: await client.calculatePKCECodeChallenge(pkceCodeVerifier),
    code_challenge_method: 'S256',
    state: expectedState,
    nonce: expectedNonce,
    // A ward workstation is shared: the system browser may still hold the previous user's IdP session.
    ...(config.promptLogin ? { prompt: 'login' } : {}),
  });

  const completion = complete(configuration, config, loopback, { pkceCodeVerifier, expectedState, expectedNonce }, stop);
  // The host may attach its handler late (after opening the browser); do not crash the process meanwhile.
  completion.catch(() => undefined);
  return { authorizationUrl: authorizationUrl.href, redirectUri: loopback.redirectUri, completion };
}
