/**
 * Hands a file to the browser's download (the renderer has no file system of its own; in the
 * desktop app main saves it through the save dialog: navigation-guards.ts isAppMadeDownload).
 */
export function downloadBlob(fileName: string, blob: Blob, keepUrlMs: number): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  // After the click has handed the blob over: revoking at once can cancel the download in some browsers.
  setTimeout(() => URL.revokeObjectURL(url), keepUrlMs);
}
