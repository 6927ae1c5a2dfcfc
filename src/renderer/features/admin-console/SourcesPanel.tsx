import { useCallback, useMemo, useState } from 'react';
import type { HealthFigures, HealthRange, SourceHealthResponse } from '../../../shared/api/admin-console.ts';
import { useApi } from '../../api/api-context.tsx';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { SystemView } from '../system/index.ts';
import { colorIndexOf, RangeChoice, ReadStatus, TimeSeriesChart } from '../admin-parts/index.ts';
import { useApiRead } from '../../lib/use-api-read.ts';

const RANGES: readonly HealthRange[] = ['24h', '30d'];

/**
 * Sources: each one's state now and "check now" (the system view, the probes of `huizhen sources
 * check`), then its history — latency, errors, timeouts, circuit trips, rate-limit hits — over the
 * last hours or days, from the aggregates main keeps in the encrypted cache.
 */
export function SourcesPanel() {
  const api = useApi();
  const [range, setRange] = useState<HealthRange>('24h');
  const read = useCallback(() => api.adminSourceHealth({ range }), [api, range]);
  const health = useApiRead(read);
  return (
    <div className="acon-sources">
      {/* The probes are real calls: the history shows them once they are done. */}
      <SystemView embedded onChecked={health.reload} />
      <SourceHistory range={range} onRange={setRange} health={health.value} loading={health.loading} error={health.error} />
    </div>
  );
}

function SourceHistory({
  range,
  onRange,
  health,
  loading,
  error,
}: {
  range: HealthRange;
  onRange(range: HealthRange): void;
  health: SourceHealthResponse | undefined;
  loading: boolean;
  error: string | undefined;
}) {
  const { t } = useI18n();
  const names = useMemo(() => new Map(health?.now.map((s) => [s.sourceId, s.name])), [health]);
  const p95 = useMemo(
    () => health?.history.map((s) => ({ label: names.get(s.sourceId) ?? s.sourceId, values: s.p95Ms })) ?? [],
    [health, names],
  );
  const errors = useMemo(
    () => health?.history.map((s) => ({ label: names.get(s.sourceId) ?? s.sourceId, values: s.errors })) ?? [],
    [health, names],
  );
  return (
    <section className="acon-history" aria-labelledby="acon-history-title" data-testid="console-history" data-loading={loading}>
      <header className="acon-history__head">
        <h2 id="acon-history-title" className="acon__subtitle">
          {t('console.health.title')}
        </h2>
        <RangeChoice<HealthRange>
          ranges={RANGES}
          value={range}
          onChange={onRange}
          label={(r) => t(`console.health.range.${r}`)}
          testIdPrefix="console-range-"
        />
        <ReadStatus loading={loading} error={error} />
      </header>
      {health && (
        <>
          <FiguresTable health={health} names={names} />
          <div className="acon-history__charts">
            <TimeSeriesChart
              title={t('console.health.chart.p95')}
              starts={health.starts}
              lines={p95}
              testId="console-chart-p95"
              daily={range === '30d'}
            />
            <TimeSeriesChart
              title={t('console.health.chart.errors')}
              starts={health.starts}
              lines={errors}
              testId="console-chart-errors"
              daily={range === '30d'}
            />
          </div>
          <p className="acon__note">{t('console.health.storedNote')}</p>
        </>
      )}
    </section>
  );
}

function FiguresTable({ health, names }: { health: SourceHealthResponse; names: ReadonlyMap<string, string> }) {
  const { t, fmt } = useI18n();
  const ms = (v: number | undefined) => (v === undefined ? '—' : fmt.milliseconds(v));
  const rate = (f: HealthFigures) => (f.calls === 0 ? '—' : fmt.number(f.errors / f.calls, { style: 'percent', maximumFractionDigits: 1 }));
  return (
    <table className="acon-table" data-testid="console-figures">
      <thead>
        <tr>
          <th scope="col">{t('system.source')}</th>
          <th scope="col">{t('console.health.calls')}</th>
          <th scope="col">{t('console.health.p50')}</th>
          <th scope="col">{t('console.health.p95')}</th>
          <th scope="col">{t('console.health.errorRate')}</th>
          <th scope="col">{t('console.health.timeouts')}</th>
          <th scope="col">{t('console.health.trips')}</th>
          <th scope="col">{t('console.health.rateLimited')}</th>
        </tr>
      </thead>
      <tbody>
        {health.history.map((s, i) => (
          <tr key={s.sourceId} data-testid="console-figures-row" data-source-id={s.sourceId} data-calls={s.totals.calls}>
            <th scope="row">
              <span className={`acon-key acon-key--${colorIndexOf(i)}`} aria-hidden="true" />
              {names.get(s.sourceId) ?? s.sourceId}
            </th>
            <td>{s.totals.calls === 0 ? t('console.health.noCalls') : fmt.number(s.totals.calls)}</td>
            <td>{ms(s.totals.p50Ms)}</td>
            <td>{ms(s.totals.p95Ms)}</td>
            <td className={s.totals.errors > 0 ? 'acon__bad' : undefined}>{rate(s.totals)}</td>
            <td>{fmt.number(s.totals.timeouts)}</td>
            <td className={s.totals.trips > 0 ? 'acon__bad' : undefined}>{fmt.number(s.totals.trips)}</td>
            <td>{fmt.number(s.totals.rateLimited)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
