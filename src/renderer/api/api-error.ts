import {
  AccessDenialSchema,
  ApiErrorSchema,
  SignInRefusalSchema,
  type AccessDenial,
  type ApiErrorBody,
  type SignInRefusal,
} from '../../shared/api/client.ts';

/** Codes main sends (ApiErrorBody) plus the ones only the renderer side can observe. */
export type ApiErrorCode = ApiErrorBody['error']['code'] | 'network' | 'invalid-response';

/** What every API call rejects with, whatever the transport. */
export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly status: number | undefined;
  /** With 'access-denied': why (break-the-glass helps only when outside the care rules). */
  readonly denial: AccessDenial | undefined;
  /** With a refused sign-in or unlock: why. */
  readonly refusal: SignInRefusal | undefined;
  /** With 'rate-limited': whole seconds until main accepts a call of this kind again. */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    code: ApiErrorCode,
    message: string,
    status?: number,
    denial?: AccessDenial,
    refusal?: SignInRefusal,
    retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
    this.denial = denial;
    this.refusal = refusal;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

const KNOWN_CODES: ReadonlySet<string> = new Set(ApiErrorSchema.shape.code.options);

/** Reads an ApiErrorBody out of whatever a non-2xx response carried; never throws. */
export function apiErrorFromBody(body: unknown, status: number): ApiError {
  if (typeof body === 'object' && body !== null && 'error' in body) {
    const error = (body as { error: unknown }).error;
    if (typeof error === 'object' && error !== null) {
      const { code, message, denial, refusal, retryAfterSeconds } = error as {
        code?: unknown;
        message?: unknown;
        denial?: unknown;
        refusal?: unknown;
        retryAfterSeconds?: unknown;
      };
      if (typeof message === 'string') {
        const known = typeof code === 'string' && KNOWN_CODES.has(code);
        const why = AccessDenialSchema.safeParse(denial);
        const refused = SignInRefusalSchema.safeParse(refusal);
        const wait = ApiErrorSchema.shape.retryAfterSeconds.safeParse(retryAfterSeconds);
        return new ApiError(
          known ? (code as ApiErrorCode) : 'internal',
          message,
          status,
          why.success ? why.data : undefined,
          refused.success ? refused.data : undefined,
          wait.success ? wait.data : undefined,
        );
      }
    }
  }
  return new ApiError(status === 403 ? 'forbidden' : 'internal', `HTTP ${status}`, status);
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
