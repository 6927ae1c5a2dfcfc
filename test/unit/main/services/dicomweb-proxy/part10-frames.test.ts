/**
 * Frames cut from real Part 10 files (pydicom's test files, Debian python3-pydicom, MIT licence;
 * plus files DCMTK's dcmcrle/dcmcjpls make from them with several fragments per frame) against
 * pydicom's own frame extraction (`generate_pixel_data_frame` for encapsulated data, slices of
 * PixelData for native). test/integration/dicomweb-proxy-series-read-ahead.test.ts compares the
 * same cuts with Orthanc's per-frame answers.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { cutFrames, cutFramesInPieces, type CutResult } from '../../../../../src/main/services/dicomweb-proxy/part10-frames.ts';

const PYDICOM = '/usr/lib/python3/dist-packages/pydicom/data/test_files';

/** pydicom's reading of each file: its UIDs and the SHA-256 of every frame. */
const REFERENCE = `
import hashlib, json, sys, pydicom
from pydicom.encaps import generate_pixel_data_frame
for name in sys.argv[1:]:
    ds = pydicom.dcmread(name)
    n = int(getattr(ds, 'NumberOfFrames', 1) or 1)
    if ds.file_meta.TransferSyntaxUID.is_compressed:
        frames = list(generate_pixel_data_frame(ds.PixelData, n))
    else:
        size = ds.Rows * ds.Columns * ds.SamplesPerPixel * ds.BitsAllocated // 8
        frames = [ds.PixelData[i * size:(i + 1) * size] for i in range(n)]
    print(json.dumps({'file': name, 'study': ds.StudyInstanceUID, 'series': ds.SeriesInstanceUID, 'sop': ds.SOPInstanceUID,
                      'syntax': str(ds.file_meta.TransferSyntaxUID), 'frames': [hashlib.sha256(f).hexdigest() for f in frames]}))
`;

/** A noisy three-frame 64×64 16-bit image (random values, no person), so RLE needs several fragments per frame. */
const NOISE = `
import sys, numpy as np, pydicom
ds = pydicom.dcmread(sys.argv[1])
ds.NumberOfFrames = 3
ds.PixelData = np.random.default_rng(18).integers(0, 4096, size=(3, 64, 64), dtype=np.uint16).tobytes()
ds.save_as(sys.argv[2])
`;

const ReferenceSchema = z.object({
  file: z.string(),
  study: z.string(),
  series: z.string(),
  sop: z.string(),
  syntax: z.string(),
  frames: z.array(z.string()),
});
type Reference = z.infer<typeof ReferenceSchema>;

const CUT = [
  'MR_small.dcm',
  'MR_small_implicit.dcm',
  'MR_small_padded.dcm',
  'CT_small.dcm',
  'rtdose.dcm',
  'SC_rgb_rle_2frame.dcm',
  'rtdose_rle.dcm',
  'JPEG2000.dcm',
  'MR_small_jpeg_ls_lossless.dcm',
  'JPGExtended.dcm',
  'SC_rgb_jpeg_gdcm.dcm',
];

let folder: string;
const made: Record<string, string> = {};
const references = new Map<string, Reference>();

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function pathOf(name: string): string {
  return made[name] ?? path.join(PYDICOM, name);
}

function cut(name: string, expected?: { studyUid: string; seriesUid: string }): CutResult {
  const reference = references.get(name);
  return cutFrames(readFileSync(pathOf(name)), expected ?? { studyUid: reference!.study, seriesUid: reference!.series });
}

