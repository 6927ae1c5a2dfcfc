import type { SourceAdapter } from '../../../adapters/source-adapter.ts';
import type { SourceConfig } from '../../../shared/config/schema.ts';
import { type FanOutTarget, SourceGuard, SourceStatusBoard } from '../aggregator/index.ts';

/** One configured hospital system as the workstation holds it: its settings, adapter and guard. */
export interface ConfiguredSource {
  config: SourceConfig;
  adapter: SourceAdapter;
  guard: SourceGuard;
}

/** The enabled systems, by id, with the board that shows their state. */
export interface RecordSources {
  all: readonly ConfiguredSource[];
  byId: ReadonlyMap<string, ConfiguredSource>;
  board: SourceStatusBoard;
  /** One read from one system, under its resilience policy and guard. */
  target<T>(source: ConfiguredSource, read: (signal: AbortSignal) => Promise<T>): FanOutTarget<T>;
}

/** Builds an adapter and a guard for every enabled source; `createAdapter` knows the protocols. */
export function connectSources(configs: readonly SourceConfig[], createAdapter: (config: SourceConfig) => SourceAdapter): RecordSources {
  const all: ConfiguredSource[] = configs
    .filter((s) => s.enabled)
    .map((config) => {
      const adapter = createAdapter(config);
      return { config, adapter, guard: new SourceGuard(adapter.source, config.resilience) };
    });
  return {
    all,
    byId: new Map(all.map((s) => [s.config.id, s])),
    board: new SourceStatusBoard(all.map((s) => s.adapter.source)),
    target: (source, read) => ({ source: source.adapter.source, policy: source.config.resilience, read, guard: source.guard }),
  };
}
