import type { ApiBackend, ApiEventListener, ApiHandlers } from '../../../src/main/services/api/index.ts';
import { apiMethods, type ApiMethod } from '../../../src/shared/api/contract.ts';
import type { ApiEvent } from '../../../src/shared/api/events.ts';
import type { SourceStatus } from '../../../src/shared/domain/source.ts';

export const demoStatus: SourceStatus = { sourceId: 'his-main', name: 'HIS', kind: 'fhir', state: 'ok' };

/**
 * A backend for host tests (Electron IPC, browser host): every handler records its request; the
 * few methods the host tests call answer with canned replies, the rest reject unless a test
 * overrides them. Built from apiMethods, so methods added to the contract need no edit here.
 */
export function fakeBackend(overrides: Partial<ApiHandlers> = {}) {
  const calls: { method: string; request: unknown }[] = [];
  const listeners = new Set<ApiEventListener>();
  const canned: Partial<Record<ApiMethod, unknown>> = {
    listSources: { sources: [demoStatus] },
    searchPatients: { candidates: [], sources: [demoStatus] },
    closePatient: { closed: true },
  };
  const handlers = Object.fromEntries(
    apiMethods.map((method) => {
      const override = overrides[method] as ((request: unknown) => Promise<unknown>) | undefined;
      const handler = async (request: unknown) => {
        calls.push({ method, request });
        if (override) return override(request);
        if (method in canned) return canned[method];
        throw new Error(`${method} is not faked in this test`);
      };
      return [method, handler];
    }),
  ) as unknown as ApiHandlers;
  const backend: ApiBackend & { close(): Promise<void>; closed: number } = {
    handlers,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    closed: 0,
    async close() {
      backend.closed++;
    },
  };
  return {
    backend,
    calls,
    listenerCount: () => listeners.size,
    emit: (event: ApiEvent) => {
      for (const listener of listeners) listener(event);
    },
  };
}
