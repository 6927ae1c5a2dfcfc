export { type AccessDenial, AccessDeniedError } from './access-denied-error.ts';
export { CallLimitedError } from './call-limited-error.ts';
export type { ApiBackend, ApiEventListener, ApiHandlers, CoreBackend, CoreHandlers, ValidatedRequest } from './api-handlers.ts';
export { ApiRequestError, dispatchApiCall } from './dispatch.ts';
export type { FetchHandler } from './fetch-handler.ts';
