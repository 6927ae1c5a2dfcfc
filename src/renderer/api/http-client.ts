import type { ApiMethod, ApiRequest, ApiResponse } from '../../shared/api/contract.ts';
import type { HuizhenApi } from '../../shared/api/client.ts';
import { ApiError, apiErrorFromBody, errorMessage } from './api-error.ts';
import { EventSocket, type WebSocketFactory } from './event-socket.ts';
import { buildApi, parseResponse } from './validate.ts';

export interface HttpApiOptions {
  /** Defaults to the page's fetch. */
  fetch?: typeof fetch;
  /** Prefix of method URLs; defaults to "/api/" (same origin, so the host's cookie applies). */
  apiBase?: string;
  /** The events WebSocket URL; defaults to ws(s)://<location.host>/api/events. */
  eventsUrl?: string;
  createWebSocket?: WebSocketFactory;
}

export function defaultEventsUrl(loc: Pick<Location, 'protocol' | 'host'>): string {
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}/api/events`;
}

/** The browser-host client: POST /api/<method> with JSON, events over one WebSocket. */
export function createHttpApi(options: HttpApiOptions = {}): HuizhenApi {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const apiBase = options.apiBase ?? '/api/';

  async function call<M extends ApiMethod>(method: M, request: ApiRequest<M>): Promise<ApiResponse<M>> {
    let response: Response;
    try {
      response = await doFetch(`${apiBase}${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(request),
        credentials: 'same-origin',
      });
    } catch (error) {
      throw new ApiError('network', `${method}: ${errorMessage(error)}`);
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      body = undefined;
    }
    if (!response.ok) throw apiErrorFromBody(body, response.status);
    if (body === undefined) throw new ApiError('invalid-response', `${method}: the response is not JSON`, response.status);
    return parseResponse(method, body);
  }

  const socket = new EventSocket({
    url: options.eventsUrl ?? defaultEventsUrl(globalThis.location),
    ...(options.createWebSocket ? { createWebSocket: options.createWebSocket } : {}),
  });
  return buildApi(call, (listener) => socket.subscribe(listener));
}
