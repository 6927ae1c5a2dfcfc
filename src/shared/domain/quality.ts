import { z } from 'zod';

/** The kinds of data-quality finding; the renderer and the README word each one. */
export const QualityCodeSchema = z.enum([
  'unmapped-code',
  'unit-not-ucum',
  'unit-not-convertible',
  'implausible-value',
  'numeric-as-text',
  'invalid-identifier',
  'identifier-mismatch',
  'missing-time',
  'missing-code',
  'missing-subject',
  'future-date',
  'duplicate-id',
  'value-conflict',
  'partial-answer',
  'unreadable-record',
]);
export type QualityCode = z.infer<typeof QualityCodeSchema>;

export const QualitySeveritySchema = z.enum(['info', 'warning', 'error']);
export type QualitySeverity = z.infer<typeof QualitySeveritySchema>;

/**
 * One defect a source's record has. Never PHI: codes, units, field paths and small numbers only
 * (a value found implausible is named by its analyte and bound, not by the patient's value).
 */
export const QualityFindingSchema = z.object({
  code: QualityCodeSchema,
  severity: QualitySeveritySchema,
  sourceId: z.string(),
  resourceType: z.string(),
  /** FHIRPath-like path of the element at fault, e.g. "Observation.valueQuantity.unit". */
  field: z.string(),
  /** Data for the wording: code system and code, unit, analyte, bound, conflicting field … */
  params: z.record(z.string(), z.string()).optional(),
});
export type QualityFinding = z.infer<typeof QualityFindingSchema>;

/**
 * On a Quantity an adapter read out of a text field (HL7 v2 OBX ST/TX carrying "5.6"): the text
 * as sent. The value is charted as a number, and the sender's habit is still a finding.
 */
export const VALUE_SENT_AS_TEXT_EXTENSION = 'urn:huizhen:value-sent-as-text';
