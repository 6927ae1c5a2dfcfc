import type { ReactNode } from 'react';
import type { TimelineEntry } from '../../../shared/domain/timeline.ts';
import type { MessageKey } from '../../i18n/catalogs.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { codedFacts, fhirStatusLabel } from '../../i18n/fhir-status.ts';
import { labValueText } from '../../lib/lab-value.ts';
import { encounterFacts } from './GroupHeaders.tsx';
import { AbnormalMark, ConflictMark } from './TimelineRowView.tsx';
import { entryView } from './entry-view.ts';
import { useOpenView } from '../../lib/open-view.tsx';
import { imagingStudyRefs } from '../imaging/imaging-study-refs.ts';
import { studyForReport } from '../../../shared/domain/imaging-report-link.ts';
import { resultAttachments } from '../../../shared/domain/result-attachment.ts';
import { RawResource } from './RawResource.tsx';

export interface EntryDetailProps {
  entry: TimelineEntry | undefined;
  /** Finds the encounter or report an entry points to, to name it and jump to it. */
  lookup(id: string): TimelineEntry | undefined;
  onSelect(id: string): void;
  /** The open patient, to fetch a result's whole resource from main. */
  viewId?: string | undefined;
  /** The record's entries, to find the study a report names (by accession or Study Instance UID). */
  entries?: readonly TimelineEntry[];
}

function Field({ label, children, className }: { label: string; children: ReactNode; className?: string | undefined }) {
  return (
    <>
      <dt>{label}</dt>
      <dd className={className}>{children}</dd>
    </>
  );
}

/** One click from the entry to where it is read: the viewer (a study, or the study a report names) or the documents. */
function OpenButtons({ entry, entries }: { entry: TimelineEntry; entries: readonly TimelineEntry[] | undefined }) {
  const { t } = useI18n();
  const openView = useOpenView();
  if (!openView) return null;
  const study = entry.kind === 'imaging' ? imagingStudyRefs([entry])[0] : undefined;
  const reportStudy = entries && (entry.kind === 'report' || entry.kind === 'document') ? studyForReport(entry, entries) : undefined;
  // A result sent as a file (HL7 v2 ED): the document it is derived from, one click away.
  const attachment =
    entries && entry.kind === 'observation'
      ? [...resultAttachments(entries)].find(([, results]) => results.some((r) => r.id === entry.id))?.[0]
      : undefined;
  return (
    <>
      {study && (
        <button
          type="button"
          className="tl-detail__open"
          data-testid="open-in-imaging"
          onClick={() => openView({ view: 'imaging', studyUid: study.studyUid })}
        >
          {t('detail.openImaging')}
        </button>
      )}
      {reportStudy && (
        <button
          type="button"
          className="tl-detail__open"
          data-testid="open-report-images"
          onClick={() => openView({ view: 'imaging', studyUid: reportStudy.studyUid })}
        >
          {t('detail.openReportImages')}
        </button>
      )}
      {attachment && (
        <button
          type="button"
          className="tl-detail__open"
          data-testid="open-result-attachment"
          onClick={() => openView({ view: 'documents', entryId: attachment })}
        >
          {t('detail.openAttachment')}
        </button>
      )}
      {entry.kind === 'document' && (
        <button type="button" className="tl-detail__open" data-testid="open-in-documents" onClick={() => openView({ view: 'documents' })}>
          {t('detail.openDocument')}
        </button>
      )}
    </>
  );
}

/**
 * What IT or an interface analyst needs and a clinician does not: codes and their systems, each
 * source's protocol, message type and own record id (OIDs, DICOM UIDs), the whole resource.
 * Closed until asked for, so the pane reads as clinical language.
 */
function TechnicalDetails({ entry, viewId }: { entry: TimelineEntry; viewId: string | undefined }) {
  const { t } = useI18n();
  const originalCode = entry.lab?.original?.code && entry.lab.original.code !== entry.lab.loinc ? entry.lab.original.code : undefined;
  return (
    <details className="tl-detail__tech" data-testid="timeline-detail-technical">
      <summary className="tl-detail__h3">{t('detail.technical')}</summary>
      <dl className="tl-detail__fields">
        {(entry.codes.length > 0 || entry.lab?.loinc) && (
          <Field label={t('detail.codes')}>
            <ul className="tl-detail__codes">
              {entry.lab?.loinc && !entry.codes.some((c) => c.code === entry.lab?.loinc) && (
                <li>
                  <code>{entry.lab.loinc}</code> <span className="tl-detail__system">LOINC</span>
                </li>
              )}
              {entry.codes.map((c, i) => (
                <li key={i}>
                  {c.display && <span>{c.display} </span>}
                  {c.code && <code>{c.code}</code>}
                  {c.system && <span className="tl-detail__system"> {c.system}</span>}
                </li>
              ))}
            </ul>
          </Field>
        )}
        {originalCode && (
          <Field label={t('detail.originalCode')}>
            <code>{originalCode}</code>
          </Field>
        )}
      </dl>
      <ul className="tl-detail__sources">
        {entry.provenance.map((p, i) => (
          <li key={i} className="tl-detail__source" data-source-id={p.sourceId}>
            <span className="tl-detail__source-name">
              {p.sourceName} <span className="tl-detail__system">({p.sourceKind})</span>
            </span>
            <dl className="tl-detail__source-facts">
              <dt>{t('detail.messageType')}</dt>
              <dd>{p.messageType ?? '—'}</dd>
              <dt>{t('detail.nativeId')}</dt>
              <dd>
                <code>{p.nativeId}</code>
              </dd>
            </dl>
          </li>
        ))}
      </ul>
      <RawResource entry={entry} viewId={viewId} />
    </details>
  );
}

