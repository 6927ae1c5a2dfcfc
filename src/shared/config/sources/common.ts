import { z } from 'zod';

export const SourceIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'use lowercase letters, digits and dashes (e.g. "his-main")');

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
    /**
     * An interactive patient search waits at most this long for this source (within timeoutMs);
     * past it the search goes on without it and the workstation's cache stands in.
     */
    searchTimeoutMs: z.number().int().min(100).max(300_000).default(4_000),
    /** Retries for idempotent reads only, with jittered exponential backoff. */
    retries: z.number().int().min(0).max(5).default(1),
    /** Above this latency the source is shown as "slow". */
    slowMs: z.number().int().min(1).default(2_000),
    /** Consecutive system failures (timeouts, refused connections, 5xx) that pause the source, and for how long. */
    circuitBreaker: z
      .object({
        failureThreshold: z.number().int().min(1).max(100).default(5),
        resetMs: z.number().int().min(100).max(3_600_000).default(30_000),
      })
      .strict()
      .default({ failureThreshold: 5, resetMs: 30_000 }),
    /** Requests in flight at once from this workstation to this source. */
    maxConcurrent: z.number().int().min(1).max(64).default(6),
    /** Token bucket per source: sustained requests per second and burst. */
    rateLimit: z
      .object({
        ratePerSecond: z.number().min(0.1).max(10_000).default(20),
        burst: z.number().int().min(1).max(10_000).default(40),
      })
      .strict()
      .default({ ratePerSecond: 20, burst: 40 }),
  })
  .strict();

const RESILIENCE_DEFAULTS = ResilienceSchema.parse({});

/** Fields every source has, whatever its protocol. Spread into each protocol's object schema. */
export const SourceCommonFields = {
  id: SourceIdSchema,
  name: z.string().min(1).max(100),
  enabled: z.boolean().default(true),
  resilience: ResilienceSchema.default(RESILIENCE_DEFAULTS),
  /**
   * The identifier system of this source's own patient ids (its MRN). Another system's
   * cross-reference (PIX, an MPI, a PACS's other-IDs) under this system lets Huizhen reach this
   * source for a patient found elsewhere, e.g. a LIS that cannot search by name.
   */
  patientIdSystem: z.string().min(1).optional(),
};

/**
 * The name of a secret in the workstation's credential vault (`huizhen credentials set NAME`),
 * given in a source's auth instead of the secret itself so the configuration file holds none.
 */
export const CredentialRefSchema = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9._-]{0,63}$/,
    'a credential name: lowercase letters, digits, ".", "_" and "-", at most 64 (e.g. "his-main.password")',
  );

/** True when exactly one of these fields is given: a secret is inline, in a file, or a vault reference. */
export function exactlyOneOf<T extends object>(value: T, keys: readonly (keyof T)[]): boolean {
  return keys.filter((k) => value[k] !== undefined).length === 1;
}

/** HTTP basic auth: the password inline (tests, the demo) or, recommended, as a vault reference. */
export const BasicAuthSchema = z
  .object({
    type: z.literal('basic'),
    username: z.string().min(1),
    password: z.string().optional(),
    passwordRef: CredentialRefSchema.optional(),
  })
  .strict()
  .refine((a) => exactlyOneOf(a, ['password', 'passwordRef']), {
    message: 'give exactly one of password and passwordRef (a credential-vault name; recommended)',
    path: ['password'],
  });

/** A static bearer token: inline or, recommended, as a vault reference. */
export const BearerAuthSchema = z
  .object({ type: z.literal('bearer'), token: z.string().min(1).optional(), tokenRef: CredentialRefSchema.optional() })
  .strict()
  .refine((a) => exactlyOneOf(a, ['token', 'tokenRef']), {
    message: 'give exactly one of token and tokenRef (a credential-vault name; recommended)',
    path: ['token'],
  });
