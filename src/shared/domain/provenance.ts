import { z } from 'zod';
import { SourceKindSchema } from './source.ts';

/** Where one fact came from: every timeline entry carries at least one. */
export const ProvenanceSchema = z.object({
  sourceId: z.string(),
  sourceName: z.string(),
  sourceKind: SourceKindSchema,
  /** The record's id in its own system (e.g. "Observation/123", an OBX set id, a SOP Instance UID). */
  nativeId: z.string(),
  /** The message or interaction that carried it, e.g. "FHIR search", "ORU^R01", "PRPA_IN201306UV02". */
  messageType: z.string().optional(),
  fetchedAt: z.string(),
});
export type Provenance = z.infer<typeof ProvenanceSchema>;
