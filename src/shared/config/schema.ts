import { z } from 'zod';

const id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'use lowercase letters, digits and dashes (e.g. "his-main")');

const httpUrl = z.url({
  protocol: /^https?$/,
  message: 'must be an absolute http:// or https:// URL such as https://cdr.example-hospital.cn/fhir',
});

const ResilienceSchema = z
  .object({
    /** Whole-request deadline for this source, including retries. */
    timeoutMs: z.number().int().min(100).max(300_000).default(10_000),
    /** Retries for idempotent reads only, with jittered exponential backoff. */
    retries: z.number().int().min(0).max(5).default(1),
    /** Above this latency the source is shown as "slow". */
    slowMs: z.number().int().min(1).default(2_000),
  })
  .strict();

export const FhirAuthSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('none') }).strict(),
  z.object({ type: z.literal('basic'), username: z.string().min(1), password: z.string() }).strict(),
  z.object({ type: z.literal('bearer'), token: z.string().min(1) }).strict(),
]);
export type FhirAuth = z.infer<typeof FhirAuthSchema>;

const SourceCommon = {
  id,
  name: z.string().min(1).max(100),
  enabled: z.boolean().default(true),
  resilience: ResilienceSchema.default({ timeoutMs: 10_000, retries: 1, slowMs: 2_000 }),
};

export const FhirSourceConfigSchema = z
  .object({
    ...SourceCommon,
    kind: z.literal('fhir'),
    baseUrl: httpUrl,
    auth: FhirAuthSchema.default({ type: 'none' }),
  })
  .strict();
export type FhirSourceConfig = z.infer<typeof FhirSourceConfigSchema>;

/** One entry per protocol; later adapters (hl7v2, hl7v3, cda, dicomweb) add their own shapes here. */
export const SourceConfigSchema = z.discriminatedUnion('kind', [FhirSourceConfigSchema]);
export type SourceConfig = z.infer<typeof SourceConfigSchema>;

export const HuizhenConfigSchema = z
  .object({
    /** Human label for this workstation's hospital, shown in the title bar and audit events. */
    hospital: z.string().min(1).max(200).default('Huizhen'),
    sources: z
      .array(SourceConfigSchema)
      .min(1, 'configure at least one hospital system under "sources"')
      .refine((list) => new Set(list.map((s) => s.id)).size === list.length, 'source ids must be unique'),
  })
  .strict();
export type HuizhenConfig = z.infer<typeof HuizhenConfigSchema>;
export type HuizhenConfigInput = z.input<typeof HuizhenConfigSchema>;
