import { useCallback, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { errorMessage } from '../../api/api-error.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { colorIndexOf, timeSeriesData, timeSeriesOptions, type TimeSeriesInput } from './time-series-options.ts';

const HEIGHT = 200;

/**
 * One figure of every source over time, on a canvas (uPlot, as the lab trends: it runs under the
 * app's CSP): the console's source-health charts and its quality trend alike.
 */
export function TimeSeriesChart({
  title,
  starts,
  lines,
  testId,
  daily,
  keyed = false,
}: Pick<TimeSeriesInput, 'starts' | 'lines'> & {
  title: string;
  testId: string;
  /** Axis labels as dates (else times of day). */
  daily: boolean;
  /** Name each line with its colour in the caption (where no table beside the chart does). */
  keyed?: boolean;
}) {
  const { t, fmt } = useI18n();
  const [failure, setFailure] = useState<{ lines: typeof lines; message: string }>();
  const error = failure?.lines === lines ? failure.message : undefined;

  // A ref callback: built when the host attaches, destroyed by its cleanup, rebuilt when the data change.
  const host = useCallback(
    (el: HTMLDivElement | null) => {
      if (!el) return;
      let plot: uPlot;
      const size = () => ({ width: Math.max(240, el.clientWidth), height: HEIGHT });
      try {
        plot = new uPlot(
          timeSeriesOptions({
            starts,
            lines,
            ...size(),
            formatTime: (ms) => (daily ? fmt.date(new Date(ms)) : fmt.time(new Date(ms))),
            formatValue: (v) => fmt.number(v, { maximumFractionDigits: 0 }),
          }),
          timeSeriesData({ starts, lines }),
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
    [starts, lines, fmt, daily],
  );

  return (
    <figure className="acon-chart">
      <figcaption className="acon-chart__title">
        {title}
        {keyed &&
          lines.map((line, i) => (
            <span key={line.label} className="acon-chart__key">
              {/* The console's colour keys (admin-console.css), in the same order as SOURCE_COLORS. */}
              <span className={`acon-key acon-key--${colorIndexOf(i)}`} aria-hidden="true" />
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
        aria-label={t('console.health.chart.summary', { metric: title, count: starts.length, sources: lines.length })}
        data-testid={testId}
        data-buckets={starts.length}
      />
    </figure>
  );
}
