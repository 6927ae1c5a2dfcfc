import type { FailureHint } from './failure-hint.ts';
import type { ImagingFailure } from './imaging-failure.ts';
import { failureHintWords, failureReason, type ImagingLabel } from './imaging-words.ts';

interface FailureMessageProps {
  failure: ImagingFailure;
  hint: FailureHint;
  locale: string;
  t: (key: ImagingLabel, params?: Record<string, string>) => string;
  /** Opens and focuses the report pane. */
  onShowReport(): void;
}

/** Why the images did not load, and what the reader can truly still do (failure-hint.ts). */
export function FailureMessage({ failure, hint, locale, t, onShowReport }: FailureMessageProps) {
  return (
    <div className="imaging__message">
      <span role="alert" data-testid="imaging-error" data-code={failure.code} data-hint={hint.next}>
        {t('failed', { reason: failureReason(locale, failure) })} {failureHintWords(locale, hint)}
      </span>
      {hint.report && (
        <button type="button" className="imaging__message-action" data-testid="imaging-error-show-report" onClick={onShowReport}>
          {t('hint-show-report')}
        </button>
      )}
    </div>
  );
}
