/**
 * The viewer's words come from the app's catalogs. The panel takes its locale as a prop rather
 * than from the i18n context so the test harness can mount it alone.
 */
import { translate, type Locale, type MessageKey, type MessageParams } from '../../i18n/catalogs.ts';
import { studyName, type FailureHint } from './failure-hint.ts';
import type { ImagingFailure } from './imaging-failure.ts';

type ImagingKey = Extract<MessageKey, `imaging.${string}`>;
export type ImagingLabel = ImagingKey extends `imaging.${infer K}` ? K : never;

/** Any Chinese locale reads the zh-CN words; every other reads English. */
const catalogLocale = (locale: string): Locale => (locale.startsWith('zh') ? 'zh-CN' : 'en');

export function imagingLabel(locale: string, key: ImagingLabel, params?: MessageParams): string {
  return translate(catalogLocale(locale), `imaging.${key}`, params);
}

/** A failure in words: the reason for its code, then any technical detail (a decoder's message) as is. */
export function failureReason(locale: string, failure: ImagingFailure): string {
  const reason = imagingLabel(locale, `reason-${failure.code}`, {
    status: String(failure.status ?? ''),
    pacsStatus: String(failure.pacsStatus ?? '?'),
  });
  return failure.detail ? imagingLabel(locale, 'reason-detail', { reason, detail: failure.detail }) : reason;
}

/** What the reader can still do, in words: the next thing to open, then the report when one is linked. */
export function failureHintWords(locale: string, hint: FailureHint): string {
  const next =
    hint.next === 'other-studies'
      ? imagingLabel(locale, 'hint-other-studies', {
          studies: hint.studies.map(studyName).join(catalogLocale(locale) === 'zh-CN' ? '、' : '; '),
        })
      : imagingLabel(locale, hint.next === 'other-series' ? 'hint-other-series' : 'hint-record');
  return hint.report ? `${next} ${imagingLabel(locale, 'hint-report')}` : next;
}
