import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { CredentialRefSchema } from '../../../shared/config/sources/common.ts';
import { besideCache, nodeBlobFs, writeFileAtomically } from '../durable-files/index.ts';
import { encodeAad, KEY_BYTES, KeyError, open, seal, wipe } from '../keys/index.ts';
import { CredentialError } from './credential-error.ts';

/**
 * Hospital-system secrets (passwords, tokens, SMART keys) kept by the main process in one file
 * beside the cache, each sealed with AES-256-GCM under a key derived from the cache's key
 * hierarchy. Its own file rather than cache records: the cache's purges (retention, sign-out,
 * "purge all") must never take a workstation's connection settings with them.
 *
 * The file names credentials (names are not secret) but holds no secret in the clear. Each
 * secret's name and time of setting are its additional data, so sealed values cannot be moved
 * between names. A constant sealed under the key tells "another key" apart from "tampered".
 */

export const CREDENTIALS_FILE_FORMAT = 'huizhen-credentials';
const MAX_SECRET_CHARS = 64 * 1024;
const KEY_CHECK_PLAINTEXT = 'huizhen-credentials key check';

const Base64Schema = z.base64();
const VaultFileSchema = z
  .object({
    format: z.literal(CREDENTIALS_FILE_FORMAT),
    version: z.literal(1),
    keyCheck: Base64Schema,
    secrets: z.record(CredentialRefSchema, z.object({ sealed: Base64Schema, updatedAt: z.iso.datetime() }).strict()),
  })
  .strict();
type VaultFile = z.infer<typeof VaultFileSchema>;

const SecretSchema = z
  .string()
  .min(1, 'a secret must not be empty')
  .max(MAX_SECRET_CHARS, `a secret must be at most ${MAX_SECRET_CHARS} characters`);

/** What resolving a configuration's references needs: a secret by name, if held. */
export interface SecretLookup {
  get(name: string): string | undefined;
}

export interface CredentialListing {
  name: string;
  updatedAt: string;
}

export interface CredentialVault extends SecretLookup {
  readonly file: string;
  /** Names and when each was set, sorted by name; never the secrets. */
  list(): CredentialListing[];
  has(name: string): boolean;
  /** Seals and stores (or replaces) a secret; durable when it resolves. */
  set(name: string, secret: string): Promise<void>;
  /** False when no such credential was stored. */
  remove(name: string): Promise<boolean>;
  /** Forgets the key; later calls fail. */
  close(): void;
}

export interface CredentialVaultOptions {
  file: string;
  /** 32 bytes, e.g. `cache.deriveServiceKey(CREDENTIALS_KEY_PURPOSE)`; copied, the caller may wipe its own. */
  key: Uint8Array;
  clock?: () => Date;
}

/** The vault of a cache kept in `directory`: the sibling file "<directory>-credentials.json". */
export function credentialsFileOf(cacheDirectory: string): string {
  return besideCache(cacheDirectory, 'credentials.json');
}

const secretAad = (name: string, updatedAt: string) => encodeAad('huizhen-credential', [name, updatedAt]);
const keyCheckAad = () => encodeAad('huizhen-credentials-key-check', []);

