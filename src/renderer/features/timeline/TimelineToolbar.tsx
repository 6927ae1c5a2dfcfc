import type { TimelineKind } from '../../../shared/domain/timeline.ts';
import type { MessageKey } from '../../i18n/catalogs.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import type { GroupBy, SourceOption } from './timeline-model.ts';
import { TIMELINE_KINDS } from './timeline-model.ts';

export interface FilterState {
  kinds: ReadonlySet<TimelineKind>;
  sources: ReadonlySet<string>;
  from: string;
  to: string;
  abnormalOnly: boolean;
  text: string;
  groupBy: GroupBy;
}

export const EMPTY_FILTER: FilterState = {
  kinds: new Set(),
  sources: new Set(),
  from: '',
  to: '',
  abnormalOnly: false,
  text: '',
  groupBy: 'day',
};

export function isFiltered(f: FilterState): boolean {
  return f.kinds.size > 0 || f.sources.size > 0 || f.from !== '' || f.to !== '' || f.abnormalOnly || f.text.trim() !== '';
}

function toggled<T>(set: ReadonlySet<T>, value: T): Set<T> {
  const next = new Set(set);
  if (next.has(value)) next.delete(value);
  else next.add(value);
  return next;
}

export interface TimelineToolbarProps {
  filter: FilterState;
  onChange(next: FilterState): void;
  /** Kind chips are hidden when the view is fixed to some kinds (documents, imaging). */
  showKinds: boolean;
  kindCounts: ReadonlyMap<TimelineKind, number>;
  sources: readonly SourceOption[];
  total: number;
  shown: number;
}

export function TimelineToolbar({ filter, onChange, showKinds, kindCounts, sources, total, shown }: TimelineToolbarProps) {
  const { t, fmt } = useI18n();
  const set = (patch: Partial<FilterState>) => onChange({ ...filter, ...patch });
  return (
    <div className="tl__toolbar" data-testid="timeline-toolbar">
      {showKinds && (
        <div className="tl__chips" role="group" aria-label={t('timeline.filter.kinds')} data-testid="timeline-kind-filter">
          <button
            type="button"
            className="tl__kindbtn"
            aria-pressed={filter.kinds.size === 0}
            data-kind="all"
            onClick={() => set({ kinds: new Set() })}
          >
            {t('timeline.filter.all')} <span className="tl__n">{fmt.number(total)}</span>
          </button>
          {TIMELINE_KINDS.filter((k) => kindCounts.has(k)).map((k) => (
            <button
              key={k}
              type="button"
              className={`tl__kindbtn tl__kindbtn--${k}`}
              aria-pressed={filter.kinds.has(k)}
              data-kind={k}
              onClick={() => set({ kinds: toggled(filter.kinds, k) })}
            >
              {t(`kind.${k}` as MessageKey)} <span className="tl__n">{fmt.number(kindCounts.get(k) ?? 0)}</span>
            </button>
          ))}
        </div>
      )}
      <div className="tl__filters">
        {sources.length > 0 && (
          <div className="tl__chips" role="group" aria-label={t('timeline.filter.sources')} data-testid="timeline-source-filter">
            <span className="tl__label" aria-hidden="true">
              {t('timeline.filter.sources')}
            </span>
            {sources.map((s) => (
              <button
                key={s.sourceId}
                type="button"
                className="tl__kindbtn tl__srcbtn"
                aria-pressed={filter.sources.has(s.sourceId)}
                data-source-id={s.sourceId}
                onClick={() => set({ sources: toggled(filter.sources, s.sourceId) })}
              >
                {s.name} <span className="tl__n">{fmt.number(s.count)}</span>
              </button>
            ))}
          </div>
        )}
        <fieldset className="tl__dates" data-testid="timeline-date-filter">
          <legend className="tl__label">{t('timeline.filter.dateRange')}</legend>
          <input
            type="date"
            className="tl__date"
            aria-label={t('timeline.filter.from')}
            data-testid="timeline-date-from"
            value={filter.from}
            max={filter.to || undefined}
            onChange={(e) => set({ from: e.target.value })}
          />
          <span aria-hidden="true">–</span>
          <input
            type="date"
            className="tl__date"
            aria-label={t('timeline.filter.to')}
            data-testid="timeline-date-to"
            value={filter.to}
            min={filter.from || undefined}
            onChange={(e) => set({ to: e.target.value })}
          />
        </fieldset>
        <button
          type="button"
          className="tl__kindbtn tl__abnbtn"
          aria-pressed={filter.abnormalOnly}
          data-testid="timeline-abnormal-filter"
          onClick={() => set({ abnormalOnly: !filter.abnormalOnly })}
        >
          <span aria-hidden="true">! </span>
          {t('timeline.filter.abnormal')}
        </button>
        <div className="tl__segment" role="radiogroup" aria-label={t('timeline.group.label')} data-testid="timeline-group-by">
          {(['day', 'encounter'] as const).map((g) => (
            <button
              key={g}
              type="button"
              role="radio"
              aria-checked={filter.groupBy === g}
              className="tl__segbtn"
              data-group={g}
              onClick={() => set({ groupBy: g })}
            >
              {t(`timeline.group.${g}`)}
            </button>
          ))}
        </div>
        <input
          className="tl__text"
          type="search"
          data-testid="timeline-text-filter"
          aria-label={t('timeline.filter.text')}
          placeholder={t('timeline.filter.textPlaceholder')}
          value={filter.text}
          onChange={(e) => set({ text: e.target.value })}
        />
        <span className="tl__count" data-testid="timeline-count">
          {t('timeline.count', { shown: fmt.number(shown), total: fmt.number(total) })}
        </span>
        {isFiltered(filter) && (
          <button
            type="button"
            className="tl__clear"
            data-testid="timeline-clear-filters"
            onClick={() => onChange({ ...EMPTY_FILTER, groupBy: filter.groupBy })}
          >
            {t('timeline.filter.clear')}
          </button>
        )}
      </div>
    </div>
  );
}
