import { downloadBlob } from '../../lib/download-blob.ts';
import type { AttachedFile } from './attachments.ts';

const EXTENSIONS: Readonly<Record<string, string>> = {
  'application/pdf': 'pdf',
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/bmp': 'bmp',
  'image/webp': 'webp',
  'image/tiff': 'tif',
  'image/svg+xml': 'svg',
};

/** A file name from the attachment's title: no path, no characters a file system refuses, the type's extension. */
export function attachmentFileName(file: Pick<AttachedFile, 'title' | 'contentType'>, fallback: string): string {
  const base =
    (file.title ?? fallback)
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f/\\:*?"<>|]+/g, '_')
      .replace(/^\.+/, '')
      .trim()
      .slice(0, 80) || 'attachment';
  const extension = EXTENSIONS[file.contentType] ?? 'bin';
  return base.toLowerCase().endsWith(`.${extension}`) ? base : `${base}.${extension}`;
}

/**
 * Hands the file to the browser's download, never to a page: the blob is typed as bytes, so a
 * PDF's or an SVG's own scripts never run in the workstation's origin.
 */
export function downloadAttachment(file: AttachedFile, fileName: string): void {
  const bytes = Uint8Array.from(atob(file.data), (c) => c.charCodeAt(0));
  downloadBlob(fileName, new Blob([bytes], { type: 'application/octet-stream' }), 60_000);
}
