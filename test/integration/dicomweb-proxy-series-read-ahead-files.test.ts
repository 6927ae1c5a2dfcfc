/**
 * The frames the series read-ahead cuts (part10-frames.ts) against Orthanc's own per-frame
 * answers, for every pydicom test file (Debian python3-pydicom, MIT licence) Orthanc stores, plus
 * files DCMTK makes from them with several fragments per frame, with and without an offset table:
 * each file is retrieved as its series (as the proxy asks for it) and cut; every cut frame must be
 * byte-identical to Orthanc's answer for that frame, under the same transfer syntax. A refused file
 * is fine (its frames are asked one by one); a cut that differs is not.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startOrthanc, type OrthancProcess } from '../../src/demo-hospital/pacs/orthanc-process.ts';
import { PYDICOM_TEST_FILES } from '../../src/demo-hospital/pacs/seed-plan.ts';
import { boundaryOf, splitMultipart } from '../../src/main/services/dicomweb-proxy/index.ts';
import { cutFrames } from '../../src/main/services/dicomweb-proxy/part10-frames.ts';
import { SERIES_ACCEPT } from '../../src/main/services/dicomweb-proxy/series-read-ahead.ts';
import { ensureOrthancInstalled } from '../support/pacs-orthanc.ts';

const FRAME_AS_STORED = 'multipart/related; type="application/octet-stream"; transfer-syntax=*';

let orthanc: OrthancProcess;
let authorization: string;
let folder: string;

async function get(resource: string, accept: string): Promise<{ status: number; type: string; body: Buffer }> {
  const response = await fetch(`${orthanc.dicomwebBaseUrl}/${resource}`, {
    headers: { accept, authorization, 'accept-encoding': 'identity' },
  });
  return { status: response.status, type: response.headers.get('content-type') ?? '', body: Buffer.from(await response.arrayBuffer()) };
}

/** Copies with new UIDs (many test files share them), DCMTK-made variants beside them. */
function prepareFiles(): string[] {
  const names = readdirSync(PYDICOM_TEST_FILES).filter((f) => f.endsWith('.dcm'));
  const files: string[] = [];
  for (const name of names) {
    const copy = path.join(folder, name);
    copyFileSync(path.join(PYDICOM_TEST_FILES, name), copy);
    files.push(copy);
  }
  const mr = path.join(PYDICOM_TEST_FILES, 'MR_small.dcm');
  const rgb = path.join(folder, 'sc_rgb_2frame_native.dcm');
  execFileSync('dcmdrle', [path.join(PYDICOM_TEST_FILES, 'SC_rgb_rle_2frame.dcm'), rgb]);
  for (const [out, tool, args, input] of [
    ['MR_small_jls_fragments_offset_table.dcm', 'dcmcjpls', ['+fs', '1', '+ot'], mr],
    ['MR_small_jls_fragments_no_offset_table.dcm', 'dcmcjpls', ['+fs', '1', '-ot'], mr],
    ['rtdose_rle_offset_table.dcm', 'dcmcrle', ['+ot'], path.join(PYDICOM_TEST_FILES, 'rtdose.dcm')],
    ['SC_rgb_2frame_rle_no_offset_table.dcm', 'dcmcrle', ['-ot'], rgb],
  ] as const) {
    execFileSync(tool, [...args, input, path.join(folder, out)], { stdio: 'ignore' });
    files.push(path.join(folder, out));
  }
  return files;
}

beforeAll(async () => {
  ensureOrthancInstalled();
  folder = mkdtempSync(path.join(tmpdir(), 'huizhen-cut-vs-orthanc-'));
  orthanc = await startOrthanc();
  authorization = `Basic ${Buffer.from(`${orthanc.credentials.username}:${orthanc.credentials.password}`).toString('base64')}`;
}, 60_000);

afterAll(async () => {
  await orthanc?.stop();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

it('every frame cut from a series retrieve is Orthanc’s own answer for that frame, for every test file Orthanc stores', async () => {
  const cut: string[] = [];
  const refused: string[] = [];
  for (const file of prepareFiles()) {
    const name = path.basename(file);
    try {
      execFileSync('dcmodify', ['-nb', '-gst', '-gse', '-gin', file], { stdio: 'ignore' });
    } catch {
      continue; // DCMTK cannot parse it, and Orthanc reads files with DCMTK: never in a PACS.
    }
    const stored = await fetch(`${orthanc.httpUrl}/instances`, { method: 'POST', body: readFileSync(file), headers: { authorization } });
    const info = (await stored.json().catch(() => ({}))) as { ID?: string };
    if (!stored.ok || !info.ID) continue;
    const tags = (await (
      await fetch(`${orthanc.httpUrl}/instances/${info.ID}/simplified-tags`, { headers: { authorization } })
    ).json()) as Record<string, string>;
    const [studyUid, seriesUid, sop] = [tags.StudyInstanceUID!, tags.SeriesInstanceUID!, tags.SOPInstanceUID!];
    const series = await get(`studies/${studyUid}/series/${seriesUid}`, SERIES_ACCEPT);
    expect(series.status, name).toBe(200);
    const parts = splitMultipart(series.body, boundaryOf(series.type)!);
    if (!parts.ok) throw new Error(`${name}: ${parts.message}`);
    expect(parts.parts, name).toHaveLength(1);
    const result = cutFrames(parts.parts[0]!.body, { studyUid, seriesUid });
    if (!result.ok) {
      refused.push(`${name} (${result.code})`);
      continue;
    }
    cut.push(name);
    expect(result.sopInstanceUid, name).toBe(sop);
    for (let n = 1; n <= result.frames.length; n++) {
      const frame = await get(`studies/${studyUid}/series/${seriesUid}/instances/${sop}/frames/${n}`, FRAME_AS_STORED);
      expect(frame.status, `${name} frame ${n}`).toBe(200);
      const [part] = (() => {
        const split = splitMultipart(frame.body, boundaryOf(frame.type)!);
        if (!split.ok) throw new Error(split.message);
        return split.parts;
      })();
      const syntax = /transfer-syntax=([0-9.]+)/.exec(part!.headerLines.join('; '))?.[1];
      expect(syntax, `${name} frame ${n}`).toBe(result.transferSyntax);
      expect(Buffer.from(result.frames[n - 1]!).equals(Buffer.from(part!.body)), `${name} frame ${n}`).toBe(true);
    }
  }
  // Most files are cut; the refusals are the syntaxes and layouts the module leaves to the PACS.
  expect(cut.length, `cut: ${cut.join(', ')}; refused: ${refused.join(', ')}`).toBeGreaterThanOrEqual(40);
  expect(cut).toEqual(
    expect.arrayContaining(['rtdose.dcm', 'rtdose_rle.dcm', 'MR_small_jls_fragments_offset_table.dcm', 'rtdose_rle_offset_table.dcm']),
  );
  expect(refused.map((r) => r.split(' ')[0])).toEqual(
    expect.arrayContaining(['MR_small_bigendian.dcm', 'image_dfl.dcm', 'SC_rgb_small_odd.dcm']),
  );
}, 300_000);
