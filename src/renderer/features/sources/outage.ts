import type { SourceErrorInfo, SourceStatus } from '../../../shared/domain/source.ts';

/** A system that is not answering now: what the clinician reads instead, and since when. */
export interface DownSource {
  sourceId: string;
  name: string;
  /** cached: its part is the cache's copy; failed: nothing of it is shown; paused: the circuit breaker holds it off. */
  reading: 'cached' | 'failed' | 'paused';
  /** For 'cached': the time of the sync the shown records come from. */
  cachedAsOf?: string;
  /** Why the live request failed (worded by the renderer, shown on demand). */
  reason?: SourceErrorInfo;
}

export interface Outage {
  down: DownSource[];
  /** Every system asked is down: the whole screen is the cache's (or nothing). */
  allDown: boolean;
}

const NO_OUTAGE: Outage = { down: [], allDown: false };

function downOf(s: SourceStatus): DownSource | undefined {
  const reading = s.state === 'cached' ? 'cached' : s.state === 'failed' ? 'failed' : s.state === 'circuit-open' ? 'paused' : undefined;
  if (!reading) return undefined;
  return {
    sourceId: s.sourceId,
    name: s.name,
    reading,
    ...(reading === 'cached' && s.cachedAsOf ? { cachedAsOf: s.cachedAsOf } : {}),
    ...(s.error ? { reason: s.error } : {}),
  };
}

/**
 * Which of these systems are down. A system never asked (idle) is neither up nor down, and it
 * keeps the outage from being "every system": one failed census query on a fresh start must not
 * say that no hospital system answers. Image archives are the exception — asked only when images
 * open, they would otherwise keep a real outage from ever being called one.
 */
export function outageOf(sources: readonly SourceStatus[]): Outage {
  const asked = sources.filter((s) => s.state !== 'idle');
  const down = asked.map(downOf).filter((d): d is DownSource => d !== undefined);
  if (down.length === 0) return NO_OUTAGE;
  const unasked = sources.some((s) => s.state === 'idle' && s.kind !== 'dicomweb');
  return { down, allDown: !unasked && down.length === asked.length };
}

/** The systems whose part of an open record is the cache's copy, with the time of that copy. */
export function staleSourcesOf(sources: readonly SourceStatus[]): ReadonlyMap<string, string> {
  const stale = new Map<string, string>();
  for (const s of sources) if (s.state === 'cached' && s.cachedAsOf) stale.set(s.sourceId, s.cachedAsOf);
  return stale;
}
