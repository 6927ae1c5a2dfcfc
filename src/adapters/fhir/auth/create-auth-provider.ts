/** Picks the AuthProvider a FHIR source's config asks for. */
import type { FhirSourceConfig } from '../../../shared/config/sources/fhir.ts';
import { createFhirHttp } from '../fhir-http.ts';
import { staticAuth, type AuthProvider } from './auth-provider.ts';
import { createSmartBackendAuth } from './smart-backend-auth.ts';

export function createAuthProvider(config: FhirSourceConfig): AuthProvider {
  const { auth } = config;
  if (auth.type !== 'smart-backend') return staticAuth(auth);
  // Discovery talks to the FHIR server itself, without credentials.
  const discovery = createFhirHttp({
    sourceId: config.id,
    sourceName: config.name,
    baseUrl: config.baseUrl,
    auth: staticAuth({ type: 'none' }),
    timeoutMs: config.resilience.timeoutMs,
  });
  return createSmartBackendAuth({ auth, discovery, timeoutMs: config.resilience.timeoutMs });
}
