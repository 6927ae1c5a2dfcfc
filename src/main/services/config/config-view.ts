import type { ConfigEntry, ConfigurationView } from '../../../shared/api/admin-console.ts';
import { HuizhenConfigSchema, type HuizhenConfig } from '../../../shared/config/schema.ts';

/** Field names that hold a secret itself: the console names them, never shows them. */
const SECRET_FIELD = /^(password|passwordHash|token|privateKey|clientSecret|secret|passphrase|apiKey)$/i;
/**
 * Settings whose values name patients (prefetch's extra patients: MRNs, 身份证 numbers): the
 * console promises no patient data, so it shows how many, never which.
 */
const PATIENT_LISTS: ReadonlySet<string> = new Set(['prefetch.patients']);
/** Most leaves listed; a configuration beyond it is cut (and says so in its last entry). */
const MAX_ENTRIES = 2_000;

function pathOf(parts: readonly (string | number)[]): string {
  return parts.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${key}` : key), '');
}

/** A URL's password is a secret even where the schema forbids it: it is cut before anything is shown. */
function withoutUrlPassword(value: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return value;
  try {
    const url = new URL(value);
    if (url.password === '') return value;
    url.password = '';
    return url.toString();
  } catch {
    return value;
  }
}

function entryOf(key: string, path: string, value: unknown): ConfigEntry {
  if (/Ref$/.test(key) && typeof value === 'string') return { path, secret: { kind: 'vault', ref: value } };
  if (/Env$/.test(key) && typeof value === 'string') return { path, secret: { kind: 'env', ref: value } };
  if (/(Secret|Key|Password|Token)File$/.test(key) && typeof value === 'string') return { path, secret: { kind: 'file', ref: value } };
  if (SECRET_FIELD.test(key)) return { path, secret: { kind: 'inline' } };
  if (typeof value === 'string') return { path, value: withoutUrlPassword(value) };
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return { path, value };
  return { path, value: String(value) };
}

/** Every leaf of the configuration as path → value, each secret replaced by its reference (vault name, variable, file). */
export function configEntries(config: unknown): ConfigEntry[] {
  const entries: ConfigEntry[] = [];
  const walk = (value: unknown, parts: (string | number)[]): void => {
    if (entries.length >= MAX_ENTRIES) return;
    const key = String(parts.at(-1) ?? '');
    if (Array.isArray(value) && PATIENT_LISTS.has(pathOf(parts))) {
      entries.push({ path: `${pathOf(parts)}.length`, value: value.length });
    } else if (Array.isArray(value)) {
      if (value.length === 0) entries.push({ path: pathOf(parts), value: '[]' });
      value.forEach((item, i) => walk(item, [...parts, i]));
    } else if (value !== null && typeof value === 'object' && !(SECRET_FIELD.test(key) && parts.length > 0)) {
      for (const [k, v] of Object.entries(value)) if (v !== undefined) walk(v, [...parts, k]);
    } else {
      entries.push(entryOf(key, pathOf(parts), value));
    }
  };
  walk(config, []);
  if (entries.length >= MAX_ENTRIES) entries.push({ path: '…', value: `more than ${MAX_ENTRIES} settings; the rest are not listed` });
  return entries;
}

type Warning = ConfigurationView['validation']['warnings'][number];

/** Settings that load but deserve an administrator's second look. */
function warningsOf(config: HuizhenConfig, entries: readonly ConfigEntry[]): Warning[] {
  // A password hash is meant to be in the file (it is not the password): hidden, but no warning.
  const warnings: Warning[] = entries
    .filter((e) => e.secret?.kind === 'inline' && !e.path.endsWith('.passwordHash'))
    .map((e) => ({ code: 'inline-secret', path: e.path }));
  if (!config.cache?.enabled) warnings.push({ code: 'cache-disabled', path: 'cache.enabled' });
  if (config.cache?.allowInsecureKeyStorage) warnings.push({ code: 'insecure-key-storage', path: 'cache.allowInsecureKeyStorage' });
  config.sources.forEach((s, i) => {
    if (!s.enabled) warnings.push({ code: 'source-disabled', path: `sources[${i}].enabled` });
  });
  if (config.inboundHl7?.enabled && !config.cache?.enabled) warnings.push({ code: 'inbound-without-cache', path: 'inboundHl7.enabled' });
  return warnings;
}

/** The loaded configuration as the console shows it: validated again against the schema, secrets as references only. */
export function configurationSummary(config: HuizhenConfig): Pick<ConfigurationView, 'entries' | 'validation'> {
  const parsed = HuizhenConfigSchema.safeParse(config);
  const entries = configEntries(config);
  return {
    entries,
    validation: {
      valid: parsed.success,
      problems: parsed.success ? [] : parsed.error.issues.map((i) => ({ path: pathOf(i.path as (string | number)[]), message: i.message })),
      warnings: warningsOf(config, entries),
    },
  };
}
