/**
 * Adds what Medplum's MemoryRepository leaves out of a searchset: absolute fullUrls and
 * Bundle.link self/first/previous/next derived from _count and _offset.
 */
import type { Bundle, BundleLink } from '@medplum/fhirtypes';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 1000;

export interface PageWindow {
  offset: number;
  count: number;
}

function nonNegativeInt(value: string | null, fallback: number): number {
  if (value === null) return fallback;
  const n = Number(value);
  return Number.isInteger(n) && n >= 0 ? n : fallback;
}

export function pageWindow(params: URLSearchParams): PageWindow {
  return {
    offset: nonNegativeInt(params.get('_offset'), 0),
    count: Math.min(nonNegativeInt(params.get('_count'), DEFAULT_PAGE_SIZE), MAX_PAGE_SIZE),
  };
}

/** `requestUrl` is the absolute URL the client asked for; links keep all its other parameters. */
export function pagingLinks(requestUrl: URL, window: PageWindow, total: number): BundleLink[] {
  const at = (offset: number): string => {
    const url = new URL(requestUrl);
    url.searchParams.set('_count', String(window.count));
    url.searchParams.set('_offset', String(offset));
    return url.toString();
  };
  const links: BundleLink[] = [
    { relation: 'self', url: at(window.offset) },
    { relation: 'first', url: at(0) },
  ];
  if (window.offset > 0) links.push({ relation: 'previous', url: at(Math.max(0, window.offset - Math.max(window.count, 1))) });
  if (window.count > 0 && window.offset + window.count < total) links.push({ relation: 'next', url: at(window.offset + window.count) });
  if (window.count > 0 && total > 0) links.push({ relation: 'last', url: at(Math.floor((total - 1) / window.count) * window.count) });
  return links;
}

export function decorateSearchset(bundle: Bundle, baseUrl: string, requestUrl: URL, window: PageWindow): Bundle {
  const total = bundle.total ?? bundle.entry?.length ?? 0;
  return {
    ...bundle,
    total,
    link: pagingLinks(requestUrl, window, total),
    ...(bundle.entry
      ? {
          entry: bundle.entry.map((e) => ({
            ...e,
            ...(e.resource?.id ? { fullUrl: `${baseUrl}/${e.resource.resourceType}/${e.resource.id}` } : {}),
            search: e.search ?? { mode: 'match' },
          })),
        }
      : {}),
  };
}
