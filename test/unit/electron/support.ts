import type { ApiBackend, ApiEventListener, ApiHandlers } from '../../../src/main/services/api/api-handlers.ts';
import type { ApiEvent } from '../../../src/shared/api/events.ts';
import type { SourceStatus } from '../../../src/shared/domain/source.ts';

export const demoStatus: SourceStatus = { sourceId: 'his-main', name: 'HIS', kind: 'fhir', state: 'ok' };

/** A backend whose handlers record their requests; `emit` plays a service pushing an event. */
export function fakeBackend(overrides: Partial<ApiHandlers> = {}) {
  const calls: { method: string; request: unknown }[] = [];
  const listeners = new Set<ApiEventListener>();
  const handlers: ApiHandlers = {
    listSources: async (request) => {
      calls.push({ method: 'listSources', request });
      return { sources: [demoStatus] };
    },
    searchPatients: async (request) => {
      calls.push({ method: 'searchPatients', request });
      return { candidates: [], sources: [demoStatus] };
    },
    openPatient: async (request) => {
      calls.push({ method: 'openPatient', request });
      return { openId: 'open-1', entries: [], sources: [demoStatus] };
    },
    closePatient: async (request) => {
      calls.push({ method: 'closePatient', request });
      return { closed: true };
    },
    confirmLink: async (request) => {
      calls.push({ method: 'confirmLink', request });
      return { ok: true };
    },
    unlinkPatients: async (request) => {
      calls.push({ method: 'unlinkPatients', request });
      return { ok: true };
    },
    listLinkDecisions: async (request) => {
      calls.push({ method: 'listLinkDecisions', request });
      return { decisions: [] };
    },
    ...overrides,
  };
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

/** Casts a fake to the Electron type a function under test declares; tests only. */
export function asElectron<T>(fake: object): T {
  return fake as T;
}
