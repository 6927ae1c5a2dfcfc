/** Builds a validated FhirSourceConfig for adapter tests, as the app would from its config file. */
import type { z } from 'zod';
import { FhirSourceConfigSchema, type FhirSourceConfig } from '../../src/shared/config/schema.ts';

export function fhirSourceConfig(
  baseUrl: string,
  overrides: Partial<Omit<z.input<typeof FhirSourceConfigSchema>, 'kind'>> = {},
): FhirSourceConfig {
  return FhirSourceConfigSchema.parse({ id: 'cdr', name: 'CDR (FHIR R4)', kind: 'fhir', baseUrl, ...overrides });
}

/** A loopback URL nothing listens on: bind port 0, note it, close it. */
export async function fhirClosedPortUrl(): Promise<string> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/fhir`;
}