beforeAll(() => {
  folder = mkdtempSync(path.join(tmpdir(), 'huizhen-part10-'));
  const noise = path.join(folder, 'noise3.dcm');
  execFileSync('/usr/bin/python3', ['-c', NOISE, path.join(PYDICOM, 'MR_small.dcm'), noise]);
  made['noise3_rle_fragments_offset_table.dcm'] = path.join(folder, 'noise3_rle_ot.dcm');
  made['noise3_rle_fragments_no_offset_table.dcm'] = path.join(folder, 'noise3_rle_noot.dcm');
  made['MR_small_jls_fragments_no_offset_table.dcm'] = path.join(folder, 'mr_jls_noot.dcm');
  execFileSync('dcmcrle', ['+fs', '2', '+ot', noise, made['noise3_rle_fragments_offset_table.dcm']], { stdio: 'ignore' });
  execFileSync('dcmcrle', ['+fs', '2', '-ot', noise, made['noise3_rle_fragments_no_offset_table.dcm']], { stdio: 'ignore' });
  execFileSync('dcmcjpls', ['+fs', '1', '-ot', path.join(PYDICOM, 'MR_small.dcm'), made['MR_small_jls_fragments_no_offset_table.dcm']]);
  const names = [...CUT, 'noise3_rle_fragments_offset_table.dcm', 'MR_small_jls_fragments_no_offset_table.dcm'];
  const out = execFileSync('/usr/bin/python3', ['-c', REFERENCE, ...names.map(pathOf)], { encoding: 'utf8' });
  const lines = out.split('\n').filter((l) => l.trim());
  lines.forEach((line, i) => references.set(names[i]!, ReferenceSchema.parse(JSON.parse(line))));
}, 60_000);

afterAll(() => {
  if (folder) rmSync(folder, { recursive: true, force: true });
});

describe('cutFrames: real files against pydicom', () => {
  for (const name of [...CUT, 'noise3_rle_fragments_offset_table.dcm', 'MR_small_jls_fragments_no_offset_table.dcm']) {
    it(`${name}: every frame as pydicom reads it, under its own SOP Instance UID and syntax`, () => {
      const reference = references.get(name)!;
      const result = cut(name);
      if (!result.ok) throw new Error(`refused: ${result.code}`);
      expect(result.sopInstanceUid).toBe(reference.sop);
      expect(result.transferSyntax).toBe(reference.syntax);
      expect(result.frames.map(sha256)).toEqual(reference.frames);
    });
  }

  it('cuts multi-frame native and encapsulated data into as many frames as the instance has', () => {
    expect(cut('rtdose.dcm')).toMatchObject({ ok: true, frames: { length: 15 } });
    expect(cut('rtdose_rle.dcm')).toMatchObject({ ok: true, frames: { length: 15 } });
    expect(cut('noise3_rle_fragments_offset_table.dcm')).toMatchObject({ ok: true, frames: { length: 3 } });
  });
});

/** A file as a series retrieve delivers it: in chunks of `size` bytes (socket reads are 64 kB; odd sizes cut elements in two). */
function chunksOf(bytes: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let at = 0; at < bytes.byteLength; at += size) out.push(bytes.subarray(at, at + size));
  return out;
}

describe('cutFramesInPieces: the chunks a retrieve delivered, not joined', () => {
  for (const name of [...CUT, 'noise3_rle_fragments_offset_table.dcm', 'MR_small_jls_fragments_no_offset_table.dcm']) {
    it(`${name}: native frames as pydicom reads them, as views into the chunks; everything else left to cutFrames`, () => {
      const reference = references.get(name)!;
      const bytes = readFileSync(pathOf(name));
      for (const size of [65_536, 1_000, 7]) {
        const chunks = chunksOf(bytes, size);
        const result = cutFramesInPieces(chunks, { studyUid: reference.study, seriesUid: reference.series });
        const native = reference.syntax === '1.2.840.10008.1.2' || reference.syntax === '1.2.840.10008.1.2.1';
        if (!native) {
          expect(result, `${size}`).toBeUndefined();
          continue;
        }
        if (!result) throw new Error(`not cut in ${size}-byte chunks`);
        expect(result.sopInstanceUid).toBe(reference.sop);
        expect(result.transferSyntax).toBe(reference.syntax);
        expect(result.frames.map((pieces) => sha256(Buffer.concat(pieces)))).toEqual(reference.frames);
        // Views, not copies: every piece lies in one of the chunks' own memory.
        for (const piece of result.frames.flat()) expect(chunks.some((c) => c.buffer === piece.buffer)).toBe(true);
      }
    });
  }

  it('leaves to cutFrames what its short read cannot decide: another series, a truncated file, random bytes', () => {
    const reference = references.get('MR_small.dcm')!;
    const bytes = readFileSync(pathOf('MR_small.dcm'));
    expect(cutFramesInPieces(chunksOf(bytes, 4096), { studyUid: reference.study, seriesUid: '1.2.3' })).toBeUndefined();
    // Cut inside the pixel data (MR_small ends with 1.3 kB of data set trailing padding, which the short read does not need).
    expect(
      cutFramesInPieces(chunksOf(bytes.subarray(0, bytes.length - 2000), 4096), { studyUid: reference.study, seriesUid: reference.series }),
    ).toBeUndefined();
    expect(
      cutFramesInPieces([Buffer.from('not DICOM at all')], { studyUid: reference.study, seriesUid: reference.series }),
    ).toBeUndefined();
    expect(cutFramesInPieces([], { studyUid: reference.study, seriesUid: reference.series })).toBeUndefined();
  });
});

