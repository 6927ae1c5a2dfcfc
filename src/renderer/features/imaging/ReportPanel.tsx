import { useOpenView } from '../../lib/open-view.tsx';
import type { LinkedOrder } from './imaging-order-refs.ts';
import type { LinkedReport } from './imaging-report-refs.ts';
import type { ImagingLabel } from './imaging-words.ts';
import { OrderSection } from './OrderSection.tsx';
import { reportOwnIndication } from './report-indication.ts';
import { useWithheldReports } from './report-access.tsx';

export interface ReportPanelProps {
  /** The reports linked to the open study, newest first; undefined when the viewer was given no record. */
  reports: readonly LinkedReport[] | undefined;
  /** The orders behind the open study; undefined when the viewer was given none to show (no order section). */
  orders?: readonly LinkedOrder[] | undefined;
  locale: string;
  t(key: ImagingLabel, params?: Record<string, string>): string;
}

/**
 * One formatter per locale: the panel re-renders with the viewer on every scroll step, and
 * building an Intl.DateTimeFormat each time showed in the linked scroll's profile (≈ 0.4 ms a step).
 */
const formats = new Map<string, Intl.DateTimeFormat>();

function when(locale: string, iso: string | undefined): string {
  if (!iso) return '';
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  let format = formats.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Shanghai' });
    formats.set(locale, format);
  }
  return format.format(at);
}

/** What the report itself says of why the study was done, beyond the order's reason shown above it. */
function ReportIndication({ texts, locale, t }: { texts: readonly string[]; locale: string; t: ReportPanelProps['t'] }) {
  if (texts.length === 0) return null;
  return (
    <section>
      <h4 className="imaging__report-label">{t('report-indication')}</h4>
      <p data-testid="imaging-report-indication">{texts.join(locale.startsWith('zh') ? '；' : '; ')}</p>
    </section>
  );
}

/**
 * The order behind the study (OrderSection, with the reason for the study), then its radiology report: what the report adds
 * to that reason, findings, impression, who signed it and
 * when, where it came from and how it was linked to the study. One click goes to the report's
 * entry in the record; a document (a CDA 检查报告) also opens in the documents view as written.
 */
export function ReportPanel({ reports, orders, locale, t }: ReportPanelProps) {
  const openView = useOpenView();
  const withheld = useWithheldReports();
  const withheldNote = withheld.length > 0 && (
    <p className="imaging__report-withheld" data-testid="imaging-report-withheld">
      {t('report-withheld', { types: withheld.join(', ') })}
    </p>
  );
  const order = orders && <OrderSection orders={orders} locale={locale} t={t} when={(iso) => when(locale, iso)} />;
  if (!reports || reports.length === 0) {
    return (
      <aside
        className="imaging__report imaging__report--none"
        tabIndex={-1}
        data-testid="imaging-report"
        data-state="none"
        aria-label={t('report-title')}
      >
        {order}
        <h3 className="imaging__heading">{t('report-title')}</h3>
        {/* With an order in hand the study is simply not reported yet; without one, say how it was looked for. */}
        <p data-testid="imaging-report-none">{orders && orders.length > 0 ? t('report-not-yet') : t('report-none')}</p>
        {withheldNote}
      </aside>
    );
  }
  return (
    <aside className="imaging__report" tabIndex={-1} data-testid="imaging-report" data-state="linked" aria-label={t('report-title')}>
      {order}
      {reports.map((report) => (
        <article
          key={report.entryId}
          className="imaging__report-item"
          data-testid="imaging-report-item"
          data-entry-id={report.entryId}
          data-matched-by={report.matchedBy.join(' ')}
        >
          <h3 className="imaging__heading">{report.title}</h3>
          <p className="imaging__report-match" data-testid="imaging-report-match">
            {t(
              report.matchedBy.length === 2
                ? 'report-match-both'
                : report.matchedBy[0] === 'accession'
                  ? 'report-match-accession'
                  : 'report-match-study-uid',
            )}
          </p>
          <ReportIndication texts={reportOwnIndication(report, orders)} locale={locale} t={t} />
          <section>
            <h4 className="imaging__report-label">{t('report-findings')}</h4>
            <p data-testid="imaging-report-findings">{report.findings ?? t('report-not-given')}</p>
          </section>
          <section>
            <h4 className="imaging__report-label">{t('report-impression')}</h4>
            <p className="imaging__report-impression" data-testid="imaging-report-impression">
              {report.impression ?? t('report-not-given')}
            </p>
          </section>
          <dl className="imaging__report-facts">
            <dt>{t('report-author')}</dt>
            <dd>{report.author ?? t('report-not-given')}</dd>
            <dt>{t('report-time')}</dt>
            <dd>{report.time ? when(locale, report.time) : t('report-not-given')}</dd>
            <dt>{t('report-source')}</dt>
            <dd data-testid="imaging-report-source" title={report.nativeId}>
              {report.sourceName ?? t('report-not-given')}
            </dd>
          </dl>
          {openView && (
            <button
              type="button"
              className="imaging__report-open"
              data-testid="imaging-report-open"
              onClick={() => openView({ view: 'timeline', entryId: report.entryId })}
            >
              {t('report-open')}
            </button>
          )}
          {openView && report.document && (
            <button
              type="button"
              className="imaging__report-open"
              data-testid="imaging-report-open-document"
              onClick={() => openView({ view: 'documents', entryId: report.entryId })}
            >
              {t('report-open-document')}
            </button>
          )}
        </article>
      ))}
      {withheldNote}
    </aside>
  );
}
