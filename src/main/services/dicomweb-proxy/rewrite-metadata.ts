/**
 * Rewrites DICOM JSON (QIDO-RS results, WADO-RS metadata) so every URL in it points at the
 * proxy: BulkDataURI values and UR-valued attributes such as RetrieveURL (0008,1190), in
 * nested sequences too. URLs that cannot be mapped are removed rather than passed on.
 */
import { mapPacsUrl, type UrlMapping } from './pacs-urls.ts';

export type RewriteResult = { ok: true; json: unknown[] } | { ok: false; message: string };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function rewriteDataset(dataset: Record<string, unknown>, mapping: UrlMapping): void {
  for (const element of Object.values(dataset)) {
    if (!isObject(element)) continue;
    if (typeof element.BulkDataURI === 'string') {
      const mapped = mapPacsUrl(element.BulkDataURI, mapping);
      if (mapped) element.BulkDataURI = mapped;
      else delete element.BulkDataURI;
    }
    if (!Array.isArray(element.Value)) continue;
    if (element.vr === 'UR') {
      element.Value = element.Value.map((v) => (typeof v === 'string' ? mapPacsUrl(v, mapping) : undefined)).filter((v) => v !== undefined);
    } else if (element.vr === 'SQ') {
      for (const item of element.Value) if (isObject(item)) rewriteDataset(item, mapping);
    }
  }
}

export function rewriteDicomJson(bytes: Uint8Array, mapping: UrlMapping): RewriteResult {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    return { ok: false, message: `the PACS answered with unreadable DICOM JSON (${error instanceof Error ? error.name : 'error'})` };
  }
  if (!Array.isArray(json)) return { ok: false, message: 'the PACS answered DICOM JSON that is not an array of datasets' };
  for (const dataset of json) {
    if (!isObject(dataset)) return { ok: false, message: 'the PACS answered DICOM JSON with a dataset that is not an object' };
    rewriteDataset(dataset, mapping);
  }
  return { ok: true, json };
}
