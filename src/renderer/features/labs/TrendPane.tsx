import type { MessageKey } from '../../i18n/catalogs.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { TrendChart } from './TrendChart.tsx';
import type { LabRow } from './labs-model.ts';

/** The side pane: the chosen analyte's trend and every result of it, newest first. */
export function TrendPane({ row }: { row: LabRow | undefined }) {
  const { t, fmt } = useI18n();
  if (!row) {
    return (
      <aside className="labs-trend labs-trend--empty" data-testid="lab-trend" data-state="empty">
        {t('labs.trend.pick')}
      </aside>
    );
  }
  const results = [...row.cells.values()].flat().sort((a, b) => (b.entry.clinicalTime ?? '').localeCompare(a.entry.clinicalTime ?? ''));
  return (
    <aside className="labs-trend" data-testid="lab-trend" data-row-key={row.key} aria-label={t('labs.trend.title', { name: row.label })}>
      <h2 className="labs-trend__title">{t('labs.trend.title', { name: row.label })}</h2>
      <p className="labs-trend__meta">
        {row.loinc && (
          <>
            LOINC <code>{row.loinc}</code> ·{' '}
          </>
        )}
        {row.unit && <>{row.unit} · </>}
        {t('labs.range')} {row.rangeWithUnit ?? '—'}
      </p>
      <TrendChart row={row} />
      <h3 className="labs-trend__h3">{t('labs.trend.values')}</h3>
      <table className="labs-trend__values" data-testid="lab-trend-values">
        <tbody>
          {results.map((c) => (
            <tr key={c.entry.id} className={c.flag ? 'labs-abnormal' : undefined}>
              <td className="labs-trend__when">{fmt.clinical(c.entry.clinicalTime)}</td>
              <td className="labs-trend__value">
                {c.text} {row.unit}
                {c.flag && <span className="lab-cell__flag"> {t(`timeline.flag.${c.flag}` as MessageKey)}</span>}
                {c.original && <span className="labs-trend__original"> ({t('lab.original', { value: c.original })})</span>}
                {c.conflict && <span className="lab-cell__conflict"> ⚠ {t('conflict.mark')}</span>}
              </td>
              <td className="labs-trend__src">{c.entry.provenance.map((p) => p.sourceName).join(' · ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </aside>
  );
}
