import type { SourceErrorInfo } from '../../../shared/domain/source.ts';
import type { I18n } from '../../i18n/i18n-context.tsx';

/** Why a system failed, in the reader's language, from the code and its parameters (main's message is for the log). */
export function sourceErrorText({ t, fmt }: Pick<I18n, 't' | 'fmt'>, error: SourceErrorInfo): string {
  if (error.code === 'timeout' && error.timeoutMs !== undefined)
    return t('sources.reason.timeoutAfter', { value: fmt.milliseconds(error.timeoutMs) });
  const reason = t(`system.error.${error.code}`);
  return error.status !== undefined ? t('sources.reason.withStatus', { reason, status: error.status }) : reason;
}
