import { z } from 'zod';
import { IdentifierTypeCodeSchema } from './identifier-types.ts';
import { LinkReasonSchema } from './link-reasons.ts';
import { SourcePatientRefSchema } from './source.ts';

export const PatientIdentifierSchema = z.object({
  system: z.string().optional(),
  value: z.string(),
  /** The identifier's type as a code the renderer words; absent when the source's type is not one it knows. */
  typeCode: IdentifierTypeCodeSchema.optional(),
  /** The source's own words for the type, e.g. "病案号": shown as such only when there is no `typeCode`. */
  label: z.string().optional(),
  sourceId: z.string(),
});
export type PatientIdentifier = z.infer<typeof PatientIdentifierSchema>;

export const LinkOutcomeSchema = z.enum(['linked', 'possible', 'single']);

/** A patient as found across systems: one candidate may gather records from several sources. */
export const PatientCandidateSchema = z.object({
  key: z.string(),
  displayName: z.string(),
  otherNames: z.array(z.string()),
  gender: z.enum(['male', 'female', 'other', 'unknown']).optional(),
  birthDate: z.string().optional(),
  identifiers: z.array(PatientIdentifierSchema),
  refs: z.array(SourcePatientRefSchema).min(1),
  link: z.object({
    outcome: LinkOutcomeSchema,
    score: z.number().optional(),
    reasons: z.array(LinkReasonSchema),
  }),
  /**
   * The parts no system returned live in this search (it was down, hung or not yet answered):
   * the workstation's cache stood in, fetched at `fetchedAt`. Absent when every part is live.
   */
  cached: z.array(z.object({ sourceId: z.string(), fetchedAt: z.string() })).optional(),
});
export type PatientCandidate = z.infer<typeof PatientCandidateSchema>;
