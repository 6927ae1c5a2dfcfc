import type { HuizhenConfig, SourceConfig } from '../../../shared/config/schema.ts';
import { CredentialError } from './credential-error.ts';
import type { SecretLookup } from './credential-vault.ts';

/** Each reference field of an auth block and the inline field its secret replaces. */
const REF_FIELDS = [
  ['passwordRef', 'password'],
  ['tokenRef', 'token'],
  ['privateKeyRef', 'privateKey'],
] as const;

export interface CredentialRefUse {
  sourceId: string;
  /** e.g. "auth.passwordRef" */
  field: string;
  name: string;
}

function authOf(source: SourceConfig): Record<string, unknown> | undefined {
  return 'auth' in source && typeof source.auth === 'object' && source.auth !== null ? (source.auth as Record<string, unknown>) : undefined;
}

/** Every vault reference in the configuration, in source order (disabled sources included). */
export function credentialRefsOf(config: Pick<HuizhenConfig, 'sources'>): CredentialRefUse[] {
  const uses: CredentialRefUse[] = [];
  for (const source of config.sources) {
    const auth = authOf(source);
    if (!auth) continue;
    for (const [refField] of REF_FIELDS) {
      const name = auth[refField];
      if (typeof name === 'string') uses.push({ sourceId: source.id, field: `auth.${refField}`, name });
    }
  }
  return uses;
}

/**
 * A copy of the configuration in which every credential reference is replaced by its secret,
 * ready for the adapters (which only understand inline secrets). Pure: the input is not changed.
 * Every missing credential is named in one error, with the source that needs it. Disabled sources
 * are resolved too when the secret is present, and left with their reference when not, so a
 * switched-off system never stops the workstation.
 */
export function resolveCredentialRefs(config: HuizhenConfig, vault: SecretLookup): HuizhenConfig {
  const missing: CredentialRefUse[] = [];
  const sources = config.sources.map((source) => {
    const auth = authOf(source);
    if (!auth) return source;
    let resolved: Record<string, unknown> | undefined;
    for (const [refField, plainField] of REF_FIELDS) {
      const name = auth[refField];
      if (typeof name !== 'string') continue;
      const secret = vault.get(name);
      if (secret === undefined) {
        if (source.enabled) missing.push({ sourceId: source.id, field: `auth.${refField}`, name });
        continue;
      }
      resolved ??= { ...auth };
      delete resolved[refField];
      resolved[plainField] = secret;
    }
    return resolved ? ({ ...source, auth: resolved } as SourceConfig) : source;
  });
  if (missing.length > 0) {
    const names = [...new Set(missing.map((m) => m.name))];
    const where = missing.map((m) => `source "${m.sourceId}" ${m.field} "${m.name}"`).join('; ');
    throw new CredentialError(
      'missing-ref',
      `the credential vault holds no secret for ${where}. Store ${names.length === 1 ? 'it' : 'each'} with "huizhen credentials set ${names.length === 1 ? names[0] : 'NAME'}" (the secret is read from standard input).`,
    );
  }
  return { ...config, sources };
}
