import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { WorklistRow } from '../../../shared/api/worklist.ts';
import type { PatientCandidate } from '../../../shared/domain/patient.ts';
import { useApi } from '../../api/api-context.tsx';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { errorText } from '../../i18n/error-text.ts';
import { rememberLastLook } from './last-look.ts';
import { candidateOfRow, moreLinksOfRow } from './person-of-row.ts';
import { AllergyFlag, CensusFailures, EmptyWard, PendingSources, Placement, Provenance, useWhen } from './WorklistMarks.tsx';
import { useWorklist } from './use-worklist.ts';
import { emptyWardState } from './empty-ward.ts';
import './worklist.css';

function Results({ row }: { row: WorklistRow }) {
  const { t } = useI18n();
  const { count, abnormal, critical } = row.newResults;
  if (count === 0) return <span className="wl__muted">{t('worklist.results.none')}</span>;
  return (
    <span className="wl__results" data-testid="worklist-new-results" data-count={count} data-abnormal={abnormal} data-critical={critical}>
      <span>{t('worklist.results.count', { count })}</span>
      {critical > 0 && <span className="wl__badge wl__badge--critical">{t('worklist.results.critical', { count: critical })}</span>}
      {abnormal > 0 && <span className="wl__badge wl__badge--abnormal">{t('worklist.results.abnormal', { count: abnormal })}</span>}
    </span>
  );
}

/**
 * The ward doctor's and nurse's start screen: the patients on their wards (and their own
 * elsewhere), by bed. Keyboard first: ↑/↓ move, Enter opens; "mine" narrows to the patients the
 * doctor attends.
 */
