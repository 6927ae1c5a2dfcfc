import { useCallback, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { errorMessage } from '../../api/api-error.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import type { LabRow } from './labs-model.ts';
import { trendChartOptions, trendData } from './trend-chart-options.ts';

const HEIGHT = 240;

/**
 * One analyte over time on a canvas (uPlot: no inline <style>, only CSSOM properties, so it runs
 * under the app's CSP), the reference range as a band, out-of-range points in red.
 */
export function TrendChart({ row }: { row: LabRow }) {
  const { t, fmt } = useI18n();
  const [hover, setHover] = useState<number | null>(null);
  // The failure is kept with the row and formatter it was drawn for: a new row clears it by itself.
  const [failure, setFailure] = useState<{ row: LabRow; fmt: typeof fmt; message: string }>();
  const error = failure?.row === row && failure.fmt === fmt ? failure.message : undefined;

  // A ref callback, not an effect: the chart is built when its host element attaches and
  // destroyed by the callback's cleanup; React calls it again when the row or formatter change.
  const host = useCallback(
    (el: HTMLDivElement | null) => {
      if (!el || row.points.length === 0) return;
      let plot: uPlot;
      try {
        plot = new uPlot(
          trendChartOptions({
            points: row.points,
            low: row.low,
            high: row.high,
            label: row.label,
            width: Math.max(200, el.clientWidth),
            height: HEIGHT,
            formatDate: (ms) => fmt.date(new Date(ms)),
            formatValue: (v) => fmt.number(v, { maximumSignificantDigits: 4, useGrouping: false }),
            onHover: setHover,
          }),
          trendData(row.points),
          el,
        );
      } catch (e) {
        setFailure({ row, fmt, message: errorMessage(e) });
        return;
      }
      const ro = new ResizeObserver(() => {
        if (el.clientWidth > 0) plot.setSize({ width: Math.max(200, el.clientWidth), height: HEIGHT });
      });
      ro.observe(el);
      return () => {
        ro.disconnect();
        plot.destroy();
      };
    },
    [row, fmt],
  );

  if (row.points.length === 0) {
    return (
      <p className="labs-trend__note" data-testid="lab-trend-empty">
        {t('labs.trend.noNumbers')}
      </p>
    );
  }
  const point = hover === null ? undefined : row.points[hover];
  const latest = row.points[row.points.length - 1]!;
  const value = (v: number) =>
    `${fmt.number(v, { maximumSignificantDigits: 3, maximumFractionDigits: 0, roundingPriority: 'morePrecision', useGrouping: false })} ${row.unit}`.trim();
  return (
    <figure className="labs-trend__figure">
      <div className="labs-trend__readout" data-testid="lab-trend-readout">
        {point ? (
          <>
            {fmt.dateTime(new Date(point.ms))} · <strong className={point.flag ? 'labs-abnormal' : undefined}>{value(point.value)}</strong>
            {point.flag && ` ${t(`timeline.flag.${point.flag}`)}`}
          </>
        ) : (
          <>
            {t('labs.trend.latest')} {fmt.date(new Date(latest.ms))} ·{' '}
            <strong className={latest.flag ? 'labs-abnormal' : undefined}>{value(latest.value)}</strong>
          </>
        )}
      </div>
      {error && (
        <p className="labs-trend__error" role="alert" data-testid="lab-trend-error">
          {t('labs.trend.failed', { message: error })}
        </p>
      )}
      <div
        ref={host}
        className={`labs-trend__chart${error ? ' labs-trend__chart--failed' : ''}`}
        role="img"
        aria-label={t('labs.trend.summary', { name: row.label, count: row.points.length, latest: value(latest.value) })}
        data-testid="lab-trend-chart"
        data-points={row.points.length}
      />
      <figcaption className="labs-trend__legend">
        <span className="labs-trend__key labs-trend__key--line" aria-hidden="true" /> {row.label}
        {(row.low !== undefined || row.high !== undefined) && (
          <>
            <span className="labs-trend__key labs-trend__key--band" aria-hidden="true" /> {t('labs.trend.band')} {row.rangeWithUnit}
          </>
        )}
        <span className="labs-trend__key labs-trend__key--abnormal" aria-hidden="true" /> {t('timeline.abnormal')}
      </figcaption>
    </figure>
  );
}