export function EntryDetail({ entry, lookup, onSelect, viewId, entries }: EntryDetailProps) {
  const i18n = useI18n();
  const { t, fmt } = i18n;
  if (!entry) {
    return (
      <aside className="tl-detail tl-detail--empty" data-testid="timeline-detail" data-state="empty">
        {t('detail.empty')}
      </aside>
    );
  }
  const view = entryView(i18n, entry);
  const lab = entry.lab ? labValueText(fmt.number.bind(fmt), entry.lab) : undefined;
  const encounter = entry.encounterId ? lookup(entry.encounterId) : undefined;
  const panel = entry.panelId ? lookup(entry.panelId) : undefined;
  return (
    <aside className="tl-detail" data-testid="timeline-detail" data-entry-id={entry.id} aria-label={entry.title}>
      <h2 className="tl-detail__title">
        <span className={`tl-kind tl-kind--whole tl-kind--${entry.kind}`} data-testid="timeline-detail-kind">
          {t(`kind.${entry.kind}` as MessageKey)}
        </span>{' '}
        {entry.title}
        {view.flag && <AbnormalMark flag={view.flag} />}
        {view.conflictLabel && <ConflictMark label={view.conflictLabel} title={view.conflictTitle} />}
      </h2>
      <OpenButtons entry={entry} entries={entries} />
      {view.conflicts.length > 0 && (
        <section className="tl-detail__conflicts" data-testid="timeline-detail-conflicts" role="note">
          <h3 className="tl-detail__h3 tl-detail__h3--conflict">
            <span aria-hidden="true">⚠ </span>
            {t('conflict.title')}
          </h3>
          {view.conflicts.map((c, i) => (
            <table key={i} className="tl-detail__prov">
              <caption className="tl-detail__caption">{c.field}</caption>
              <tbody>
                {c.values.map((v, j) => (
                  <tr key={j} data-testid="conflict-value" data-source-id={v.sourceId}>
                    <td>{v.sourceName}</td>
                    <td className="tl-detail__conflict-value">{v.value}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ))}
          <p className="tl-detail__hint">{t('conflict.hint')}</p>
        </section>
      )}
      <dl className="tl-detail__fields">
        {lab ? (
          <>
            <Field label={t('detail.value')} className={view.flag ? 'tl-detail__abnormal' : undefined}>
              <span data-testid="timeline-detail-value">
                {lab.value} {lab.unit}
              </span>
            </Field>
            {lab.original && (
              <Field label={t('detail.original')}>
                <span data-testid="timeline-detail-original">{lab.original}</span>
              </Field>
            )}
            {lab.range && <Field label={t('detail.range')}>{lab.range}</Field>}
          </>
        ) : (
          view.value && (
            <Field label={t('detail.summary')} className={view.flag ? 'tl-detail__abnormal' : undefined}>
              <span data-testid="timeline-detail-summary">{view.value}</span>
            </Field>
          )
        )}
        <Field label={t('detail.clinicalTime')}>{entry.clinicalTime ? fmt.clinical(entry.clinicalTime) : t('timeline.undated')}</Field>
        {entry.recordedTime && <Field label={t('detail.recordedTime')}>{fmt.clinical(entry.recordedTime)}</Field>}
        {entry.status && (
          <Field label={t('detail.status')}>
            <span data-testid="timeline-detail-status">{fhirStatusLabel(t, entry.status)}</span>
          </Field>
        )}
        {view.statedBy && (
          <Field label={t('detail.statedBy')}>
            <span data-testid="timeline-detail-stated-by">{view.statedBy}</span>
          </Field>
        )}
        {codedFacts(t, entry).map(([label, value]) => (
          <Field key={label} label={label}>
            <span data-testid="timeline-detail-coded">{value}</span>
          </Field>
        ))}
        {entry.abnormal !== undefined && <Field label={t('detail.abnormal')}>{entry.abnormal ? t('detail.yes') : t('detail.no')}</Field>}
        {panel && (
          <Field label={t('detail.panel')}>
            <button type="button" className="tl-detail__link" onClick={() => onSelect(panel.id)}>
              {panel.title} · {fmt.clinical(panel.clinicalTime)}
            </button>
          </Field>
        )}
        {encounter && (
          <Field label={t('detail.encounter')}>
            <button type="button" className="tl-detail__link" onClick={() => onSelect(encounter.id)}>
              {(() => {
                const f = encounterFacts({ t, fmt }, encounter);
                return `${f.type} · ${f.period}`;
              })()}
            </button>
          </Field>
        )}
      </dl>
      <h3 className="tl-detail__h3">
        {t('detail.provenance')}
        {entry.provenance.length > 1 && (
          <span className="tl-detail__merged"> · {t('timeline.mergedFrom', { count: entry.provenance.length })}</span>
        )}
      </h3>
      <ul className="tl-detail__sources" data-testid="timeline-detail-provenance">
        {entry.provenance.map((p, i) => (
          <li key={i} className="tl-detail__source" data-source-id={p.sourceId}>
            <span className="tl-detail__source-name">{p.sourceName}</span>{' '}
            <span className="tl-detail__fetched">{t('detail.fetchedAtTime', { time: fmt.dateTime(p.fetchedAt) })}</span>
          </li>
        ))}
      </ul>
      <TechnicalDetails key={entry.id} entry={entry} viewId={viewId} />
    </aside>
  );
}
