/**
 * Writes a de-identified export into a folder, each file crash-safely (temp file → fsync →
 * rename, then the folder fsynced), so a reader never sees half a file. Returns the report:
 * what was written, and every instance that failed with its reason.
 */
import { mkdir } from 'node:fs/promises';
import { nodeBlobFs, writeFileAtomically } from '../../durable-files/index.ts';
import { join } from 'node:path';
import { deidentifyStudy, type DeidentifyStudyOptions, type StudyInstanceInput } from './deidentify-study.ts';

export interface ExportReport {
  directory: string;
  written: { instance: string; fileName: string; bytes: number }[];
  failed: { instance: string; code: string; message: string }[];
}

const SAFE_FILE_NAME = /^[0-9.]{1,64}\.dcm$/;

/** One export file, crash-safely (the cache's temp → fsync → rename → directory fsync). */
export async function writeFileAtomic(directory: string, fileName: string, bytes: Uint8Array): Promise<void> {
  await writeFileAtomically(nodeBlobFs, join(directory, fileName), bytes);
}

export async function writeDeidentifiedStudy(
  directory: string,
  instances: AsyncIterable<StudyInstanceInput> | Iterable<StudyInstanceInput>,
  options: DeidentifyStudyOptions = {},
): Promise<ExportReport> {
  await mkdir(directory, { recursive: true, mode: 0o700 });
  const report: ExportReport = { directory, written: [], failed: [] };
  for await (const outcome of deidentifyStudy(instances, options)) {
    if (!outcome.ok) {
      report.failed.push({ instance: outcome.instance, code: outcome.error.code, message: outcome.error.message });
      continue;
    }
    // The name is built from a UID we generated; checked anyway, since it becomes a path.
    if (!SAFE_FILE_NAME.test(outcome.fileName)) throw new Error(`refusing unsafe export file name ${outcome.fileName}`);
    await writeFileAtomic(directory, outcome.fileName, outcome.bytes);
    report.written.push({ instance: outcome.instance, fileName: outcome.fileName, bytes: outcome.bytes.byteLength });
  }
  return report;
}
