import type { TimelineEntry } from '../../../shared/domain/timeline.ts';
import type { I18n } from '../../i18n/i18n-context.tsx';
import { labValueText, prettyValue } from '../../lib/lab-value.ts';
import { observationValueText } from '../../i18n/observation-value-text.ts';
import { codedSummary } from '../../i18n/fhir-status.ts';
import { isMessageKey } from '../../i18n/catalogs.ts';
import { abnormalFlag, type AbnormalFlag } from './entry-flags.ts';

type Text = Pick<I18n, 't' | 'fmt'>;

export interface ConflictValueView {
  sourceId: string;
  sourceName: string;
  value: string;
}

export interface ConflictView {
  /** "结果值" / "value", or the field name the service sent. */
  field: string;
  values: ConflictValueView[];
}

export interface EntryView {
  flag: AbnormalFlag | undefined;
  /** What the row's second line shows: the normalised lab value, else the value worded (components, 是/否 …), else the source's summary. */
  value: string;
  /** "原始 136 mg/dL" when normalisation converted the unit. */
  original: string | undefined;
  /** "参考 3.89–5.50 mmol/L" */
  range: string | undefined;
  /** Every system the entry came from, e.g. "CDR · LIS". */
  sources: string;
  conflicts: ConflictView[];
  /** "数值不一致" / "values disagree" when any conflict exists. */
  conflictLabel: string | undefined;
  /** One line per source and value, for a tooltip. */
  conflictTitle: string | undefined;
  /** The fields a merged entry took from another system, and whose they are. */
  statedBy: string | undefined;
}

export function conflictViews({ t, fmt }: Text, entry: TimelineEntry): ConflictView[] {
  const num = fmt.number.bind(fmt);
  return (entry.conflicts ?? []).map((c) => {
    const key = `conflict.field.${c.field}`;
    // An onset is a date in the reader's format; a criticality, severity or verification in words.
    const word = (value: string) => {
      // A system that says nothing where another states a value.
      if (!value) return '—';
      if (c.field === 'onset') return fmt.clinical(value);
      const worded = `summary.${c.field}.${value}`;
      return c.field !== 'status' && isMessageKey(worded) ? t(worded) : prettyValue(num, value);
    };
    return {
      field: isMessageKey(key) ? t(key) : c.field,
      values: c.values.map((v) => ({ sourceId: v.sourceId, sourceName: v.sourceName, value: word(v.value) })),
    };
  });
}

/** "危险程度 CDR (FHIR R4)；起病日期 集成平台 EMR": the fields a merged entry took from a system other than its first. */
export function statedByText({ t }: Pick<I18n, 't'>, entry: TimelineEntry): string | undefined {
  if (!entry.statedBy || entry.statedBy.length === 0) return undefined;
  return entry.statedBy
    .map((s) => {
      const key = `conflict.field.${s.field}`;
      return `${isMessageKey(key) ? t(key) : s.field}: ${s.sourceName}`;
    })
    .join(' · ');
}

/** The display-ready reading of one entry that the row, the detail pane and the tests share. */
export function entryView(text: Text, entry: TimelineEntry): EntryView {
  const { t, fmt } = text;
  const lab = entry.lab ? labValueText(fmt.number.bind(fmt), entry.lab) : undefined;
  const conflicts = conflictViews(text, entry);
  const names = [...new Set(entry.provenance.map((p) => p.sourceName))];
  return {
    flag: abnormalFlag(entry),
    // Components say more than the lab value beside them (which they include as their main value).
    value:
      entry.value?.type === 'components'
        ? observationValueText(text, entry.value)
        : lab
          ? `${lab.value} ${lab.unit}`.trim()
          : entry.value
            ? observationValueText(text, entry.value)
            : (codedSummary(t, entry) ?? ''),
    original: lab?.original ? t('lab.original', { value: lab.original }) : undefined,
    range: lab?.range ? t('lab.range', { range: lab.range }) : undefined,
    sources: names.join(' · '),
    conflicts,
    // A disagreement on a problem's or drug's status is not one of values.
    conflictLabel:
      conflicts.length === 0
        ? undefined
        : (entry.conflicts ?? []).some((c) => c.field === 'value')
          ? t('conflict.mark')
          : t('conflict.markRecord'),
    conflictTitle:
      conflicts.length > 0
        ? conflicts.flatMap((c) => [`${t('conflict.mark')} (${c.field})`, ...c.values.map((v) => `${v.sourceName}: ${v.value}`)]).join('\n')
        : undefined,
    statedBy: statedByText(text, entry),
  };
}
