import { ApiError } from '../api/api-error.ts';
import type { I18n } from './i18n-context.tsx';

/**
 * A failed call in the reader's language: what failed and what they can do, from the error's
 * code. Main's message is for the log, not the screen; an error that is not the API's keeps
 * its own text as the detail of an "unexpected" line.
 */
export function errorText({ t }: Pick<I18n, 't'>, error: unknown): string {
  if (error instanceof ApiError && error.refusal) {
    const { reason, retryAfterMinutes } = error.refusal;
    return reason === 'locked-out' && retryAfterMinutes !== undefined
      ? t('signInRefused.locked-out-for', { minutes: retryAfterMinutes })
      : t(`signInRefused.${reason}`);
  }
  if (error instanceof ApiError && error.code === 'rate-limited')
    return t('apiError.rate-limited', { seconds: error.retryAfterSeconds ?? 1 });
  if (error instanceof ApiError) return t(`apiError.${error.code}`);
  return t('apiError.unexpected', { detail: error instanceof Error ? error.message : String(error) });
}
