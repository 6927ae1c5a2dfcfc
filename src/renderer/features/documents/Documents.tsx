import { useEffect, useMemo, useRef, useState } from 'react';
import { useApi } from '../../api/api-context.tsx';
import type { PatientView } from '../../patient/open-patient-view.ts';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { studyForReport } from '../../../shared/domain/imaging-report-link.ts';
import { OpenProgress } from '../sources/OpenProgress.tsx';
import { DocumentList } from './DocumentList.tsx';
import { DocumentReader } from './DocumentReader.tsx';
import { documentItems } from './document-list-model.ts';
import './documents.css';

export interface DocumentsProps {
  view: PatientView;
  /** Another view asked to show this document (e.g. the viewer's report panel); seq tells requests apart. */
  show?: { entryId: string; seq: number };
}

/** The 文书 tab: the patient's documents newest first, and a reader for the chosen one. */
export function Documents({ view, show }: DocumentsProps) {
  const { t, fmt } = useI18n();
  const items = useMemo(() => documentItems(view.entries), [view.entries]);
  // The clinician's pick, or a newer request from another view: derived, not copied into state.
  const [choice, setChoice] = useState<{ id?: string; seenSeq: number }>({ seenSeq: 0 });
  const chosenId = show && show.seq > choice.seenSeq ? show.entryId : choice.id;
  const setChosenId = (id: string) => setChoice({ id, seenSeq: show?.seq ?? 0 });
  const [focusRequest, setFocusRequest] = useState(0);
  const listBox = useRef<HTMLDivElement>(null);
  // The newest document is open until the clinician picks another.
  const selected = items.find((d) => d.id === chosenId) ?? items[0];
  const api = useApi();
  const viewId = view.phase === 'open' ? view.viewId : undefined;
  // Reading a document is an audited access (main checks it belongs to the open patient).
  const selectedId = selected?.id;
  // A 检查报告 that names a study in the record opens its images in one click.
  const reportStudy = useMemo(() => (selected ? studyForReport(selected.entry, view.entries) : undefined), [selected, view.entries]);
  useEffect(() => {
    if (!viewId || !selectedId) return;
    api.recordView({ viewId, entryId: selectedId }).catch((error: unknown) => console.warn('huizhen: recordView failed', error));
  }, [api, viewId, selectedId]);

  if (view.phase === 'idle') return null;
  const loading = view.phase === 'opening';
  return (
    <div className="docs" data-testid="documents" data-phase={view.phase}>
      <div className="docs__side" ref={listBox}>
        <div className="docs__toolbar">
          <h2 className="docs__title">{t('documents.title')}</h2>
          {items.length > 0 && (
            <span className="docs__count" data-testid="documents-count">
              {t('documents.count', { count: fmt.number(items.length) })}
            </span>
          )}
        </div>
        {loading && <OpenProgress view={view} />}
        {view.phase === 'failed' && (
          <div className="tl__error" role="alert" data-testid="documents-error">
            {t('timeline.openFailed', { message: view.error ?? '' })} {t('timeline.openFailedHint')}
          </div>
        )}
        {items.length > 0 ? (
          <DocumentList items={items} selectedId={selected?.id} onSelect={setChosenId} onEnter={() => setFocusRequest((n) => n + 1)} />
        ) : (
          <div className="docs__empty" data-testid="documents-empty" data-focus-target="documents" tabIndex={-1} aria-busy={loading}>
            {loading ? t('documents.loading') : t('documents.empty')}
          </div>
        )}
        <p className="docs__hint" aria-hidden="true">
          {t('documents.hint')}
        </p>
      </div>
      {selected ? (
        <DocumentReader
          key={selected.id}
          item={selected}
          focusRequest={focusRequest}
          {...(reportStudy ? { studyUid: reportStudy.studyUid } : {})}
          onLeave={() => listBox.current?.querySelector<HTMLElement>('[data-testid="document-list"]')?.focus()}
        />
      ) : (
        <div className="docs__pick">{loading ? t('documents.loading') : t('documents.pick')}</div>
      )}
    </div>
  );
}
