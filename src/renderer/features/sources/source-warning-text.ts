import { answerWarningTotal } from '../../../shared/domain/answer-warnings.ts';
import type { SourceStatus } from '../../../shared/domain/source.ts';
import { isMessageKey } from '../../i18n/catalogs.ts';
import type { I18n } from '../../i18n/i18n-context.tsx';

/** Warnings only speak for an answer: a failed or cached source has its reason instead. */
export function answeredWithWarnings(status: SourceStatus): number {
  return status.state === 'ok' || status.state === 'slow' ? answerWarningTotal(status.warnings) : 0;
}

/**
 * "answered, with N warnings" and one line per kind (with the platform's own code, as sent), in
 * the reader's language; empty when the answer was whole.
 */
export function sourceWarningLines({ t }: Pick<I18n, 't'>, status: SourceStatus): string[] {
  const total = answeredWithWarnings(status);
  if (total === 0) return [];
  const lines = (status.warnings ?? []).map((w) => {
    const key = `sources.warning.${w.code}`;
    const line = t('sources.warningLine', { warning: t(isMessageKey(key) ? key : 'sources.warning.unknown'), count: w.count });
    return w.detailCode ? `${line}: ${w.detailCode}` : line;
  });
  return [t('sources.answeredWithWarnings', { count: total }), ...lines];
}
