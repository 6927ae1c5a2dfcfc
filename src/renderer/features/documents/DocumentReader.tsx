import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useI18n } from '../../i18n/i18n-context.tsx';
import { useOpenView } from '../../lib/open-view.tsx';
import { attachmentsOf, selectContent, type AttachedFile } from './attachments.ts';
import { attachmentFileName, downloadAttachment } from './download-attachment.ts';
import type { DocumentItem } from './document-list-model.ts';
import { SectionOutline } from './SectionOutline.tsx';
import { useSanitizedDocument } from './use-sanitized-document.ts';
import { indentXml } from './xml-text.ts';

export interface DocumentReaderProps {
  item: DocumentItem;
  /** Increments when the list hands the keyboard over to this document. */
  focusRequest: number;
  onLeave(): void;
  /** The imaging study this document reports on (a 检查报告 linked by accession number or Study Instance UID). */
  studyUid?: string;
}

/** Bytes for a person: KB below a megabyte, MB with one decimal above. */
function sizeText(fmt: { number(n: number): string }, bytes: number): string {
  return bytes < 1024 * 1024
    ? `${fmt.number(Math.max(1, Math.ceil(bytes / 1024)))} KB`
    : `${fmt.number(Math.round(bytes / 104857.6) / 10)} MB`;
}

/**
 * A file the document carries: a raster image inline (a data: URL in an <img>, which the CSP
 * allows and which runs nothing), anything else — a PDF, an SVG — only as a download.
 */
function AttachedFileView({ file, index, fallbackName }: { file: AttachedFile; index: number; fallbackName: string }) {
  const { t, fmt } = useI18n();
  const name = attachmentFileName(file, index === 0 ? fallbackName : `${fallbackName}-${index + 1}`);
  return (
    <figure className="doc-file" data-testid="document-file" data-kind={file.kind} data-inline={file.inline}>
      {file.inline ? (
        <img
          className="doc-file__image"
          data-testid="document-image"
          src={`data:${file.contentType};base64,${file.data}`}
          alt={t('documents.imageLabel', { title: file.title ?? fallbackName })}
        />
      ) : (
        <p className="doc-file__hint">{t(file.kind === 'pdf' ? 'documents.pdfHint' : 'documents.fileHint')}</p>
      )}
      <figcaption>
        <button type="button" className="doc-reader__toggle" data-testid="document-download" onClick={() => downloadAttachment(file, name)}>
          {t('documents.download', { name, size: sizeText(fmt, file.size) })}
        </button>
      </figcaption>
    </figure>
  );
}

