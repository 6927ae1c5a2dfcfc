import { memo } from 'react';
import type { Provenance } from '../../../shared/domain/provenance.ts';
import type { TimelineEntry } from '../../../shared/domain/timeline.ts';
import type { MessageKey } from '../../i18n/catalogs.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import type { ClinicalTime } from '../../lib/clinical-time.ts';
import { abnormalFlag, type AbnormalFlag } from './timeline-model.ts';

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

export function ProvenanceChip({ p }: { p: Provenance }) {
  const { t, fmt } = useI18n();
  const title = [
    `${p.sourceName} (${p.sourceKind})`,
    p.messageType ? `${t('detail.messageType')}: ${p.messageType}` : '',
    `${t('detail.nativeId')}: ${p.nativeId}`,
    `${t('detail.fetchedAt')}: ${fmt.dateTime(p.fetchedAt)}`,
  ]
    .filter(Boolean)
    .join('\n');
  return (
    <span className="tl-chip" title={title} data-testid="provenance-chip" data-source-id={p.sourceId}>
      <span className="tl-chip__src">{p.sourceName}</span>
      {p.messageType && <span className="tl-chip__msg">{p.messageType}</span>}
      <span className="tl-chip__time">{fmt.compact(p.fetchedAt)}</span>
    </span>
  );
}

export interface EntryRowProps {
  entry: TimelineEntry;
  time: ClinicalTime | undefined;
  selected: boolean;
  domId: string;
  onSelect(id: string): void;
}

/** One timeline row; memoized so a new snapshot re-renders only rows whose entry changed. */
export const EntryRow = memo(function EntryRow({ entry, time, selected, domId, onSelect }: EntryRowProps) {
  const { t, fmt } = useI18n();
  const flag = abnormalFlag(entry);
  const timeText = time?.precision === 'time' ? fmt.time(time.date) : '';
  return (
    <div
      id={domId}
      role="option"
      aria-selected={selected}
      className={`tl-row tl-row--${entry.kind}${selected ? ' tl-row--selected' : ''}${flag ? ' tl-row--abnormal' : ''}`}
      data-testid="timeline-entry"
      data-kind={entry.kind}
      data-entry-id={entry.id}
      data-abnormal={flag ? 'true' : undefined}
      onClick={() => onSelect(entry.id)}
    >
      <span className="tl-row__time">{timeText}</span>
      <span className={`tl-kind tl-kind--${entry.kind}`} title={t(`kind.${entry.kind}` as MessageKey)}>
        {t(`kindShort.${entry.kind}` as MessageKey)}
      </span>
      <span className="tl-row__body">
        <span className="tl-row__line1">
          <span className="tl-row__title">{entry.title}</span>
          {flag && <AbnormalMark flag={flag} />}
          {entry.status && <span className="tl-row__status">{entry.status}</span>}
        </span>
        <span className="tl-row__line2">
          <span className="tl-row__summary">{entry.summary ?? ''}</span>
          <span className="tl-row__chips">
            {entry.provenance.map((p, i) => (
              <ProvenanceChip key={`${p.sourceId}-${p.nativeId}-${i}`} p={p} />
            ))}
          </span>
        </span>
      </span>
    </div>
  );
});