describe('cutFrames: what it refuses (the proxy then asks the PACS frame by frame)', () => {
  /** The top-level Study and Series Instance UIDs (nested sequences may name others). */
  const uidsOf = (name: string) => {
    const out = execFileSync('dcmdump', ['-Un', pathOf(name)], { encoding: 'utf8' });
    const uid = (tag: string) => new RegExp(`^\\(${tag}\\) UI \\[([0-9.]+)\\]`, 'm').exec(out)?.[1] ?? '';
    return { studyUid: uid('0020,000d'), seriesUid: uid('0020,000e') };
  };

  it.each([
    ['MR_small_bigendian.dcm', 'unsupported-syntax'],
    ['image_dfl.dcm', 'unsupported-syntax'],
    ['SC_rgb_small_odd.dcm', 'odd-length'],
    ['liver_1frame.dcm', 'unsupported-bits'],
    ['SC_ybr_full_422_uncompressed.dcm', 'inconsistent-pixel-data'],
    ['noise3_rle_fragments_no_offset_table.dcm', 'ambiguous-fragments'],
    ['rtplan.dcm', 'no-pixel-data'],
  ])('%s → %s', (name, code) => {
    expect(cut(name, uidsOf(name))).toMatchObject({ ok: false, code });
  });

  it('refuses an instance of another series (never filed under the wrong UIDs)', () => {
    expect(cut('MR_small.dcm', { studyUid: '1.2.3', seriesUid: '1.2.3.4' })).toMatchObject({ ok: false, code: 'wrong-series' });
  });

  it('refuses a truncated file, random bytes and an empty body as unreadable', () => {
    const whole = readFileSync(path.join(PYDICOM, 'MR_small.dcm'));
    const expected = uidsOf('MR_small.dcm');
    expect(cutFrames(whole.subarray(0, whole.length - 1000), expected)).toMatchObject({ ok: false });
    expect(cutFrames(Buffer.from(createHash('sha512').update('x').digest()), expected)).toMatchObject({ ok: false, code: 'unreadable' });
    expect(cutFrames(new Uint8Array(0), expected)).toMatchObject({ ok: false, code: 'unreadable' });
  });

  it('refuses hostile nesting (200,000 sequences deep) and a length beyond the file, without hanging or throwing', () => {
    const preamble = Buffer.concat([Buffer.alloc(128), Buffer.from('DICM')]);
    const syntax = Buffer.from('1.2.840.10008.1.2.1\0', 'latin1');
    const meta = Buffer.concat([Buffer.from([0x02, 0x00, 0x10, 0x00, 0x55, 0x49, syntax.length, 0x00]), syntax]);
    // (0008,1115) SQ of undefined length holding an item of undefined length, again and again.
    const level = Buffer.from([
      0x08, 0x00, 0x15, 0x11, 0x53, 0x51, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xfe, 0xff, 0x00, 0xe0, 0xff, 0xff, 0xff, 0xff,
    ]);
    const deep = Buffer.concat([preamble, meta, Buffer.alloc(level.length * 200_000).fill(level)]);
    expect(cutFrames(deep, { studyUid: '1.2', seriesUid: '1.2.3' })).toMatchObject({ ok: false, code: 'unreadable' });
    // (7FE0,0010) OB claiming 4 GB in a file of a few hundred bytes.
    const huge = Buffer.concat([
      preamble,
      meta,
      Buffer.from([0xe0, 0x7f, 0x10, 0x00, 0x4f, 0x42, 0, 0, 0xfe, 0xff, 0xff, 0xff]),
      Buffer.alloc(64),
    ]);
    expect(cutFrames(huge, { studyUid: '1.2', seriesUid: '1.2.3' })).toMatchObject({ ok: false });
  });
});
