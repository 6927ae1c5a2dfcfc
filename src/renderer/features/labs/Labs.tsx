import { useMemo, useState } from 'react';
import type { PatientView } from '../../patient/open-patient-view.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { OpenProgress } from '../sources/OpenProgress.tsx';
import { LabTable } from './LabTable.tsx';
import { TrendPane } from './TrendPane.tsx';
import { buildLabTable } from './labs-model.ts';
import { observationValueText } from '../../i18n/observation-value-text.ts';
import './labs.css';

/** The Labs tab: the cumulative results table and, for the chosen analyte, its trend. */
export function Labs({ view }: { view: PatientView }) {
  const i18n = useI18n();
  const { t, fmt } = i18n;
  const table = useMemo(
    () => buildLabTable(view.entries, fmt.number.bind(fmt), (value) => observationValueText({ t, fmt }, value)),
    [view.entries, fmt, t],
  );
  const [selectedKey, setSelectedKey] = useState<string | undefined>();
  const [activeKey, setActiveKey] = useState<string | undefined>();
  const selected = useMemo(
    () => (selectedKey ? table.groups.flatMap((g) => g.rows).find((r) => r.key === selectedKey) : undefined),
    [table, selectedKey],
  );

  if (view.phase === 'idle') return null;
  const loading = view.phase === 'opening';
  return (
    <div className="labs" data-testid="labs" data-phase={view.phase}>
      <div className="labs__main">
        <div className="labs__toolbar">
          <h2 className="labs__title">{t('labs.title')}</h2>
          {table.rowCount > 0 && (
            <span className="labs__count" data-testid="labs-count">
              {t('labs.count', { analytes: fmt.number(table.rowCount), dates: fmt.number(table.columns.length) })}
            </span>
          )}
          <span className="labs__hint" aria-hidden="true">
            {t('labs.hint')}
          </span>
        </div>
        {loading && <OpenProgress view={view} />}
        {view.phase === 'failed' && (
          <div className="tl__error" role="alert" data-testid="labs-error">
            {t('timeline.openFailed', { message: view.error ?? '' })} {t('timeline.openFailedHint')}
          </div>
        )}
        {table.rowCount > 0 ? (
          <LabTable table={table} selectedKey={selectedKey} activeKey={activeKey} onActivate={setActiveKey} onSelect={setSelectedKey} />
        ) : loading ? (
          <div className="labs__skeleton" data-testid="labs-skeleton" aria-busy="true" aria-label={t('labs.loading')}>
            {Array.from({ length: 7 }, (_, i) => (
              <div key={i} className="labs__skeleton-row" aria-hidden="true">
                <span className="tl-skel tl-skel--title" />
                {Array.from({ length: 6 }, (_, j) => (
                  <span key={j} className="tl-skel tl-skel--cell" />
                ))}
              </div>
            ))}
          </div>
        ) : (
          <div className="labs__empty" data-testid="labs-empty" data-focus-target="labs" tabIndex={-1}>
            {t('labs.empty')} {t('labs.emptyHint')}
          </div>
        )}
      </div>
      <TrendPane row={selected} />
    </div>
  );
}
