import { z } from 'zod';
import { FhirResourceSchema } from './fhir.ts';
import { ObservationValueSchema } from './observation-value.ts';
import { ProvenanceSchema } from './provenance.ts';
import { QualityFindingSchema } from './quality.ts';

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

/** A lab value in the workstation's canonical terms: one LOINC per analyte, one UCUM unit. */
export const LabValueSchema = z.object({
  /** Canonical analyte key, e.g. "glucose"; absent when the code could not be mapped. */
  analyte: z.string().optional(),
  loinc: z.string().optional(),
  value: z.number().optional(),
  unit: z.string().optional(),
  low: z.number().optional(),
  high: z.number().optional(),
  /** What the source sent, when normalisation changed the code or the unit. */
  original: z.object({ code: z.string().optional(), value: z.number().optional(), unit: z.string().optional() }).optional(),
});
export type LabValue = z.infer<typeof LabValueSchema>;

/** Sources that reported the same fact with different values: both are shown, none dropped. */
export const ConflictSchema = z.object({
  field: z.string(),
  values: z.array(z.object({ sourceId: z.string(), sourceName: z.string(), value: z.string() })).min(2),
});
export type Conflict = z.infer<typeof ConflictSchema>;

/**
 * A field of a merged entry's resource that the entry's first system left empty and another
 * system stated (or, for an onset, stated earlier): the clinician sees who said it.
 */
export const StatedBySchema = z.object({ field: z.string(), sourceId: z.string(), sourceName: z.string() });
export type StatedBy = z.infer<typeof StatedBySchema>;

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
  lab: LabValueSchema.optional(),
  /** An Observation's value other than a plain quantity (components, ratio, boolean …), as data for the renderer to word. */
  value: ObservationValueSchema.optional(),
  conflicts: z.array(ConflictSchema).optional(),
  /** Fields of `resource` taken from another system's record of the same fact (merged problems, allergies, drugs). */
  statedBy: z.array(StatedBySchema).optional(),
  /** Defects the sources' records have (unmapped code, bad unit …): shown as a marker, never dropped. */
  quality: z.array(QualityFindingSchema).optional(),
  /** Entry id of the encounter this entry happened in, when the source said so. */
  encounterId: z.string().optional(),
  /** Entry id of the report (lab panel, imaging report) this result belongs to. */
  panelId: z.string().optional(),
  /**
   * Set on the wire when `resource` is a summary (its type, id and the fields screens read),
   * not the whole resource: results are most of a large record's bytes. The whole resource is
   * one `entryResources` call away.
   */
  resourceSummary: z.literal(true).optional(),
  resource: FhirResourceSchema,
});
export type TimelineEntry = z.infer<typeof TimelineEntrySchema>;
