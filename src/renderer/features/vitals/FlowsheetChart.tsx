import { useLayoutEffect, useRef, type KeyboardEvent, type ReactNode } from 'react';
import { useI18n } from '../../i18n/i18n-context.tsx';
import {
  DAY_W,
  HEADER_H,
  HEADER_ROW_H,
  NUMBER_ROW_H,
  NUMBER_ROWS,
  numberRowY,
  offScale,
  PLOT_H,
  pulseAt,
  pulseY,
  SLOT_W,
  slotX,
  TEMP_MAX,
  TEMP_MIN,
  TEMP_STEP,
  temperatureY,
  TOTAL_H,
  type NumberRow,
} from './chart-geometry.ts';
import { flagArrow, kindWord, pressureNumber, unitWord, vitalNumber } from './vital-text.ts';
import type { DisplayUnit } from './vital-units.ts';
import { SLOT_HOURS, type FlowsheetDay, type VitalReading, type VitalsFlowsheet } from './vitals-model.ts';

const AXIS_W = 124;
/** Days scrolled per PageUp/PageDown: a printed 体温单 page is one week. */
const PAGE_DAYS = 7;
const ROW_UNIT: Record<NumberRow, DisplayUnit> = { respiration: 'perMinute', bloodPressure: 'mmHg', spo2: 'percent', weight: 'kg' };

export interface FlowsheetChartProps {
  sheet: VitalsFlowsheet;
  /** The reading pointed at here or chosen in the table: its mark is highlighted. */
  pointed?: VitalReading | undefined;
  /** A reading pointed at (hover or focus), for the readout above the chart. */
  onPoint(reading: VitalReading | undefined): void;
}

interface Plotted {
  reading: VitalReading;
  x: number;
  y: number;
}

function plotted(days: readonly FlowsheetDay[], kind: 'temperature' | 'pulse'): Plotted[] {
  const out: Plotted[] = [];
  days.forEach((day, d) =>
    day.slots.forEach((slot, s) => {
      const r = slot[kind];
      if (r) out.push({ reading: r, x: slotX(d, s), y: kind === 'temperature' ? temperatureY(r.value) : pulseY(r.value) });
    }),
  );
  return out;
}

/**
 * The 体温单 itself, drawn as SVG so the numbers under the chart line up with its slot columns
 * and every mark is an element (its own title and hover): days scroll sideways under a fixed
 * axis; temperature blue ×, pulse red ●, a ring round each abnormal value, 37 ℃ in red.
 */
export function FlowsheetChart({ sheet, pointed, onPoint }: FlowsheetChartProps) {
  const words = useI18n();
  const { t, fmt } = words;
  const scroller = useRef<HTMLDivElement>(null);
  const width = Math.max(1, sheet.days.length) * DAY_W;
  const temps = plotted(sheet.days, 'temperature');
  const pulses = plotted(sheet.days, 'pulse');

  // The newest days are what the ward reads first: start scrolled to the end.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el) el.scrollLeft = el.scrollWidth;
  }, [sheet]);

  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const el = e.currentTarget;
    const by: Record<string, number> = { ArrowLeft: -DAY_W, ArrowRight: DAY_W, PageUp: -DAY_W * PAGE_DAYS, PageDown: DAY_W * PAGE_DAYS };
    if (e.key in by) el.scrollLeft += by[e.key]!;
    else if (e.key === 'Home') el.scrollLeft = 0;
    else if (e.key === 'End') el.scrollLeft = el.scrollWidth;
    else return;
    e.preventDefault();
  };

  const describe = (r: VitalReading) =>
    `${kindWord(words, r.kind)} ${vitalNumber(words, r)} ${unitWord(words, r)}${r.flag ? ` ${t(`timeline.flag.${r.flag}`)}` : ''}${offScale(r.kind === 'pulse' ? 'pulse' : 'temperature', r.value) ? ` (${t('vitals.offScale')})` : ''} · ${fmt.dateTime(new Date(r.ms))} · ${t('vitals.sources')}: ${r.provenance.map((p) => p.sourceName).join(', ')}`;

  const mark = (p: Plotted, kind: 'temperature' | 'pulse', shape: ReactNode) => (
    <g
      key={`${kind}-${p.reading.ms}`}
      className={`vitals-mark vitals-mark--${kind}${p.reading.flag ? ' vitals-mark--abnormal' : ''}${p.reading === pointed ? ' vitals-mark--pointed' : ''}`}
      data-testid={`vitals-mark-${kind}`}
      data-value={p.reading.value}
      data-flag={p.reading.flag}
      data-off-scale={offScale(kind, p.reading.value) ? 'true' : undefined}
      onMouseEnter={() => onPoint(p.reading)}
      onMouseLeave={() => onPoint(undefined)}
    >
      <title>{describe(p.reading)}</title>
      {p.reading === pointed && <circle className="vitals-mark__focus" cx={p.x} cy={p.y} r={10} />}
      {p.reading.flag && <circle className="vitals-mark__ring" cx={p.x} cy={p.y} r={7} />}
      {shape}
      {/* A wider, invisible target: a 3 px mark is hard to point at. */}
      <circle className="vitals-mark__hit" cx={p.x} cy={p.y} r={9} />
    </g>
  );

  return (
    <div className="vitals-chart">
      <svg className="vitals-chart__axis" width={AXIS_W} height={TOTAL_H} aria-hidden="true">
        <AxisLabels />
      </svg>
      <div
        ref={scroller}
        className="vitals-chart__scroll"
        tabIndex={0}
        role="group"
        aria-label={t('vitals.chart.scroll')}
        data-focus-target="vitals"
        data-testid="vitals-chart-scroll"
        onKeyDown={onKey}
      >
        <svg
          className="vitals-chart__grid"
          width={width}
          height={TOTAL_H}
          role="img"
          aria-label={t('vitals.chart.label', { days: fmt.number(sheet.days.length) })}
          data-testid="vitals-chart"
          data-days={sheet.days.length}
        >
          <DayHeaders days={sheet.days} />
          <Grid days={sheet.days.length} />
          <polyline className="vitals-line vitals-line--pulse" points={pulses.map((p) => `${p.x},${p.y}`).join(' ')} />
          <polyline className="vitals-line vitals-line--temperature" points={temps.map((p) => `${p.x},${p.y}`).join(' ')} />
          {pulses.map((p) => mark(p, 'pulse', <circle className="vitals-mark__dot" cx={p.x} cy={p.y} r={3.5} />))}
          {temps.map((p) =>
            mark(
              p,
              'temperature',
              <path
                className="vitals-mark__cross"
                d={`M${p.x - 4},${p.y - 4}L${p.x + 4},${p.y + 4}M${p.x - 4},${p.y + 4}L${p.x + 4},${p.y - 4}`}
              />,
            ),
          )}
          <NumberRows days={sheet.days} onPoint={onPoint} />
        </svg>
      </div>
    </div>
  );
}

