/**
 * The one table from the services' typed errors to the CLI's documented exit codes (README,
 * "The huizhen CLI"). Which code a failure to open the cache means depends on what the command
 * needed it for: the audit log (6: cannot be checked), the credential vault (9), or the
 * workstation itself (2: the configuration, passphrase included, does not open it). Converter
 * errors (exit 4) are mapped by `convert`, the one command that meets them.
 */
import { AuditError } from '../main/services/audit/index.ts';
import { CacheError } from '../main/services/cache/index.ts';
import { ConfigError } from '../main/services/config/index.ts';
import { CredentialError } from '../main/services/credentials/index.ts';
import { KeyProtectionError } from '../main/services/security/index.ts';
import { CacheSetupError } from '../main/services/cache-setup/index.ts';
import { CliError, EXIT } from './cli-error.ts';

/** What a command was doing with the cache's keys when they failed to open. */
export type CacheUse = 'audit' | 'credentials' | 'workstation';

const CACHE_EXIT: Readonly<Record<CacheUse, number>> = {
  audit: EXIT.auditCannotVerify,
  credentials: EXIT.vaultFailed,
  workstation: EXIT.usage,
};

/** The cache could not be opened: no passphrase, a wrong one, another key store, a damaged file. */
export function isCacheOpenFailure(error: unknown): error is CacheError | CacheSetupError | KeyProtectionError {
  return error instanceof CacheError || error instanceof CacheSetupError || error instanceof KeyProtectionError;
}

/** Exit code of a credential-vault failure: its own code decides, whatever the command. */
export function credentialExit(error: CredentialError): number {
  if (error.code === 'invalid-input') return EXIT.usage;
  if (error.code === 'missing-ref') return EXIT.sourcesFailed;
  return EXIT.vaultFailed;
}

/**
 * The CliError a typed failure means for a command using the cache as `use`; undefined for
 * anything untyped (a bug: the caller reports it as such, exit 70).
 */
export function cliFailureOf(error: unknown, use: CacheUse): CliError | undefined {
  if (error instanceof CliError) return error;
  if (error instanceof ConfigError) return new CliError(`invalid configuration ${error.message}`, EXIT.usage);
  if (isCacheOpenFailure(error)) return new CliError(`the encrypted cache cannot be opened: ${error.message}`, CACHE_EXIT[use]);
  if (error instanceof CredentialError) return new CliError(error.message, credentialExit(error));
  if (error instanceof AuditError)
    return new CliError(`audit log: ${error.message}`, error.code === 'tampered' ? EXIT.auditTampered : EXIT.auditCannotVerify);
  return undefined;
}

/** Which use of the cache a command line stands for. */
export function cacheUseOf(command: string): CacheUse {
  if (command.startsWith('audit')) return 'audit';
  if (command.startsWith('credentials')) return 'credentials';
  return 'workstation';
}
