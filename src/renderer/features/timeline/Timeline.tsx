import { useCallback, useDeferredValue, useEffect, useId, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { SourceStatus } from '../../../shared/domain/source.ts';
import type { TimelineKind } from '../../../shared/domain/timeline.ts';
import type { PatientView } from '../../app/patient-session.ts';
import { candidateSourceIds } from '../../app/patient-text.ts';
import type { MessageKey } from '../../i18n/catalogs.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { sourceName } from '../sources/source-registry.ts';
import { useSources } from '../sources/sources-context.tsx';
import { SourceStatusItem } from '../sources/SourceStatusBar.tsx';
import { EntryDetail } from './EntryDetail.tsx';
import { EntryRow } from './TimelineRowView.tsx';
import {
  TIMELINE_KINDS,
  UNDATED_KEY,
  VIRTUALIZE_ABOVE,
  buildRows,
  filterEntries,
  kindCounts,
  rowOffsets,
  sortEntries,
  visibleRange,
  type TimelineRow,
} from './timeline-model.ts';
import './timeline.css';

/** The open patient's merged timeline: filters, the day-grouped list, and the detail pane. */
export function Timeline({ view }: { view: PatientView }) {
  const { t, fmt } = useI18n();
  const [kinds, setKinds] = useState<ReadonlySet<TimelineKind>>(() => new Set());
  const [text, setText] = useState('');
  const deferredText = useDeferredValue(text);
  const [selectedId, setSelectedId] = useState<string | undefined>();

  const sorted = useMemo(() => sortEntries(view.entries), [view.entries]);
  const counts = useMemo(() => kindCounts(view.entries), [view.entries]);
  const filtered = useMemo(() => filterEntries(sorted, { kinds, text: deferredText }), [sorted, kinds, deferredText]);
  const rows = useMemo(() => buildRows(filtered), [filtered]);
  const selected = useMemo(() => view.entries.find((e) => e.id === selectedId), [view.entries, selectedId]);

  const toggleKind = (kind: TimelineKind) =>
    setKinds((prev) => {
      const next = new Set(prev);
      if (next.has(kind)) next.delete(kind);
      else next.add(kind);
      return next;
    });

  if (view.phase === 'idle') return null;

  return (
    <div className="tl" data-testid="timeline" data-phase={view.phase}>
      <div className="tl__main">
        <div className="tl__toolbar">
          <div className="tl__kinds" role="group" aria-label={t('timeline.filter.kinds')} data-testid="timeline-kind-filter">
            <button
              type="button"
              className="tl__kindbtn"
              aria-pressed={kinds.size === 0}
              data-kind="all"
              onClick={() => setKinds(new Set())}
            >
              {t('timeline.filter.all')} <span className="tl__n">{fmt.number(view.entries.length)}</span>
            </button>
            {TIMELINE_KINDS.filter((k) => counts.has(k)).map((k) => (
              <button
                key={k}
                type="button"
                className={`tl__kindbtn tl__kindbtn--${k}`}
                aria-pressed={kinds.has(k)}
                data-kind={k}
                onClick={() => toggleKind(k)}
              >
                {t(`kind.${k}` as MessageKey)} <span className="tl__n">{fmt.number(counts.get(k) ?? 0)}</span>
              </button>
            ))}
          </div>
          <input
            className="tl__text"
            type="search"
            data-testid="timeline-text-filter"
            aria-label={t('timeline.filter.text')}
            placeholder={t('timeline.filter.textPlaceholder')}
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
          <span className="tl__count" data-testid="timeline-count">
            {t('timeline.count', { shown: fmt.number(filtered.length), total: fmt.number(view.entries.length) })}
          </span>
        </div>
        {view.phase === 'opening' && <OpenProgress view={view} />}
        {view.phase === 'failed' && (
          <div className="tl__error" role="alert" data-testid="timeline-error">
            {t('timeline.openFailed', { message: view.error ?? '' })}
          </div>
        )}
        <TimelineList rows={rows} selectedId={selectedId} onSelect={setSelectedId} loading={view.phase === 'opening'} total={view.entries.length} />
      </div>
      <EntryDetail entry={selected} />
    </div>
  );
}

const SETTLED = new Set(['ok', 'slow', 'failed', 'circuit-open', 'cached']);

function OpenProgress({ view }: { view: PatientView }) {
  const { t } = useI18n();
  const registry = useSources();
  const wanted = view.candidate ? candidateSourceIds(view.candidate) : [];
  const statuses: SourceStatus[] = wanted.map(
    (id) =>
      view.sources.find((s) => s.sourceId === id) ?? {
        sourceId: id,
        name: sourceName(registry, id),
        kind: registry.find((s) => s.sourceId === id)?.kind ?? 'fhir',
        state: 'loading',
      },
  );
  const done = statuses.filter((s) => SETTLED.has(s.state)).length;
  return (
    <div className="tl__progress" role="status" data-testid="timeline-progress">
      <span className="tl__progress-text">
        <span className="tl__spinner" aria-hidden="true" />
        {t('sources.progress', { done, total: statuses.length })}
        {view.entries.length > 0 && ` — ${t('timeline.partial')}`}
      </span>
      <ul className="tl__progress-list">
        {statuses.map((s) => (
          <SourceStatusItem key={s.sourceId} status={s} />
        ))}
      </ul>
    </div>
  );
}

interface TimelineListProps {
  rows: readonly TimelineRow[];
  selectedId: string | undefined;
  onSelect(id: string): void;
  loading: boolean;
  total: number;
}

function TimelineList({ rows, selectedId, onSelect, loading, total }: TimelineListProps) {
  const { t, fmt } = useI18n();
  const listId = useId();
  const scroller = useRef<HTMLDivElement>(null);
  const [viewport, setViewport] = useState({ top: 0, height: 800 });
  const virtual = rows.length > VIRTUALIZE_ABOVE;
  const offsets = useMemo(() => rowOffsets(rows), [rows]);
  const entryIndexes = useMemo(() => rows.flatMap((r, i) => (r.type === 'entry' ? [i] : [])), [rows]);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el || !virtual) return;
    const update = () => setViewport({ top: el.scrollTop, height: el.clientHeight });
    update();
    const ro = new ResizeObserver(update);
    ro.observe(el);
    el.addEventListener('scroll', update, { passive: true });
    return () => {
      ro.disconnect();
      el.removeEventListener('scroll', update);
    };
  }, [virtual]);

  const domId = useCallback((entryId: string) => `${listId}-${encodeURIComponent(entryId)}`, [listId]);

  const scrollToRow = useCallback(
    (rowIndex: number) => {
      const el = scroller.current;
      if (!el) return;
      // Keep the day heading above the row visible when scrolling up to it.
      const top = offsets[Math.max(0, rows[rowIndex - 1]?.type === 'day' ? rowIndex - 1 : rowIndex)]!;
      const bottom = offsets[rowIndex + 1]!;
      if (top < el.scrollTop) el.scrollTop = top;
      else if (bottom > el.scrollTop + el.clientHeight) el.scrollTop = bottom - el.clientHeight;
    },
    [offsets, rows],
  );

  const selectedRow = selectedId === undefined ? -1 : rows.findIndex((r) => r.type === 'entry' && r.key === selectedId);

  useEffect(() => {
    if (selectedRow >= 0) scrollToRow(selectedRow);
  }, [selectedRow, scrollToRow]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (entryIndexes.length === 0) return;
    const pos = entryIndexes.indexOf(selectedRow);
    let next: number | undefined;
    switch (e.key) {
      case 'ArrowDown':
        next = pos < 0 ? 0 : Math.min(entryIndexes.length - 1, pos + 1);
        break;
      case 'ArrowUp':
        next = pos < 0 ? 0 : Math.max(0, pos - 1);
        break;
      case 'PageDown':
        next = Math.min(entryIndexes.length - 1, Math.max(0, pos) + 10);
        break;
      case 'PageUp':
        next = Math.max(0, pos - 10);
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = entryIndexes.length - 1;
        break;
      default:
        return;
    }
    e.preventDefault();
    const row = rows[entryIndexes[next]!];
    if (row?.type === 'entry') onSelect(row.key);
  };

  const [start, end] = virtual ? visibleRange(offsets, viewport.top, viewport.height) : [0, rows.length];
  const visible = rows.slice(start, end);

  return (
    <div
      ref={scroller}
      className="tl__list"
      role="listbox"
      tabIndex={0}
      aria-label={t('timeline.title')}
      aria-activedescendant={selectedId !== undefined && selectedRow >= 0 ? domId(selectedId) : undefined}
      data-testid="timeline-list"
      data-virtual={virtual ? 'true' : 'false'}
      data-row-count={rows.length}
      onKeyDown={onKeyDown}
    >
      {rows.length === 0 && !loading && (
        <div className="tl__empty" data-testid="timeline-empty">
          {total === 0 ? t('timeline.empty') : t('timeline.emptyFiltered')}
        </div>
      )}
      {virtual && <div className="tl__spacer" style={{ height: offsets[start] }} aria-hidden="true" />}
      {visible.map((row) =>
        row.type === 'day' ? (
          <div key={`day-${row.key}`} className="tl-day" role="presentation" data-testid="timeline-day" data-day={row.key}>
            <span className="tl-day__label">
              {row.key === UNDATED_KEY || !row.time
                ? t('timeline.undated')
                : row.time.precision === 'month'
                  ? t('timeline.monthOnly', { label: fmt.dayHeading(row.time) })
                  : row.time.precision === 'year'
                    ? t('timeline.yearOnly', { label: fmt.dayHeading(row.time) })
                    : fmt.dayHeading(row.time)}
            </span>
            <span className="tl-day__count">{t('timeline.dayCount', { count: fmt.number(row.count) })}</span>
          </div>
        ) : (
          <EntryRow
            key={row.key}
            entry={row.entry}
            time={row.time}
            selected={row.key === selectedId}
            domId={domId(row.key)}
            onSelect={onSelect}
          />
        ),
      )}
      {virtual && <div className="tl__spacer" style={{ height: offsets[rows.length]! - offsets[end]! }} aria-hidden="true" />}
    </div>
  );
}
