import { useCallback, useMemo, useState } from 'react';
import type { QualityOverview, QualityRange } from '../../../shared/api/admin-insight.ts';
import { QualityCodeSchema, type QualityCode } from '../../../shared/domain/quality.ts';
import { errorMessage } from '../../api/api-error.ts';
import { useApi } from '../../api/api-context.tsx';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { useApiRead } from '../../lib/use-api-read.ts';
import { downloadText } from './download-text.ts';
import { QualitySamples } from './QualitySamples.tsx';
import { RangeChoice, ReloadBar, TimeSeriesChart } from '../admin-parts/index.ts';
import { useSources } from '../sources/index.ts';
import './admin-quality.css';

const RANGES: readonly QualityRange[] = ['7d', '30d'];

type SourceNames = ReadonlyMap<string, string>;

/**
 * Quality: the findings of every record this workstation built, per source and kind, per day,
 * and the unmapped local codes IT can add to the mapping table — counts and codes only; a count
 * opens masked samples (audited), and the whole overview downloads as CSV.
 */
export function QualityPanel() {
  const api = useApi();
  const { t, fmt } = useI18n();
  const [range, setRange] = useState<QualityRange>('30d');
  const [drill, setDrill] = useState<{ sourceId: string; kind: QualityCode }>();
  const [exported, setExported] = useState<string>();
  const read = useCallback(() => api.adminQualityOverview({ range }), [api, range]);
  const view = useApiRead(read);
  const sources = useSources();
  // Named as the Sources tab names them; an id no longer configured stays as it was recorded.
  const names = useMemo(() => new Map(sources.map((s) => [s.sourceId, s.name])), [sources]);

  async function exportCsv() {
    try {
      const { filename, csv } = await api.adminQualityCsv({ range });
      downloadText(filename, csv, 'text/csv;charset=utf-8');
      setExported(t('console.quality.exported', { filename }));
    } catch (error) {
      setExported(t('console.failed', { error: errorMessage(error) }));
    }
  }

  return (
    <div className="aq" data-testid="console-quality" data-loading={view.loading}>
      <ReloadBar
        view={view}
        idle={exported ?? ''}
        statusTestId="quality-status"
        after={
          <button type="button" className="acon__button" data-testid="quality-export" onClick={() => void exportCsv()}>
            {t('console.quality.export')}
          </button>
        }
      >
        <RangeChoice<QualityRange>
          ranges={RANGES}
          value={range}
          onChange={setRange}
          label={(r) => t(`console.quality.range.${r}`)}
          testIdPrefix="quality-range-"
        />
      </ReloadBar>
      <p className="acon__note">{t('console.quality.storedNote')}</p>
      {view.value && (
        <>
          <p className="acon__muted" data-testid="quality-assessments" data-count={view.value.assessments}>
            {t('console.quality.assessments', { count: fmt.number(view.value.assessments) })}
          </p>
          {view.value.sources.length === 0 ? (
            <p className="acon__note">{t('console.quality.empty')}</p>
          ) : (
            <>
              <FindingsTable overview={view.value} names={names} onDrill={setDrill} />
              {drill && (
                <QualitySamples
                  key={`${drill.sourceId}:${drill.kind}`}
                  {...drill}
                  sourceName={names.get(drill.sourceId)}
                  onClose={() => setDrill(undefined)}
                />
              )}
              <section className="acon-block">
                <QualityTrend overview={view.value} names={names} />
              </section>
            </>
          )}
          <UnmappedCodes overview={view.value} names={names} />
        </>
      )}
    </div>
  );
}

/** Findings per day, one line per source: a day without findings is a zero (the builds were checked), never a gap. */
function QualityTrend({ overview, names }: { overview: QualityOverview; names: SourceNames }) {
  const { t } = useI18n();
  const lines = useMemo(
    () => overview.sources.map((s) => ({ label: names.get(s.sourceId) ?? s.sourceId, values: s.perDay })),
    [overview, names],
  );
  return <TimeSeriesChart title={t('console.quality.trend')} starts={overview.days} lines={lines} testId="quality-trend" daily keyed />;
}

function FindingsTable({
  overview,
  names,
  onDrill,
}: {
  overview: QualityOverview;
  names: SourceNames;
  onDrill(d: { sourceId: string; kind: QualityCode }): void;
}) {
  const { t, fmt } = useI18n();
  const kinds = QualityCodeSchema.options.filter((k) => overview.sources.some((s) => (s.byKind[k] ?? 0) > 0));
  return (
    <section className="acon-block" aria-labelledby="aq-findings">
      <h2 id="aq-findings" className="acon__subtitle">
        {t('console.quality.perSource')}
      </h2>
      <div className="aq__scroll">
        <table className="acon-table" data-testid="quality-findings">
          <thead>
            <tr>
              <th scope="col">{t('console.quality.source')}</th>
              {kinds.map((k) => (
                <th key={k} scope="col" data-kind={k}>
                  {t(`console.quality.kind.${k}`)}
                </th>
              ))}
              <th scope="col">{t('console.quality.total')}</th>
            </tr>
          </thead>
          <tbody>
            {overview.sources.map((s) => (
              <tr key={s.sourceId} data-testid="quality-source-row" data-source={s.sourceId} data-total={s.total}>
                <th scope="row">{names.get(s.sourceId) ?? s.sourceId}</th>
                {kinds.map((k) => {
                  const n = s.byKind[k] ?? 0;
                  return (
                    <td key={k}>
                      {n === 0 ? (
                        '—'
                      ) : (
                        <button
                          type="button"
                          className="aq__count"
                          data-testid="quality-drill"
                          data-kind={k}
                          data-source={s.sourceId}
                          title={t('console.quality.drill', {
                            source: names.get(s.sourceId) ?? s.sourceId,
                            kind: t(`console.quality.kind.${k}`),
                          })}
                          onClick={() => onDrill({ sourceId: s.sourceId, kind: k })}
                        >
                          {fmt.number(n)}
                        </button>
                      )}
                    </td>
                  );
                })}
                <td>{fmt.number(s.total)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function UnmappedCodes({ overview, names }: { overview: QualityOverview; names: SourceNames }) {
  const { t, fmt } = useI18n();
  return (
    <section className="acon-block" aria-labelledby="aq-unmapped">
      <h2 id="aq-unmapped" className="acon__subtitle">
        {t('console.quality.unmapped')}
      </h2>
      {overview.topUnmapped.length === 0 ? (
        <p className="acon__note">{t('console.quality.noUnmapped')}</p>
      ) : (
        <table className="acon-table" data-testid="quality-unmapped">
          <thead>
            <tr>
              <th scope="col">{t('console.quality.source')}</th>
              <th scope="col">{t('console.quality.system')}</th>
              <th scope="col">{t('console.quality.code')}</th>
              <th scope="col">{t('console.quality.count')}</th>
            </tr>
          </thead>
          <tbody>
            {overview.topUnmapped.map((u) => (
              <tr key={`${u.sourceId}|${u.system}|${u.code}`} data-testid="quality-unmapped-row" data-code={u.code}>
                <td>{names.get(u.sourceId) ?? u.sourceId}</td>
                <td>
                  <code>{u.system || '—'}</code>
                </td>
                <td>
                  <code>{u.code}</code>
                </td>
                <td>{fmt.number(u.count)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
