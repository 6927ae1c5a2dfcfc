import { z } from 'zod';
import { SourceStatusSchema } from '../domain/source.ts';

/**
 * The administrator's console (issue 19): counts, codes and configuration only — no patient data
 * ever travels in these schemas, and main serves them to the administrator role alone.
 */

/** "The last hours" (five-minute buckets) or "the last days" (hourly buckets). */
export const HealthRangeSchema = z.enum(['24h', '30d']);
export type HealthRange = z.infer<typeof HealthRangeSchema>;

const count = z.number().int().nonnegative();
const latency = z.number().nonnegative();

export const HealthFiguresSchema = z.object({
  calls: count,
  errors: count,
  timeouts: count,
  /** How often the circuit breaker opened. */
  trips: count,
  /** Calls that waited for the workstation's rate limit or were answered "too many requests". */
  rateLimited: count,
  p50Ms: latency.optional(),
  p95Ms: latency.optional(),
});
export type HealthFigures = z.infer<typeof HealthFiguresSchema>;

/** One source over the range: one value per bucket (null latency where no call was timed). */
export const SourceHealthSeriesSchema = z.object({
  sourceId: z.string(),
  totals: HealthFiguresSchema,
  calls: z.array(count),
  errors: z.array(count),
  timeouts: z.array(count),
  trips: z.array(count),
  rateLimited: z.array(count),
  p50Ms: z.array(latency.nullable()),
  p95Ms: z.array(latency.nullable()),
});
export type SourceHealthSeries = z.infer<typeof SourceHealthSeriesSchema>;

export const SourceHealthResponseSchema = z.object({
  range: HealthRangeSchema,
  bucketMs: z.number().int().positive(),
  /** Bucket starts (epoch ms), oldest first. */
  starts: z.array(z.number().int()),
  /** The state now, as the status board knows it. */
  now: z.array(SourceStatusSchema),
  history: z.array(SourceHealthSeriesSchema),
});
export type SourceHealthResponse = z.infer<typeof SourceHealthResponseSchema>;

/** One leaf of the loaded configuration; a secret is shown by its reference only, never its value. */
export const ConfigEntrySchema = z.object({
  path: z.string(),
  value: z.union([z.string(), z.number(), z.boolean(), z.null()]).optional(),
  /** vault: a credential-vault name; env: an environment variable's name; file: a file path; inline: written in the file (value withheld). */
  secret: z.object({ kind: z.enum(['vault', 'env', 'file', 'inline']), ref: z.string().optional() }).optional(),
});
export type ConfigEntry = z.infer<typeof ConfigEntrySchema>;

export const ConfigWarningCodeSchema = z.enum([
  'inline-secret',
  'cache-disabled',
  'insecure-key-storage',
  'source-disabled',
  'inbound-without-cache',
]);
export type ConfigWarningCode = z.infer<typeof ConfigWarningCodeSchema>;

/** Messages a push channel answered since the workstation started. */
export const MessageCountersSchema = z.object({
  received: count,
  stored: count,
  duplicates: count,
  rejected: count,
  deadLettered: count,
});
export type MessageCounters = z.infer<typeof MessageCountersSchema>;

export const ConfigurationViewSchema = z.object({
  validation: z.object({
    valid: z.boolean(),
    /** Schema problems of the loaded configuration, as path + message (none when it loaded, unless edited since). */
    problems: z.array(z.object({ path: z.string(), message: z.string() })),
    warnings: z.array(z.object({ code: ConfigWarningCodeSchema, path: z.string() })),
  }),
  entries: z.array(ConfigEntrySchema),
  inbound: z.object({ enabled: z.boolean(), address: z.string().optional(), counters: MessageCountersSchema }),
  broker: z.object({ enabled: z.boolean(), state: z.string().optional(), counters: MessageCountersSchema }),
  cache: z.object({
    enabled: z.boolean(),
    patients: count,
    records: count,
    blobs: count,
    blobBytes: count,
    databaseBytes: count.optional(),
    retentionDays: z.number().positive().optional(),
    purgeOnLogout: z.boolean(),
  }),
});
export type ConfigurationView = z.infer<typeof ConfigurationViewSchema>;

export const adminConsoleMethods = {
  /** Each source's state now and its health over the range (per-source aggregates from the encrypted cache). */
  adminSourceHealth: {
    request: z.object({ range: HealthRangeSchema }).strict(),
    response: SourceHealthResponseSchema,
  },
  /** The loaded configuration with secrets as references, its validation, the push channels' counters and the cache's size. */
  adminConfiguration: {
    request: z.object({}).strict(),
    response: ConfigurationViewSchema,
  },
} as const;
