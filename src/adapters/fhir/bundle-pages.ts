/**
 * Reads a searchset to its end by following Bundle.link[next], with a page cap and loop
 * detection, so a misbehaving server can neither run us forever nor feed us the same page twice.
 */
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { SourceError } from '../source-error.ts';
import type { FhirHttp } from './fhir-http.ts';

export interface PagedResource {
  resource: Resource;
  fetchedAt: string;
}

export interface PagingLimits {
  maxPages: number;
}

export interface PagingContext {
  sourceId: string;
  sourceName: string;
}

function nextLink(bundle: Bundle): string | undefined {
  return bundle.link?.find((l) => l.relation === 'next')?.url;
}

export async function readAllPages(
  http: FhirHttp,
  first: string,
  signal: AbortSignal,
  limits: PagingLimits,
  ctx: PagingContext,
): Promise<PagedResource[]> {
  const out: PagedResource[] = [];
  const visited = new Set<string>();
  let target: string | undefined = first;
  let pages = 0;
  while (target !== undefined) {
    const absolute = new URL(target, `${http.baseUrl}/`).toString();
    if (visited.has(absolute)) {
      throw new SourceError('protocol', ctx.sourceId, `${ctx.sourceName}: paging loop: the server linked back to a page already read`);
    }
    if (pages >= limits.maxPages) {
      // Failing beats a silently truncated record on a clinician's screen.
      throw new SourceError(
        'protocol',
        ctx.sourceId,
        `${ctx.sourceName}: more than ${limits.maxPages} pages; refusing to return a truncated record`,
      );
    }
    visited.add(absolute);
    pages++;
    const { resource: bundle, fetchedAt } = await http.get<Bundle>(absolute, 'Bundle', signal);
    for (const entry of bundle.entry ?? []) {
      // Skip OperationOutcome entries (search.mode "outcome") and anything without a type.
      if (!entry.resource?.resourceType || entry.search?.mode === 'outcome') continue;
      out.push({ resource: entry.resource, fetchedAt });
    }
    target = nextLink(bundle);
  }
  return out;
}
