import { useMemo, useState, type KeyboardEvent } from 'react';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { flagArrow, kindWord, unitWord, vitalNumber } from './vital-text.ts';
import type { VitalKind } from './vital-units.ts';
import type { FlowsheetRow, VitalReading, VitalsFlowsheet } from './vitals-model.ts';

/** The table's value columns; blood pressure is one column of two readings. */
const COLUMNS = ['temperature', 'pulse', 'respiration', 'bloodPressure', 'spo2', 'weight', 'height'] as const;
type Column = (typeof COLUMNS)[number];

const COLUMN_UNIT: Record<Column, VitalKind> = {
  temperature: 'temperature',
  pulse: 'pulse',
  respiration: 'respiration',
  bloodPressure: 'systolic',
  spo2: 'spo2',
  weight: 'weight',
  height: 'height',
};

function readingsIn(row: FlowsheetRow, column: Column): VitalReading[] {
  if (column !== 'bloodPressure') return row.readings[column] ? [row.readings[column]] : [];
  return [row.readings.systolic, row.readings.diastolic].filter((r): r is VitalReading => r !== undefined);
}

/**
 * The same values as the chart, one row per measuring time, newest first. One cell is in the
 * tab order at a time (arrow keys move it); hovering or focusing a value shows its sources,
 * the value as sent when its unit was converted, and any system that disagreed.
 */
export function FlowsheetTable({ sheet, onPoint }: { sheet: VitalsFlowsheet; onPoint(reading: VitalReading | undefined): void }) {
  const words = useI18n();
  const { t, fmt } = words;
  const rows = useMemo(() => [...sheet.rows].reverse(), [sheet.rows]);
  const columns = useMemo(() => COLUMNS.filter((c) => rows.some((r) => readingsIn(r, c).length > 0)), [rows]);
  const [active, setActive] = useState<{ row: number; col: number }>({ row: 0, col: 0 });

  const onKey = (e: KeyboardEvent<HTMLTableSectionElement>) => {
    const moves: Record<string, [number, number]> = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    const move = moves[e.key];
    let next: { row: number; col: number } | undefined;
    if (move)
      next = {
        row: Math.min(rows.length - 1, Math.max(0, active.row + move[0])),
        col: Math.min(columns.length - 1, Math.max(0, active.col + move[1])),
      };
    else if (e.key === 'Home') next = { row: active.row, col: 0 };
    else if (e.key === 'End') next = { row: active.row, col: columns.length - 1 };
    if (!next) return;
    e.preventDefault();
    setActive(next);
    e.currentTarget.querySelector<HTMLElement>(`[data-cell="${next.row}:${next.col}"]`)?.focus();
  };

  return (
    <table className="vitals-table" data-testid="vitals-table">
      <caption className="vitals-table__caption">{t('vitals.table.title')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('vitals.table.time')}</th>
          <th scope="col">{t('vitals.row.hospitalDay')}</th>
          {columns.map((c) => (
            <th key={c} scope="col" data-column={c}>
              {kindWord(words, c)} <span className="vitals-table__unit">{unitWord(words, { unit: unitOf(c) })}</span>
            </th>
          ))}
        </tr>
      </thead>
      <tbody onKeyDown={onKey}>
        {rows.map((row, r) => (
          <tr key={row.ms} data-testid="vitals-row" data-time={new Date(row.ms).toISOString()}>
            <th scope="row" className="vitals-table__time">
              {fmt.dateTime(new Date(row.ms))}
            </th>
            <td className="vitals-table__day">
              {row.hospitalDay !== undefined ? t('vitals.hospitalDay', { n: fmt.number(row.hospitalDay) }) : ''}
            </td>
            {columns.map((c, col) => (
              <ValueCell
                key={c}
                column={c}
                readings={readingsIn(row, c)}
                id={`${r}:${col}`}
                tabbable={active.row === r && active.col === col}
                onFocus={() => {
                  setActive({ row: r, col });
                  // The chart's readout follows the keyboard too: what, when, from where.
                  onPoint(readingsIn(row, c)[0]);
                }}
              />
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function unitOf(column: Column): VitalReading['unit'] {
  return (
    {
      temperature: 'celsius',
      pulse: 'perMinute',
      respiration: 'perMinute',
      bloodPressure: 'mmHg',
      spo2: 'percent',
      weight: 'kg',
      height: 'cm',
    } as const
  )[column];
}

interface ValueCellProps {
  column: Column;
  readings: VitalReading[];
  id: string;
  tabbable: boolean;
  onFocus(): void;
}

function ValueCell({ column, readings, id, tabbable, onFocus }: ValueCellProps) {
  const words = useI18n();
  const { t } = words;
  const flag = readings.find((r) => r.flag)?.flag;
  const conflict = readings.some((r) => r.conflicts && r.conflicts.length > 0);
  const text =
    column === 'bloodPressure' ? readings.map((r) => vitalNumber(words, r)).join('/') : readings[0] ? vitalNumber(words, readings[0]) : '';
  const sources = [...new Map(readings.flatMap((r) => r.provenance).map((p) => [`${p.sourceId}|${p.sourceName}`, p])).values()];
  return (
    <td
      className={`vitals-cell${flag ? ' vitals-cell--abnormal' : ''}${conflict ? ' vitals-cell--conflict' : ''}`}
      data-cell={id}
      data-column={column}
      data-kind={COLUMN_UNIT[column]}
      data-flag={flag}
      data-testid={readings.length > 0 ? 'vitals-cell' : undefined}
      tabIndex={tabbable ? 0 : -1}
      onFocus={onFocus}
    >
      {readings.length > 0 && (
        <>
          <span className="vitals-cell__value">
            {text}
            {flag && (
              <abbr className="vitals-cell__flag" title={t(`timeline.flag.${flag}`)}>
                {flagArrow(flag)}
              </abbr>
            )}
            {conflict && (
              <span className="vitals-cell__conflict" title={t('conflict.title')}>
                ≠
              </span>
            )}
          </span>
          <span className="vitals-cell__pop" role="note" data-testid="vitals-sources">
            <span className="vitals-cell__pop-label">{t('vitals.sources')}</span>
            {sources.map((p) => (
              <span
                key={`${p.sourceId}|${p.sourceName}`}
                className="vitals-chip"
                data-testid="vitals-source-chip"
                data-source-id={p.sourceId}
                title={p.messageType}
              >
                {p.sourceName}
              </span>
            ))}
            {readings.map((r) =>
              r.original ? (
                <span key={`o-${r.kind}`} className="vitals-cell__original">
                  {t('vitals.original', { value: `${r.original.value} ${r.original.unit}` })}
                </span>
              ) : null,
            )}
            {readings.flatMap((r) =>
              (r.conflicts ?? []).map((c, i) => (
                <span key={`c-${r.kind}-${i}`} className="vitals-cell__disagree">
                  {c.sourceName}: {c.value}
                </span>
              )),
            )}
          </span>
        </>
      )}
    </td>
  );
}
