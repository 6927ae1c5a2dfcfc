import { downloadBlob } from '../../lib/download-blob.ts';

/** Hands a text file to the browser's download. */
export function downloadText(filename: string, text: string, type: string): void {
  downloadBlob(filename, new Blob([text], { type }), 10_000);
}
