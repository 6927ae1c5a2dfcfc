import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PYDICOM_TEST_FILES } from '../../../../../src/demo-hospital/pacs/seed-plan.ts';
import {
  bigEndianFrame32,
  firstPart,
  frameIndexOf,
  instanceUrlOf,
  parseStoredInstance,
  swap32,
} from '../../../../../src/renderer/features/imaging/stored-instance.ts';

const BIG_ENDIAN = path.join(PYDICOM_TEST_FILES, 'rtdose_expb_1frame.dcm');
const LITTLE_ENDIAN = path.join(PYDICOM_TEST_FILES, 'rtdose_1frame.dcm');
const haveFiles = existsSync(BIG_ENDIAN) && existsSync(LITTLE_ENDIAN);
const haveDcmtk = (() => {
  try {
    execFileSync('dcmconv', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

function uint32(bytes: Uint8Array): number[] {
  return [...new Uint32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength))];
}

function frameOfFile(file: string): Uint8Array {
  const stored = parseStoredInstance(new Uint8Array(readFileSync(file)));
  if (!stored.pixelData) throw new Error(`${file} has no native pixel data`);
  return stored.pixelData;
}

describe('stored-instance', () => {
  it('names the instance and frame of a wadors image id', () => {
    const id = 'wadors:http://127.0.0.1:5/dicom-web/pacs/studies/1.2/series/1.3/instances/1.4.5/frames/7';
    expect(instanceUrlOf(id)).toBe('http://127.0.0.1:5/dicom-web/pacs/studies/1.2/series/1.3/instances/1.4.5');
    expect(frameIndexOf(id)).toBe(6);
    expect(instanceUrlOf('wadouri:http://x/file.dcm')).toBeUndefined();
  });

  it('takes the first part of a multipart/related answer', () => {
    const body = new TextEncoder().encode('--b1\r\nContent-Type: application/dicom\r\n\r\nDICM-bytes\r\n--b1--\r\n');
    expect(new TextDecoder().decode(firstPart(body, 'b1'))).toBe('DICM-bytes');
    expect(firstPart(body, 'other')).toBeUndefined();
  });

  it('swaps each 32-bit value from big- to little-endian', () => {
    expect(uint32(swap32(Uint8Array.of(0x00, 0x13, 0x0e, 0xe8)))).toEqual([1_249_000]);
  });

  it.skipIf(!haveFiles)('the Big Endian RT dose (pydicom rtdose_expb_1frame.dcm) gives the values of its Little Endian twin', () => {
    const stored = parseStoredInstance(new Uint8Array(readFileSync(BIG_ENDIAN)));
    expect(stored.transferSyntax).toBe('1.2.840.10008.1.2.2');
    const frame = bigEndianFrame32(stored, 0, 10 * 10 * 4);
    expect(frame).toBeDefined();
    expect(uint32(frame!)).toEqual(uint32(frameOfFile(LITTLE_ENDIAN)));
    expect(uint32(frame!).slice(0, 2)).toEqual([1_249_000, 1_249_000]);
    // Not Big Endian, or a frame past the pixel data: nothing to replace.
    expect(bigEndianFrame32(parseStoredInstance(new Uint8Array(readFileSync(LITTLE_ENDIAN))), 0, 400)).toBeUndefined();
    expect(bigEndianFrame32(stored, 1, 400)).toBeUndefined();
  });

  it.skipIf(!haveFiles || !haveDcmtk)(
    "DCMTK's conversion to Little Endian (what Orthanc sends) swaps the 16-bit halves of each 32-bit value",
    () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'huizhen-dcmconv-'));
      try {
        const converted = path.join(dir, 'le.dcm');
        execFileSync('dcmconv', ['+te', BIG_ENDIAN, converted], { stdio: 'ignore' });
        const right = uint32(frameOfFile(LITTLE_ENDIAN));
        const swapped = uint32(frameOfFile(converted));
        expect(swapped[0]).toBe(250_085_395); // 0x0EE80013, from 1249000 = 0x00130EE8
        expect(swapped).toEqual(right.map((v) => ((v << 16) | (v >>> 16)) >>> 0));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
