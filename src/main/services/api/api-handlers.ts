import type { z } from 'zod';
import type { ApiContract, ApiMethod, ApiResponse } from '../../../shared/api/contract.ts';
import type { ApiEvent } from '../../../shared/api/events.ts';

export type ValidatedRequest<M extends ApiMethod> = z.output<ApiContract[M]['request']>;

/** Main's side of the typed API: one handler per method, fed only validated requests. */
export type ApiHandlers = {
  [M in ApiMethod]: (request: ValidatedRequest<M>) => Promise<ApiResponse<M>>;
};

export type ApiEventListener = (event: ApiEvent) => void;

/** Everything a host (Electron shell or browser host) needs from the application core. */
export interface ApiBackend {
  handlers: ApiHandlers;
  subscribe(listener: ApiEventListener): () => void;
}
