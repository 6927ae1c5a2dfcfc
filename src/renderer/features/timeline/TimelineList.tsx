import { useCallback, useEffect, useId, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { DayHeading, EncounterHeader, PanelHeader } from './GroupHeaders.tsx';
import { EntryRow } from './TimelineRowView.tsx';
import { keyAction, rowOffsets, VIRTUALIZE_ABOVE, visibleRange } from './timeline-window.ts';
import type { TimelineRow } from './timeline-rows.ts';

export interface TimelineListProps {
  rows: readonly TimelineRow[];
  selectedId: string | undefined;
  onSelect(id: string): void;
  onToggle(key: string, expand?: boolean): void;
  loading: boolean;
  /** What to say when there are no rows (nothing at all, nothing matching, nothing returned). */
  emptyText: string;
}

const SKELETON_ROWS = 8;

/** Placeholder rows while the first source has not answered yet: the layout does not jump. */
function Skeleton() {
  const { t } = useI18n();
  return (
    <div className="tl-skeleton" data-testid="timeline-skeleton" aria-busy="true" aria-label={t('timeline.loading')}>
      {Array.from({ length: SKELETON_ROWS }, (_, i) => (
        <div key={i} className="tl-skel-row" aria-hidden="true">
          <span className="tl-skel tl-skel--time" />
          <span className="tl-skel tl-skel--kind" />
          <span className="tl-skel-lines">
            <span className={`tl-skel tl-skel--title tl-skel--w${i % 3}`} />
            <span className="tl-skel tl-skel--summary" />
          </span>
        </div>
      ))}
    </div>
  );
}

/**
 * The list, as a tree: day or encounter headings, lab panels with their results indented.
 * Above VIRTUALIZE_ABOVE rows only what is near the viewport is in the DOM (fixed row heights).
 */
export function TimelineList({ rows, selectedId, onSelect, onToggle, loading, emptyText }: TimelineListProps) {
  const { t } = useI18n();
  const listId = useId();
  const scroller = useRef<HTMLDivElement>(null);
  const [viewport, setViewport] = useState({ top: 0, height: 800 });
  const virtual = rows.length > VIRTUALIZE_ABOVE;
  const offsets = useMemo(() => rowOffsets(rows), [rows]);

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

  const domId = useCallback((key: string) => `${listId}-${encodeURIComponent(key)}`, [listId]);

  const selectedRow = useMemo(
    () => (selectedId === undefined ? -1 : rows.findIndex((r) => r.type !== 'day' && r.key === selectedId)),
    [rows, selectedId],
  );

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

  useEffect(() => {
    if (selectedRow >= 0) scrollToRow(selectedRow);
  }, [selectedRow, scrollToRow]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'Enter' || e.key === ' ') {
      const row = rows[selectedRow];
      if (row && (row.type === 'panel' || row.type === 'encounter')) {
        e.preventDefault();
        onToggle(row.key);
      }
      return;
    }
    const action = keyAction(rows, selectedRow, e.key);
    if (!action) return;
    e.preventDefault();
    if ('select' in action) onSelect(action.select);
    else if ('collapse' in action) onToggle(action.collapse, false);
    else onToggle(action.expand, true);
  };

  const [start, end] = virtual ? visibleRange(offsets, viewport.top, viewport.height) : [0, rows.length];
  const visible = rows.slice(start, end);
  const selectedDomId = selectedId !== undefined && selectedRow >= 0 ? domId(selectedId) : undefined;

  return (
    <div
      ref={scroller}
      className="tl__list"
      role="tree"
      tabIndex={0}
      aria-label={t('timeline.title')}
      aria-activedescendant={selectedDomId}
      aria-busy={loading}
      data-testid="timeline-list"
      data-focus-target="timeline"
      data-virtual={virtual ? 'true' : 'false'}
      data-row-count={rows.length}
      onKeyDown={onKeyDown}
    >
      {rows.length === 0 && loading && <Skeleton />}
      {rows.length === 0 && !loading && (
        <div className="tl__empty" data-testid="timeline-empty">
          {emptyText}
        </div>
      )}
      {virtual && <div className="tl__spacer" style={{ height: offsets[start] }} aria-hidden="true" />}
      {visible.map((row) => {
        switch (row.type) {
          case 'day':
            return <DayHeading key={`day-${row.key}`} row={row} />;
          case 'encounter':
            return (
              <EncounterHeader
                key={`enc-${row.key}`}
                row={row}
                selected={row.key === selectedId}
                domId={domId(row.key)}
                onSelect={onSelect}
                onToggle={onToggle}
              />
            );
          case 'panel':
            return (
              <PanelHeader
                key={`panel-${row.key}`}
                row={row}
                selected={row.key === selectedId}
                domId={domId(row.key)}
                onSelect={onSelect}
                onToggle={onToggle}
              />
            );
          default:
            return (
              <EntryRow
                key={row.key}
                entry={row.entry}
                time={row.time}
                depth={row.depth}
                selected={row.key === selectedId}
                domId={domId(row.key)}
                onSelect={onSelect}
              />
            );
        }
      })}
      {virtual && <div className="tl__spacer" style={{ height: offsets[rows.length]! - offsets[end]! }} aria-hidden="true" />}
    </div>
  );
}
