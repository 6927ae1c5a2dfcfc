/** Maps what openid-client throws to AuthError, so callers branch on one set of codes. */
import * as client from 'openid-client';
import { AuthError } from '../auth-error.ts';

/** Authorization errors that mean "the person or the IdP's policy said no", not "something broke". */
const REFUSALS = new Set([
  'access_denied',
  'login_required',
  'consent_required',
  'interaction_required',
  'account_selection_required',
  'unauthorized_client',
]);

function isNetworkFailure(error: unknown): boolean {
  if (error instanceof TypeError) return true; // fetch() rejects with TypeError for refused/reset connections and DNS
  return error instanceof client.ClientError && (error.code === 'OAUTH_TIMEOUT' || error.code === 'OAUTH_ABORT');
}

export function discoveryError(issuer: string, error: unknown): AuthError {
  if (error instanceof AuthError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new AuthError('idp-unreachable', `identity provider ${issuer}: discovery failed (${detail})`, { cause: error });
}

export function signInError(error: unknown): AuthError {
  if (error instanceof AuthError) return error;
  if (error instanceof client.AuthorizationResponseError) {
    const description = error.error_description ? `: ${error.error_description.slice(0, 300)}` : '';
    return new AuthError(
      REFUSALS.has(error.error) ? 'denied' : 'invalid-response',
      `the identity provider answered ${error.error.slice(0, 100)}${description}`,
      { cause: error },
    );
  }
  if (error instanceof client.ResponseBodyError) {
    return new AuthError(
      'invalid-response',
      `token endpoint refused the code: ${error.error.slice(0, 100)}${error.error_description ? `: ${error.error_description.slice(0, 300)}` : ''}`,
      { cause: error },
    );
  }
  if (isNetworkFailure(error)) {
    return new AuthError('idp-unreachable', `identity provider not reachable during the code exchange: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const code = error instanceof client.ClientError && error.code ? ` [${error.code}]` : '';
  // openid-client wraps the precise reason ("JWT signature verification failed") in a generic one.
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  const detail = error instanceof Error ? `${error.message}${cause}` : String(error);
  return new AuthError('invalid-response', `the identity provider's response failed validation${code}: ${detail}`, { cause: error });
}
