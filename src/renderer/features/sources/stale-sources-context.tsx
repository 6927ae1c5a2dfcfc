import { createContext, useContext, useMemo, type ReactNode } from 'react';
import type { SourceStatus } from '../../../shared/domain/source.ts';
import { staleSourcesOf } from './outage.ts';

const EMPTY: ReadonlyMap<string, string> = new Map();
const StaleSourcesContext = createContext<ReadonlyMap<string, string>>(EMPTY);

/** The open patient's systems whose part is the cache's copy: every entry from them says so where it is shown. */
export function StaleSourcesProvider({ sources, children }: { sources: readonly SourceStatus[]; children: ReactNode }) {
  const stale = useMemo(() => staleSourcesOf(sources), [sources]);
  return <StaleSourcesContext value={stale}>{children}</StaleSourcesContext>;
}

/** The time of the cached copy a system's part comes from, or undefined when it is live. */
export function useStaleSince(sourceId: string): string | undefined {
  return useContext(StaleSourcesContext).get(sourceId);
}

/** Every system of the open patient whose part is the cache's copy, with the time of that copy. */
export function useStaleSources(): ReadonlyMap<string, string> {
  return useContext(StaleSourcesContext);
}
