import { useRef, type KeyboardEvent } from 'react';
import { useI18n } from '../../i18n/i18n-context.tsx';
import type { DocumentItem } from './document-list-model.ts';

export interface DocumentListProps {
  items: readonly DocumentItem[];
  selectedId: string | undefined;
  onSelect(id: string): void;
  /** → or Enter: go on into the chosen document's outline. */
  onEnter(): void;
}

/** The patient's documents, newest first: a listbox whose selection follows ↑↓. */
export function DocumentList({ items, selectedId, onSelect, onEnter }: DocumentListProps) {
  const { t, fmt } = useI18n();
  const list = useRef<HTMLUListElement>(null);
  const index = Math.max(
    0,
    items.findIndex((d) => d.id === selectedId),
  );

  const onKeyDown = (e: KeyboardEvent<HTMLUListElement>) => {
    let next: number | undefined;
    if (e.key === 'ArrowDown') next = Math.min(items.length - 1, index + 1);
    else if (e.key === 'ArrowUp') next = Math.max(0, index - 1);
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = items.length - 1;
    else if (e.key === 'Enter' || e.key === 'ArrowRight') {
      e.preventDefault();
      onEnter();
      return;
    }
    if (next === undefined) return;
    e.preventDefault();
    const item = items[next];
    if (item) {
      onSelect(item.id);
      list.current?.querySelector(`[data-index="${next}"]`)?.scrollIntoView({ block: 'nearest' });
    }
  };

  return (
    <ul
      ref={list}
      className="doc-list"
      role="listbox"
      aria-label={t('documents.listLabel')}
      aria-activedescendant={items[index] ? `doc-option-${index}` : undefined}
      tabIndex={0}
      data-focus-target="documents"
      data-testid="document-list"
      onKeyDown={onKeyDown}
    >
      {items.map((d, i) => (
        <li
          key={d.id}
          id={`doc-option-${i}`}
          role="option"
          aria-selected={d.id === selectedId}
          className="doc-list__item"
          data-index={i}
          data-testid="document-item"
          data-document-id={d.id}
          onClick={() => onSelect(d.id)}
        >
          <span className="doc-list__title">{d.title}</span>
          <span className="doc-list__date">{fmt.clinical(d.date) || t('timeline.undated')}</span>
          {d.type && d.type !== d.title && <span className="doc-list__type">{d.type}</span>}
          {d.resultOf && (
            <span className="doc-list__attachment" data-testid="document-result-attachment">
              {t('documents.resultAttachment')}
            </span>
          )}
          {(d.authors.length > 0 || d.custodian) && (
            <span className="doc-list__who">{[d.authors.join('、'), d.custodian].filter(Boolean).join(' · ')}</span>
          )}
          <span className="doc-list__chips">
            {d.provenance.map((p) => (
              <span
                key={`${p.sourceId}|${p.nativeId}`}
                className="doc-chip"
                title={[p.messageType, fmt.dateTime(p.fetchedAt)].filter(Boolean).join(' · ')}
              >
                {p.sourceName}
              </span>
            ))}
          </span>
        </li>
      ))}
    </ul>
  );
}
