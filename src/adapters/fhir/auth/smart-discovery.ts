/** Finds a FHIR server's OAuth token endpoint in its SMART configuration (.well-known). */
import { z } from 'zod';
import type { FhirHttp } from '../fhir-http.ts';
import { SourceError } from '../../source-error.ts';

const SmartConfigurationSchema = z
  .object({
    token_endpoint: z.url({ protocol: /^https?$/ }),
    token_endpoint_auth_methods_supported: z.array(z.string()).optional(),
    token_endpoint_auth_signing_alg_values_supported: z.array(z.string()).optional(),
  })
  .loose();
export type SmartConfiguration = z.infer<typeof SmartConfigurationSchema>;

export async function discoverTokenEndpoint(http: FhirHttp, algorithm: string, signal: AbortSignal): Promise<string> {
  const { sourceId, sourceName } = http;
  let body: unknown;
  try {
    body = await http.getJson('.well-known/smart-configuration', signal);
  } catch (error) {
    if (error instanceof SourceError && error.code === 'not-found') {
      throw new SourceError(
        'protocol',
        sourceId,
        `${sourceName}: the server publishes no .well-known/smart-configuration; set auth.tokenUrl`,
        { request: error.request, status: 404 },
      );
    }
    throw error;
  }
  const parsed = SmartConfigurationSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SourceError(
      'protocol',
      sourceId,
      `${sourceName}: GET .well-known/smart-configuration: ${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  const config = parsed.data;
  if (config.token_endpoint_auth_methods_supported && !config.token_endpoint_auth_methods_supported.includes('private_key_jwt')) {
    throw new SourceError('unauthorized', sourceId, `${sourceName}: the server does not accept private_key_jwt client authentication`);
  }
  const algs = config.token_endpoint_auth_signing_alg_values_supported;
  if (algs && !algs.includes(algorithm)) {
    throw new SourceError('unauthorized', sourceId, `${sourceName}: the server accepts ${algs.join(', ')} assertions, not ${algorithm}`);
  }
  return config.token_endpoint;
}
