/**
 * HL7 v3 application-level answers that are failures even over HTTP 200: acknowledgement
 * AE (application error) / AR (rejected), and queryAck codes AE / QE. NF (nothing found) is an
 * empty answer, not an error. The platform's own detail text is kept in the message.
 */
import type { RequestContext } from '../http/request-errors.ts';
import { SourceError } from '../source-error.ts';
import type { Acknowledgement } from './transmission-wrapper.ts';

export function checkAcknowledgement(ctx: RequestContext, ack: Acknowledgement, queryResponseCode: string | undefined): void {
  const detail = ack.details.length > 0 ? `: ${ack.details.join('; ').slice(0, 300)}` : '';
  if (ack.typeCode === 'AE') {
    throw new SourceError('server-error', ctx.sourceId, `${ctx.sourceName}: ${ctx.request}: acknowledgement AE (application error)${detail}`, { request: ctx.request });
  }
  if (ack.typeCode === 'AR') {
    throw new SourceError('bad-request', ctx.sourceId, `${ctx.sourceName}: ${ctx.request}: acknowledgement AR (message rejected)${detail}`, { request: ctx.request });
  }
  if (ack.typeCode !== undefined && ack.typeCode !== 'AA') {
    throw new SourceError('protocol', ctx.sourceId, `${ctx.sourceName}: ${ctx.request}: unknown acknowledgement type "${ack.typeCode.slice(0, 10)}"${detail}`, { request: ctx.request });
  }
  if (queryResponseCode === 'AE') {
    throw new SourceError('server-error', ctx.sourceId, `${ctx.sourceName}: ${ctx.request}: query response AE (application error)${detail}`, { request: ctx.request });
  }
  if (queryResponseCode === 'QE') {
    throw new SourceError('bad-request', ctx.sourceId, `${ctx.sourceName}: ${ctx.request}: query response QE (query parameter error)${detail}`, { request: ctx.request });
  }
}