export function Worklist({
  onOpen: open,
  onMoreLinks,
}: {
  onOpen(candidate: PatientCandidate): void;
  /** A live search found more system records of a person opened from the list: merge them if that person is still open. */
  onMoreLinks?(person: PatientCandidate): void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const when = useWhen();
  const api = useApi();
  // The whole person opens at once from what main linked for the row; the live links merge in as they come.
  const onOpen = (row: WorklistRow) => {
    rememberLastLook(row.lastViewedAt ?? row.admittedAt);
    open(candidateOfRow(row));
    void moreLinksOfRow(api, row).then((person) => person && onMoreLinks?.(person));
  };
  const state = useWorklist();
  const [mineOnly, setMineOnly] = useState(false);
  // Selected by patient, not by position: a live update that adds or moves rows keeps the selection.
  const [selected, setSelected] = useState<{ key?: string; index: number }>({ index: 0 });
  const table = useRef<HTMLTableSectionElement>(null);
  const list = state.status === 'loading' ? undefined : state.list;
  const rows = useMemo(() => (list?.rows ?? []).filter((r) => !mineOnly || r.mine), [list, mineOnly]);
  const updating = state.status === 'loading' || (state.status === 'shown' && state.live);
  const unread = Boolean(list && list.rows.length === 0 && emptyWardState(list, updating).state === 'unread');
  const byKey = selected.key === undefined ? -1 : rows.findIndex((r) => r.key === selected.key);
  const at = byKey >= 0 ? byKey : Math.min(selected.index, Math.max(0, rows.length - 1));
  const select = (i: number) => setSelected({ index: i, ...(rows[i] ? { key: rows[i].key } : {}) });

  useEffect(() => {
    table.current?.querySelector<HTMLElement>(`[data-row="${at}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [at]);

  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown') select(Math.min(at + 1, rows.length - 1));
    else if (e.key === 'ArrowUp') select(Math.max(at - 1, 0));
    else if (e.key === 'Enter' && rows[at]) onOpen(rows[at]);
    else return;
    e.preventDefault();
  };

  return (
    <section className="wl" data-testid="worklist" aria-label={t('worklist.title')}>
      <header className="wl__head">
        <h2 className="wl__title">{t('worklist.title')}</h2>
        {list && list.wards.length > 0 && <span className="wl__wards">{t('worklist.wards', { wards: list.wards.join('、') })}</span>}
        {/* No count of a census that could not be read: "0 patients" would be the lie the empty line avoids. */}
        {!unread && (
          <span className="wl__count" data-testid="worklist-count">
            {t('worklist.count', { count: rows.length })}
          </span>
        )}
        <label className="wl__mine">
          <input type="checkbox" checked={mineOnly} onChange={(e) => setMineOnly(e.target.checked)} data-testid="worklist-mine" />
          {t('worklist.mine')}
        </label>
        <span
          className="wl__state"
          data-testid="worklist-state"
          data-live={state.status === 'loading' || (state.status === 'shown' && state.live) ? 'updating' : 'done'}
        >
          {state.status === 'loading'
            ? t('worklist.loading')
            : state.status === 'shown' && state.live
              ? t('worklist.live')
              : list
                ? t('worklist.asOf', { time: when(list.asOf) })
                : ''}
        </span>
      </header>
      {state.status === 'failed' && (
        <p className="wl__error" role="alert">
          {t('worklist.failed', { message: errorText(i18n, state.error) })}
        </p>
      )}
      {list?.censusFailures && <CensusFailures failures={list.censusFailures} />}
      {list && rows.length === 0 ? (
        <EmptyWard list={list} updating={updating} />
      ) : (
        <div className="wl__scroll">
          <table
            className="wl__table"
            tabIndex={0}
            onKeyDown={onKey}
            aria-activedescendant={rows[at] ? `wl-row-${at}` : undefined}
            data-testid="worklist-table"
            autoFocus
          >
            <thead>
              <tr>
                <th>{t('worklist.col.bed')}</th>
                <th>{t('worklist.col.name')}</th>
                <th>{t('worklist.col.sexAge')}</th>
                <th>{t('worklist.col.day')}</th>
                <th>{t('worklist.col.attending')}</th>
                <th>{t('worklist.col.diagnosis')}</th>
                <th>{t('worklist.col.allergy')}</th>
                <th>{t('worklist.col.results')}</th>
                <th>{t('worklist.col.sources')}</th>
              </tr>
            </thead>
            <tbody ref={table}>
              {rows.map((row, i) => (
                <tr
                  key={row.key}
                  id={`wl-row-${i}`}
                  data-row={i}
                  data-testid="worklist-row"
                  aria-selected={i === at}
                  data-ref={row.refs[0] ? `${row.refs[0].sourceId}/${row.refs[0].sourcePatientId}` : undefined}
                  className={`wl__row${i === at ? ' wl__row--active' : ''}${row.newResults.critical > 0 ? ' wl__row--critical' : ''}`}
                  onClick={() => select(i)}
                  onDoubleClick={() => onOpen(row)}
                >
                  <td className="wl__bed">
                    <Placement row={row} homeWard={list?.wards[0]} />
                  </td>
                  <td className="wl__name">
                    {row.name}
                    <Provenance row={row} />
                    {row.mine && <span className="wl__mine-mark">{t('worklist.mineMark')}</span>}
                    {row.status === 'discharged' && <span className="wl__muted"> {t('worklist.discharged')}</span>}
                  </td>
                  <td>
                    {row.sex ? t(`worklist.sex.${row.sex}`) : ''}
                    {row.ageYears !== undefined ? ` ${t('worklist.age', { age: row.ageYears })}` : ''}
                  </td>
                  <td>{row.admissionDay ? t('worklist.day', { day: row.admissionDay }) : '—'}</td>
                  <td className="wl__attending">{row.attending ?? '—'}</td>
                  <td className="wl__diagnosis">{row.diagnosis ?? '—'}</td>
                  <td className="wl__allergy-cell">
                    <AllergyFlag row={row} />
                  </td>
                  <td className="wl__results-cell">
                    <Results row={row} />
                  </td>
                  <td className="wl__pending">
                    <PendingSources row={row} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="wl__hint">{t('worklist.hint')}</p>
    </section>
  );
}
