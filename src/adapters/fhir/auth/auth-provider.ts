/** Where a request's Authorization header comes from: fixed credentials, or a renewable token. */
import type { FhirAuth } from '../../../shared/config/sources/fhir.ts';

export interface AuthProvider {
  /** True when a 401 may be cured by asking again (a renewed token). */
  readonly renewable: boolean;
  header(signal: AbortSignal): Promise<string | undefined>;
  /** The server refused this header (401): forget it if it is still the current one. */
  reject(header: string): void;
}

export function staticAuthorization(auth: Exclude<FhirAuth, { type: 'smart-backend' }>): string | undefined {
  switch (auth.type) {
    case 'none':
      return undefined;
    case 'basic':
      return `Basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}`;
    case 'bearer':
      return `Bearer ${auth.token}`;
  }
}

export function staticAuth(auth: Exclude<FhirAuth, { type: 'smart-backend' }>): AuthProvider {
  const value = staticAuthorization(auth);
  return { renewable: false, header: () => Promise.resolve(value), reject: () => undefined };
}
