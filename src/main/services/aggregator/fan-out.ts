import type { SourceDescriptor } from '../../../adapters/source-adapter.ts';
import { callSource, type SourceCallOutcome } from './call-source.ts';
import type { ResiliencePolicy } from './resilience-policy.ts';
import type { SourceGuard } from './source-guard.ts';

export interface FanOutTarget<T> {
  source: SourceDescriptor;
  policy: ResiliencePolicy;
  read: (signal: AbortSignal) => Promise<T>;
  guard?: SourceGuard;
}

export interface FanOutResult<T> {
  target: FanOutTarget<T>;
  outcome: SourceCallOutcome<T>;
}

/**
 * Queries every target at once and reports each as it settles, so the fastest system paints
 * first and a hanging one costs only its own deadline. Never rejects: failures are outcomes.
 */
export async function fanOut<T>(
  targets: readonly FanOutTarget<T>[],
  caller: AbortSignal,
  onSettled: (result: FanOutResult<T>) => void = () => {},
): Promise<FanOutResult<T>[]> {
  return Promise.all(
    targets.map(async (target) => {
      const outcome = await callSource(target.source, target.policy, caller, target.read, target.guard ? { guard: target.guard } : {});
      const result = { target, outcome };
      onSettled(result);
      return result;
    }),
  );
}
