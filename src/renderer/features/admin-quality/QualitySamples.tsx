import { useCallback } from 'react';
import type { QualityCode } from '../../../shared/domain/quality.ts';
import { useApi } from '../../api/api-context.tsx';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { useApiRead } from '../../lib/use-api-read.ts';

/** One drill-down: masked references and field paths only (main audits the read before answering). */
export function QualitySamples({
  sourceId,
  sourceName,
  kind,
  onClose,
}: {
  sourceId: string;
  /** As the Sources tab names it; the id when the source is no longer configured. */
  sourceName?: string;
  kind: QualityCode;
  onClose(): void;
}) {
  const api = useApi();
  const { t, fmt } = useI18n();
  const read = useCallback(() => api.adminQualitySamples({ sourceId, kind }), [api, sourceId, kind]);
  const view = useApiRead(read);
  const kindText = t(`console.quality.kind.${kind}`);
  return (
    <section className="acon-block aq-samples" aria-labelledby="aq-samples" data-testid="quality-samples" data-loading={view.loading}>
      <header className="acon-config__bar">
        <h3 id="aq-samples" className="acon__minor">
          {t('console.quality.samples', { source: sourceName ?? sourceId, kind: kindText })}
        </h3>
        <button type="button" className="acon__button" onClick={onClose}>
          {t('console.quality.close')}
        </button>
      </header>
      <p className="acon__note">{t('console.quality.samplesNote')}</p>
      {view.error && <p className="acon__bad">{t('console.failed', { error: view.error })}</p>}
      {view.value && view.value.samples.length === 0 && <p className="acon__note">{t('console.quality.noSamples')}</p>}
      {view.value && view.value.samples.length > 0 && (
        <table className="acon-table">
          <thead>
            <tr>
              <th scope="col">{t('console.quality.maskedRef')}</th>
              <th scope="col">{t('console.quality.resourceType')}</th>
              <th scope="col">{t('console.quality.field')}</th>
              <th scope="col">{t('console.quality.day')}</th>
            </tr>
          </thead>
          <tbody>
            {view.value.samples.map((s, i) => (
              <tr key={`${s.maskedRef}:${s.field}:${s.day}:${i}`} data-testid="quality-sample">
                <td>
                  <code>{s.maskedRef}</code>
                </td>
                <td>{s.resourceType}</td>
                <td>
                  <code>{s.field}</code>
                </td>
                <td>{fmt.date(new Date(s.day))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