function checkedName(name: string): string {
  const parsed = CredentialRefSchema.safeParse(name);
  if (!parsed.success)
    throw new CredentialError('invalid-input', `"${name}" is not a credential name: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data;
}

/** Opens a sealed value, turning the key module's AEAD failure into the vault's vocabulary. */
function openSealed(key: Uint8Array, sealed: string, aad: Buffer, what: string, code: 'wrong-key' | 'tampered', file: string): Buffer {
  try {
    return open(key, Buffer.from(sealed, 'base64'), aad, what);
  } catch (error) {
    if (error instanceof KeyError && error.code === 'tampered') {
      throw new CredentialError(
        code,
        code === 'wrong-key'
          ? `${file}: the credential vault was sealed under another key (the cache was re-created, or the file comes from another workstation); set the credentials again`
          : `${file}: ${what} failed authentication (the file was changed); set it again`,
      );
    }
    throw new CredentialError('corrupt', `${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function readVaultFile(file: string): Promise<VaultFile | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new CredentialError('io', `${file}: the credential vault cannot be read (${code ?? 'error'})`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CredentialError('corrupt', `${file}: the credential vault is not valid JSON`);
  }
  const parsed = VaultFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CredentialError(
      'corrupt',
      `${file}: not a Huizhen credential vault (${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid'})`,
    );
  }
  return parsed.data;
}

/** Refuses a file sealed under another key, then authenticates every secret so damage shows at open. */
function verify(file: string, key: Uint8Array, content: VaultFile): void {
  openSealed(key, content.keyCheck, keyCheckAad(), 'the key check', 'wrong-key', file);
  for (const [name, entry] of Object.entries(content.secrets)) {
    openSealed(key, entry.sealed, secretAad(name, entry.updatedAt), `credential "${name}"`, 'tampered', file).fill(0);
  }
}

export async function openCredentialVault(options: CredentialVaultOptions): Promise<CredentialVault> {
  if (options.key.length !== KEY_BYTES) throw new CredentialError('invalid-input', 'the credential vault key must be 32 bytes');
  const { file } = options;
  const key = Buffer.from(options.key);
  const clock = options.clock ?? (() => new Date());
  let closed = false;

  const load = async (): Promise<VaultFile> => {
    const content = await readVaultFile(file);
    if (!content)
      return {
        format: CREDENTIALS_FILE_FORMAT,
        version: 1,
        keyCheck: seal(key, Buffer.from(KEY_CHECK_PLAINTEXT), keyCheckAad()).toString('base64'),
        secrets: {},
      };
    verify(file, key, content);
    return content;
  };
  const save = async (next: VaultFile): Promise<void> => {
    try {
      await writeFileAtomically(nodeBlobFs, file, Buffer.from(`${JSON.stringify(next, null, 2)}\n`));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new CredentialError('io', `${file}: the credential vault cannot be written (${code ?? 'error'}); nothing was changed`, {
        cause: error,
      });
    }
  };
  const ensureOpen = () => {
    if (closed) throw new CredentialError('invalid-input', 'the credential vault is closed');
  };

  let content = await load();

  return {
    file,
    get(name) {
      ensureOpen();
      const entry = Object.hasOwn(content.secrets, name) ? content.secrets[name] : undefined;
      if (!entry) return undefined;
      return openSealed(key, entry.sealed, secretAad(name, entry.updatedAt), `credential "${name}"`, 'tampered', file).toString('utf8');
    },
    has(name) {
      ensureOpen();
      return Object.hasOwn(content.secrets, name);
    },
    list() {
      ensureOpen();
      return Object.entries(content.secrets)
        .map(([name, entry]) => ({ name, updatedAt: entry.updatedAt }))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    },
    async set(name, secret) {
      ensureOpen();
      checkedName(name);
      const parsed = SecretSchema.safeParse(secret);
      if (!parsed.success)
        throw new CredentialError('invalid-input', `credential "${name}": ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      // Re-read first: the CLI and a running workstation may both change the file.
      const current = await load();
      const updatedAt = clock().toISOString();
      const sealed = seal(key, Buffer.from(secret, 'utf8'), secretAad(name, updatedAt)).toString('base64');
      const next = { ...current, secrets: { ...current.secrets, [name]: { sealed, updatedAt } } };
      await save(next);
      content = next;
    },
    async remove(name) {
      ensureOpen();
      checkedName(name);
      const current = await load();
      if (!Object.hasOwn(current.secrets, name)) {
        content = current;
        return false;
      }
      const secrets = { ...current.secrets };
      delete secrets[name];
      const next = { ...current, secrets };
      await save(next);
      content = next;
      return true;
    },
    close() {
      closed = true;
      wipe(key);
    },
  };
}
