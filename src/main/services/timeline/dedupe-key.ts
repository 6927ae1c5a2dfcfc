import type { Resource } from '@medplum/fhirtypes';
import type { TimelineEntry } from '../../../shared/domain/timeline.ts';

/** Clinical time to the minute (systems round seconds differently for the same event). */
function minute(epochMs: number): string | undefined {
  return Number.isFinite(epochMs) ? String(Math.floor(epochMs / 60_000)) : undefined;
}

/** The calendar day, for records whose time of day systems do not agree on. */
function day(epochMs: number): string {
  // Shifted to UTC+8 so a Chinese hospital's day boundaries match the clinicians' own.
  return String(Math.floor((epochMs + 8 * 3_600_000) / 86_400_000));
}

function firstCode(entry: TimelineEntry): string | undefined {
  const c = entry.codes.find((x) => x.code);
  return c ? `${c.system ?? ''}|${c.code}` : undefined;
}

interface WithIdentifiers {
  identifier?: { system?: string; value?: string }[];
}

/** A business identifier both systems carry (e.g. an accession number, a StudyInstanceUID). */
function businessIdentifier(resource: Resource): string | undefined {
  const id = (resource as WithIdentifiers).identifier?.find((i) => i.system && i.value);
  return id ? `${id.system}|${id.value}` : undefined;
}

/**
 * What makes two systems' records the same clinical fact, per kind of record. Entries with the
 * same key from different sources merge into one entry with both provenances; undefined means
 * "never merge" (not enough to tell).
 */
export function dedupeKey(entry: TimelineEntry, clinicalEpochMs: number): string | undefined {
  const type = entry.resource.resourceType;
  const byIdentifier = businessIdentifier(entry.resource);
  if (type === 'ImagingStudy' || type === 'DocumentReference' || type === 'Composition') {
    return byIdentifier ? `${type}|${byIdentifier}` : undefined;
  }
  const when = minute(clinicalEpochMs);
  if (!when) return undefined;
  switch (type) {
    case 'Observation': {
      const what = entry.lab?.analyte ?? entry.lab?.loinc ?? firstCode(entry);
      return what ? `Observation|${what}|${when}` : undefined;
    }
    case 'Encounter':
      return `Encounter|${when}`;
    case 'Condition':
    case 'AllergyIntolerance':
    case 'MedicationRequest':
    case 'MedicationStatement':
    case 'Procedure':
    case 'Immunization':
    case 'DiagnosticReport': {
      const what = firstCode(entry) ?? entry.title;
      return `${type}|${what}|${day(clinicalEpochMs)}`;
    }
    default:
      return undefined;
  }
}
