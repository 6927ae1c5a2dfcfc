/**
 * Rebuilds a JSON value with every string passed through a function — never mutating the
 * input, since the cache and the timeline hold the originals. Keys that hold machine handles
 * (ids, references, systems, codes) are left alone so links and codings keep working.
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

const HANDLE_KEYS = new Set([
  'id',
  'reference',
  'fullUrl',
  'system',
  'url',
  'code',
  'resourceType',
  'contentType',
  'language',
  'valueCode',
  'status',
  'use',
]);

export type ObjectHook = (value: { [key: string]: JsonValue }, recurse: (v: JsonValue) => JsonValue) => JsonValue | undefined;

/**
 * `hook` may take over an object (return its replacement) or decline (return undefined).
 */
export function deepMapStrings(value: JsonValue, mapString: (s: string) => string, hook?: ObjectHook): JsonValue {
  const recurse = (v: JsonValue): JsonValue => deepMapStrings(v, mapString, hook);
  if (typeof value === 'string') return mapString(value);
  if (Array.isArray(value)) return value.map(recurse);
  if (value === null || typeof value !== 'object') return value;
  const taken = hook?.(value, recurse);
  if (taken !== undefined) return taken;
  const out: { [key: string]: JsonValue } = {};
  for (const [key, v] of Object.entries(value)) out[key] = HANDLE_KEYS.has(key) ? v : recurse(v);
  return out;
}
