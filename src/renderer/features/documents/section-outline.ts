/**
 * The section outline of a rendered document: one item per <section> that has a heading, nested
 * as the sections are. Works on anything element-shaped, so it is tested without a DOM.
 */

/** The part of a DOM Element the outline needs. */
export interface OutlineElement {
  readonly tagName: string;
  readonly children: ArrayLike<OutlineElement>;
  readonly textContent: string | null;
}

export interface OutlineItem<E extends OutlineElement> {
  /** The <section> to scroll to. */
  section: E;
  /** Its heading element (h1–h6), the visible title. */
  heading: E;
  title: string;
  /** 0 for top-level sections, 1 for their subsections… */
  depth: number;
}

const HEADING = /^H[1-6]$/;

function firstHeading<E extends OutlineElement>(section: E): E | undefined {
  for (let i = 0; i < section.children.length; i++) {
    const child = section.children[i] as E;
    if (HEADING.test(child.tagName.toUpperCase())) return child;
  }
  return undefined;
}

/** Sections in document order; a section without a heading lends its depth to none. */
export function extractOutline<E extends OutlineElement>(root: E): OutlineItem<E>[] {
  const out: OutlineItem<E>[] = [];
  const visit = (el: E, depth: number): void => {
    for (let i = 0; i < el.children.length; i++) {
      const child = el.children[i] as E;
      if (child.tagName.toUpperCase() === 'SECTION') {
        const heading = firstHeading(child);
        const title = heading?.textContent?.replace(/\s+/g, ' ').trim();
        if (heading && title) {
          out.push({ section: child, heading, title, depth });
          visit(child, depth + 1);
        } else {
          visit(child, depth);
        }
      } else {
        visit(child, depth);
      }
    }
  };
  visit(root, 0);
  return out;
}
