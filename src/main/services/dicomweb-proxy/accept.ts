/**
 * The Accept header sent to the PACS for one proxied request, chosen from the viewer's.
 * Metadata and searches are DICOM JSON; frames, bulk data and instances are multipart/related
 * and, unless the viewer names a transfer syntax, asked for with `transfer-syntax=*` so the
 * PACS sends what it stored (compressed) instead of transcoding (10× the bytes, and failing
 * for codecs the PACS cannot decode).
 */
import { isJsonRoute, type RouteKind } from './proxy-route.ts';

export type AcceptResult =
  | {
      ok: true;
      upstream: string;
      cacheVariant: string;
      /**
       * Answer one frame as a single-part body (`application/octet-stream; transfer-syntax=…`)
       * instead of multipart/related: the viewer asked for it, and Cornerstone's loader then
       * skips its byte-by-byte multipart scan on the page's main thread (≈ 6 ms per 525 kB frame).
       */
      singlePart: boolean;
      /**
       * The client reads multipart only, yet asked one frame as stored: it shares the single-part
       * answer (the series read-ahead's and the cache's form for that frame) and gets it as the one
       * part of a multipart body (`frame-as-multipart.ts`), so other DICOMweb clients (OHIF,
       * dicomweb-client, Weasis) are served from the same whole-series retrieve and cache entry as
       * the app's viewer instead of costing a PACS request per frame.
       */
      asMultipart: boolean;
    }
  | { ok: false; message: string };

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

/** The transfer-syntax parameter of a media range, "*" when absent. */
function transferSyntaxOf(range: string): string {
  return /;\s*transfer-syntax\s*=\s*"?([0-9.]+|\*)"?/i.exec(range)?.[1] ?? '*';
}

/** PACS (Orthanc among them) serve frames as multipart only: ask for that, answer the one part. */
function singlePartAccept(transferSyntax: string, asMultipart: boolean): AcceptResult {
  const upstream = `multipart/related; type="application/octet-stream"; transfer-syntax=${transferSyntax}`;
  return { ok: true, upstream, cacheVariant: `single:${normalized(upstream)}`, singlePart: true, asMultipart };
}

/**
 * A multipart range asking frames as stored: type application/octet-stream and transfer-syntax=*
 * (without a transfer-syntax the default is Explicit VR Little Endian, PS3.18 8.7.3.5.2).
 */
function asStoredFrames(range: string): boolean {
  const type = /;\s*type\s*=\s*"?([^";\s]+)"?/i.exec(range)?.[1]?.toLowerCase() ?? 'application/octet-stream';
  return type === 'application/octet-stream' && /;\s*transfer-syntax\s*=\s*"?\*"?/i.test(range);
}

/**
 * `singleFrame`: the request names exactly one frame, the only case a single-part answer can
 * carry (PS3.18 allows it when the Accept header names a single-part media type).
 */
export function chooseAccept(kind: RouteKind, accept: string | null, singleFrame = false): AcceptResult {
  const ranges = mediaRanges(accept ?? '');
  if (isJsonRoute(kind)) {
    if (ranges.length === 0 || ranges.some((r) => JSON_TYPES.has(mediaType(r)))) {
      return { ok: true, upstream: 'application/dicom+json', cacheVariant: 'json', singlePart: false, asMultipart: false };
    }
    return { ok: false, message: 'this resource is only available as application/dicom+json' };
  }
  const fallback = DEFAULT_MULTIPART[kind];
  if (!fallback) return { ok: false, message: 'no media type for this resource' };
  const oneFrame = kind === 'frames' && singleFrame;
  const single = oneFrame ? ranges.find((r) => mediaType(r) === 'application/octet-stream') : undefined;
  if (single) {
    if (!SAFE_MEDIA_RANGE.test(single)) return { ok: false, message: 'the Accept header is not plain ASCII' };
    return singlePartAccept(transferSyntaxOf(single), false);
  }
  const multipart = ranges.find((r) => mediaType(r) === 'multipart/related');
  if (multipart) {
    if (!SAFE_MEDIA_RANGE.test(multipart)) return { ok: false, message: 'the Accept header is not plain ASCII' };
    if (oneFrame && asStoredFrames(multipart)) return singlePartAccept('*', true);
    return { ok: true, upstream: multipart, cacheVariant: normalized(multipart), singlePart: false, asMultipart: false };
  }
  if (ranges.length === 0 || ranges.some((r) => mediaType(r) === '*/*' || mediaType(r) === 'multipart/*')) {
    if (oneFrame) return singlePartAccept('*', true);
    return { ok: true, upstream: fallback, cacheVariant: normalized(fallback), singlePart: false, asMultipart: false };
  }
  return { ok: false, message: 'this resource is only available as multipart/related' };
}
