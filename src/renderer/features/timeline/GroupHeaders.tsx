import { memo } from 'react';
import type { TimelineEntry } from '../../../shared/domain/timeline.ts';
import type { MessageKey } from '../../i18n/catalogs.ts';
import { useI18n, type I18n } from '../../i18n/i18n-context.tsx';
import { encounterKindText } from '../../i18n/fhir-status.ts';
import type { Formatter } from '../../i18n/format.ts';
import { parseClinicalTime } from '../../lib/clinical-time.ts';
import { ProvenanceChips } from './TimelineRowView.tsx';
import type { TimelineRow } from './timeline-rows.ts';
import { UNDATED_KEY } from './timeline-rows.ts';
import { QualityMark } from './QualityMark.tsx';
import { markedFindings } from './quality-text.ts';

export function DayHeading({ row }: { row: Extract<TimelineRow, { type: 'day' }> }) {
  const { t, fmt } = useI18n();
  const label =
    row.key === UNDATED_KEY || !row.time
      ? t('timeline.undated')
      : row.time.precision === 'month'
        ? t('timeline.monthOnly', { label: fmt.dayHeading(row.time) })
        : row.time.precision === 'year'
          ? t('timeline.yearOnly', { label: fmt.dayHeading(row.time) })
          : fmt.dayHeading(row.time);
  return (
    <div className="tl-day" role="none" data-testid="timeline-day" data-day={row.key}>
      <span className="tl-day__label">{label}</span>
      <span className="tl-day__count">{t('timeline.dayCount', { count: fmt.number(row.count) })}</span>
    </div>
  );
}

function Chevron({ collapsed }: { collapsed: boolean }) {
  return (
    <span className={`tl-chevron${collapsed ? ' tl-chevron--collapsed' : ''}`} aria-hidden="true">
      ▾
    </span>
  );
}

interface EncounterFields {
  period?: { start?: string; end?: string };
  class?: { display?: string; code?: string };
  type?: { text?: string; coding?: { code?: string; display?: string }[] }[];
  reasonCode?: { text?: string; coding?: { display?: string }[] }[];
  serviceType?: { text?: string };
}

/** "2024/09/02 10:27–10:50", or across days "2021/01/20 08:00 – 2021/01/27 10:00". */
export function periodText(fmt: Formatter, start: string | undefined, end: string | undefined, ongoing: string): string {
  const s = parseClinicalTime(start);
  const e = parseClinicalTime(end);
  if (!s) return '';
  const from = fmt.clinical(start);
  if (!e) return `${from} – ${ongoing}`;
  const sameDay = s.year === e.year && s.month === e.month && s.day === e.day;
  return sameDay && e.precision === 'time' ? `${from}–${fmt.time(e.date)}` : `${from} – ${fmt.clinical(end)}`;
}

export function encounterFacts(
  { t, fmt }: Pick<I18n, 't' | 'fmt'>,
  entry: TimelineEntry,
): { period: string; type: string; reason: string } {
  const r = entry.resource as EncounterFields;
  const ongoing = t('timeline.ongoing');
  const reason =
    r.reasonCode
      ?.map((c) => c.text ?? c.coding?.find((x) => x.display)?.display ?? '')
      .filter(Boolean)
      .join('，') ?? '';
  return {
    period: periodText(fmt, r.period?.start ?? entry.clinicalTime, r.period?.end, ongoing),
    type: encounterKindText(t, r, t('kind.encounter')),
    reason,
  };
}

interface HeaderProps {
  selected: boolean;
  domId: string;
  onSelect(key: string): void;
  onToggle(key: string): void;
}

export const EncounterHeader = memo(function EncounterHeader({
  row,
  selected,
  domId,
  onSelect,
  onToggle,
}: HeaderProps & { row: Extract<TimelineRow, { type: 'encounter' }> }) {
  const { t, fmt } = useI18n();
  const facts = row.entry ? encounterFacts({ t, fmt }, row.entry) : undefined;
  return (
    <div
      id={domId}
      role="treeitem"
      aria-level={1}
      aria-expanded={!row.collapsed}
      aria-selected={selected}
      className={`tl-enc${selected ? ' tl-row--selected' : ''}`}
      data-testid="timeline-encounter"
      data-key={row.key}
      onClick={() => onSelect(row.key)}
    >
      <button
        type="button"
        tabIndex={-1}
        className="tl-toggle"
        aria-label={facts ? facts.type : t('timeline.noEncounter')}
        onClick={(e) => {
          e.stopPropagation();
          onToggle(row.key);
        }}
      >
        <Chevron collapsed={row.collapsed} />
      </button>
      <span className="tl-enc__body">
        <span className="tl-enc__line1">
          <span className={`tl-kind tl-kind--encounter`}>{t('kindShort.encounter')}</span>
          <span className="tl-enc__type">{facts ? facts.type : t('timeline.noEncounter')}</span>
          {facts?.reason && <span className="tl-enc__reason">{facts.reason}</span>}
        </span>
        {facts && <span className="tl-enc__period">{facts.period}</span>}
      </span>
      <span className="tl-enc__count">{t('timeline.dayCount', { count: fmt.number(row.count) })}</span>
    </div>
  );
});

export const PanelHeader = memo(function PanelHeader({
  row,
  selected,
  domId,
  onSelect,
  onToggle,
}: HeaderProps & { row: Extract<TimelineRow, { type: 'panel' }> }) {
  const { t, fmt } = useI18n();
  const count =
    row.count === row.total
      ? t('timeline.panelCount', { count: fmt.number(row.total) })
      : t('timeline.panelCountFiltered', { shown: fmt.number(row.count), total: fmt.number(row.total) });
  return (
    <div
      id={domId}
      role="treeitem"
      aria-level={row.depth + 1}
      aria-expanded={!row.collapsed}
      aria-selected={selected}
      className={`tl-row tl-panel tl-depth-${Math.min(row.depth, 2)}${selected ? ' tl-row--selected' : ''}`}
      data-testid="timeline-panel"
      data-entry-id={row.key}
      data-collapsed={row.collapsed ? 'true' : 'false'}
      onClick={() => onSelect(row.key)}
    >
      <span className="tl-panel__toggle">
        <button
          type="button"
          tabIndex={-1}
          className="tl-toggle"
          aria-label={row.entry.title}
          data-testid="timeline-panel-toggle"
          onClick={(e) => {
            e.stopPropagation();
            onToggle(row.key);
          }}
        >
          <Chevron collapsed={row.collapsed} />
        </button>
      </span>
      <span className={`tl-kind tl-kind--${row.entry.kind}`}>{t(`kindShort.${row.entry.kind}` as MessageKey)}</span>
      <span className="tl-row__body">
        <span className="tl-row__line1">
          <span className="tl-row__title">{row.entry.title}</span>
          <span className="tl-panel__count">{count}</span>
          {markedFindings(row.entry).length > 0 && <QualityMark findings={markedFindings(row.entry)} />}
          {row.abnormal > 0 && (
            <span className="tl-panel__abnormal">{t('timeline.panelAbnormal', { count: fmt.number(row.abnormal) })}</span>
          )}
        </span>
        <span className="tl-row__line2">
          <span className="tl-row__summary">{row.entry.summary ?? ''}</span>
          <ProvenanceChips provenance={row.entry.provenance} />
        </span>
      </span>
    </div>
  );
});
