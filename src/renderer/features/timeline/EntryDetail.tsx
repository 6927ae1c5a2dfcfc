import type { TimelineEntry } from '../../../shared/domain/timeline.ts';
import type { MessageKey } from '../../i18n/catalogs.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { AbnormalMark } from './TimelineRowView.tsx';
import { abnormalFlag } from './timeline-model.ts';

export function EntryDetail({ entry }: { entry: TimelineEntry | undefined }) {
  const { t, fmt } = useI18n();
  if (!entry) {
    return (
      <aside className="tl-detail tl-detail--empty" data-testid="timeline-detail" data-state="empty">
        {t('detail.empty')}
      </aside>
    );
  }
  const flag = abnormalFlag(entry);
  return (
    <aside className="tl-detail" data-testid="timeline-detail" data-entry-id={entry.id} aria-label={entry.title}>
      <h2 className="tl-detail__title">
        <span className={`tl-kind tl-kind--${entry.kind}`}>{t(`kind.${entry.kind}` as MessageKey)}</span> {entry.title}
        {flag && <AbnormalMark flag={flag} />}
      </h2>
      <dl className="tl-detail__fields">
        {entry.summary && (
          <>
            <dt>{t('detail.summary')}</dt>
            <dd className={flag ? 'tl-detail__abnormal' : undefined}>{entry.summary}</dd>
          </>
        )}
        <dt>{t('detail.clinicalTime')}</dt>
        <dd>{entry.clinicalTime ? fmt.clinical(entry.clinicalTime) : t('timeline.undated')}</dd>
        {entry.recordedTime && (
          <>
            <dt>{t('detail.recordedTime')}</dt>
            <dd>{fmt.clinical(entry.recordedTime)}</dd>
          </>
        )}
        {entry.status && (
          <>
            <dt>{t('detail.status')}</dt>
            <dd>{entry.status}</dd>
          </>
        )}
        {entry.abnormal !== undefined && (
          <>
            <dt>{t('detail.abnormal')}</dt>
            <dd>{entry.abnormal ? t('detail.yes') : t('detail.no')}</dd>
          </>
        )}
        {entry.codes.length > 0 && (
          <>
            <dt>{t('detail.codes')}</dt>
            <dd>
              <ul className="tl-detail__codes">
                {entry.codes.map((c, i) => (
                  <li key={i}>
                    {c.display && <span>{c.display} </span>}
                    {c.code && <code>{c.code}</code>}
                    {c.system && <span className="tl-detail__system"> {c.system}</span>}
                  </li>
                ))}
              </ul>
            </dd>
          </>
        )}
      </dl>
      <h3 className="tl-detail__h3">
        {t('detail.provenance')}
        {entry.provenance.length > 1 && <span className="tl-detail__merged"> · {t('timeline.mergedFrom', { count: entry.provenance.length })}</span>}
      </h3>
      <table className="tl-detail__prov" data-testid="timeline-detail-provenance">
        <thead>
          <tr>
            <th>{t('sources.title')}</th>
            <th>{t('detail.messageType')}</th>
            <th>{t('detail.nativeId')}</th>
            <th>{t('detail.fetchedAt')}</th>
          </tr>
        </thead>
        <tbody>
          {entry.provenance.map((p, i) => (
            <tr key={i}>
              <td>
                {p.sourceName} <span className="tl-detail__system">({p.sourceKind})</span>
              </td>
              <td className="tl-detail__nowrap">{p.messageType ?? '—'}</td>
              <td>
                <code>{p.nativeId}</code>
              </td>
              <td className="tl-detail__nowrap">{fmt.dateTime(p.fetchedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <details className="tl-detail__rawbox" open>
        <summary className="tl-detail__h3">
          {t('detail.raw')} <code>{entry.resource.resourceType}</code>
        </summary>
        <pre className="tl-detail__raw" data-testid="timeline-detail-raw" tabIndex={0}>
          {JSON.stringify(entry.resource, null, 2)}
        </pre>
      </details>
    </aside>
  );
}
