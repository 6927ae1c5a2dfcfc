import { createContext, useContext, useEffect, useMemo, useSyncExternalStore, type ReactNode } from 'react';
import type { SourceStatus } from '../../../shared/domain/source.ts';
import { useApi } from '../../api/api-context.tsx';
import { SourceRegistry } from './source-registry.ts';

const SourcesContext = createContext<SourceRegistry | null>(null);

/** Owns the source registry: loads listSources once and follows 'source.status' events. */
export function SourcesProvider({ children }: { children: ReactNode }) {
  const api = useApi();
  const registry = useMemo(() => new SourceRegistry(), []);

  useEffect(() => {
    let alive = true;
    api.listSources({}).then(
      (res) => {
        if (alive) registry.merge(res.sources);
      },
      (error: unknown) => console.warn('huizhen: listSources failed', error),
    );
    const off = api.onEvent((event) => {
      if (event.type === 'source.status') registry.merge([event.status]);
    });
    return () => {
      alive = false;
      off();
    };
  }, [api, registry]);

  return <SourcesContext value={registry}>{children}</SourcesContext>;
}

export function useSourceRegistry(): SourceRegistry {
  const registry = useContext(SourcesContext);
  if (!registry) throw new Error('useSourceRegistry() outside <SourcesProvider>');
  return registry;
}

export function useSources(): readonly SourceStatus[] {
  const registry = useSourceRegistry();
  return useSyncExternalStore(registry.subscribe, registry.get);
}
