import type { Resource } from '@medplum/fhirtypes';
import type { TimelineEntry } from '../../../shared/domain/timeline.ts';

/** Clinical time to the minute (systems round seconds differently for the same event). */
function minute(epochMs: number): number {
  return Math.floor(epochMs / 60_000);
}

/** The calendar day, for records whose time of day systems do not agree on. */
function day(epochMs: number): number {
  // Shifted to UTC+8 so a Chinese hospital's day boundaries match the clinicians' own.
  return Math.floor((epochMs + 8 * 3_600_000) / 86_400_000);
}

function firstCode(entry: TimelineEntry): string | undefined {
  const c = entry.codes.find((x) => x.code);
  return c ? `${c.system ?? ''}|${c.code}` : undefined;
}

interface WithIdentifiers {
  // An array on most resources; a single Identifier on Composition (FHIR R4 Composition.identifier is 0..1).
  identifier?: { system?: string; value?: string }[] | { system?: string; value?: string };
}

/** A business identifier both systems carry (e.g. an accession number, a StudyInstanceUID). */
function businessIdentifier(resource: Resource): string | undefined {
  const ids = (resource as WithIdentifiers).identifier;
  const id = Array.isArray(ids) ? ids.find((i) => i.system && i.value) : ids?.system && ids.value ? ids : undefined;
  return id ? `${id.system}|${id.value}` : undefined;
}

/**
 * A dedupe key in parts, so the hot loop can index entries without building a string per record:
 * two records are the same fact when type, what and bucket are all equal.
 */
export interface DedupeKeyParts {
  type: string;
  /** What was recorded: an analyte, a code, a title, a business identifier; '' for encounters. */
  what: string;
  /** Clinical minute or day (UTC+8); undefined for records keyed by a business identifier alone. */
  bucket?: number;
}

/**
 * What makes two systems' records the same clinical fact, per kind of record. Entries with the
 * same key from different sources merge into one entry with both provenances; undefined means
 * "never merge" (not enough to tell). buildTimeline reconciles Conditions, AllergyIntolerances
 * and MedicationRequests/Statements by what they name, without a day (reconcile/); their
 * keys here remain only for callers that ask for one.
 */
export function dedupeKeyParts(entry: TimelineEntry, clinicalEpochMs: number): DedupeKeyParts | undefined {
  const type = entry.resource.resourceType;
  if (type === 'ImagingStudy' || type === 'DocumentReference' || type === 'Composition') {
    const byIdentifier = businessIdentifier(entry.resource);
    return byIdentifier ? { type, what: byIdentifier, bucket: undefined } : undefined;
  }
  if (!Number.isFinite(clinicalEpochMs)) return undefined;
  switch (type) {
    case 'Observation': {
      const what = entry.lab?.analyte ?? entry.lab?.loinc ?? firstCode(entry);
      return what ? { type, what, bucket: minute(clinicalEpochMs) } : undefined;
    }
    case 'Encounter':
      return { type, what: '', bucket: minute(clinicalEpochMs) };
    case 'Condition':
    case 'AllergyIntolerance':
    case 'MedicationRequest':
    case 'MedicationStatement':
    case 'Procedure':
    case 'Immunization':
    case 'DiagnosticReport':
      return { type, what: firstCode(entry) ?? entry.title, bucket: day(clinicalEpochMs) };
    default:
      return undefined;
  }
}

/** The same key as one string (for logs and tests; buildTimeline indexes the parts). */
export function dedupeKey(entry: TimelineEntry, clinicalEpochMs: number): string | undefined {
  const k = dedupeKeyParts(entry, clinicalEpochMs);
  if (!k) return undefined;
  if (k.bucket === undefined) return `${k.type}|${k.what}`;
  if (k.type === 'Encounter') return `Encounter|${k.bucket}`;
  return `${k.type}|${k.what}|${k.bucket}`;
}
