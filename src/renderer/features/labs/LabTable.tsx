import { useRef, type KeyboardEvent } from 'react';
import type { MessageKey } from '../../i18n/catalogs.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import type { LabCell, LabRow, LabTable as LabTableModel } from './labs-model.ts';

const FLAG_TEXT = { H: '↑', L: '↓', A: '!' } as const;

function CellView({ cells, row }: { cells: readonly LabCell[] | undefined; row: LabRow }) {
  const { t, fmt } = useI18n();
  if (!cells || cells.length === 0) return <td className="lab-cell lab-cell--none" />;
  const cell = cells[0]!;
  const flagLabel = cell.flag ? t(`timeline.flag.${cell.flag}` as MessageKey) : undefined;
  const title = [
    `${row.label} · ${fmt.clinical(cell.entry.clinicalTime)}`,
    `${cell.text} ${row.unit}${flagLabel ? ` (${flagLabel})` : ''}`,
    cell.original ? t('lab.original', { value: cell.original }) : '',
    cell.entry.provenance.map((p) => p.sourceName).join(' · '),
    cell.conflict
      ? (cell.entry.conflicts ?? []).flatMap((c) => c.values.map((v) => `${t('conflict.mark')}: ${v.sourceName} ${v.value}`)).join('\n')
      : '',
    cells.length > 1 ? t('labs.multiple', { count: cells.length }) : '',
  ]
    .filter(Boolean)
    .join('\n');
  return (
    <td
      className={`lab-cell${cell.flag ? ` lab-cell--${cell.flag}` : ''}${cell.conflict ? ' lab-cell--conflict' : ''}`}
      title={title}
      data-testid="lab-cell"
      data-flag={cell.flag}
      data-conflict={cell.conflict ? 'true' : undefined}
    >
      <span className="lab-cell__value">{cell.text}</span>
      {cell.flag && (
        <span className="lab-cell__flag" aria-label={flagLabel}>
          {FLAG_TEXT[cell.flag]}
        </span>
      )}
      {cell.conflict && (
        <span className="lab-cell__conflict" aria-label={t('conflict.mark')}>
          ≠
        </span>
      )}
      {cells.length > 1 && <span className="lab-cell__more">+{cells.length - 1}</span>}
    </td>
  );
}

export interface LabTableProps {
  table: LabTableModel;
  selectedKey: string | undefined;
  activeKey: string | undefined;
  onActivate(key: string): void;
  onSelect(key: string): void;
}

/**
 * The cumulative table: analytes down (grouped by report section), specimen times across,
 * newest first. Rows are a roving-tabindex list: ↑↓ Home End move, Enter or click opens the trend.
 */
export function LabTable({ table, selectedKey, activeKey, onActivate, onSelect }: LabTableProps) {
  const { t, fmt } = useI18n();
  const body = useRef<HTMLTableElement>(null);
  const keys = table.groups.flatMap((g) => g.rows.map((r) => r.key));
  const current = activeKey && keys.includes(activeKey) ? activeKey : keys[0];
  const sameDay = (i: number) => {
    const a = table.columns[i]!.time;
    return table.columns.some((c, j) => j !== i && c.time.year === a.year && c.time.month === a.month && c.time.day === a.day);
  };

  const focusRow = (key: string) => {
    onActivate(key);
    body.current?.querySelector<HTMLElement>(`tr[data-row-key="${CSS.escape(key)}"]`)?.focus();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTableRowElement>, key: string) => {
    const i = keys.indexOf(key);
    let next: string | undefined;
    switch (e.key) {
      case 'ArrowDown':
        next = keys[Math.min(keys.length - 1, i + 1)];
        break;
      case 'ArrowUp':
        next = keys[Math.max(0, i - 1)];
        break;
      case 'Home':
        next = keys[0];
        break;
      case 'End':
        next = keys[keys.length - 1];
        break;
      case 'Enter':
      case ' ':
        e.preventDefault();
        onSelect(key);
        return;
      default:
        return;
    }
    e.preventDefault();
    if (next) focusRow(next);
  };

  const columnCount = 3 + table.columns.length;
  return (
    <div className="labs-table__scroll" data-testid="lab-table-scroll">
      <table ref={body} className="labs-table" role="grid" aria-readonly="true" aria-label={t('labs.title')} data-testid="lab-table">
        <thead>
          <tr>
            <th scope="col" className="labs-table__sticky labs-table__analyte">
              {t('labs.analyte')}
            </th>
            <th scope="col" className="labs-table__sticky labs-table__unit">
              {t('labs.unit')}
            </th>
            <th scope="col" className="labs-table__sticky labs-table__range">
              {t('labs.range')}
            </th>
            {table.columns.map((c, i) => (
              <th
                key={c.key}
                scope="col"
                className="labs-table__date"
                data-testid="lab-column"
                data-time={new Date(c.time.ms).toISOString()}
              >
                <span className="labs-table__day">{fmt.date(c.time.date)}</span>
                {c.time.precision === 'time' && sameDay(i) && <span className="labs-table__time">{fmt.time(c.time.date)}</span>}
              </th>
            ))}
          </tr>
        </thead>
        {table.groups.map((g) => (
          <tbody key={g.key} data-testid="lab-group" data-group={g.key}>
            <tr className="labs-table__group">
              <th scope="rowgroup" colSpan={3} className="labs-table__sticky labs-table__groupname">
                {t(`labs.group.${g.key}` as MessageKey)}
              </th>
              <td colSpan={columnCount - 3} />
            </tr>
            {g.rows.map((r) => (
              <tr
                key={r.key}
                tabIndex={r.key === current ? 0 : -1}
                aria-selected={r.key === selectedKey}
                className={`labs-table__row${r.key === selectedKey ? ' labs-table__row--selected' : ''}`}
                data-testid="lab-row"
                data-row-key={r.key}
                data-focus-target={r.key === current ? 'labs' : undefined}
                data-analyte={r.analyte}
                data-loinc={r.loinc}
                onClick={() => {
                  onActivate(r.key);
                  onSelect(r.key);
                }}
                onFocus={() => onActivate(r.key)}
                onKeyDown={(e) => onKeyDown(e, r.key)}
              >
                <th scope="row" className="labs-table__sticky labs-table__analyte">
                  <span className="labs-table__name">{r.label}</span>
                  {r.loinc && <span className="labs-table__loinc">{r.loinc}</span>}
                </th>
                <td className="labs-table__sticky labs-table__unit">{r.unit}</td>
                <td className="labs-table__sticky labs-table__range">{r.range ?? '—'}</td>
                {table.columns.map((c) => (
                  <CellView key={c.key} cells={r.cells.get(c.key)} row={r} />
                ))}
              </tr>
            ))}
          </tbody>
        ))}
      </table>
    </div>
  );
}
