import type { ReactNode } from 'react';
import type { Provenance } from '../../../shared/domain/provenance.ts';
import type { TimelineEntry } from '../../../shared/domain/timeline.ts';
import type { I18n } from '../../i18n/i18n-context.tsx';
import { ConflictMark, ProvenanceChips } from '../timeline/TimelineRowView.tsx';
import type { Measurement } from './clinical-summary.ts';

interface SummaryLineDeps {
  t: I18n['t'];
  fmt: I18n['fmt'];
  /** Opens the entry in the timeline's detail. */
  open(entry: TimelineEntry): void;
  conflictTitle(entry: TimelineEntry): string | undefined;
}

/**
 * The summary's clickable lines, for one render: list lines (with conflict mark and sources)
 * and measurements. The first line drawn in a render is the one keyboard focus lands on.
 */
export function summaryLines({ t, fmt, open, conflictTitle }: SummaryLineDeps) {
  let first = true;
  // The first line takes focus when the tab is chosen from the keyboard (Alt+0).
  const focusTarget = () => {
    const was = first;
    first = false;
    return was ? { 'data-focus-target': true } : {};
  };

  const line = (
    testId: string,
    entry: TimelineEntry,
    provenance: readonly Provenance[],
    conflict: boolean,
    body: ReactNode,
    extra?: Record<string, string>,
  ) => (
    <li
      key={entry.id}
      className={`sum__item${conflict ? ' sum__item--conflict' : ''}`}
      data-testid={testId}
      data-entry-id={entry.id}
      data-conflict={conflict ? 'true' : undefined}
      {...extra}
    >
      <button
        type="button"
        className="sum__line"
        data-summary-line
        onClick={() => open(entry)}
        title={t('summary.openHint')}
        {...focusTarget()}
      >
        {body}
        {conflict && <ConflictMark label={t('summary.conflict')} title={conflictTitle(entry)} />}
        <ProvenanceChips provenance={provenance} />
      </button>
    </li>
  );

  const measurement = (label: string, m: Measurement | undefined, testId: string) => (
    <div className="sum__measure" data-testid={testId}>
      <span className="sum__k">{label}</span>
      {m ? (
        <button type="button" className="sum__line sum__line--inline" data-summary-line onClick={() => open(m.entry)} {...focusTarget()}>
          <strong>
            {fmt.number(m.value)} {m.unit}
          </strong>
          {m.time && <span className="sum__meta">{fmt.clinical(m.time)}</span>}
        </button>
      ) : (
        <span className="sum__none">{t('summary.notRecorded')}</span>
      )}
    </div>
  );

  return { line, measurement };
}