/** The fixed left column: row names, and the pulse and temperature scales side by side. */
function AxisLabels() {
  const words = useI18n();
  const { t } = words;
  const degrees = Array.from({ length: TEMP_MAX - TEMP_MIN + 1 }, (_, i) => TEMP_MAX - i);
  // Short names on the narrow axis ("BP", "Temp."), the full ones in the table.
  const rowLabel = (row: NumberRow) => `${t(`vitals.axis.${row}`)} ${t(`vitals.unit.${ROW_UNIT[row]}`)}`;
  return (
    <>
      {(['vitals.row.date', 'vitals.row.hospitalDay', 'vitals.row.time'] as const).map((key, i) => (
        <text key={key} className="vitals-axis__row" x={8} y={i * HEADER_ROW_H + HEADER_ROW_H / 2}>
          {t(key)}
        </text>
      ))}
      <text className="vitals-axis__title vitals-axis__title--pulse" x={32} y={HEADER_H + 8}>
        {t('vitals.axis.pulse')}
      </text>
      <text className="vitals-axis__title vitals-axis__title--temperature" x={92} y={HEADER_H + 8}>
        {t('vitals.axis.temperature')}
      </text>
      <text className="vitals-axis__unit vitals-axis__unit--pulse" x={32} y={HEADER_H + 21}>
        {t('vitals.unit.perMinute')}
      </text>
      <text className="vitals-axis__unit vitals-axis__unit--temperature" x={92} y={HEADER_H + 21}>
        {t('vitals.unit.celsius')}
      </text>
      {degrees.map((deg) => {
        const y = temperatureY(deg);
        // The top line's labels would sit on the unit captions: the scale reads from 41 down there.
        if (deg === TEMP_MAX) return null;
        return (
          <g key={deg}>
            <text className="vitals-axis__tick vitals-axis__tick--pulse" x={32} y={y}>
              {pulseAt(deg)}
            </text>
            <text className="vitals-axis__tick vitals-axis__tick--temperature" x={92} y={y}>
              {deg}
            </text>
          </g>
        );
      })}
      {NUMBER_ROWS.map((row) => (
        <text key={row} className="vitals-axis__row" x={8} y={numberRowY(row) + NUMBER_ROW_H / 2}>
          {rowLabel(row)}
        </text>
      ))}
      <line className="vitals-grid__day" x1={AXIS_W - 0.5} x2={AXIS_W - 0.5} y1={0} y2={TOTAL_H} />
    </>
  );
}

