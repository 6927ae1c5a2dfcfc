import { z } from 'zod';

export const SourceIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'use lowercase letters, digits and dashes (e.g. "his-main")');

export const HttpUrlSchema = z.url({
  protocol: /^https?$/,
  message: 'must be an absolute http:// or https:// URL such as https://cdr.example-hospital.cn/fhir',
});

/** A loopback or LAN host name / address for socket protocols (MLLP, DICOM). */
export const HostSchema = z.string().min(1).max(253);
export const PortSchema = z.number().int().min(1).max(65_535);

export const ResilienceSchema = z
  .object({
    /** Whole-request deadline for this source, including retries. */
    timeoutMs: z.number().int().min(100).max(300_000).default(10_000),
    /** Retries for idempotent reads only, with jittered exponential backoff. */
    retries: z.number().int().min(0).max(5).default(1),
    /** Above this latency the source is shown as "slow". */
    slowMs: z.number().int().min(1).default(2_000),
  })
  .strict();

/** Fields every source has, whatever its protocol. Spread into each protocol's object schema. */
export const SourceCommonFields = {
  id: SourceIdSchema,
  name: z.string().min(1).max(100),
  enabled: z.boolean().default(true),
  resilience: ResilienceSchema.default({ timeoutMs: 10_000, retries: 1, slowMs: 2_000 }),
};
