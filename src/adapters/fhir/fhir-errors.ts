/**
 * FHIR's part of error mapping: OperationOutcome diagnostics in the message. The rest is the
 * HTTP mapping all adapters share (../http/request-errors.ts).
 */
import type { SourceError } from '../source-error.ts';
import { statusError, type RequestContext } from '../http/request-errors.ts';

export { codeForStatus, parseRetryAfter, protocolError, transportError, type RequestContext } from '../http/request-errors.ts';

/** The human part of an OperationOutcome body, if the body is one. */
export function outcomeDiagnostics(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { resourceType?: unknown; issue?: unknown };
    if (parsed.resourceType !== 'OperationOutcome' || !Array.isArray(parsed.issue)) return undefined;
    const texts = (parsed.issue as { diagnostics?: unknown; details?: { text?: unknown } }[])
      .map((i) => (typeof i.diagnostics === 'string' ? i.diagnostics : typeof i.details?.text === 'string' ? i.details.text : undefined))
      .filter((t): t is string => !!t);
    return texts.length > 0 ? [...new Set(texts)].join('; ').slice(0, 500) : undefined;
  } catch {
    return undefined;
  }
}

export function httpError(ctx: RequestContext, status: number, statusText: string, body: string, retryAfter: string | null): SourceError {
  return statusError(ctx, status, statusText, outcomeDiagnostics(body), retryAfter);
}
