import { z } from 'zod';
import { LinkReasonSchema } from './link-reasons.ts';
import { SourcePatientRefSchema } from './source.ts';

export const PatientIdentifierSchema = z.object({
  system: z.string().optional(),
  value: z.string(),
  /** Human label for the identifier type, e.g. "身份证", "MRN (HIS)". */
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
