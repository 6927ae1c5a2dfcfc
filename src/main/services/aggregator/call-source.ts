import type { SourceDescriptor } from '../../../adapters/source-adapter.ts';
import { SourceError, isSourceError } from '../../../adapters/source-error.ts';
import { DEFAULT_BACKOFF, backoffDelayMs, type BackoffOptions, type ResiliencePolicy } from './resilience-policy.ts';
import type { Permit, SourceGuard } from './source-guard.ts';

export type SourceCallOutcome<T> =
  { ok: true; value: T; latencyMs: number; attempts: number } | { ok: false; error: SourceError; latencyMs: number; attempts: number };

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Whatever an adapter or the deadline threw, as the one typed error the UI understands. */
function asSourceError(
  error: unknown,
  source: SourceDescriptor,
  deadline: AbortSignal,
  caller: AbortSignal,
  timeoutMs: number,
): SourceError {
  if (caller.aborted) return new SourceError('aborted', source.id, `${source.name}: request cancelled`, { cause: error });
  if (deadline.aborted)
    return new SourceError('timeout', source.id, `${source.name} did not answer within ${timeoutMs} ms`, { timeoutMs, cause: error });
  if (isSourceError(error)) return error;
  // An adapter must only throw SourceError; anything else is a defect we still contain here.
  const message = error instanceof Error ? error.message : String(error);
  return new SourceError('protocol', source.id, `${source.name}: unexpected failure: ${message}`, { cause: error });
}

/**
 * One read against one source within its deadline, retried with jittered backoff while the
 * failure is transient and time remains. Only for idempotent reads: writes never come here.
 */
export async function callSource<T>(
  source: SourceDescriptor,
  policy: ResiliencePolicy,
  caller: AbortSignal,
  read: (signal: AbortSignal) => Promise<T>,
  options: { guard?: SourceGuard; backoff?: BackoffOptions } = {},
): Promise<SourceCallOutcome<T>> {
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const started = performance.now();
  const deadline = AbortSignal.timeout(policy.timeoutMs);
  const signal = AbortSignal.any([caller, deadline]);
  let attempts = 0;
  let rateLimited = false;
  let tripped = false;
  const settle = (outcome: SourceCallOutcome<T>): SourceCallOutcome<T> => {
    options.guard?.report({
      sourceId: source.id,
      at: Date.now(),
      ok: outcome.ok,
      latencyMs: outcome.latencyMs,
      attempts: outcome.attempts,
      ...(outcome.ok ? {} : { errorCode: outcome.error.code }),
      tripped,
      rateLimited: rateLimited || (!outcome.ok && outcome.error.code === 'rate-limited'),
    });
    return outcome;
  };
  for (;;) {
    attempts += 1;
    let permit: Permit | undefined;
    try {
      if (options.guard) permit = await options.guard.admit(signal);
      rateLimited ||= permit?.waitedForRate === true;
      signal.throwIfAborted();
      const value = await read(signal);
      permit?.succeeded();
      return settle({ ok: true, value, latencyMs: performance.now() - started, attempts });
    } catch (thrown) {
      const error = asSourceError(thrown, source, deadline, caller, policy.timeoutMs);
      if (permit?.failed(error)) tripped = true;
      if (error.code === 'rate-limited') rateLimited = true;
      const elapsed = performance.now() - started;
      const remaining = policy.timeoutMs - elapsed;
      const retryable = error.transient && error.code !== 'timeout' && attempts <= policy.retries;
      const delay = Math.max(error.retryAfterMs ?? 0, backoffDelayMs(attempts - 1, backoff));
      if (!retryable || delay >= remaining) {
        return settle({ ok: false, error, latencyMs: elapsed, attempts });
      }
      try {
        await sleep(delay, signal);
      } catch (abortReason) {
        return settle({
          ok: false,
          error: asSourceError(abortReason, source, deadline, caller, policy.timeoutMs),
          latencyMs: performance.now() - started,
          attempts,
        });
      }
    }
  }
}
