import type { HuizhenApi } from '../../shared/api/client.ts';
import { createHttpApi } from './http-client.ts';
import { withResponseValidation } from './validate.ts';

declare global {
  interface Window {
    /** Exposed by the Electron preload through contextBridge; absent in the browser host. */
    huizhen?: HuizhenApi;
  }
}

export type TransportKind = 'electron' | 'http';

let cached: { api: HuizhenApi; kind: TransportKind } | undefined;

/**
 * The app's one API. In Electron the preload has put `window.huizhen` there before any page
 * script runs; otherwise we are served by the loopback browser host and speak HTTP + WebSocket
 * to our own origin. Both are wrapped so responses are validated against the contract.
 */
export function getApi(): HuizhenApi {
  return resolveApi().api;
}

export function getTransportKind(): TransportKind {
  return resolveApi().kind;
}

function resolveApi(): { api: HuizhenApi; kind: TransportKind } {
  if (!cached) {
    const preload = typeof window !== 'undefined' ? window.huizhen : undefined;
    cached = preload ? { api: withResponseValidation(preload), kind: 'electron' } : { api: createHttpApi(), kind: 'http' };
  }
  return cached;
}
