import { z } from 'zod';

/**
 * The workstation's encrypted local cache. The key that protects it comes from the OS key
 * store in the desktop app, and from a passphrase (read from an environment variable, never
 * from this file) in the browser host and the CLI.
 */
export const CacheConfigSchema = z
  .object({
    enabled: z.boolean().default(true),
    /** Folder of the cache (created 0700). Default: the platform's per-user data folder. */
    directory: z.string().min(1).optional(),
    /** Environment variable holding the passphrase for the browser host and the CLI. */
    passphraseEnv: z
      .string()
      .regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name such as HUIZHEN_CACHE_PASSPHRASE')
      .default('HUIZHEN_CACHE_PASSPHRASE'),
    /** Purge a patient this many days after it was last opened (hospital policy). */
    retentionDays: z.number().positive().max(3650).default(30),
    /** Purge every cached patient at logout (shared ward workstations). */
    purgeOnLogout: z.boolean().default(false),
    /** Size budget for cached images; least recently viewed are evicted beyond it. */
    imageBudgetMb: z.number().int().min(16).max(1_000_000).default(4096),
    /** Linux without a keyring: allow Electron's basic_text key storage (an administrator's decision). */
    allowInsecureKeyStorage: z.boolean().default(false),
  })
  .strict();
export type CacheConfig = z.infer<typeof CacheConfigSchema>;
