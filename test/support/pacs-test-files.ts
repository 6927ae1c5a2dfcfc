/**
 * A plain Orthanc holding copies of pydicom's DICOM test files (Debian python3-pydicom), each
 * with new Study/Series/SOP Instance UIDs (dcmodify -gst -gse -gin: many of the files share
 * UIDs), for tests that need one instance per transfer syntax.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PYDICOM_TEST_FILES } from '../../src/demo-hospital/pacs/seed-plan.ts';
import { startOrthanc, type OrthancProcess } from '../../src/demo-hospital/pacs/orthanc-process.ts';
import { ensureOrthancInstalled } from './pacs-orthanc.ts';

export interface StoredTestFile {
  file: string;
  studyUid: string;
  seriesUid: string;
  sopUid: string;
  /** The transfer syntax the instance is stored in. */
  transferSyntaxUid: string;
  /** frames/1 below the DICOMweb root. */
  framePath: string;
}

export interface TestFilesPacs {
  orthanc: OrthancProcess;
  authorization: string;
  files: Map<string, StoredTestFile>;
  stop(): Promise<void>;
}

function tagValue(dump: string, tag: string): string {
  const match = new RegExp(`^\\(${tag}\\) UI \\[([0-9.]+)\\]`, 'm').exec(dump);
  if (!match) throw new Error(`no (${tag}) in dcmdump output`);
  return match[1]!;
}

export async function startTestFilesPacs(names: readonly string[]): Promise<TestFilesPacs> {
  ensureOrthancInstalled();
  const folder = mkdtempSync(path.join(tmpdir(), 'huizhen-testfiles-'));
  const orthanc = await startOrthanc();
  const authorization = `Basic ${Buffer.from(`${orthanc.credentials.username}:${orthanc.credentials.password}`).toString('base64')}`;
  const files = new Map<string, StoredTestFile>();
  try {
    for (const name of names) {
      const copy = path.join(folder, name);
      copyFileSync(path.join(PYDICOM_TEST_FILES, name), copy);
      execFileSync('dcmodify', ['-nb', '-gst', '-gse', '-gin', copy], { stdio: 'ignore' });
      // -Un: show UIDs as numbers, not names.
      const dump = execFileSync('dcmdump', ['-Un', '+P', '0002,0010', '+P', '0020,000d', '+P', '0020,000e', '+P', '0008,0018', copy], {
        encoding: 'utf8',
      });
      const response = await fetch(`${orthanc.httpUrl}/instances`, {
        method: 'POST',
        body: readFileSync(copy),
        headers: { authorization },
      });
      await response.arrayBuffer();
      if (!response.ok) throw new Error(`Orthanc refused ${name} (HTTP ${response.status})`);
      const studyUid = tagValue(dump, '0020,000d');
      const seriesUid = tagValue(dump, '0020,000e');
      const sopUid = tagValue(dump, '0008,0018');
      files.set(name, {
        file: name,
        studyUid,
        seriesUid,
        sopUid,
        transferSyntaxUid: tagValue(dump, '0002,0010'),
        framePath: `studies/${studyUid}/series/${seriesUid}/instances/${sopUid}/frames/1`,
      });
    }
  } catch (error) {
    await orthanc.stop();
    rmSync(folder, { recursive: true, force: true });
    throw error;
  }
  rmSync(folder, { recursive: true, force: true });
  return { orthanc, authorization, files, stop: () => orthanc.stop() };
}
