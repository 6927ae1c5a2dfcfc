import type { ApiHandlers } from '../api/index.ts';
import type { Gate } from './secured-api-gate.ts';

export type MappingHandlers = Pick<ApiHandlers, 'mappingUsage'>;

/** The mapping tables' entries and uses: the administrator's (codes and counts, no patient data). */
export function mappingHandlers(gate: Gate): MappingHandlers {
  return {
    async mappingUsage() {
      gate.requireCapability('quality');
      return gate.options.core.handlers.mappingUsage({});
    },
  };
}
