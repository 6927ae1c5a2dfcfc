import { dispatchApiCall } from '../main/services/api/index.ts';
import { composeWorkstation, type ComposedWorkstation } from '../main/composition/index.ts';
import { passphraseProtectorFromEnv } from '../main/services/cache-setup/index.ts';
import type { ApiMethod, ApiResponse } from '../shared/api/contract.ts';
import type { HuizhenConfig } from '../shared/config/schema.ts';
import { CliError, EXIT } from './cli-error.ts';
import type { CliIo } from './io.ts';

/** One API call as the signed-in user; a refusal becomes the CLI's exit code (7 sign-in, 8 access). */
export type CliApiCall = <M extends ApiMethod>(method: M, payload: unknown) => Promise<ApiResponse<M>>;

/**
 * The workstation a CLI command reads through, the same access layer as the screen: no prefetch
 * and no listener for pushes (the CLI answers one question), and `call` for its API.
 */
export async function cliWorkstation(config: HuizhenConfig, io: CliIo): Promise<ComposedWorkstation & { call: CliApiCall }> {
  const composed = await composeWorkstation(
    { ...config, prefetch: undefined, inboundHl7: undefined },
    { protector: () => passphraseProtectorFromEnv(config.cache!), log: (line) => io.err(`huizhen: ${line}`) },
  );
  const call: CliApiCall = async (method, payload) => {
    const result = await dispatchApiCall(composed.api.handlers, method, payload);
    if (result.ok) return result.value as ApiResponse<typeof method>;
    const exit = result.status === 401 ? EXIT.signInFailed : result.status === 403 ? EXIT.accessDenied : EXIT.usage;
    throw new CliError(result.error.message, exit);
  };
  return { ...composed, call };
}
