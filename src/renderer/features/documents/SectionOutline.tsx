import { useRef, type KeyboardEvent } from 'react';
import { useI18n } from '../../i18n/i18n-context.tsx';

export interface OutlineEntry {
  title: string;
  depth: number;
}

export interface SectionOutlineProps {
  items: readonly OutlineEntry[];
  /** The section at the top of the reading pane. */
  current: number;
  onGo(index: number): void;
  /** ←: back to the document list. */
  onLeave(): void;
}

/** The document's sections: click, or ↑↓ (each step scrolls the pane there), Home/End. */
export function SectionOutline({ items, current, onGo, onLeave }: SectionOutlineProps) {
  const { t } = useI18n();
  const nav = useRef<HTMLElement>(null);
  const go = (i: number) => {
    onGo(i);
    nav.current?.querySelector<HTMLElement>(`[data-section-index="${i}"]`)?.focus();
  };
  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    let next: number | undefined;
    if (e.key === 'ArrowDown') next = Math.min(items.length - 1, current + 1);
    else if (e.key === 'ArrowUp') next = Math.max(0, current - 1);
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = items.length - 1;
    else if (e.key === 'ArrowLeft' || e.key === 'Escape') {
      e.preventDefault();
      onLeave();
      return;
    }
    if (next === undefined) return;
    e.preventDefault();
    go(next);
  };
  if (items.length === 0) {
    return (
      <nav className="doc-outline doc-outline--empty" aria-label={t('documents.outline')} data-testid="document-outline">
        {t('documents.outlineEmpty')}
      </nav>
    );
  }
  return (
    <nav ref={nav} className="doc-outline" aria-label={t('documents.outline')} data-testid="document-outline" onKeyDown={onKeyDown}>
      <h3 className="doc-outline__title">{t('documents.outline')}</h3>
      <ol className="doc-outline__list">
        {items.map((item, i) => (
          <li key={i} className={`doc-outline__item doc-outline__item--d${Math.min(item.depth, 3)}`}>
            <button
              type="button"
              className="doc-outline__link"
              aria-current={i === current ? 'location' : undefined}
              tabIndex={i === current ? 0 : -1}
              data-section-index={i}
              data-testid="document-section-link"
              onClick={() => go(i)}
            >
              {item.title}
            </button>
          </li>
        ))}
      </ol>
    </nav>
  );
}
