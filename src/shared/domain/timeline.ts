import { z } from 'zod';
import { FhirResourceSchema } from './fhir.ts';
import { ProvenanceSchema } from './provenance.ts';

export const TimelineKindSchema = z.enum([
  'encounter',
  'condition',
  'observation',
  'report',
  'medication',
  'allergy',
  'procedure',
  'immunization',
  'imaging',
  'document',
  'other',
]);
export type TimelineKind = z.infer<typeof TimelineKindSchema>;

export const CodingSchema = z.object({
  system: z.string().optional(),
  code: z.string().optional(),
  display: z.string().optional(),
});
export type TimelineCoding = z.infer<typeof CodingSchema>;

/**
 * A derived, display-ready view over one FHIR resource (or several that de-duplicated into
 * one). The resource stays the source of truth; the entry only adds ordering and provenance.
 */
export const TimelineEntrySchema = z.object({
  id: z.string(),
  kind: TimelineKindSchema,
  /** ISO 8601 clinical time: effective, issued, period start, onset or authored. */
  clinicalTime: z.string().optional(),
  recordedTime: z.string().optional(),
  title: z.string(),
  /** A one-line value or summary, e.g. "5.6 mmol/L" or "Inpatient · Cardiology". */
  summary: z.string().optional(),
  codes: z.array(CodingSchema),
  status: z.string().optional(),
  abnormal: z.boolean().optional(),
  provenance: z.array(ProvenanceSchema).min(1),
  resource: FhirResourceSchema,
});
export type TimelineEntry = z.infer<typeof TimelineEntrySchema>;
