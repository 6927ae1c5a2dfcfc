import type { z } from 'zod';
import type { ApiContract, ApiMethod, ApiResponse, CoreMethod } from '../../../shared/api/contract.ts';
import type { ApiEvent } from '../../../shared/api/events.ts';
import type { ProbeResult, SourceDescriptor, SourcedResource } from '../../../adapters/source-adapter.ts';
import type { SourceErrorInfo, SourcePatientRef } from '../../../shared/domain/source.ts';
import type { PersonVerdict } from '../identity/index.ts';

export type ValidatedRequest<M extends ApiMethod> = z.output<ApiContract[M]['request']>;

/** Main's side of the typed API: one handler per method, fed only validated requests. */
export type ApiHandlers = {
  [M in ApiMethod]: (request: ValidatedRequest<M>) => Promise<ApiResponse<M>>;
};

/**
 * The workstation core's handlers: everything but the session layer's own methods. The core
 * opens a patient without judging access; the access layer adds the grounds to the reply.
 */
export type CoreHandlers = Omit<Pick<ApiHandlers, CoreMethod>, 'openPatient'> & {
  openPatient: (request: ValidatedRequest<'openPatient'>) => Promise<Omit<ApiResponse<'openPatient'>, 'access' | 'candidate'>>;
};

export type ApiEventListener = (event: ApiEvent) => void;

/** Everything a host (Electron shell or browser host) needs from the application core. */
export interface ApiBackend {
  handlers: ApiHandlers;
  subscribe(listener: ApiEventListener): () => void;
}

/** What the access layer wraps: the core's handlers and its events, before any access check. */
export interface CoreBackend {
  handlers: CoreHandlers;
  subscribe(listener: ApiEventListener): () => void;
  /** Are these system records one person, as the identity service vouches (linked or confirmed)? */
  identifyPerson(refs: readonly SourcePatientRef[]): PersonVerdict;
  /** The person's care context (encounters, imaging), read before the access decision and cached nowhere. */
  readCareContext(refs: readonly SourcePatientRef[], signal: AbortSignal, from?: 'cache' | 'systems'): Promise<SourcedResource[]>;
  /** Asks each configured source whether it is reachable (the probes of `huizhen sources check`). */
  probeSources(signal?: AbortSignal): Promise<{ source: SourceDescriptor; result?: ProbeResult; error?: SourceErrorInfo }[]>;
}
