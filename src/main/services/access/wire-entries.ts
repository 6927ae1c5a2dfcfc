import type { Resource } from '@medplum/fhirtypes';
import type { TimelineEntry, TimelineKind } from '../../../shared/domain/timeline.ts';

/**
 * Kinds whose resource crosses to the renderer as a summary. Results are most entries of a
 * large record and their whole resources most of its bytes (≈ 60 % of a 20,000-entry
 * timeline's JSON); the screens read only their category (lab table vs vital signs),
 * interpretation (H/L flags) and the document a result was derived from. Encounters, documents, imaging studies and the rest go whole:
 * their screens render from the resource, and they are few.
 */
const SUMMARISED: ReadonlySet<TimelineKind> = new Set(['observation']);

interface ScreenFields {
  category?: unknown;
  interpretation?: unknown;
  derivedFrom?: unknown;
}

function summaryOf(resource: Resource): Resource {
  const { category, interpretation, derivedFrom } = resource as ScreenFields;
  return {
    resourceType: resource.resourceType,
    ...(resource.id !== undefined ? { id: resource.id } : {}),
    ...(category !== undefined ? { category } : {}),
    ...(interpretation !== undefined ? { interpretation } : {}),
    // The document a result came from (an HL7 v2 ED attachment): the documents view names the result.
    ...(derivedFrom !== undefined ? { derivedFrom } : {}),
  } as Resource;
}

/** An entry as it goes to the renderer (after access filtering and masking). */
export function toWireEntry(entry: TimelineEntry): TimelineEntry {
  if (!SUMMARISED.has(entry.kind)) return entry;
  return { ...entry, resourceSummary: true, resource: summaryOf(entry.resource) };
}
