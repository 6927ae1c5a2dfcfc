import { useCallback, useMemo, useState } from 'react';
import { useApi } from '../../api/api-context.tsx';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { useApiRead } from '../../lib/use-api-read.ts';
import { filterMappingRows, MAPPING_SHOWS, mappingRows, summarise, type MappingFilter, type MappingRow } from './mapping-rows.ts';
import './admin-mapping.css';
import { ReloadBar } from '../admin-parts/index.ts';

/**
 * Mapping tables: every local lab code → LOINC and unit spelling → UCUM entry this workstation
 * uses, built in or the hospital's own (`mappings` in the configuration), with the times each
 * mapped what a source sent since the start. A configured entry that never matched is shown
 * first and marked: a typo, or a code no source sends. Codes and counts only; the read is audited.
 */
export function MappingPanel() {
  const api = useApi();
  const { t, fmt } = useI18n();
  const read = useCallback(() => api.mappingUsage({}), [api]);
  const view = useApiRead(read);
  const [filter, setFilter] = useState<MappingFilter>({ text: '', show: 'all', table: 'both' });
  const rows = useMemo(() => (view.value ? mappingRows(view.value) : []), [view.value]);
  const shown = useMemo(() => filterMappingRows(rows, filter), [rows, filter]);
  const summary = summarise(rows);

  return (
    <div className="am" data-testid="console-mapping" data-loading={view.loading}>
      <ReloadBar view={view} />
      <p className="acon__note">{t('console.mapping.note')}</p>
      {view.value && (
        <section className="acon-block" aria-labelledby="am-title">
          <h2 id="am-title" className="acon__subtitle">
            {t('console.mapping.title')}
          </h2>
          <p className="acon__muted" data-testid="mapping-summary" data-idle={summary.idle} data-used={summary.used}>
            {t('console.mapping.summary', {
              entries: fmt.number(summary.entries),
              used: fmt.number(summary.used),
              uses: fmt.number(summary.uses),
              configured: fmt.number(summary.configured),
            })}
            {summary.idle > 0 && <span className="am__idle"> {t('console.mapping.idleCount', { count: fmt.number(summary.idle) })}</span>}
          </p>
          <Filters filter={filter} onChange={setFilter} />
          <p className="acon__muted" data-testid="mapping-count" data-shown={shown.length}>
            {t('console.config.count', { shown: fmt.number(shown.length), total: fmt.number(rows.length) })}
          </p>
          <MappingTableView rows={shown} />
        </section>
      )}
    </div>
  );
}

function Filters({ filter, onChange }: { filter: MappingFilter; onChange(f: MappingFilter): void }) {
  const { t } = useI18n();
  return (
    <div className="am__filters">
      <label>
        {t('console.mapping.filter')}
        <input
          className="acon__filter"
          type="search"
          value={filter.text}
          onChange={(e) => onChange({ ...filter, text: e.target.value })}
          data-testid="mapping-filter"
        />
      </label>
      <label>
        {t('console.mapping.table')}
        <select
          className="acon__filter"
          value={filter.table}
          onChange={(e) => onChange({ ...filter, table: e.target.value as MappingFilter['table'] })}
          data-testid="mapping-table-filter"
        >
          <option value="both">{t('console.mapping.table.both')}</option>
          <option value="lab-code">{t('console.mapping.table.lab-code')}</option>
          <option value="unit">{t('console.mapping.table.unit')}</option>
        </select>
      </label>
      <label>
        {t('console.mapping.show')}
        <select
          className="acon__filter"
          value={filter.show}
          onChange={(e) => onChange({ ...filter, show: e.target.value as MappingFilter['show'] })}
          data-testid="mapping-show"
        >
          {MAPPING_SHOWS.map((s) => (
            <option key={s} value={s}>
              {t(`console.mapping.show.${s}`)}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}

function MappingTableView({ rows }: { rows: readonly MappingRow[] }) {
  const { t, fmt } = useI18n();
  if (rows.length === 0) return <p className="acon__note">{t('console.mapping.none')}</p>;
  return (
    <div className="am__scroll">
      <table className="acon-table" data-testid="mapping-entries">
        <thead>
          <tr>
            <th scope="col">{t('console.mapping.col.table')}</th>
            <th scope="col">{t('console.mapping.col.from')}</th>
            <th scope="col">{t('console.mapping.col.to')}</th>
            <th scope="col">{t('console.mapping.col.origin')}</th>
            <th scope="col">{t('console.mapping.col.uses')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr
              key={`${r.table}|${r.origin}|${r.from}|${i}`}
              className={r.idle ? 'am__row--idle' : undefined}
              data-testid="mapping-row"
              data-table={r.table}
              data-from={r.from}
              data-origin={r.origin}
              data-uses={r.uses}
              data-idle={r.idle}
            >
              <td>{t(`console.mapping.table.${r.table}`)}</td>
              <td>
                <code>{r.from}</code>
              </td>
              <td>
                <code>{r.to}</code>
              </td>
              <td>
                {t(`console.mapping.origin.${r.origin}`)}
                {r.idle && <span className="am__idle"> · {t('console.mapping.idle')}</span>}
              </td>
              <td>{fmt.number(r.uses)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