function DayHeaders({ days }: { days: readonly FlowsheetDay[] }) {
  const { t, fmt } = useI18n();
  return (
    <g className="vitals-days">
      {days.map((day, d) => {
        const x = d * DAY_W;
        const prev = days[d - 1];
        // The year and month are printed where they change, as a paper chart's date row has them.
        const full = !prev || prev.date.getFullYear() !== day.date.getFullYear() || prev.date.getMonth() !== day.date.getMonth();
        return (
          <g key={day.key} data-testid="vitals-day" data-day={day.key} data-hospital-day={day.hospitalDay}>
            <text className="vitals-days__date" x={x + DAY_W / 2} y={HEADER_ROW_H / 2}>
              {full ? fmt.date(day.date) : fmt.number(day.date.getDate())}
            </text>
            <text className="vitals-days__hospital" x={x + DAY_W / 2} y={HEADER_ROW_H * 1.5}>
              {day.hospitalDay !== undefined ? t('vitals.hospitalDay', { n: fmt.number(day.hospitalDay) }) : ''}
            </text>
            {SLOT_HOURS.map((hour, s) => (
              <text
                key={hour}
                className={`vitals-days__hour${hour < 6 || hour > 18 ? ' vitals-days__hour--night' : ''}`}
                x={x + s * SLOT_W + SLOT_W / 2}
                y={HEADER_ROW_H * 2.5}
              >
                {hour}
              </text>
            ))}
          </g>
        );
      })}
    </g>
  );
}

function Grid({ days }: { days: number }) {
  const width = Math.max(1, days) * DAY_W;
  const steps = Math.round((TEMP_MAX - TEMP_MIN) / TEMP_STEP);
  const lines: ReactNode[] = [];
  for (let i = 0; i <= steps; i++) {
    const y = HEADER_H + (i * PLOT_H) / steps;
    lines.push(
      <line key={`h${i}`} className={i % 5 === 0 ? 'vitals-grid__degree' : 'vitals-grid__minor'} x1={0} x2={width} y1={y} y2={y} />,
    );
  }
  for (let i = 0; i <= days * 6; i++) {
    const x = i * SLOT_W + (i === 0 ? 0.5 : 0);
    lines.push(
      <line
        key={`v${i}`}
        className={i % 6 === 0 ? 'vitals-grid__day' : 'vitals-grid__slot'}
        x1={x}
        x2={x}
        y1={i % 6 === 0 ? 0 : HEADER_ROW_H * 2}
        y2={TOTAL_H}
      />,
    );
  }
  for (let r = 1; r <= 3; r++)
    lines.push(<line key={`hr${r}`} className="vitals-grid__row" x1={0} x2={width} y1={r * HEADER_ROW_H} y2={r * HEADER_ROW_H} />);
  for (const row of NUMBER_ROWS)
    lines.push(
      <line
        key={row}
        className="vitals-grid__row"
        x1={0}
        x2={width}
        y1={numberRowY(row) + NUMBER_ROW_H}
        y2={numberRowY(row) + NUMBER_ROW_H}
      />,
    );
  const normal = temperatureY(37);
  return (
    <g className="vitals-grid">
      {lines}
      <line className="vitals-grid__normal" x1={0} x2={width} y1={normal} y2={normal} />
    </g>
  );
}

/** Respiration and SpO₂ per slot, blood pressure per half day, weight per day, under their columns. */
function NumberRows({ days, onPoint }: { days: readonly FlowsheetDay[]; onPoint(r: VitalReading | undefined): void }) {
  const words = useI18n();
  const cell = (
    key: string,
    row: NumberRow,
    x: number,
    text: string,
    reading: VitalReading | undefined,
    flagged: VitalReading['flag'],
    testId: string,
  ) => (
    <text
      key={key}
      className={`vitals-num${flagged ? ' vitals-num--abnormal' : ''}`}
      x={x}
      y={numberRowY(row) + NUMBER_ROW_H / 2}
      data-testid={testId}
      onMouseEnter={() => onPoint(reading)}
      onMouseLeave={() => onPoint(undefined)}
    >
      {text}
      {flagged ? flagArrow(flagged) : ''}
    </text>
  );
  const out: ReactNode[] = [];
  days.forEach((day, d) => {
    day.slots.forEach((slot, s) => {
      if (slot.respiration)
        out.push(
          cell(
            `r${d}-${s}`,
            'respiration',
            slotX(d, s),
            vitalNumber(words, slot.respiration),
            slot.respiration,
            slot.respiration.flag,
            'vitals-num-respiration',
          ),
        );
      if (slot.spo2)
        out.push(cell(`s${d}-${s}`, 'spo2', slotX(d, s), vitalNumber(words, slot.spo2), slot.spo2, slot.spo2.flag, 'vitals-num-spo2'));
    });
    day.bloodPressure.forEach((bp, half) => {
      if (!bp) return;
      const flag = bp.systolic?.flag ?? bp.diastolic?.flag;
      out.push(
        cell(
          `bp${d}-${half}`,
          'bloodPressure',
          d * DAY_W + (half + 0.5) * (DAY_W / 2),
          pressureNumber(words, bp),
          bp.systolic ?? bp.diastolic,
          flag,
          'vitals-num-bp',
        ),
      );
    });
    if (day.weight)
      out.push(
        cell(`w${d}`, 'weight', d * DAY_W + DAY_W / 2, vitalNumber(words, day.weight), day.weight, day.weight.flag, 'vitals-num-weight'),
      );
  });
  return <g className="vitals-nums">{out}</g>;
}
