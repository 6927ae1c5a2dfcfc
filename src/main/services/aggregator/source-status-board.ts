import type { SourceDescriptor } from '../../../adapters/source-adapter.ts';
import { SourceError, isSourceError } from '../../../adapters/source-error.ts';
import type { AnswerWarning, SourceErrorInfo, SourceStatus } from '../../../shared/domain/source.ts';
import type { SourceCallOutcome } from './call-source.ts';
import type { ResiliencePolicy } from './resilience-policy.ts';

/**
 * The workstation's memory of how each hospital system is doing, so the status bar can show
 * the time of the last success even while the system is failing now.
 */
export class SourceStatusBoard {
  private readonly statuses = new Map<string, SourceStatus>();
  private readonly listeners = new Set<(status: SourceStatus) => void>();
  /**
   * When each call still out to a source began. Calls overlap (a search, an open, a prefetch):
   * an older call that succeeds must not make a source read "ok" while a newer one hangs.
   */
  private readonly outstanding = new Map<string, number[]>();
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
    const started = this.now().getTime();
    this.outstanding.set(sourceId, [...(this.outstanding.get(sourceId) ?? []), started]);
    const loadingSince = previous.state === 'loading' && previous.loadingSince ? previous.loadingSince : new Date(started).toISOString();
    return this.set({ ...previous, state: 'loading', loadingSince, error: undefined, entryCount: undefined, warnings: undefined });
  }

  /**
   * Takes the settled call off the outstanding ones (the one whose start is nearest its own) and
   * says since when the oldest call still out has been waiting, if any is.
   */
  private settle(sourceId: string, latencyMs: number): string | undefined {
    const starts = this.outstanding.get(sourceId) ?? [];
    if (starts.length > 0) {
      const began = this.now().getTime() - latencyMs;
      let nearest = 0;
      for (let i = 1; i < starts.length; i++) if (Math.abs(starts[i]! - began) < Math.abs(starts[nearest]! - began)) nearest = i;
      starts.splice(nearest, 1);
    }
    if (starts.length === 0) {
      this.outstanding.delete(sourceId);
      return undefined;
    }
    return new Date(Math.min(...starts)).toISOString();
  }

  /**
   * Records one call's outcome and returns the status that call alone shows (an open keeps its
   * own view). The board itself, and what the status bar hears, stays "loading" while another
   * call to the source is still out: its silence is the news, this answer only dates the last success.
   * `warnings`: what the answer left out (a partial answer must not read as complete).
   */
  record(
    sourceId: string,
    outcome: SourceCallOutcome<unknown>,
    policy: ResiliencePolicy,
    entryCount?: number,
    warnings?: readonly AnswerWarning[],
  ): SourceStatus {
    const previous = this.require(sourceId);
    const latencyMs = Math.round(outcome.latencyMs);
    const own: SourceStatus = outcome.ok
      ? {
          ...previous,
          state: latencyMs > policy.slowMs ? 'slow' : 'ok',
          latencyMs,
          lastSuccessAt: this.now().toISOString(),
          entryCount,
          warnings: warnings && warnings.length > 0 ? [...warnings] : undefined,
          error: undefined,
          cachedAsOf: undefined,
          loadingSince: undefined,
        }
      : {
          ...previous,
          state: outcome.error.code === 'circuit-open' ? 'circuit-open' : 'failed',
          latencyMs,
          entryCount: undefined,
          warnings: undefined,
          error: outcome.error.toInfo(),
          loadingSince: undefined,
        };
    return this.setUnlessWaiting(own, this.settle(sourceId, outcome.latencyMs));
  }

  /**
   * A call made outside the search/open path (the ward census, the worklist's results query):
   * it goes through the board as they do, begun → ok / slow / failed with reason, so the status
   * bar never says "not asked yet" of a system that was asked and kept silent. Unknown sources
   * (not on this board) are called unwatched.
   */
  async watch<T>(sourceId: string, policy: ResiliencePolicy, read: () => Promise<T>, count?: (value: T) => number): Promise<T> {
    if (!this.statuses.has(sourceId)) return read();
    this.markLoading(sourceId);
    const started = performance.now();
    try {
      const value = await read();
      const attempt = { ok: true as const, value, latencyMs: performance.now() - started, attempts: 1 };
      this.record(sourceId, attempt, policy, count?.(value));
      return value;
    } catch (thrown) {
      const error = isSourceError(thrown)
        ? thrown
        : new SourceError('protocol', sourceId, `unexpected failure: ${thrown instanceof Error ? thrown.message : String(thrown)}`, {
            cause: thrown,
          });
      this.record(sourceId, { ok: false, error, latencyMs: performance.now() - started, attempts: 1 }, policy);
      throw thrown;
    }
  }

  /**
   * The source did not answer now, but the workstation has its records from an earlier sync:
   * the UI shows them "as of" that time, with the reason the live request failed.
   */
  recordServedFromCache(sourceId: string, syncedAt: string, error?: SourceErrorInfo, latencyMs = 0): SourceStatus {
    const previous = this.require(sourceId);
    const own: SourceStatus = {
      ...previous,
      state: 'cached',
      cachedAsOf: syncedAt,
      error,
      latencyMs: undefined,
      loadingSince: undefined,
      warnings: undefined,
    };
    return this.setUnlessWaiting(own, this.settle(sourceId, latencyMs));
  }

  private setUnlessWaiting(own: SourceStatus, stillWaitingSince: string | undefined): SourceStatus {
    if (stillWaitingSince === undefined) return this.set(own);
    this.set({
      ...own,
      state: 'loading',
      loadingSince: stillWaitingSince,
      latencyMs: undefined,
      entryCount: undefined,
      warnings: undefined,
    });
    return clean(own);
  }

  private require(sourceId: string): SourceStatus {
    const status = this.statuses.get(sourceId);
    if (!status) throw new Error(`unknown source "${sourceId}"`);
    return status;
  }

  private set(status: SourceStatus): SourceStatus {
    const tidy = clean(status);
    this.statuses.set(status.sourceId, tidy);
    for (const l of this.listeners) l(tidy);
    return tidy;
  }
}

function clean(status: SourceStatus): SourceStatus {
  return Object.fromEntries(Object.entries(status).filter(([, v]) => v !== undefined)) as SourceStatus;
}
