import { z } from 'zod';
import { AuditActionSchema } from '../domain/audit-action.ts';
import { QualityCodeSchema } from '../domain/quality.ts';

/**
 * The console's Quality and Audit panels (issue 19). Counts, codes, field paths and masked
 * references only, in two families that cannot be joined: the audit trail's "P-" masks (one per
 * record reference, the same in every event) and the quality drill-down's "S-" sample references
 * (stable for a day, from another key). An administrator may type any record reference into the
 * audit search; if its answer could be matched with a sample, the search would name the sample.
 */

const count = z.number().int().nonnegative();
/** "P-" and ten hex digits: a keyed hash of one record reference, unique per workstation, not reversible without its key. */
export const MaskedRefSchema = z.string().regex(/^P-[0-9a-f]{10}$/);
/** "S-" and ten hex digits: a quality sample's reference, from its own key, the same for one UTC day. */
export const SampleRefSchema = z.string().regex(/^S-[0-9a-f]{10}$/);

export const QualityRangeSchema = z.enum(['7d', '30d']);
export type QualityRange = z.infer<typeof QualityRangeSchema>;

export const UnmappedCodeSchema = z.object({ sourceId: z.string(), system: z.string(), code: z.string(), count });
export type UnmappedCode = z.infer<typeof UnmappedCodeSchema>;

export const QualityOverviewSchema = z.object({
  range: QualityRangeSchema,
  /** Day starts (epoch ms, UTC days), oldest first. */
  days: z.array(z.number().int()),
  /** Records with findings in the range: each patient's record counted once per day it was built (a clean one leaves no trace). */
  assessments: count,
  sources: z.array(
    z.object({
      sourceId: z.string(),
      total: count,
      byKind: z.partialRecord(QualityCodeSchema, count),
      /** Findings per day, one value per entry of `days`. */
      perDay: z.array(count),
    }),
  ),
  /** The most frequent local codes without a standard mapping, over all sources. */
  topUnmapped: z.array(UnmappedCodeSchema),
});
export type QualityOverview = z.infer<typeof QualityOverviewSchema>;

export const QualitySampleSchema = z.object({
  maskedRef: SampleRefSchema,
  resourceType: z.string(),
  field: z.string(),
  /** UTC day (epoch ms) the record was assessed. */
  day: z.number().int(),
});
export type QualitySample = z.infer<typeof QualitySampleSchema>;

/** Matching is exact anyway; a reference that looks like a pattern (glob, SQL LIKE) is refused so nobody believes it listed a set. */
const NO_WILDCARD = /^[^*?%]*$/;

export const AuditSearchRequestSchema = z
  .object({
    userId: z.string().trim().min(1).max(200).optional(),
    /**
     * One record reference the administrator typed, matched exactly (no pattern: a wildcard would
     * list every patient); answered only as masked references. Distinct references searched are
     * rate-limited per administrator (a refusal with `denial: 'search-rate'`).
     */
    patient: z
      .object({
        sourceId: z.string().trim().min(1).max(100).regex(NO_WILDCARD, 'a specific source id, not a pattern'),
        sourcePatientId: z.string().trim().min(1).max(200).regex(NO_WILDCARD, 'a specific record id, not a pattern'),
      })
      .strict()
      .optional(),
    actions: z.array(AuditActionSchema).max(30).optional(),
    /** ISO instants, inclusive. */
    since: z.iso.datetime({ offset: true }).optional(),
    until: z.iso.datetime({ offset: true }).optional(),
    page: z.number().int().nonnegative().default(0),
    pageSize: z.number().int().min(1).max(200).default(50),
  })
  .strict();
export type AuditSearchRequest = z.input<typeof AuditSearchRequestSchema>;

export const AuditRowSchema = z.object({
  seq: count,
  at: z.string(),
  action: z.string(),
  outcome: z.enum(['success', 'failure', 'denied']),
  userId: z.string().optional(),
  userName: z.string().optional(),
  roles: z.array(z.string()).optional(),
  attemptedUser: z.string().optional(),
  workstation: z.string(),
  patients: z.array(MaskedRefSchema).optional(),
  entityType: z.string().optional(),
  /** Only for events about no patient (console views, configuration, checks): a query's text can name one. */
  detail: z.string().optional(),
});
export type AuditRow = z.infer<typeof AuditRowSchema>;

export const AuditSearchResponseSchema = z.object({
  /** Newest first. */
  rows: z.array(AuditRowSchema),
  total: count,
  page: count,
  pageSize: count,
  /** Lines left out of the listing because they do not authenticate (see the chain status). */
  unreadable: count,
});
export type AuditSearchResponse = z.infer<typeof AuditSearchResponseSchema>;

export const AuditStatusSchema = z.object({
  /** Whether there is a sealed log at all (none without the cache). */
  kept: z.boolean(),
  chain: z
    .object({
      ok: z.boolean(),
      events: count,
      lines: count,
      problems: z.array(z.object({ kind: z.string(), line: count, seq: count.optional() })),
      /** How the log's end was checked beyond its anchor (the states `audit verify` prints). */
      witness: z.string(),
      repository: z.string(),
    })
    .optional(),
  forwarding: z
    .object({
      deliveredSeq: count,
      /** Events in the spool not yet delivered. */
      pending: count,
      consecutiveFailures: count,
      lastDeliveryAt: z.string().optional(),
      lastError: z.object({ code: z.string(), message: z.string() }).optional(),
      nextAttemptAt: z.string().optional(),
    })
    .optional(),
  /** Why the chain could not be checked (unreadable folder, wrong keys). */
  error: z.string().optional(),
});
export type AuditStatus = z.infer<typeof AuditStatusSchema>;

export const adminInsightMethods = {
  /** Findings per source and kind, per day, and the top unmapped local codes (aggregates from the encrypted cache). */
  adminQualityOverview: {
    request: z.object({ range: QualityRangeSchema }).strict(),
    response: QualityOverviewSchema,
  },
  /** A drill-down: masked sample references and field paths of one source's findings of one kind (audited). */
  adminQualitySamples: {
    request: z.object({ sourceId: z.string().min(1).max(100), kind: QualityCodeSchema }).strict(),
    response: z.object({ samples: z.array(QualitySampleSchema) }),
  },
  /** The overview as CSV (counts and codes only), for a download. */
  adminQualityCsv: {
    request: z.object({ range: QualityRangeSchema }).strict(),
    response: z.object({ filename: z.string(), csv: z.string() }),
  },
  /** The audit trail, filtered and paged, newest first; patients as masked references (the search is audited). */
  adminAuditSearch: {
    request: AuditSearchRequestSchema,
    response: AuditSearchResponseSchema,
  },
  /** The chain status (the checks of `huizhen audit verify`) and the forwarding spool's state. */
  adminAuditStatus: {
    request: z.object({}).strict(),
    response: AuditStatusSchema,
  },
} as const;
