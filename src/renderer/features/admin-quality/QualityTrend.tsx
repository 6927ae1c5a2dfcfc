import { useCallback, useMemo, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { QualityOverview } from '../../../shared/api/admin-insight.ts';
import { errorMessage } from '../../api/api-error.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { TREND_COLORS, trendData, trendOptions } from './quality-trend-options.ts';

const HEIGHT = 200;

/** Findings per day, one line per source, on a canvas (uPlot, as the other console charts: it runs under the app's CSP). */
export function QualityTrend({ overview }: { overview: QualityOverview }) {
  const { t, fmt } = useI18n();
  const lines = useMemo(() => overview.sources.map((s) => ({ label: s.sourceId, values: s.perDay })), [overview]);
  const days = overview.days;
  const [failure, setFailure] = useState<{ lines: typeof lines; message: string }>();
  const error = failure?.lines === lines ? failure.message : undefined;
  const title = t('console.quality.trend');

  // A ref callback: built when the host attaches, destroyed by its cleanup, rebuilt when the data change.
  const host = useCallback(
    (el: HTMLDivElement | null) => {
      if (!el) return;
      let plot: uPlot;
      const size = () => ({ width: Math.max(240, el.clientWidth), height: HEIGHT });
      try {
        plot = new uPlot(
          trendOptions({
            days,
            lines,
            ...size(),
            formatDay: (ms) => fmt.date(new Date(ms)),
            formatCount: (v) => fmt.number(v, { maximumFractionDigits: 0 }),
          }),
          trendData({ days, lines }),
          el,
        );
      } catch (e) {
        setFailure({ lines, message: errorMessage(e) });
        return;
      }
      const ro = new ResizeObserver(() => {
        if (el.clientWidth > 0) plot.setSize(size());
      });
      ro.observe(el);
      return () => {
        ro.disconnect();
        plot.destroy();
      };
    },
    [days, lines, fmt],
  );

  return (
    <figure className="acon-chart">
      <figcaption className="acon-chart__title">
        {title}
        {lines.map((line, i) => (
          <span key={line.label} className="aq__key">
            {/* The console's own colour keys (admin-console.css), in the same order as TREND_COLORS. */}
            <span className={`acon-key acon-key--${i % TREND_COLORS.length}`} aria-hidden="true" />
            {line.label}
          </span>
        ))}
      </figcaption>
      {error && (
        <p className="acon__error" role="alert">
          {t('console.health.chart.failed', { error })}
        </p>
      )}
      <div
        ref={host}
        className="acon-chart__plot"
        role="img"
        aria-label={t('console.health.chart.summary', { metric: title, count: days.length, sources: lines.length })}
        data-testid="quality-trend"
        data-buckets={days.length}
      />
    </figure>
  );
}
