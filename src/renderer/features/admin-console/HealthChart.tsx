import { useCallback, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { errorMessage } from '../../api/api-error.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { healthChartData, healthChartOptions, type HealthChartInput } from './health-chart-options.ts';

const HEIGHT = 200;

/** One figure of every source over the range, on a canvas (uPlot, as the lab trends: it runs under the app's CSP). */
export function HealthChart({
  title,
  starts,
  lines,
  testId,
  daily,
}: Pick<HealthChartInput, 'starts' | 'lines'> & { title: string; testId: string; daily: boolean }) {
  const { t, fmt } = useI18n();
  const [failure, setFailure] = useState<{ lines: typeof lines; message: string }>();
  const error = failure?.lines === lines ? failure.message : undefined;

  // A ref callback: built when the host attaches, destroyed by its cleanup, rebuilt when the data change.
  const host = useCallback(
    (el: HTMLDivElement | null) => {
      if (!el) return;
      let plot: uPlot;
      try {
        plot = new uPlot(
          healthChartOptions({
            starts,
            lines,
            width: Math.max(240, el.clientWidth),
            height: HEIGHT,
            formatTime: (ms) => (daily ? fmt.date(new Date(ms)) : fmt.time(new Date(ms))),
            formatValue: (v) => fmt.number(v, { maximumFractionDigits: 0 }),
          }),
          healthChartData({ starts, lines }),
          el,
        );
      } catch (e) {
        setFailure({ lines, message: errorMessage(e) });
        return;
      }
      const ro = new ResizeObserver(() => {
        if (el.clientWidth > 0) plot.setSize({ width: Math.max(240, el.clientWidth), height: HEIGHT });
      });
      ro.observe(el);
      return () => {
        ro.disconnect();
        plot.destroy();
      };
    },
    [starts, lines, fmt, daily],
  );

  return (
    <figure className="acon-chart">
      <figcaption className="acon-chart__title">{title}</figcaption>
      {error && (
        <p className="acon__error" role="alert">
          {t('console.health.chart.failed', { error })}
        </p>
      )}
      <div
        ref={host}
        className="acon-chart__plot"
        role="img"
        aria-label={t('console.health.chart.summary', { metric: title, count: starts.length, sources: lines.length })}
        data-testid={testId}
        data-buckets={starts.length}
      />
    </figure>
  );
}
