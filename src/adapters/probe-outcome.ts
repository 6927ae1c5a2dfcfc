/**
 * A probe's failed request as a ProbeResult, one judgement for every adapter. Reaching a host is
 * not enough: an HTTP 404 or an HTML page where the protocol's endpoint should be means the URL
 * is wrong, and a probe that called that "reachable, ok" sent hospital IT home with a broken
 * configuration.
 */
import type { ProbeResult } from './source-adapter.ts';
import { SourceError } from './source-error.ts';

export function probeFailure(error: unknown, latencyMs: number): ProbeResult {
  if (!(error instanceof SourceError) || error.code === 'aborted') throw error;
  const status = error.status !== undefined ? { status: error.status } : {};
  const detail = error.message;
  if (error.code === 'unauthorized' || error.code === 'forbidden') return { reachable: true, latencyMs, authOk: false, ...status, detail };
  if (error.status === 404 || error.status === 410) return { reachable: true, latencyMs, problem: 'endpoint-not-found', ...status, detail };
  if (error.code === 'protocol') return { reachable: true, latencyMs, problem: 'not-the-protocol', ...status, detail };
  // Any other HTTP status, or an error stated in the protocol itself (SOAP fault, AE/AR).
  if (
    error.status !== undefined ||
    error.code === 'bad-request' ||
    error.code === 'server-error' ||
    error.code === 'not-found' ||
    error.code === 'rate-limited'
  ) {
    return { reachable: true, latencyMs, problem: 'error-answer', ...status, detail };
  }
  return { reachable: false, latencyMs, detail };
}
