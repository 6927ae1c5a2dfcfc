import type { ApiHandlers } from '../api/index.ts';
import type { Gate } from './secured-api-gate.ts';
import { requireAdmin } from './secured-api-admin-handlers.ts';

export type MappingHandlers = Pick<ApiHandlers, 'mappingUsage'>;

/** The mapping tables' entries and uses: the administrator's console (codes and counts, no patient data), audited as it reads. */
export function mappingHandlers(gate: Gate): MappingHandlers {
  return {
    async mappingUsage() {
      await requireAdmin(gate, 'mapping usage');
      return gate.options.core.handlers.mappingUsage({});
    },
  };
}
