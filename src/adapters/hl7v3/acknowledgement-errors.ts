/**
 * An HL7 v3 failure answer (see answer-status.ts) as the adapter's SourceError, carrying the
 * platform's own text so the source status shows why, never an empty "no patient found".
 */
import type { RequestContext } from '../http/request-errors.ts';
import { SourceError } from '../source-error.ts';
import { answerFailure, describeFailure } from './answer-status.ts';
import type { Acknowledgement } from './transmission-wrapper.ts';

export function checkAcknowledgement(ctx: RequestContext, ack: Acknowledgement, queryResponseCode: string | undefined): void {
  const failure = answerFailure(ack, queryResponseCode);
  if (!failure) return;
  throw new SourceError(failure.sourceErrorCode, ctx.sourceId, `${ctx.sourceName}: ${ctx.request}: ${describeFailure(failure)}`, {
    request: ctx.request,
  });
}
