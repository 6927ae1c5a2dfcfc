import { useMemo, useState } from 'react';
import type { PatientView } from '../../patient/open-patient-view.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { OpenProgress } from '../sources/OpenProgress.tsx';
import { FlowsheetChart } from './FlowsheetChart.tsx';
import { FlowsheetTable } from './FlowsheetTable.tsx';
import { kindWord, vitalNumber, unitWord, vitalWithUnit } from './vital-text.ts';
import { buildVitalsFlowsheet, type VitalReading } from './vitals-model.ts';
import './vitals.css';

/** The Vitals tab: the 体温单 chart over days, and the same values as a table. */
export function Vitals({ view }: { view: PatientView }) {
  const words = useI18n();
  const { t, fmt } = words;
  const sheet = useMemo(() => buildVitalsFlowsheet(view.entries), [view.entries]);
  const [pointed, setPointed] = useState<VitalReading | undefined>();

  if (view.phase === 'idle') return null;
  const loading = view.phase === 'opening';
  const hasData = sheet.rows.length > 0;
  return (
    <div className="vitals" data-testid="vitals" data-phase={view.phase}>
      <div className="vitals__toolbar">
        <h2 className="vitals__title">{t('vitals.title')}</h2>
        {hasData && (
          <span className="vitals__count" data-testid="vitals-count">
            {t('vitals.count', { days: fmt.number(sheet.days.length), times: fmt.number(sheet.rows.length) })}
          </span>
        )}
        {(sheet.latestHeight || sheet.latestWeight) && (
          <span className="vitals__body" data-testid="vitals-body">
            {t('vitals.latestBody', {
              height: sheet.latestHeight ? vitalWithUnit(words, sheet.latestHeight) : '–',
              weight: sheet.latestWeight ? vitalWithUnit(words, sheet.latestWeight) : '–',
            })}
          </span>
        )}
        <span className="vitals__hint" aria-hidden="true">
          {t('vitals.hint')}
        </span>
      </div>
      {loading && <OpenProgress view={view} />}
      {hasData ? (
        <>
          <div className="vitals__legend" aria-hidden="true">
            <span className="vitals-key vitals-key--temperature">×</span> {t('vitals.legend.temperature')}
            <span className="vitals-key vitals-key--pulse">●</span> {t('vitals.legend.pulse')}
            <span className="vitals-key vitals-key--abnormal">○</span> {t('vitals.legend.abnormal')}
            <span className="vitals-key vitals-key--normal">—</span> {t('vitals.legend.normalLine')}
          </div>
          <p className="vitals__readout" data-testid="vitals-readout" aria-live="polite">
            {pointed ? (
              <>
                <strong className={pointed.flag ? 'vitals-abnormal' : undefined}>
                  {kindWord(words, pointed.kind)} {vitalNumber(words, pointed)} {unitWord(words, pointed)}
                  {pointed.flag && ` ${t(`timeline.flag.${pointed.flag}`)}`}
                </strong>{' '}
                · {fmt.dateTime(new Date(pointed.ms))} · {t('vitals.sources')}:{' '}
                {pointed.provenance.map((p) => (
                  <span key={`${p.sourceId}|${p.nativeId}`} className="vitals-chip" data-testid="vitals-readout-chip">
                    {p.sourceName}
                  </span>
                ))}
              </>
            ) : (
              t('vitals.readout.pick')
            )}
          </p>
          <FlowsheetChart sheet={sheet} pointed={pointed} onPoint={setPointed} />
          {sheet.unplaced > 0 && (
            <p className="vitals__note" data-testid="vitals-unplaced">
              {t('vitals.unplaced', { count: fmt.number(sheet.unplaced) })}
            </p>
          )}
          <div className="vitals__table-wrap">
            <FlowsheetTable sheet={sheet} onPoint={setPointed} />
          </div>
        </>
      ) : loading ? (
        <div className="vitals__empty" aria-busy="true">
          {t('vitals.loading')}
        </div>
      ) : (
        <div className="vitals__empty" data-testid="vitals-empty" data-focus-target="vitals" tabIndex={-1}>
          {t('vitals.empty')} {t('vitals.emptyHint')}
        </div>
      )}
    </div>
  );
}
