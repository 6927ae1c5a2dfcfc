/**
 * Whether an HL7 v3 answer is a failure even though it arrived over HTTP 200: acknowledgement AE
 * (application error) / AR (rejected) / an unknown type, or queryAck/queryResponseCode AE / QE.
 * NF (nothing found) is an empty answer, not a failure. Returns data — the adapter turns it into
 * a SourceError, `huizhen convert` into its exit code — and keeps the platform's own text.
 */
import type { SourceErrorCode } from '../../shared/domain/source.ts';
import type { Acknowledgement } from './transmission-wrapper.ts';

export type AnswerFailureKind = 'application-error' | 'rejected' | 'unknown-acknowledgement' | 'query-error' | 'query-parameter-error';

export interface AnswerFailure {
  kind: AnswerFailureKind;
  /** The code as the platform wrote it: "AE", "AR", "QE", … */
  code: string;
  /** Where it was read: the acknowledgement or the queryAck. */
  from: 'acknowledgement' | 'queryAck';
  /** The platform's own explanation (acknowledgementDetail), in its words. */
  details: string[];
  /** AE/query AE: the platform failed (worth a retry); AR/QE: our request was refused. */
  sourceErrorCode: SourceErrorCode;
}

export function answerFailure(ack: Acknowledgement, queryResponseCode: string | undefined): AnswerFailure | undefined {
  const details = ack.details;
  const t = ack.typeCode;
  if (t === 'AE') return { kind: 'application-error', code: t, from: 'acknowledgement', details, sourceErrorCode: 'server-error' };
  if (t === 'AR') return { kind: 'rejected', code: t, from: 'acknowledgement', details, sourceErrorCode: 'bad-request' };
  if (t !== undefined && t !== 'AA')
    return { kind: 'unknown-acknowledgement', code: t.slice(0, 10), from: 'acknowledgement', details, sourceErrorCode: 'protocol' };
  const q = queryResponseCode?.toUpperCase();
  if (q === 'AE') return { kind: 'query-error', code: q, from: 'queryAck', details, sourceErrorCode: 'server-error' };
  if (q === 'QE') return { kind: 'query-parameter-error', code: q, from: 'queryAck', details, sourceErrorCode: 'bad-request' };
  return undefined;
}

const DESCRIPTION: Readonly<Record<AnswerFailureKind, string>> = {
  'application-error': 'acknowledgement AE (application error)',
  rejected: 'acknowledgement AR (message rejected)',
  'unknown-acknowledgement': 'unknown acknowledgement type',
  'query-error': 'query response AE (application error)',
  'query-parameter-error': 'query response QE (query parameter error)',
};

/** One line for logs, the CLI and the source status: what failed, then the platform's text. */
export function describeFailure(f: AnswerFailure): string {
  const head = f.kind === 'unknown-acknowledgement' ? `${DESCRIPTION[f.kind]} "${f.code}"` : DESCRIPTION[f.kind];
  return f.details.length > 0 ? `${head}: ${f.details.join('; ').slice(0, 300)}` : head;
}
