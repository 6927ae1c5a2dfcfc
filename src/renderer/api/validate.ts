import { apiContract, apiMethods, type ApiMethod, type ApiRequest, type ApiResponse } from '../../shared/api/contract.ts';
import type { HuizhenApi } from '../../shared/api/client.ts';
import { ApiError } from './api-error.ts';
import { issueText, parseOpenPatientResponse } from './timeline-payloads.ts';

/** Checks a response against the contract before the UI trusts it. */
export function parseResponse<M extends ApiMethod>(method: M, value: unknown): ApiResponse<M> {
  if (method === 'openPatient') {
    // A whole timeline: the lean path (same rules), see timeline-payloads.ts.
    const checked = parseOpenPatientResponse(value);
    if (!checked.ok) throw new ApiError('invalid-response', checked.message);
    return checked.value as ApiResponse<M>;
  }
  const parsed = apiContract[method].response.safeParse(value);
  if (!parsed.success) throw new ApiError('invalid-response', `invalid ${method} response${issueText(parsed.error.issues[0])}`);
  return parsed.data as ApiResponse<M>;
}

type Caller = <M extends ApiMethod>(method: M, request: ApiRequest<M>) => Promise<ApiResponse<M>>;

/** One function per contract method, all routed through `call`: new methods need no edits here. */
export function buildApi(call: Caller, onEvent: HuizhenApi['onEvent']): HuizhenApi {
  const api: Record<string, unknown> = { onEvent };
  for (const method of apiMethods) {
    api[method] = (request: ApiRequest<typeof method>) => call(method, request);
  }
  return api as HuizhenApi;
}

/**
 * Wraps the Electron preload's API so its responses are checked like the HTTP client's.
 * Requests are validated again in main; events are validated by the preload.
 */
export function withResponseValidation(inner: HuizhenApi): HuizhenApi {
  const call: Caller = async (method, request) => {
    const fn = inner[method] as (request: unknown) => Promise<unknown>;
    return parseResponse(method, await fn(request));
  };
  return buildApi(call, (listener) => inner.onEvent(listener));
}
