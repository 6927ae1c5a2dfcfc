import type { TimelineEntry } from '../../../shared/domain/timeline.ts';
import { isMessageKey, type MessageKey } from '../../i18n/catalogs.ts';
import type { I18n } from '../../i18n/i18n-context.tsx';
import type { ProblemLine } from './clinical-summary.ts';

type Text = Pick<I18n, 't' | 'fmt' | 'locale'>;

/** Status codes the catalogs word (FHIR condition-clinical, medicationrequest-status, medication-statement-status). */
const WORDED_STATUS = new Set([
  'active',
  'on-hold',
  'intended',
  'completed',
  'stopped',
  'cancelled',
  'not-taken',
  'resolved',
  'inactive',
  'remission',
  'recurrence',
  'relapse',
  'draft',
  'unknown',
]);

/** The summary's words for the codes and disagreements the core sends. */
export function summaryWords({ t, fmt, locale }: Text) {
  const statusText = (code: string | undefined) =>
    code ? (WORDED_STATUS.has(code) ? t(`summary.status.${code}` as MessageKey) : code) : '';
  /** A conflict's value: a status, a criticality, a date in the reader's format; '—' for a system that says nothing. */
  const conflictValue = (field: string, value: string) => {
    if (!value) return '—';
    if (field === 'status') return statusText(value);
    if (field === 'onset') return fmt.clinical(value);
    const key = `summary.${field}.${value}`;
    return isMessageKey(key) ? t(key) : value;
  };
  /** One line per field, system and value, for the conflict mark's tooltip. */
  const conflictTitle = (entry: TimelineEntry) =>
    (entry.conflicts ?? [])
      .flatMap((c) => {
        const key = `conflict.field.${c.field}`;
        return c.values.map((v) => `${isMessageKey(key) ? t(key) : c.field} · ${v.sourceName}: ${conflictValue(c.field, v.value)}`);
      })
      .join('\n') || undefined;
  /** "起病日期不一致：CDR 2019-03-25；EMR 2018-06-15". */
  const onsetsText = (onsets: NonNullable<ProblemLine['onsets']>) =>
    t('summary.onsetDiffers', {
      onsets: onsets.map((o) => `${o.sourceName} ${fmt.clinical(o.value)}`).join(locale === 'en' ? '; ' : '；'),
    });
  return { statusText, conflictTitle, onsetsText };
}
