import {
  credentialRefsOf,
  CredentialError,
  openCacheCredentialVault,
  resolveCredentialRefs,
  type CredentialVault,
} from '../../main/services/credentials/index.ts';
import { resolveCacheDirectory } from '../../main/services/cache-setup/index.ts';
import type { HuizhenConfig } from '../../shared/config/schema.ts';
import { CredentialRefSchema } from '../../shared/config/sources/common.ts';
import { CliError, EXIT } from '../cli-error.ts';
import type { CliIo } from '../io.ts';
import { credentialExit } from '../cli-failure.ts';
import { withCliCache } from '../with-cli-cache.ts';

/** Exit codes of the credentials commands, beside the shared ones (0 ok, 1 a referenced credential is missing, 2 usage). */
export const CREDENTIALS_EXIT = {
  /** `list`, or resolving for `sources check`: a source refers to a credential the vault does not hold. */
  missing: EXIT.sourcesFailed,
  /** The vault could not be opened or written: wrong key, tampered or unreadable file, no cache. */
  vaultFailed: EXIT.vaultFailed,
} as const;

/** How the vault is unlocked is the caller's choice (passphrase from the environment, OS key store). */
export type OpenCredentialVault = () => Promise<CredentialVault>;

/** The parts of the configuration the credentials commands read. */
export type CredentialsCommandConfig = Pick<HuizhenConfig, 'sources' | 'cache'>;

/** Largest input accepted on standard input (a secret is at most 64 KiB; PEM keys are ~3 KiB). */
const MAX_STDIN_BYTES = 128 * 1024;

/** The vault of the configured cache, unlocked with the cache passphrase as the workstation does. */
export function openCredentialVaultForCli(config: CredentialsCommandConfig): Promise<CredentialVault> {
  return withCliCache(config.cache, 'the credential vault', CREDENTIALS_EXIT.vaultFailed, (cache) =>
    openCacheCredentialVault(cache, resolveCacheDirectory(config.cache!)),
  );
}

/**
 * The configuration with its vault references resolved, for commands that build the
 * workstation without the cache (`sources check`); itself when it has none, without asking for
 * the cache passphrase.
 */
export async function resolveCliCredentials(
  config: HuizhenConfig,
  openVault: OpenCredentialVault = () => openCredentialVaultForCli(config),
): Promise<HuizhenConfig> {
  if (credentialRefsOf(config).length === 0) return config;
  return withVault(openVault, (vault) => Promise.resolve(resolveCredentialRefs(config, vault)));
}

/**
 * The secret from standard input, never from the command line (argv is visible to every user
 * in the process list and kept in shell history). A terminal gets a prompt without echo; piped
 * input is read to its end, without one trailing line break.
 */
export async function readSecretFromStdin(stdin: NodeJS.ReadStream = process.stdin, io?: CliIo): Promise<string> {
  if (stdin.isTTY) return readSecretFromTerminal(stdin, io);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : (chunk as Buffer);
    size += bytes.length;
    if (size > MAX_STDIN_BYTES) throw new CliError(`the secret on standard input is longer than ${MAX_STDIN_BYTES} bytes`);
    chunks.push(bytes);
  }
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

function readSecretFromTerminal(stdin: NodeJS.ReadStream, io: CliIo | undefined): Promise<string> {
  io?.err('secret (not shown; Enter to finish):');
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = (done: () => void) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      done();
    };
    const onData = (chunk: Buffer | string) => {
      for (const ch of typeof chunk === 'string' ? chunk : chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return finish(() => resolve(typed));
        if (ch === '\u0003') return finish(() => reject(new CliError('cancelled')));
        typed = ch === '\u007f' || ch === '\b' ? typed.slice(0, -1) : typed + ch;
      }
    };
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}

function checkedName(name: string | undefined): string {
  const parsed = CredentialRefSchema.safeParse(name ?? '');
  if (!parsed.success)
    throw new CliError(`"${name ?? ''}" is not a credential name: ${parsed.error.issues[0]?.message ?? 'invalid'}`, EXIT.usage);
  return parsed.data;
}

