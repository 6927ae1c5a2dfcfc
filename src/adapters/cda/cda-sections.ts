/**
 * The body of a CDA document: structured sections (recursively nested, each with code, title,
 * narrative and entries) or a nonXMLBody (a scanned/PDF document, kept as an attachment).
 */
import type { CodeableConcept } from '@medplum/fhirtypes';
import type { Element } from '@xmldom/xmldom';
import { attr, CdaError, child, children, descend, pathOf, readCd, textOf } from '../xml/index.ts';
import { narrativeToHtml, escapeHtml } from './narrative-html.ts';
import { sectionKind, type SectionKind } from './section-kinds.ts';

export interface CdaSection {
  path: string;
  code?: CodeableConcept;
  /** The section code when it is LOINC (C-CDA and WS/T 500 both code sections so). */
  loinc?: string;
  kind: SectionKind;
  /** templateId roots (C-CDA keys some sections only by these). */
  templateIds: string[];
  title?: string;
  /** Sanitized XHTML of the narrative block (may be empty). */
  html: string;
  entries: Element[];
  sections: CdaSection[];
}

export interface NonXmlBody {
  mediaType: string;
  /** Base64 when representation="B64"; otherwise a reference (never fetched) or text. */
  base64?: string;
  reference?: string;
}

export type CdaBody = { kind: 'structured'; sections: CdaSection[] } | { kind: 'nonXml'; body: NonXmlBody } | { kind: 'empty' };

/**
 * WS/T 500 sections often leave <text/> empty and carry everything in entries: render the
 * entries' "data element: value" pairs so the document still reads.
 */
function entriesAsHtml(entries: Element[]): string {
  const rows: string[] = [];
  const visit = (el: Element): void => {
    if (el.localName === 'observation') {
      const label = attr(child(el, 'code'), 'displayName') ?? textOf(descend(el, 'code', 'originalText'));
      const value = child(el, 'value');
      const shown =
        textOf(value) ??
        [attr(value, 'displayName') ?? attr(value, 'code'), attr(value, 'value'), attr(value, 'unit')].filter(Boolean).join(' ');
      if (label && shown) rows.push(`<tr><th>${escapeHtml(label)}</th><td>${escapeHtml(shown)}</td></tr>`);
    }
    for (const rel of [...children(el, 'entryRelationship'), ...children(el, 'component')]) for (const inner of children(rel)) visit(inner);
  };
  for (const e of entries) for (const inner of children(e)) visit(inner);
  return rows.length > 0 ? `<table class="cda-table"><tbody>${rows.join('')}</tbody></table>` : '';
}

function readSection(section: Element): CdaSection {
  const codeEl = child(section, 'code');
  const code = readCd(codeEl);
  const loinc = attr(codeEl, 'codeSystem') === '2.16.840.1.113883.6.1' ? attr(codeEl, 'code') : undefined;
  const templateIds = children(section, 'templateId')
    .map((t) => attr(t, 'root'))
    .filter((r): r is string => !!r);
  const entries = children(section, 'entry');
  const narrative = narrativeToHtml(child(section, 'text'));
  const title = textOf(child(section, 'title')) ?? code?.text;
  return {
    path: pathOf(section),
    ...(code ? { code } : {}),
    ...(loinc ? { loinc } : {}),
    kind: sectionKind(loinc, templateIds, title),
    templateIds,
    ...(title ? { title } : {}),
    html: narrative || entriesAsHtml(entries),
    entries,
    sections: children(section, 'component')
      .map((c) => child(c, 'section'))
      .filter((s): s is Element => !!s)
      .map(readSection),
  };
}

export function readBody(doc: Element): CdaBody {
  const component = child(doc, 'component');
  if (!component) return { kind: 'empty' };
  const structured = child(component, 'structuredBody');
  if (structured) {
    const sections = children(structured, 'component')
      .map((c) => child(c, 'section'))
      .filter((s): s is Element => !!s)
      .map(readSection);
    return { kind: 'structured', sections };
  }
  const nonXml = child(component, 'nonXMLBody');
  if (nonXml) {
    const text = child(nonXml, 'text');
    if (!text) throw new CdaError('structure', pathOf(nonXml), 'nonXMLBody without <text>');
    const mediaType = attr(text, 'mediaType') ?? 'text/plain';
    const reference = attr(child(text, 'reference'), 'value');
    if (attr(text, 'representation') === 'B64') {
      const base64 = (textOf(text) ?? '').replace(/\s+/g, '');
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64))
        throw new CdaError('value', pathOf(text), 'nonXMLBody text is marked B64 but is not base64');
      return { kind: 'nonXml', body: { mediaType, base64 } };
    }
    return {
      kind: 'nonXml',
      body: {
        mediaType,
        ...(reference ? { reference } : {}),
        ...(!reference ? { base64: Buffer.from(textOf(text) ?? '', 'utf8').toString('base64') } : {}),
      },
    };
  }
  throw new CdaError('structure', pathOf(component), 'the body component holds neither structuredBody nor nonXMLBody');
}
