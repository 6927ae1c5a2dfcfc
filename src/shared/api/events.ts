import { z } from 'zod';
import { PatientCandidateSchema } from '../domain/patient.ts';
import { SourceStatusSchema } from '../domain/source.ts';
import { TimelineEntrySchema } from '../domain/timeline.ts';
import { PatientAccessSchema, SessionViewSchema } from './session.ts';

/** Why the ward worklist changed: the census (ADT), or results stored for a patient on it. */
export const WorklistChangeReasonSchema = z.enum(['census', 'results']);
export type WorklistChangeReason = z.infer<typeof WorklistChangeReasonSchema>;

/** Pushed from main to the renderer while a patient is open: the fastest source paints first. */
export const ApiEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('timeline.updated'),
    viewId: z.string(),
    entries: z.array(TimelineEntrySchema),
    sources: z.array(SourceStatusSchema),
    complete: z.boolean(),
    /**
     * Set on a partial snapshot of a large record that carries only its newest entries (its
     * first screen) while the rest loads: how many the whole timeline has so far.
     */
    totalEntries: z.number().int().nonnegative().optional(),
    /** Set by the access layer: snapshots only flow once access was granted, and say on what grounds. */
    access: PatientAccessSchema.optional(),
  }),
  /**
   * Privacy mode switched while this patient is open: its entries, grounds and (when main knows
   * the search result it was opened from) its candidate, masked at the new level. The renderer
   * replaces what it shows and keeps the patient open. Without a candidate the renderer cannot
   * re-mask the banner and closes the patient instead.
   */
  z.object({
    type: z.literal('patient.remasked'),
    viewId: z.string(),
    entries: z.array(TimelineEntrySchema),
    access: PatientAccessSchema,
    candidate: PatientCandidateSchema.optional(),
  }),
  /**
   * A search that named a `searchId`, before it settles: the candidates so far (the cache's at
   * once, then each system's live answer merged in) and the systems still asked.
   */
  z.object({
    type: z.literal('search.progress'),
    searchId: z.string(),
    candidates: z.array(PatientCandidateSchema),
    pending: z.array(z.string()),
  }),
  z.object({
    type: z.literal('source.status'),
    status: SourceStatusSchema,
  }),
  /** Signed in (e.g. an OIDC sign-in completed in the system browser), locked, signed out. */
  z.object({
    type: z.literal('session.changed'),
    session: SessionViewSchema,
  }),
  /**
   * The ward worklist changed (coalesced: one signal per burst). It names no patient: the
   * renderer reads the rows again through the access-checked `listWorklist`.
   */
  z.object({
    type: z.literal('worklist.changed'),
    reasons: z.array(WorklistChangeReasonSchema).min(1),
  }),
]);
export type ApiEvent = z.infer<typeof ApiEventSchema>;
