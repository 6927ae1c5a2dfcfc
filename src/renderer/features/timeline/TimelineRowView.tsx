import { memo } from 'react';
import type { Provenance } from '../../../shared/domain/provenance.ts';
import type { TimelineEntry } from '../../../shared/domain/timeline.ts';
import type { MessageKey } from '../../i18n/catalogs.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { fhirStatusLabel } from '../../i18n/fhir-status.ts';
import type { ClinicalTime } from '../../lib/clinical-time.ts';
import type { AbnormalFlag } from './entry-flags.ts';
import { entryView } from './entry-view.ts';
import { useStaleSince, useStaleSources } from '../sources/index.ts';
import { shortSourceName } from '../../lib/short-source-name.ts';
import { NewSinceMark } from '../worklist/index.ts';
import { QualityMark } from './QualityMark.tsx';
import { markedFindings } from './quality-text.ts';

const FLAG_GLYPH: Record<AbnormalFlag, string> = { H: '↑H', L: '↓L', A: '!' };

export function AbnormalMark({ flag }: { flag: AbnormalFlag }) {
  const { t } = useI18n();
  const label = t(`timeline.flag.${flag}` as MessageKey);
  return (
    <span className={`tl-flag tl-flag--${flag}`} title={label} aria-label={label} data-testid="abnormal-flag" data-flag={flag}>
      {flag === 'A' ? `${FLAG_GLYPH.A}${label}` : FLAG_GLYPH[flag]}
    </span>
  );
}

/** Icon and words: a conflict must be readable without colour and without hovering. */
export function ConflictMark({ label, title }: { label: string; title: string | undefined }) {
  return (
    <span className="tl-conflict" title={title} data-testid="conflict-mark">
      <span aria-hidden="true">⚠ </span>
      {label}
    </span>
  );
}

export function ProvenanceChip({ p, compact = false }: { p: Provenance; compact?: boolean }) {
  const { t, fmt } = useI18n();
  // This system is down for the open patient: its part is the cache's copy, said where it shows.
  const staleSince = useStaleSince(p.sourceId);
  const title = [
    `${p.sourceName} (${p.sourceKind})`,
    p.messageType ? `${t('detail.messageType')}: ${p.messageType}` : '',
    `${t('detail.nativeId')}: ${p.nativeId}`,
    `${t('detail.fetchedAt')}: ${fmt.dateTime(p.fetchedAt)}`,
    staleSince ? t('timeline.cachedAt', { time: fmt.dateTime(staleSince) }) : '',
  ]
    .filter(Boolean)
    .join('\n');
  return (
    <span
      className={`tl-chip${staleSince ? ' tl-chip--stale' : ''}`}
      title={title}
      data-testid="provenance-chip"
      data-source-id={p.sourceId}
      data-stale={staleSince ? 'true' : undefined}
    >
      {/* Several systems on one 50 px row: the system's own short name, the full one in the title. */}
      <span className="tl-chip__src">{compact ? shortSourceName(p.sourceName) : p.sourceName}</span>
      {staleSince
        ? !compact && (
            <span className="tl-chip__stale" data-testid="stale-mark">
              {t('timeline.cachedAt', { time: fmt.dateTime(staleSince) })}
            </span>
          )
        : !compact && <span className="tl-chip__time">{fmt.compact(p.fetchedAt)}</span>}
    </span>
  );
}

/**
 * One chip per system; a merged entry's chips stay short so every system fits on the row, and
 * the cache's date and time is said once after them (the oldest copy, when they differ).
 */
export function ProvenanceChips({ provenance }: { provenance: readonly Provenance[] }) {
  const { t, fmt } = useI18n();
  const stale = useStaleSources();
  const merged = new Set(provenance.map((p) => p.sourceId)).size > 1;
  const oldestCopy = merged
    ? provenance
        .flatMap((p) => stale.get(p.sourceId) ?? [])
        .sort()
        .at(0)
    : undefined;
  return (
    <span
      className={`tl-row__chips${merged ? ' tl-row__chips--merged' : ''}`}
      data-testid="provenance-chips"
      title={merged ? t('timeline.mergedFrom', { count: provenance.length }) : undefined}
    >
      {provenance.map((p, i) => (
        <ProvenanceChip key={`${p.sourceId}-${p.nativeId}-${i}`} p={p} compact={merged} />
      ))}
      {oldestCopy && (
        <span className="tl-chip__stale tl-row__stale" data-testid="stale-mark">
          {t('timeline.cachedAt', { time: fmt.dateTime(oldestCopy) })}
        </span>
      )}
    </span>
  );
}

export interface EntryRowProps {
  entry: TimelineEntry;
  time: ClinicalTime | undefined;
  depth: number;
  selected: boolean;
  domId: string;
  onSelect(id: string): void;
}

/** One timeline row; memoized so a new snapshot re-renders only rows whose entry changed. */
export const EntryRow = memo(function EntryRow({ entry, time, depth, selected, domId, onSelect }: EntryRowProps) {
  const i18n = useI18n();
  const { t, fmt } = i18n;
  const view = entryView(i18n, entry);
  const timeText = time?.precision === 'time' ? fmt.time(time.date) : '';
  const valueTitle = [view.value, view.original, view.range].filter(Boolean).join('\n') || undefined;
  return (
    <div
      id={domId}
      role="treeitem"
      aria-level={depth + 1}
      aria-selected={selected}
      className={`tl-row tl-row--${entry.kind} tl-depth-${Math.min(depth, 2)}${selected ? ' tl-row--selected' : ''}${view.flag ? ' tl-row--abnormal' : ''}${view.conflictLabel ? ' tl-row--conflict' : ''}`}
      data-testid="timeline-entry"
      data-kind={entry.kind}
      data-entry-id={entry.id}
      data-abnormal={view.flag ? 'true' : undefined}
      data-conflict={view.conflictLabel ? 'true' : undefined}
      data-depth={depth}
      onClick={() => onSelect(entry.id)}
    >
      <span className="tl-row__time">{timeText}</span>
      <span className={`tl-kind tl-kind--${entry.kind}`} title={t(`kind.${entry.kind}` as MessageKey)}>
        {t(`kindShort.${entry.kind}` as MessageKey)}
      </span>
      <span className="tl-row__body">
        <span className="tl-row__line1">
          <span className="tl-row__title">{entry.title}</span>
          {view.flag && <AbnormalMark flag={view.flag} />}
          <NewSinceMark time={entry.clinicalTime} />
          {view.conflictLabel && <ConflictMark label={view.conflictLabel} title={view.conflictTitle} />}
          {markedFindings(entry).length > 0 && <QualityMark findings={markedFindings(entry)} />}
          {entry.status && <span className="tl-row__status">{fhirStatusLabel(t, entry.status)}</span>}
        </span>
        <span className="tl-row__line2">
          <span className="tl-row__summary" title={valueTitle} data-testid="timeline-entry-value">
            <span className="tl-row__value">{view.value}</span>
            {view.original && <span className="tl-row__original"> ({view.original})</span>}
          </span>
          <ProvenanceChips provenance={entry.provenance} />
        </span>
      </span>
    </div>
  );
});
