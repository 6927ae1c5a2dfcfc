import type { Resource } from '@medplum/fhirtypes';
import { fastIsoEpochMs } from './iso-instant.ts';

interface TimeFields {
  effectiveDateTime?: string;
  effectiveInstant?: string;
  effectivePeriod?: { start?: string; end?: string };
  issued?: string;
  period?: { start?: string; end?: string };
  onsetDateTime?: string;
  onsetPeriod?: { start?: string };
  recordedDate?: string;
  authoredOn?: string;
  performedDateTime?: string;
  performedPeriod?: { start?: string };
  occurrenceDateTime?: string;
  started?: string;
  date?: string;
  dateAsserted?: string;
  meta?: { lastUpdated?: string };
}

/**
 * When the thing happened to the patient, as a clinician reads a chart: the effective or
 * performed time first, then period start, onset, authoring; document/record dates last.
 */
export function clinicalTimeOf(resource: Resource): string | undefined {
  const r = resource as TimeFields;
  return (
    r.effectiveDateTime ??
    r.effectiveInstant ??
    r.effectivePeriod?.start ??
    r.performedDateTime ??
    r.performedPeriod?.start ??
    r.occurrenceDateTime ??
    r.period?.start ??
    r.onsetDateTime ??
    r.onsetPeriod?.start ??
    r.started ??
    r.authoredOn ??
    r.issued ??
    r.recordedDate ??
    r.dateAsserted ??
    r.date
  );
}

/** When the source system recorded it; shown second to the clinical time. */
export function recordedTimeOf(resource: Resource): string | undefined {
  const r = resource as TimeFields;
  return r.issued ?? r.recordedDate ?? r.dateAsserted ?? r.meta?.lastUpdated;
}

let lastIso: string | undefined;
let lastKey = Number.NEGATIVE_INFINITY;

/**
 * Sort key in epoch milliseconds. FHIR dates may be partial ("2021", "2021-03"): they sort at
 * their first instant, which keeps a year-only diagnosis before that year's detailed events.
 */
export function timeKey(iso: string | undefined): number {
  if (!iso) return Number.NEGATIVE_INFINITY;
  // A lab panel's results and a report share one timestamp: consecutive records often repeat it.
  if (iso === lastIso) return lastKey;
  lastKey = parseTimeKey(iso);
  lastIso = iso;
  return lastKey;
}

function parseTimeKey(iso: string): number {
  const fast = fastIsoEpochMs(iso);
  if (fast !== undefined) return fast;
  if (iso.length > 7) {
    const ms = Date.parse(iso);
    return Number.isNaN(ms) ? Number.NEGATIVE_INFINITY : ms;
  }
  const normalised = /^\d{4}$/.test(iso) ? `${iso}-01-01` : /^\d{4}-\d{2}$/.test(iso) ? `${iso}-01` : iso;
  const ms = Date.parse(normalised);
  return Number.isNaN(ms) ? Number.NEGATIVE_INFINITY : ms;
}
