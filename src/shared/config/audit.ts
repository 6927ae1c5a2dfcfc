import { z } from 'zod';
import { HttpUrlSchema } from './sources/common.ts';

/** Credentials for the hospital's audit repository (a FHIR server that accepts AuditEvent). */
export const AuditRepositoryAuthSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('bearer'),
      /** Environment variable holding the token: secrets never live in this file. */
      tokenEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name such as HUIZHEN_AUDIT_TOKEN'),
    })
    .strict(),
  z
    .object({
      type: z.literal('basic'),
      username: z.string().min(1).max(200),
      passwordEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name such as HUIZHEN_AUDIT_PASSWORD'),
    })
    .strict(),
]);
export type AuditRepositoryAuth = z.infer<typeof AuditRepositoryAuthSchema>;

export const AuditRepositoryConfigSchema = z
  .object({
    /** FHIR base of the audit repository, e.g. https://arr.hospital.example/fhir */
    baseUrl: HttpUrlSchema,
    auth: AuditRepositoryAuthSchema.optional(),
    /** First wait after a failed delivery; doubles on each further failure, up to 32 times this. */
    retryIntervalSeconds: z.number().min(0.05).max(3600).default(30),
    /** Deadline for one delivery request. */
    timeoutMs: z.number().int().min(100).max(300_000).default(10_000),
  })
  .strict();
export type AuditRepositoryConfig = z.infer<typeof AuditRepositoryConfigSchema>;

/**
 * The tamper-evident audit log. Its keys come from the cache's key store (OS key store or the
 * passphrase), so there is nothing secret here.
 */
export const AuditConfigSchema = z
  .object({
    /** Folder of the audit log (created 0700). Default: "audit" beside the cache folder. */
    directory: z.string().min(1).optional(),
    /** Absent: events are kept on the workstation only. */
    repository: AuditRepositoryConfigSchema.optional(),
    /** Names this workstation in every event (agent and observer). Default: the host name. */
    workstationId: z.string().min(1).max(200).optional(),
  })
  .strict();
export type AuditConfig = z.infer<typeof AuditConfigSchema>;
