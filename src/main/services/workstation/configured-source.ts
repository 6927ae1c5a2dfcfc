import type { SourceAdapter } from '../../../adapters/source-adapter.ts';
import type { SourceConfig } from '../../../shared/config/schema.ts';
import type { SourceGuard } from '../aggregator/source-guard.ts';

/** One configured hospital system as the workstation holds it: its settings, adapter and guard. */
export interface ConfiguredSource {
  config: SourceConfig;
  adapter: SourceAdapter;
  guard: SourceGuard;
}
