/**
 * The `:below` modifier on a reference to a Location (FHIR R4 search, "hierarchical" references:
 * the Location and every Location `partOf` it, transitively), which Medplum's memory repository
 * reads as plain equality. Expanded here, before the router, into the list of Locations it means.
 */
import { parseSearchRequest } from '@medplum/core';
import type { MemoryRepository } from '@medplum/fhir-router';

/** Rooms in a ward, beds in a room: a few levels; the bound stops a partOf cycle. */
const MAX_DEPTH = 8;

async function withDescendants(repository: MemoryRepository, roots: readonly string[]): Promise<string[]> {
  const seen = new Set(roots);
  let frontier = [...roots];
  for (let depth = 0; frontier.length > 0 && depth < MAX_DEPTH; depth++) {
    const found = await repository.search(parseSearchRequest('Location', { partof: frontier.join(','), _count: '10000' }));
    frontier = [];
    for (const entry of found.entry ?? []) {
      const ref = `Location/${entry.resource?.id ?? ''}`;
      if (!entry.resource?.id || seen.has(ref)) continue;
      seen.add(ref);
      frontier.push(ref);
    }
  }
  return [...seen];
}

/** The search parameters with each `<param>:below=Location/…` replaced by `<param>=` that Location and all below it. */
export async function expandLocationBelow(params: URLSearchParams, repository: MemoryRepository): Promise<URLSearchParams> {
  if (![...params.keys()].some((key) => key.endsWith(':below'))) return params;
  const out = new URLSearchParams();
  for (const [key, value] of params) {
    const refs = value.split(',');
    if (key.endsWith(':below') && refs.every((ref) => ref.startsWith('Location/'))) {
      out.append(key.slice(0, -':below'.length), (await withDescendants(repository, refs)).join(','));
    } else out.append(key, value);
  }
  return out;
}
