import { z } from 'zod';
import { SourceErrorCodeSchema, SourcePatientRefSchema } from '../domain/source.ts';

/**
 * One patient on the ward worklist, as main sends it: data and codes only (the renderer words
 * them). The name and birth date are masked as the session requires.
 */
export const WorklistRowSchema = z.object({
  /** Stable per person: the census's key for the first (by key) of the person's stays. */
  key: z.string(),
  /**
   * Every system record of the person, linked in main by the identity service as a search links
   * them (the stays' records first, the row's own first of all): what opens at once.
   */
  refs: z.array(SourcePatientRefSchema).min(1).max(50),
  /** Each system's stay of this person (provenance), the one the row shows first. */
  placements: z
    .array(
      z.object({
        sourceId: z.string(),
        ward: z.string(),
        room: z.string().optional(),
        bed: z.string().optional(),
        status: z.enum(['admitted', 'discharged']),
      }),
    )
    .min(1)
    .max(20),
  /** The systems place the person on different wards or beds: shown as a conflict, not resolved. */
  placementConflict: z.boolean(),
  /** A query that finds this patient (an MRN), as search takes it. */
  openQuery: z.string(),
  ward: z.string(),
  room: z.string().optional(),
  bed: z.string().optional(),
  name: z.string(),
  sex: z.enum(['male', 'female', 'other', 'unknown']).optional(),
  /** As the session may see it (masked in privacy mode); the banner of the opened patient shows it. */
  birthDate: z.string().optional(),
  /** Whole years at today. */
  ageYears: z.number().int().nonnegative().optional(),
  admittedAt: z.string().optional(),
  /** 住院第 N 天: day 1 is the day of admission (China Standard Time calendar days). */
  admissionDay: z.number().int().positive().optional(),
  attending: z.string().optional(),
  /** The signed-in doctor attends this stay. */
  mine: z.boolean(),
  /** Why the user may see this row: on their ward, or they attend the patient. */
  basis: z.enum(['ward', 'treating']),
  status: z.enum(['admitted', 'discharged']),
  diagnosis: z.string().optional(),
  /**
   * Over every system record of the person the workstation holds: an allergy recorded anywhere
   * (yes), recorded as none known by some system and as an allergy by none, or nothing said.
   */
  allergies: z.enum(['yes', 'none', 'unknown']),
  /** The systems holding a real allergy (source ids). */
  allergySources: z.array(z.string()).max(50).optional(),
  /** One system records an allergy and another "no known allergies": the allergy is shown, the disagreement marked. */
  allergyConflict: z.boolean().optional(),
  newResults: z.object({
    count: z.number().int().nonnegative(),
    abnormal: z.number().int().nonnegative(),
    critical: z.number().int().nonnegative(),
  }),
  lastViewedAt: z.string().optional(),
  /** Sources of this patient not yet asked live (from the cache) or that did not answer (live). */
  pendingSources: z.array(z.string()),
});
export type WorklistRow = z.infer<typeof WorklistRowSchema>;

/** `from: 'cache'` answers at once from the census and the encrypted cache; `'systems'` asks the sources first. */
export const WorklistRequestSchema = z.object({ from: z.enum(['cache', 'systems']).default('cache') }).strict();

export const WorklistResponseSchema = z.object({
  rows: z.array(WorklistRowSchema),
  /** The wards the list covers (the user's), for the heading. */
  wards: z.array(z.string()),
  from: z.enum(['cache', 'systems']),
  asOf: z.string(),
  /**
   * Census sources asked live that gave no census (their stays are as the census had them): the
   * source and the adapter's error code (timeout, bad-request for MSA/QAK AE, server-error for AR, protocol for a malformed answer).
   */
  censusFailures: z
    .array(
      z.object({
        sourceId: z.string(),
        code: z.union([SourceErrorCodeSchema, z.literal('unknown')]),
        /** When this source last gave its census in this session: the list's stays from it are as of then. */
        lastAnsweredAt: z.string().optional(),
      }),
    )
    .optional(),
  /**
   * A live listing: the census sources that answered it (perhaps with none). An empty list with
   * every census source failed and none ever answered is "could not be read", not "no inpatients".
   */
  censusAnsweredBy: z.array(z.string()).optional(),
});
export type WorklistResponse = z.infer<typeof WorklistResponseSchema>;
