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

/** The error shape both transports use when main refuses or fails a call. */
export interface ApiErrorBody {
  error: { code: 'invalid-request' | 'unknown-method' | 'forbidden' | 'internal'; message: string };
}