/** Runs a vault step; its failures become one clear CLI message (they never carry a secret). */
async function withVault<T>(openVault: OpenCredentialVault, use: (vault: CredentialVault) => Promise<T>): Promise<T> {
  let vault: CredentialVault | undefined;
  try {
    vault = await openVault();
    return await use(vault);
  } catch (error) {
    if (error instanceof CredentialError) throw new CliError(error.message, credentialExit(error));
    throw error;
  } finally {
    vault?.close();
  }
}

function usersOf(config: CredentialsCommandConfig, name: string): string[] {
  return credentialRefsOf(config)
    .filter((u) => u.name === name)
    .map((u) => `${u.sourceId} (${u.field})`);
}

/** `huizhen credentials set NAME`: seals the secret read by `readSecret` (standard input) under NAME. */
export async function credentialsSet(
  config: CredentialsCommandConfig,
  io: CliIo,
  name: string | undefined,
  readSecret: () => Promise<string>,
  openVault: OpenCredentialVault,
): Promise<number> {
  const checked = checkedName(name);
  const secret = await readSecret();
  if (secret.length === 0)
    throw new CliError('no secret on standard input: pipe it in, e.g. huizhen credentials set NAME < file', EXIT.usage);
  const replaced = await withVault(openVault, async (vault) => {
    const existed = vault.has(checked);
    await vault.set(checked, secret);
    return existed;
  });
  const users = usersOf(config, checked);
  io.out(`${replaced ? 'replaced' : 'stored'}  ${checked}${users.length > 0 ? `  used by ${users.join(', ')}` : ''}`);
  if (users.length === 0) io.err(`note: no source in this configuration refers to "${checked}" yet (e.g. auth.passwordRef: ${checked})`);
  return EXIT.ok;
}

/** `huizhen credentials list`: names, when set and which sources use them; never the secrets. Exit 1 when a referenced one is missing. */
export async function credentialsList(
  config: CredentialsCommandConfig,
  io: CliIo,
  json: boolean,
  openVault: OpenCredentialVault,
): Promise<number> {
  const stored = await withVault(openVault, (vault) => Promise.resolve(vault.list()));
  const names = new Set(stored.map((c) => c.name));
  const missing = credentialRefsOf(config).filter((u) => !names.has(u.name));
  if (json) {
    io.out(JSON.stringify({ credentials: stored.map((c) => ({ ...c, usedBy: usersOf(config, c.name) })), missing }, null, 2));
  } else {
    for (const c of stored) {
      const users = usersOf(config, c.name);
      io.out(`${c.name}  set ${c.updatedAt}  ${users.length > 0 ? `used by ${users.join(', ')}` : 'not used by this configuration'}`);
    }
    for (const m of missing) io.out(`MISSING  ${m.name}  needed by ${m.sourceId} (${m.field})`);
    io.out(`${stored.length} credential${stored.length === 1 ? '' : 's'}${missing.length > 0 ? `, ${missing.length} missing` : ''}`);
  }
  return missing.length > 0 ? CREDENTIALS_EXIT.missing : EXIT.ok;
}

/** `huizhen credentials remove NAME`: exit 2 when there is no such credential. */
export async function credentialsRemove(
  config: CredentialsCommandConfig,
  io: CliIo,
  name: string | undefined,
  openVault: OpenCredentialVault,
): Promise<number> {
  const checked = checkedName(name);
  const removed = await withVault(openVault, (vault) => vault.remove(checked));
  if (!removed) throw new CliError(`no credential "${checked}" in the vault`, EXIT.usage);
  io.out(`removed  ${checked}`);
  const users = usersOf(config, checked);
  if (users.length > 0)
    io.err(
      `warning: ${users.join(', ')} still refer${users.length === 1 ? 's' : ''} to "${checked}"; the workstation will not start while it is missing (unless those sources are disabled)`,
    );
  return EXIT.ok;
}