function Fact({ label, children, testId }: { label: string; children: ReactNode; testId: string }) {
  return (
    <div className="doc-facts__fact" data-testid={testId}>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/**
 * One document: its header facts, the section outline, and the narrative — HTML sanitized again
 * here, plain text preformatted — or, on request, the original XML as text.
 */
export function DocumentReader({ item, focusRequest, onLeave, studyUid }: DocumentReaderProps) {
  const { t, fmt } = useI18n();
  const openView = useOpenView();
  const content = useMemo(() => selectContent(attachmentsOf(item.entry.resource)), [item.entry.resource]);
  const [showXml, setShowXml] = useState(false);
  const xmlText = useMemo(() => (showXml && content.xml !== undefined ? indentXml(content.xml) : ''), [showXml, content.xml]);
  const { outline, current, scrollToSection, container, onClick } = useSanitizedDocument(content.html);
  const root = useRef<HTMLElement>(null);
  // A request made before this document mounted (to an earlier one) is not for it.
  const handledRequest = useRef(focusRequest);

  useEffect(() => {
    if (focusRequest === handledRequest.current) return;
    handledRequest.current = focusRequest;
    const target =
      root.current?.querySelector<HTMLElement>('.doc-outline__link[tabindex="0"]') ??
      root.current?.querySelector<HTMLElement>('[data-testid="document-body"]:not([hidden])');
    target?.focus();
  }, [focusRequest]);

  const sources = item.provenance.map((p) => p.sourceName).filter((n, i, all) => all.indexOf(n) === i);
  const hasBody = content.html !== undefined || content.text !== undefined || content.files.length > 0;
  const kind =
    content.files[0]?.kind ??
    (content.xml !== undefined ? 'cda' : content.html !== undefined ? 'html' : content.text !== undefined ? 'text' : undefined);
  return (
    <article
      ref={root}
      className="doc-reader"
      data-testid="document-reader"
      data-document-id={item.id}
      data-view={showXml ? 'xml' : 'rendered'}
      aria-label={item.title}
    >
      <header className="doc-reader__header">
        <div className="doc-reader__titlebar">
          <h2 className="doc-reader__title">{item.title}</h2>
          {studyUid && openView && (
            <button
              type="button"
              className="doc-reader__toggle"
              data-testid="document-open-images"
              onClick={() => openView({ view: 'imaging', studyUid })}
            >
              {t('detail.openReportImages')}
            </button>
          )}
          {content.xml !== undefined && (
            <button
              type="button"
              className="doc-reader__toggle"
              aria-pressed={showXml}
              data-testid="document-xml-toggle"
              onClick={() => setShowXml((v) => !v)}
            >
              {showXml ? t('documents.showRendered') : t('documents.showXml')}
            </button>
          )}
        </div>
        <dl className="doc-facts">
          {item.type && (
            <Fact label={t('documents.fact.type')} testId="document-fact-type">
              {item.type}
            </Fact>
          )}
          <Fact label={t('documents.fact.date')} testId="document-fact-date">
            {fmt.clinical(item.date) || t('timeline.undated')}
          </Fact>
          {item.authors.length > 0 && (
            <Fact label={t('documents.fact.author')} testId="document-fact-author">
              {item.authors.join('、')}
            </Fact>
          )}
          {item.custodian && (
            <Fact label={t('documents.fact.custodian')} testId="document-fact-custodian">
              {item.custodian}
            </Fact>
          )}
          <Fact label={t('documents.fact.source')} testId="document-fact-source">
            {sources.join('、')}
          </Fact>
          {kind && (
            <Fact label={t('documents.fact.kind')} testId="document-fact-kind">
              {t(`documents.kind.${kind}`)}
            </Fact>
          )}
          {item.resultOf && (
            <Fact label={t('documents.fact.result')} testId="document-fact-result">
              {item.resultOf.map((r) => [r.title, fmt.clinical(r.time)].filter(Boolean).join(' · ')).join('、')}
            </Fact>
          )}
          {item.fetchedAt && (
            <Fact label={t('documents.fact.fetchedAt')} testId="document-fact-fetched">
              {fmt.dateTime(item.fetchedAt)}
            </Fact>
          )}
        </dl>
        {(content.others.length > 0 || content.unreadable > 0) && (
          <p className="doc-reader__note" data-testid="document-attachments-note">
            {content.others.length > 0 && t('documents.others', { list: content.others.map((o) => o.title ?? o.contentType).join('、') })}{' '}
            {content.unreadable > 0 && t('documents.unreadable', { count: content.unreadable })}
          </p>
        )}
      </header>
      <div className="doc-reader__main">
        {content.html !== undefined && !showXml && (
          <SectionOutline items={outline} current={current} onGo={scrollToSection} onLeave={onLeave} />
        )}
        {/* Both stay mounted so the sanitized HTML survives a trip to the XML view and back. */}
        {content.html !== undefined && (
          <div
            ref={container}
            className="doc-html"
            data-testid="document-body"
            data-format="html"
            tabIndex={0}
            aria-label={t('documents.bodyLabel')}
            hidden={showXml}
            onClick={onClick}
            onKeyDown={(e) => {
              if (e.key === 'Escape') onLeave();
            }}
          />
        )}
        {content.files.length > 0 && !showXml && (
          <div className="doc-files" data-testid="document-body" data-format="files" tabIndex={0} aria-label={t('documents.bodyLabel')}>
            {content.files.map((file, i) => (
              <AttachedFileView key={i} file={file} index={i} fallbackName={item.title} />
            ))}
          </div>
        )}
        {content.html === undefined && content.text !== undefined && content.files.length === 0 && !showXml && (
          <pre className="doc-text" data-testid="document-body" data-format="text" tabIndex={0} aria-label={t('documents.bodyLabel')}>
            {content.text}
          </pre>
        )}
        {!hasBody && !showXml && (
          <p className="doc-reader__none" data-testid="document-body" data-format="none">
            {t('documents.noContent')}
          </p>
        )}
        {showXml && (
          <pre className="doc-xml" data-testid="document-xml" tabIndex={0} aria-label={t('documents.xmlLabel')}>
            {xmlText}
          </pre>
        )}
      </div>
    </article>
  );
}
