/**
 * Stores DICOM files in the demo Orthanc with its REST `POST /instances` (the demo hospital's
 * own seeding path; the adapter never uses Orthanc-only endpoints). A file Orthanc refuses is
 * reported by name and the rest are still stored.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { SeedFailure } from './generate-files.ts';

export interface UploadResult {
  stored: number;
  bytes: number;
  failures: SeedFailure[];
  uploadMs: number;
}

export async function uploadInstances(
  httpUrl: string,
  authorization: string,
  files: readonly string[],
  concurrency = 4,
): Promise<UploadResult> {
  const started = performance.now();
  const failures: SeedFailure[] = [];
  let stored = 0;
  let bytes = 0;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      const file = files[next++] as string;
      try {
        const body = await readFile(file);
        const response = await fetch(`${httpUrl}/instances`, {
          method: 'POST',
          headers: { authorization, 'content-type': 'application/dicom' },
          body,
          signal: AbortSignal.timeout(60_000),
        });
        const text = await response.text();
        if (!response.ok) {
          failures.push({ file, reason: `Orthanc refused it: HTTP ${response.status} ${text.replace(/\s+/g, ' ').slice(0, 200)}` });
          continue;
        }
        stored += 1;
        bytes += body.length;
      } catch (error) {
        failures.push({ file, reason: `upload failed: ${(error as Error).message}` });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, files.length) }, worker));
  failures.sort((a, b) => path.basename(a.file).localeCompare(path.basename(b.file)));
  return { stored, bytes, failures, uploadMs: Math.round(performance.now() - started) };
}
