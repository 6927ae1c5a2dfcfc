import { z } from 'zod';
import type { ApiEvent } from './events.ts';
import type { ApiMethod, ApiRequest, ApiResponse } from './contract.ts';

export type Unsubscribe = () => void;

/**
 * What the renderer programs against. Two implementations exist: the Electron preload (IPC)
 * and the browser host client (HTTP + WebSocket). Feature code never knows which it has.
 */
export type HuizhenApi = {
  [M in ApiMethod]: (request: ApiRequest<M>) => Promise<ApiResponse<M>>;
} & {
  onEvent(listener: (event: ApiEvent) => void): Unsubscribe;
};

/** The error both transports report when main refuses or fails a call. */
export const ApiErrorSchema = z.object({
  code: z.enum(['invalid-request', 'unknown-method', 'forbidden', 'internal', 'signed-out', 'locked', 'access-denied']),
  message: z.string(),
});

export interface ApiErrorBody {
  error: z.infer<typeof ApiErrorSchema>;
}
