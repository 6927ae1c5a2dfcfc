import { apiContract, isApiMethod, type ApiMethod } from '../../../shared/api/contract.ts';
import type { ApiErrorBody } from '../../../shared/api/client.ts';
import type { ApiHandlers, CoreHandlers } from './api-handlers.ts';
import { SessionRequiredError, SignInRefusedError } from '../auth/index.ts';
import { AccessDeniedError } from './access-denied-error.ts';
import { CallLimitedError } from './call-limited-error.ts';

/**
 * Thrown by a handler for a request that is well-formed but cannot be honoured (e.g. a source
 * that is not configured): the message is meant for the user, unlike internal failures.
 */
export class ApiRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ApiRequestError';
  }
}

export type DispatchResult =
  { ok: true; value: unknown } | { ok: false; status: 400 | 401 | 403 | 404 | 429 | 500; error: ApiErrorBody['error'] };

/**
 * The single gate every renderer call passes, whatever the transport: unknown methods and
 * payloads that fail their schema never reach a service. Internal failures are reported
 * without stack traces, which may hold paths or patient data.
 */
export async function dispatchApiCall(
  handlers: ApiHandlers | CoreHandlers,
  method: string,
  payload: unknown,
  onInternalError: (method: ApiMethod, error: unknown) => void = () => {},
): Promise<DispatchResult> {
  if (!isApiMethod(method)) {
    return { ok: false, status: 404, error: { code: 'unknown-method', message: `unknown API method "${method}"` } };
  }
  const parsed = apiContract[method].request.safeParse(payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` at "${issue.path.join('.')}"` : '';
    return {
      ok: false,
      status: 400,
      error: { code: 'invalid-request', message: `invalid ${method} request${where}: ${issue?.message ?? 'rejected'}` },
    };
  }
  try {
    const handler = (handlers as Partial<Record<ApiMethod, (request: unknown) => Promise<unknown>>>)[method];
    if (!handler) {
      return { ok: false, status: 404, error: { code: 'unknown-method', message: `"${method}" is not served here` } };
    }
    const value = await handler(parsed.data);
    return { ok: true, value };
  } catch (error) {
    if (error instanceof SessionRequiredError) {
      return { ok: false, status: 401, error: { code: error.code, message: `${method}: ${error.message}` } };
    }
    if (error instanceof SignInRefusedError) {
      return { ok: false, status: 401, error: { code: 'signed-out', message: error.message, refusal: error.refusal } };
    }
    if (error instanceof AccessDeniedError) {
      return { ok: false, status: 403, error: { code: 'access-denied', message: error.message, denial: error.denial } };
    }
    if (error instanceof CallLimitedError) {
      return {
        ok: false,
        status: 429,
        error: { code: 'rate-limited', message: `${method}: ${error.message}`, retryAfterSeconds: error.retryAfterSeconds },
      };
    }
    if (error instanceof ApiRequestError) {
      return { ok: false, status: 400, error: { code: 'invalid-request', message: `${method}: ${error.message}` } };
    }
    onInternalError(method, error);
    return { ok: false, status: 500, error: { code: 'internal', message: `${method} failed; see the workstation log` } };
  }
}
