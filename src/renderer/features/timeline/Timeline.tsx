import { useCallback, useDeferredValue, useMemo, useState } from 'react';
import type { TimelineKind } from '../../../shared/domain/timeline.ts';
import type { PatientView } from '../../patient/open-patient-view.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { OpenProgress } from '../sources/OpenProgress.tsx';
import { EntryDetail } from './EntryDetail.tsx';
import { TimelineList } from './TimelineList.tsx';
import { EMPTY_FILTER, TimelineToolbar, type FilterState } from './TimelineToolbar.tsx';
import { buildRows, filterEntries, indexEntries, kindCounts, sortEntries, sourceOptions } from './timeline-model.ts';
import './timeline.css';

export interface TimelineProps {
  view: PatientView;
  /** Fixes the view to these kinds (the documents and imaging tabs until their viewers land). */
  onlyKinds?: readonly TimelineKind[];
  onRetry?(): void;
  testId?: string;
  /** Another view asked to show this entry (a new `seq` each time): it is selected, in view, its detail open. */
  show?: { entryId: string; seq: number };
}

/** The open patient's merged timeline: filters, the grouped list, and the detail pane. */
export function Timeline({ view, onlyKinds, onRetry, testId = 'timeline', show }: TimelineProps) {
  const { t } = useI18n();
  const [filter, setFilter] = useState<FilterState>(EMPTY_FILTER);
  const deferredText = useDeferredValue(filter.text);
  const [selectedId, setSelectedId] = useState<string | undefined>();
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(() => new Set());

  const scoped = useMemo(
    () => (onlyKinds ? view.entries.filter((e) => onlyKinds.includes(e.kind)) : view.entries),
    [view.entries, onlyKinds],
  );
  const sorted = useMemo(() => sortEntries(scoped), [scoped]);
  const index = useMemo(() => indexEntries(sorted), [sorted]);
  const counts = useMemo(() => kindCounts(scoped), [scoped]);
  const sources = useMemo(() => sourceOptions(scoped), [scoped]);
  const filtered = useMemo(
    () =>
      filterEntries(sorted, {
        kinds: filter.kinds,
        sources: filter.sources,
        from: filter.from,
        to: filter.to,
        abnormalOnly: filter.abnormalOnly,
        text: deferredText,
      }),
    [sorted, filter.kinds, filter.sources, filter.from, filter.to, filter.abnormalOnly, deferredText],
  );
  const rows = useMemo(
    () => buildRows(filtered, { groupBy: filter.groupBy, index, collapsed }),
    [filtered, filter.groupBy, index, collapsed],
  );
  const lookup = useCallback((id: string) => index.byId.get(id)?.entry, [index]);
  const selected = selectedId === undefined ? undefined : lookup(selectedId);

  // Only a new request (seq) selects; later snapshots leave the user's selection alone.
  const [shownSeq, setShownSeq] = useState<number | undefined>();
  if (show && show.seq !== shownSeq) {
    setShownSeq(show.seq);
    const target = lookup(show.entryId);
    // Filters or a collapsed group would hide the entry asked for.
    setFilter((f) => ({ ...EMPTY_FILTER, groupBy: f.groupBy }));
    if (target) setCollapsed((prev) => new Set([...prev].filter((k) => k !== target.panelId && k !== target.encounterId)));
    setSelectedId(show.entryId);
  }

  const onToggle = useCallback((key: string, expand?: boolean) => {
    setCollapsed((prev) => {
      const isCollapsed = prev.has(key);
      if (expand === !isCollapsed) return prev;
      const next = new Set(prev);
      if (isCollapsed) next.delete(key);
      else next.add(key);
      return next;
    });
  }, []);

  if (view.phase === 'idle') return null;

  const failedAll = view.sources.length > 0 && view.sources.every((s) => s.state === 'failed' || s.state === 'circuit-open');
  const emptyText = scoped.length === 0 ? (failedAll ? t('timeline.emptyFailed') : t('timeline.empty')) : t('timeline.emptyFiltered');

  return (
    <div className="tl" data-testid={testId} data-phase={view.phase}>
      <div className="tl__main">
        <TimelineToolbar
          filter={filter}
          onChange={setFilter}
          showKinds={!onlyKinds || onlyKinds.length > 1}
          kindCounts={counts}
          sources={sources}
          total={scoped.length}
          shown={filtered.length}
        />
        {view.phase === 'opening' && <OpenProgress view={view} />}
        {view.phase === 'failed' && (
          <div className="tl__error" role="alert" data-testid="timeline-error">
            <span>
              {t('timeline.openFailed', {
                message:
                  view.errorCode === 'rate-limited'
                    ? t('apiError.rate-limited', { seconds: view.retryAfterSeconds ?? 1 })
                    : (view.error ?? ''),
              })}{' '}
              {t('timeline.openFailedHint')}
            </span>
            {onRetry && (
              <button type="button" className="tl__retry" data-testid="timeline-retry" onClick={onRetry}>
                {t('timeline.retry')}
              </button>
            )}
          </div>
        )}
        <TimelineList
          rows={rows}
          selectedId={selectedId}
          onSelect={setSelectedId}
          onToggle={onToggle}
          loading={view.phase === 'opening'}
          emptyText={emptyText}
        />
        <div className="tl__hint" aria-hidden="true">
          {t('timeline.keyboardHint')}
        </div>
      </div>
      <EntryDetail
        entry={selected}
        lookup={lookup}
        onSelect={setSelectedId}
        viewId={view.phase === 'open' ? view.viewId : undefined}
        entries={view.entries}
      />
    </div>
  );
}
