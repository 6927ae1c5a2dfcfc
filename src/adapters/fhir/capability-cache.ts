import type { CapabilityStatement } from '@medplum/fhirtypes';
import { SourceError } from '../source-error.ts';
import type { FhirHttp } from './fhir-http.ts';
import { readCapabilities, type ServerCapabilities } from './server-capabilities.ts';

async function loadCapabilities(http: FhirHttp, signal: AbortSignal): Promise<ServerCapabilities> {
  try {
    const { resource } = await http.get<CapabilityStatement>('metadata', 'CapabilityStatement', signal);
    return readCapabilities(resource);
  } catch (error) {
    // A server without /metadata still serves searches: assume the plain R4 minimum.
    if (error instanceof SourceError && error.code === 'not-found') return { everything: false };
    throw error;
  }
}

export interface CapabilityCache {
  get(signal: AbortSignal): Promise<ServerCapabilities>;
  /** What a probe just read: later fetches use it without asking again. */
  remember(caps: ServerCapabilities): void;
}

/** The server's capabilities, asked once per adapter; a failed lookup is forgotten so the next call asks again. */
export function capabilityCache(http: FhirHttp): CapabilityCache {
  let capabilities: Promise<ServerCapabilities> | undefined;
  return {
    get(signal) {
      if (!capabilities) {
        const pending = loadCapabilities(http, signal);
        capabilities = pending;
        pending.catch(() => {
          if (capabilities === pending) capabilities = undefined;
        });
      }
      return capabilities;
    },
    remember(caps) {
      capabilities = Promise.resolve(caps);
    },
  };
}
