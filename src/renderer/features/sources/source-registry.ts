import type { SourceStatus } from '../../../shared/domain/source.ts';
import { Store } from '../../lib/store.ts';

/**
 * What the status bar shows: the latest status per source, from whichever answer carried it
 * (listSources, a search, an open's snapshots, or a 'source.status' event). Order is the
 * order sources were first seen, so items don't jump around as states change.
 */
export class SourceRegistry extends Store<readonly SourceStatus[]> {
  constructor() {
    super([]);
  }

  merge(statuses: readonly SourceStatus[]): void {
    if (statuses.length === 0) return;
    const current = this.get();
    const next = [...current];
    let changed = false;
    for (const status of statuses) {
      const i = next.findIndex((s) => s.sourceId === status.sourceId);
      if (i === -1) {
        next.push(status);
        changed = true;
      } else if (!sameStatus(next[i]!, status)) {
        next[i] = status;
        changed = true;
      }
    }
    if (changed) this.set(next);
  }
}

function sameStatus(a: SourceStatus, b: SourceStatus): boolean {
  return (
    a.state === b.state &&
    a.name === b.name &&
    a.kind === b.kind &&
    a.latencyMs === b.latencyMs &&
    a.lastSuccessAt === b.lastSuccessAt &&
    a.entryCount === b.entryCount &&
    a.loadingSince === b.loadingSince &&
    a.cachedAsOf === b.cachedAsOf &&
    a.error?.code === b.error?.code &&
    a.error?.message === b.error?.message
  );
}

export function sourceName(sources: readonly SourceStatus[], sourceId: string): string {
  return sources.find((s) => s.sourceId === sourceId)?.name ?? sourceId;
}
