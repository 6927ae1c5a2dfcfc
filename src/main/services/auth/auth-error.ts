/**
 * The one error sign-in throws. The code is what the renderer words and branches on (whether to
 * offer "try again"); the message is English for the log and the CLI, and never holds a password,
 * a token or an authorization code.
 */
export const AUTH_ERROR_CODES = [
  /** The app abandoned the sign-in (AbortSignal). */
  'cancelled',
  /** The identity provider refused: the user pressed cancel or is not allowed to use this client. */
  'denied',
  /** The browser sign-in was not completed in time. */
  'timeout',
  /** The identity provider answered something that fails validation (ID token, state, claims). */
  'invalid-response',
  /** Signed in, but with no role Huizhen knows. */
  'no-role',
  /** The identity provider could not be reached or its discovery document is unusable. */
  'idp-unreachable',
  /** The loopback redirect listener could not be opened (e.g. the configured port is taken). */
  'loopback-unavailable',
  /** Local account: unknown user or wrong password (deliberately indistinguishable). */
  'bad-credentials',
  /** Local account: too many failures; `retryAfterMs` says for how long. */
  'locked-out',
  /** A stored password hash cannot be read: a configuration error, not a wrong password. */
  'invalid-hash',
] as const;
export type AuthErrorCode = (typeof AUTH_ERROR_CODES)[number];

export class AuthError extends Error {
  override readonly name = 'AuthError';
  readonly code: AuthErrorCode;
  readonly retryAfterMs: number | undefined;

  constructor(code: AuthErrorCode, message: string, options: { cause?: unknown; retryAfterMs?: number } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryAfterMs = options.retryAfterMs;
  }
}

export function isAuthError(error: unknown, code?: AuthErrorCode): error is AuthError {
  return error instanceof AuthError && (code === undefined || error.code === code);
}
