/**
 * What an accepted HL7 v3 answer (AA, queryAck OK/NF) left out, as counted warnings for the
 * source status and the console: the platform's own warnings (acknowledgementDetail typeCode W,
 * or E on an answer it still accepted) and the records or values the adapter had to skip. The
 * platform's code is kept when it is a plain code (letters, digits, ._-, at most 40); its text is
 * not: it may quote the query back, and the status reaches the administrator too.
 */
import { sumAnswerWarnings } from '../../shared/domain/answer-warnings.ts';
import type { AnswerWarning } from '../../shared/domain/source.ts';
import type { ParseWarning } from './parse-warning.ts';
import type { Acknowledgement } from './transmission-wrapper.ts';

const DETAIL_CODE = /^[A-Za-z0-9._-]{1,40}$/;

export function cleanDetailCode(code: string | undefined): string | undefined {
  const c = code?.trim();
  return c && DETAIL_CODE.test(c) ? c : undefined;
}

/** The platform's warnings on an answer it accepted; none on an AE/AR (that answer is a failure). */
function platformWarnings(ack: Acknowledgement): AnswerWarning[] {
  if (ack.typeCode !== undefined && ack.typeCode !== 'AA') return [];
  return (ack.notes ?? [])
    .filter((n) => n.typeCode === 'W' || n.typeCode === 'E')
    .map((n) => {
      const detailCode = cleanDetailCode(n.code);
      return { code: 'platform-warning' as const, count: 1, ...(detailCode ? { detailCode } : {}) };
    });
}

export function answerWarnings(ack: Acknowledgement, parsed: readonly ParseWarning[] = []): AnswerWarning[] {
  return sumAnswerWarnings(
    platformWarnings(ack),
    parsed.map((w) => ({ code: w.code, count: 1 })),
  );
}
