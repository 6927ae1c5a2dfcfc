import { z } from 'zod';
import { SourcePatientRefSchema } from './source.ts';

/**
 * Why records were (or were not) linked into one patient, as data: the identity matcher says
 * what it found with the values involved, and the renderer words it in the user's language.
 * Weights are in bits (log2 m/u); a reason without one carried no weight.
 */

export const NameLevelSchema = z.enum(['exact', 'homophone', 'variant', 'close', 'similar', 'disagree', 'missing']);
export type NameLevel = z.infer<typeof NameLevelSchema>;

export const DeterministicLinkSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('resident-id'), value: z.string() }),
  z.object({ kind: z.enum(['insurance', 'mpi', 'passport']), label: z.string(), value: z.string() }),
  /** A PIX/MPI record lists the same MRN of `system` for both records. */
  z.object({ kind: z.literal('cross-reference'), system: z.string(), value: z.string() }),
]);
export type DeterministicLink = z.infer<typeof DeterministicLinkSchema>;

/** Where a valid 身份证 contradicts the record carrying it (it encodes birth date and sex). */
export const ResidentIdDoubtSchema = z.object({
  record: z.enum(['first', 'second']),
  field: z.enum(['birth-date', 'sex']),
  encoded: z.string(),
  recorded: z.string(),
});
export type ResidentIdDoubt = z.infer<typeof ResidentIdDoubtSchema>;

export const ResidentIdProblemSchema = z.enum(['format', 'check-digit', 'area', 'birth-date']);

const weighed = { weight: z.number() };
const pair = { a: z.string(), b: z.string() };

/** One compared field of two records and what it added to the score. */
export const EvidenceReasonSchema = z.discriminatedUnion('code', [
  z.object({ code: z.literal('name'), ...weighed, ...pair, family: NameLevelSchema, given: NameLevelSchema, transposed: z.boolean() }),
  z.object({ code: z.literal('name-missing'), ...weighed }),
  z.object({ code: z.literal('birth-date-exact'), ...weighed, date: z.string() }),
  z.object({
    code: z.literal('birth-date-typo'),
    ...weighed,
    ...pair,
    how: z.enum(['one-digit', 'day-month-swapped', 'adjacent-digits-swapped']),
  }),
  z.object({ code: z.literal('birth-date-partial'), ...weighed, ...pair }),
  z.object({ code: z.literal('birth-date-differs'), ...weighed, ...pair }),
  z.object({ code: z.literal('birth-date-missing'), ...weighed }),
  z.object({ code: z.literal('sex-same'), ...weighed, sex: z.string() }),
  z.object({ code: z.literal('sex-differs'), ...weighed, ...pair }),
  z.object({ code: z.literal('sex-missing'), ...weighed }),
  z.object({ code: z.literal('phone-same'), ...weighed }),
  z.object({ code: z.literal('phone-household'), ...weighed }),
  z.object({ code: z.literal('phone-differs'), ...weighed }),
  z.object({ code: z.literal('phone-missing'), ...weighed }),
  z.object({ code: z.literal('address-same'), ...weighed }),
  z.object({ code: z.literal('address-partly'), ...weighed, percent: z.number() }),
  z.object({ code: z.literal('address-household'), ...weighed }),
  z.object({ code: z.literal('address-differs'), ...weighed }),
  z.object({ code: z.literal('address-missing'), ...weighed }),
  z.object({ code: z.literal('resident-id-doubtful'), ...weighed, value: z.string(), doubts: z.array(ResidentIdDoubtSchema) }),
  z.object({ code: z.literal('resident-id-invalid'), ...weighed, value: z.string(), problem: ResidentIdProblemSchema }),
  z.object({ code: z.literal('resident-id-conflict'), ...weighed, ...pair }),
  z.object({ code: z.literal('identifier-conflict'), ...weighed, ...pair, label: z.string() }),
]);
export type EvidenceReason = z.infer<typeof EvidenceReasonSchema>;

export const PairOutcomeSchema = z.enum(['linked', 'possible', 'not-linked']);

/** Why the outcome differs from what the score alone would give (caps and overrides). */
export const OutcomeNoteSchema = z.discriminatedUnion('code', [
  z.object({ code: z.literal('demographics-disagree'), link: DeterministicLinkSchema, score: z.number() }),
  z.object({ code: z.literal('homophone-names') }),
]);
export type OutcomeNote = z.infer<typeof OutcomeNoteSchema>;

/** The matcher's decision on one pair: by a strong identifier, or by the score and its thresholds. */
export const MatcherVerdictReasonSchema = z.discriminatedUnion('code', [
  z.object({ code: z.literal('verdict-identifier'), outcome: PairOutcomeSchema, link: DeterministicLinkSchema, score: z.number() }),
  z.object({
    code: z.literal('verdict-score'),
    outcome: PairOutcomeSchema,
    score: z.number(),
    linkedFrom: z.number(),
    possibleFrom: z.number(),
  }),
]);
export type MatcherVerdictReason = z.infer<typeof MatcherVerdictReasonSchema>;

/** A user's confirm or unlink, which overrides the matcher. */
export const UserDecisionReasonSchema = z.object({
  verdict: z.enum(['confirmed', 'unlinked']),
  decidedBy: z.string(),
  decidedAt: z.string(),
  note: z.string().optional(),
});

/** The reasons that concern one set of records of a patient. */
export const LinkReasonSchema = z.discriminatedUnion('code', [
  /** Two records compared: the user's decision if any, else the matcher's verdict, notes and evidence. */
  z.object({
    code: z.literal('pair'),
    a: SourcePatientRefSchema,
    b: SourcePatientRefSchema,
    decision: UserDecisionReasonSchema.optional(),
    verdict: MatcherVerdictReasonSchema,
    notes: z.array(OutcomeNoteSchema),
    evidence: z.array(EvidenceReasonSchema),
  }),
  /** Grouped only through other records; compared directly they do not match outright. */
  z.object({ code: z.literal('indirect'), a: SourcePatientRefSchema, b: SourcePatientRefSchema }),
  /** A record known only through another system's cross-reference (PIX, MPI). */
  z.object({ code: z.literal('cross-reference'), ref: SourcePatientRefSchema, via: z.string() }),
]);
export type LinkReason = z.infer<typeof LinkReasonSchema>;
