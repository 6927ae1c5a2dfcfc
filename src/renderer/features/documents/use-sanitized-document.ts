import { useCallback, useEffect, useLayoutEffect, useRef, useState, type MouseEvent, type RefObject } from 'react';
import { classifyHref } from './sanitize-policy.ts';
import { sanitizeDocumentHtml } from './sanitize-html.ts';
import { extractOutline, type OutlineItem } from './section-outline.ts';

export interface SanitizedDocument {
  /** The element the sanitized HTML is inserted into (also the scroll container). */
  container: RefObject<HTMLDivElement | null>;
  outline: readonly OutlineItem<HTMLElement>[];
  /** Index of the section at the top of the pane. */
  current: number;
  scrollToSection(index: number): void;
  /** In-document links scroll the pane; they never change the app's location. */
  onClick(e: MouseEvent<HTMLDivElement>): void;
}

/** Where `el` sits inside the scroll container's content, in px from its top. */
function offsetIn(scroller: HTMLElement, el: HTMLElement): number {
  return el.getBoundingClientRect().top - scroller.getBoundingClientRect().top + scroller.scrollTop;
}

/**
 * Inserts `html` sanitized (DOMPurify, the reader's policy) into the container, extracts the
 * section outline from what survived, and tracks which section is being read. `html` undefined
 * leaves the container to React (plain text or XML is rendered as text by the caller).
 */
export function useSanitizedDocument(html: string | undefined): SanitizedDocument {
  const container = useRef<HTMLDivElement>(null);
  const [outline, setOutline] = useState<readonly OutlineItem<HTMLElement>[]>([]);
  const [current, setCurrent] = useState(0);
  // After a jump from the outline the chosen section stays current until the reader scrolls
  // by hand: near the end a section may never reach the top, and must not appear skipped.
  const pinned = useRef(false);

  useLayoutEffect(() => {
    const el = container.current;
    if (!el || html === undefined) {
      setOutline([]);
      return;
    }
    el.replaceChildren(sanitizeDocumentHtml(html));
    el.scrollTop = 0;
    setOutline(extractOutline<HTMLElement>(el));
    setCurrent(0);
    return () => el.replaceChildren();
  }, [html]);

  useEffect(() => {
    const el = container.current;
    if (!el || outline.length === 0) return;
    let frame = 0;
    const unpin = () => {
      pinned.current = false;
    };
    const onScroll = () => {
      if (pinned.current) return;
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => {
        // The last section whose top has reached the top of the pane (with a little slack).
        const top = el.scrollTop + 12;
        let at = 0;
        outline.forEach((item, i) => {
          if (offsetIn(el, item.section) <= top) at = i;
        });
        setCurrent(at);
      });
    };
    el.addEventListener('scroll', onScroll, { passive: true });
    const manual = ['wheel', 'pointerdown', 'keydown', 'touchstart'] as const;
    for (const type of manual) el.addEventListener(type, unpin, { passive: true });
    return () => {
      cancelAnimationFrame(frame);
      el.removeEventListener('scroll', onScroll);
      for (const type of manual) el.removeEventListener(type, unpin);
    };
  }, [outline]);

  const scrollToSection = useCallback(
    (index: number) => {
      const el = container.current;
      const item = outline[index];
      if (!el || !item) return;
      // Not scrollIntoView: that would also scroll the app's own overflow-hidden ancestors.
      pinned.current = true;
      el.scrollTo({ top: offsetIn(el, item.section) - 4 });
      setCurrent(index);
    },
    [outline],
  );

  const onClick = useCallback((e: MouseEvent<HTMLDivElement>) => {
    const anchor = (e.target as Element).closest?.('a');
    const el = container.current;
    if (!anchor || !el || !el.contains(anchor)) return;
    const target = classifyHref(anchor.getAttribute('href') ?? '');
    if (target?.kind === 'external') return; // target=_blank, rel=noopener: opens outside the app
    e.preventDefault();
    if (target?.kind === 'fragment') {
      const dest = el.querySelector<HTMLElement>(`#${CSS.escape(target.id)}`);
      if (dest) el.scrollTo({ top: offsetIn(el, dest) - 4 });
    }
  }, []);

  return { container, outline, current, scrollToSection, onClick };
}
