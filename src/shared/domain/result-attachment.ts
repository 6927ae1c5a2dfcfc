/**
 * Which documents in a record are a result's own attachment: an HL7 v2 OBX of type ED (a PDF
 * report, an image, an HTML page) becomes a DocumentReference of the result's code that the
 * Observation is derived from (src/adapters/hl7v2/to-fhir/encapsulated-data.ts). Such a document
 * is part of the result: whoever may read the result may read it, and nobody else. Matched
 * strictly — derivedFrom names it, both came from the same system, the document's type is the
 * result's code — so a note some value was abstracted from is never read as an attachment.
 * Pure and shared: main decides access with it, the documents view says which result it is of.
 */
import { codedText, str, type Coded } from './resource-shapes.ts';
import type { TimelineEntry } from './timeline.ts';

interface DerivedShape {
  derivedFrom?: readonly { reference?: unknown }[];
  code?: Coded;
}

/** A result's code: its resource's, or — where the wire carries a summary of it — its entry's codings. */
const resultCode = (result: TimelineEntry): Coded | undefined => (result.resource as DerivedShape).code ?? { coding: result.codes };

interface DocumentShape {
  id?: unknown;
  type?: Coded;
}

function codeKeys(concept: Coded | undefined): Set<string> {
  const keys = new Set<string>();
  for (const c of concept?.coding ?? []) if (str(c.code)) keys.add(`${str(c.system) ?? ''}|${str(c.code)}`);
  const text = codedText(concept);
  if (keys.size === 0 && text) keys.add(`text|${text}`);
  return keys;
}

const sameCode = (a: Coded | undefined, b: Coded | undefined): boolean => {
  const left = codeKeys(a);
  return left.size > 0 && [...codeKeys(b)].some((k) => left.has(k));
};

const sources = (entry: TimelineEntry): Set<string> => new Set(entry.provenance.map((p) => p.sourceId));

/** Document entry id → the result entries it is the attachment of (usually one). */
export function resultAttachments(entries: readonly TimelineEntry[]): Map<string, TimelineEntry[]> {
  const documents = new Map<string, TimelineEntry[]>();
  for (const entry of entries) {
    if (entry.resource.resourceType !== 'DocumentReference') continue;
    const id = str((entry.resource as DocumentShape).id);
    if (!id) continue;
    documents.set(id, [...(documents.get(id) ?? []), entry]);
  }
  const out = new Map<string, TimelineEntry[]>();
  if (documents.size === 0) return out;
  for (const result of entries) {
    if (result.resource.resourceType !== 'Observation') continue;
    const shape = result.resource as DerivedShape;
    for (const ref of shape.derivedFrom ?? []) {
      const match = /^DocumentReference\/(.+)$/.exec(str(ref.reference) ?? '');
      for (const doc of match ? (documents.get(match[1]!) ?? []) : []) {
        const resultSources = sources(result);
        if (![...sources(doc)].some((s) => resultSources.has(s))) continue;
        if (!sameCode((doc.resource as DocumentShape).type, resultCode(result))) continue;
        out.set(doc.id, [...(out.get(doc.id) ?? []), result]);
      }
    }
  }
  return out;
}
