/**
 * Text an entry points to in the narrative (`originalText/reference value="#MED1"` → the
 * `<content ID="MED1">` of a section's `<text>`). Vendors (e.g. Cerner C-CDA exports) put a drug's
 * or problem's only name there; the index is built once per document, lazily.
 */
import type { CodeableConcept } from '@medplum/fhirtypes';
import type { Element } from '@xmldom/xmldom';
import { attr, child, descend, isElement, readCd, textOf } from '../xml/index.ts';

export type NarrativeLookup = (reference: string) => string | undefined;

export function narrativeLookup(doc: Element): NarrativeLookup {
  let index: Map<string, Element> | undefined;
  const build = (): Map<string, Element> => {
    const out = new Map<string, Element>();
    const walk = (el: Element): void => {
      const id = el.getAttribute('ID');
      if (id && !out.has(id)) out.set(id, el);
      for (let n = el.firstChild; n; n = n.nextSibling) if (isElement(n)) walk(n);
    };
    walk(doc);
    return out;
  };
  return (reference) => {
    if (!reference.startsWith('#')) return undefined;
    index ??= build();
    return textOf(index.get(reference.slice(1)));
  };
}

/** The narrative text a coded element's originalText refers to, if any. */
export function referencedText(codeEl: Element | undefined, lookup: NarrativeLookup | undefined): string | undefined {
  const ref = attr(descend(codeEl, 'originalText', 'reference'), 'value') ?? attr(child(codeEl, 'reference'), 'value');
  return ref && lookup ? lookup(ref) : undefined;
}

/**
 * A CD/CE read with its narrative text: a code with nullFlavor (OTH, UNK) whose only name is
 * `originalText/reference` still names something a doctor must see ("高血压病3级" with no code).
 */
export function conceptWithNarrative(el: Element | undefined, lookup: NarrativeLookup | undefined): CodeableConcept | undefined {
  const coded = readCd(el);
  if (coded?.text) return coded;
  const text = referencedText(el, lookup);
  return text ? { ...coded, text } : coded;
}

/** An ST/ED value (or an entry's own <text>) given only as a reference into the narrative. */
export function textWithNarrative(el: Element | undefined, lookup: NarrativeLookup | undefined): string | undefined {
  const own = child(el, 'reference') ? undefined : textOf(el);
  if (own) return own;
  const ref = attr(child(el, 'reference'), 'value');
  return ref && lookup ? lookup(ref) : undefined;
}
