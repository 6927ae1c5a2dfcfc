/**
 * The Accept header sent to the PACS for one proxied request, chosen from the viewer's.
 * Metadata and searches are DICOM JSON; frames, bulk data and instances are multipart/related
 * and, unless the viewer names a transfer syntax, asked for with `transfer-syntax=*` so the
 * PACS sends what it stored (compressed) instead of transcoding (10× the bytes, and failing
 * for codecs the PACS cannot decode).
 */
import { isJsonRoute, type RouteKind } from './proxy-route.ts';

export type AcceptResult = { ok: true; upstream: string; cacheVariant: string } | { ok: false; message: string };

const JSON_TYPES = new Set(['application/dicom+json', 'application/json', '*/*', 'application/*']);
const DEFAULT_MULTIPART: Partial<Record<RouteKind, string>> = {
  frames: 'multipart/related; type="application/octet-stream"; transfer-syntax=*',
  bulkdata: 'multipart/related; type="application/octet-stream"; transfer-syntax=*',
  instance: 'multipart/related; type="application/dicom"; transfer-syntax=*',
};
/** Printable ASCII only: the value goes into a header to the PACS. */
const SAFE_MEDIA_RANGE = /^[\x20-\x7e]{1,256}$/;

/** Splits an Accept header into media ranges, respecting quoted parameters. */
function mediaRanges(accept: string): string[] {
  const out: string[] = [];
  let current = '';
  let quoted = false;
  for (const ch of accept) {
    if (ch === '"') quoted = !quoted;
    if (ch === ',' && !quoted) {
      out.push(current.trim());
      current = '';
    } else current += ch;
  }
  out.push(current.trim());
  return out.filter((r) => r.length > 0);
}

function mediaType(range: string): string {
  return (range.split(';')[0] ?? '').trim().toLowerCase();
}

/** A stable spelling of a media range, so equal requests share one cache entry. */
function normalized(range: string): string {
  return range.toLowerCase().replace(/"/g, '').replace(/\s+/g, '');
}

export function chooseAccept(kind: RouteKind, accept: string | null): AcceptResult {
  const ranges = mediaRanges(accept ?? '');
  if (isJsonRoute(kind)) {
    if (ranges.length === 0 || ranges.some((r) => JSON_TYPES.has(mediaType(r)))) {
      return { ok: true, upstream: 'application/dicom+json', cacheVariant: 'json' };
    }
    return { ok: false, message: 'this resource is only available as application/dicom+json' };
  }
  const fallback = DEFAULT_MULTIPART[kind];
  if (!fallback) return { ok: false, message: 'no media type for this resource' };
  const multipart = ranges.find((r) => mediaType(r) === 'multipart/related');
  if (multipart) {
    if (!SAFE_MEDIA_RANGE.test(multipart)) return { ok: false, message: 'the Accept header is not plain ASCII' };
    return { ok: true, upstream: multipart, cacheVariant: normalized(multipart) };
  }
  if (ranges.length === 0 || ranges.some((r) => mediaType(r) === '*/*' || mediaType(r) === 'multipart/*')) {
    return { ok: true, upstream: fallback, cacheVariant: normalized(fallback) };
  }
  return { ok: false, message: 'this resource is only available as multipart/related' };
}
