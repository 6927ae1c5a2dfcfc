/**
 * DICOMweb's requests fail like any HTTP request (../http/request-errors.ts); requests are
 * named "QIDO-RS GET studies" (the path relative to the DICOMweb root, without the query
 * string, which carries PatientID and names).
 */
import type { SourceError } from '../source-error.ts';
import { statusError, type RequestContext } from '../http/request-errors.ts';

export { abortedError, protocolError, timeoutError, unreachableError } from '../http/request-errors.ts';
export type DicomwebRequestContext = RequestContext;

export function httpError(ctx: DicomwebRequestContext, status: number, statusText: string): SourceError {
  return statusError(ctx, status, statusText);
}
