import type { SourceDescriptor } from '../../../adapters/source-adapter.ts';
import type { SourceErrorInfo, SourceStatus } from '../../../shared/domain/source.ts';
import type { SourceCallOutcome } from './call-source.ts';
import type { ResiliencePolicy } from './resilience-policy.ts';

/**
 * The workstation's memory of how each hospital system is doing, so the status bar can show
 * the time of the last success even while the system is failing now.
 */
export class SourceStatusBoard {
  private readonly statuses = new Map<string, SourceStatus>();
  private readonly listeners = new Set<(status: SourceStatus) => void>();
  private readonly now: () => Date;

  constructor(sources: readonly SourceDescriptor[], now: () => Date = () => new Date()) {
    this.now = now;
    for (const s of sources) this.statuses.set(s.id, { sourceId: s.id, name: s.name, kind: s.kind, state: 'idle' });
  }

  onChange(listener: (status: SourceStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  all(): SourceStatus[] {
    return [...this.statuses.values()];
  }

  get(sourceId: string): SourceStatus | undefined {
    return this.statuses.get(sourceId);
  }

  markLoading(sourceId: string): SourceStatus {
    const previous = this.require(sourceId);
    const loadingSince = previous.state === 'loading' && previous.loadingSince ? previous.loadingSince : this.now().toISOString();
    return this.set({ ...previous, state: 'loading', loadingSince, error: undefined, entryCount: undefined });
  }

  record(sourceId: string, outcome: SourceCallOutcome<unknown>, policy: ResiliencePolicy, entryCount?: number): SourceStatus {
    const previous = this.require(sourceId);
    const latencyMs = Math.round(outcome.latencyMs);
    if (outcome.ok) {
      return this.set({
        ...previous,
        state: latencyMs > policy.slowMs ? 'slow' : 'ok',
        latencyMs,
        lastSuccessAt: this.now().toISOString(),
        entryCount,
        error: undefined,
        cachedAsOf: undefined,
        loadingSince: undefined,
      });
    }
    return this.set({
      ...previous,
      state: outcome.error.code === 'circuit-open' ? 'circuit-open' : 'failed',
      latencyMs,
      entryCount: undefined,
      error: outcome.error.toInfo(),
      loadingSince: undefined,
    });
  }

  /**
   * The source did not answer now, but the workstation has its records from an earlier sync:
   * the UI shows them "as of" that time, with the reason the live request failed.
   */
  recordServedFromCache(sourceId: string, syncedAt: string, error?: SourceErrorInfo): SourceStatus {
    const previous = this.require(sourceId);
    return this.set({ ...previous, state: 'cached', cachedAsOf: syncedAt, error, latencyMs: undefined, loadingSince: undefined });
  }

  private require(sourceId: string): SourceStatus {
    const status = this.statuses.get(sourceId);
    if (!status) throw new Error(`unknown source "${sourceId}"`);
    return status;
  }

  private set(status: SourceStatus): SourceStatus {
    const clean = Object.fromEntries(Object.entries(status).filter(([, v]) => v !== undefined)) as SourceStatus;
    this.statuses.set(status.sourceId, clean);
    for (const l of this.listeners) l(clean);
    return clean;
  }
}
