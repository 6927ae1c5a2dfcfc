import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  bigEndianFrame32,
  firstPart,
  frameIndexOf,
  instanceUrlOf,
  nativeFrame,
  parseStoredInstance,
  storedInstance,
  StoredInstanceRefused,
  swap32,
} from '../../../../../src/renderer/features/imaging/stored-instance.ts';

/**
 * The real files come from Debian's python3-pydicom, and DCMTK's dcmconv shows what Orthanc
 * does to them. This folder is type-checked for the browser (no Node types), so Node's modules
 * are loaded by a name TypeScript does not resolve, typed with just what is used here.
 */
interface NodeParts {
  fs: {
    existsSync(p: string): boolean;
    readFileSync(p: string): Uint8Array;
    mkdtempSync(p: string): string;
    rmSync(p: string, o: object): void;
  };
  childProcess: { execFileSync(file: string, args: string[], options: object): unknown };
  os: { tmpdir(): string };
}
const load = (name: string): Promise<unknown> => import(/* @vite-ignore */ name);
const node: NodeParts = {
  fs: (await load('node:fs')) as NodeParts['fs'],
  childProcess: (await load('node:child_process')) as NodeParts['childProcess'],
  os: (await load('node:os')) as NodeParts['os'],
};
const TEST_FILES = '/usr/lib/python3/dist-packages/pydicom/data/test_files';
const BIG_ENDIAN = `${TEST_FILES}/rtdose_expb_1frame.dcm`;
const LITTLE_ENDIAN = `${TEST_FILES}/rtdose_1frame.dcm`;
/** pydicom's test files and DCMTK come with scripts/ensure-pacs.sh (python3-pydicom, dcmtk): a missing one fails, saying so. */
function requireFiles(): void {
  for (const file of [BIG_ENDIAN, LITTLE_ENDIAN])
    if (!node.fs.existsSync(file)) throw new Error(`${file} is missing: install python3-pydicom (scripts/ensure-pacs.sh does as root)`);
}

function uint32(bytes: Uint8Array): number[] {
  return [...new Uint32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength))];
}

function frameOfFile(file: string): Uint8Array {
  const stored = parseStoredInstance(new Uint8Array(node.fs.readFileSync(file)));
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

  it('the Big Endian RT dose (pydicom rtdose_expb_1frame.dcm) gives the values of its Little Endian twin', () => {
    requireFiles();
    const stored = parseStoredInstance(new Uint8Array(node.fs.readFileSync(BIG_ENDIAN)));
    expect(stored.transferSyntax).toBe('1.2.840.10008.1.2.2');
    const frame = bigEndianFrame32(stored, 0, 10 * 10 * 4);
    expect(frame).toBeDefined();
    expect(uint32(frame!)).toEqual(uint32(frameOfFile(LITTLE_ENDIAN)));
    expect(uint32(frame!).slice(0, 2)).toEqual([1_249_000, 1_249_000]);
    // Not Big Endian, or a frame past the pixel data: nothing to replace.
    expect(bigEndianFrame32(parseStoredInstance(new Uint8Array(node.fs.readFileSync(LITTLE_ENDIAN))), 0, 400)).toBeUndefined();
    expect(bigEndianFrame32(stored, 1, 400)).toBeUndefined();
  });

  it('cuts a frame the PACS would not send from the stored pixel data, swapping Big Endian words', () => {
    const grey16 = { rows: 1, columns: 2, samplesPerPixel: 1, bitsAllocated: 16 };
    const pixelData = Uint8Array.of(0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08);
    expect([...nativeFrame({ transferSyntax: '1.2.840.10008.1.2.1', pixelData }, 1, grey16)!]).toEqual([5, 6, 7, 8]);
    expect([...nativeFrame({ transferSyntax: '1.2.840.10008.1.2.2', pixelData }, 0, grey16)!]).toEqual([2, 1, 4, 3]);
    // YBR_FULL_422 holds two samples a pixel (Y Y Cb Cr per pair).
    const ybr = { rows: 1, columns: 2, samplesPerPixel: 3, bitsAllocated: 8, photometricInterpretation: 'YBR_FULL_422' };
    expect([...nativeFrame({ transferSyntax: '1.2.840.10008.1.2.1', pixelData }, 1, ybr)!]).toEqual([5, 6, 7, 8]);
    // Compressed, 1-bit, or past the end: nothing.
    expect(nativeFrame({ transferSyntax: '1.2.840.10008.1.2.4.50', pixelData }, 0, grey16)).toBeUndefined();
    expect(nativeFrame({ transferSyntax: '1.2.840.10008.1.2.1', pixelData }, 0, { ...grey16, bitsAllocated: 1 })).toBeUndefined();
    expect(nativeFrame({ transferSyntax: '1.2.840.10008.1.2.1', pixelData }, 2, grey16)).toBeUndefined();
  });

  it("DCMTK's conversion to Little Endian (what Orthanc sends) swaps the 16-bit halves of each 32-bit value", () => {
    requireFiles();
    const dir = node.fs.mkdtempSync(`${node.os.tmpdir()}/huizhen-dcmconv-`);
    try {
      const converted = `${dir}/le.dcm`;
      node.childProcess.execFileSync('dcmconv', ['+te', BIG_ENDIAN, converted], { stdio: 'ignore' });
      const right = uint32(frameOfFile(LITTLE_ENDIAN));
      const swapped = uint32(frameOfFile(converted));
      expect(swapped[0]).toBe(250_085_395); // 0x0EE80013, from 1249000 = 0x00130EE8
      expect(swapped).toEqual(right.map((v) => ((v << 16) | (v >>> 16)) >>> 0));
    } finally {
      node.fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('stored-instance reads', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('a refused instance (a masked session the proxy cannot mask for) rejects with the reason, not "no instance"', async () => {
    const refusal = new Response('not sent\n', { status: 422, headers: { 'x-huizhen-error': 'instance-unmaskable' } });
    vi.stubGlobal('fetch', async () => refusal);
    const read = storedInstance('/dicom-web/pacs/studies/1/series/2/instances/3-refused');
    await expect(read).rejects.toBeInstanceOf(StoredInstanceRefused);
    await expect(read).rejects.toMatchObject({ failure: { code: 'instance-unmaskable', status: 422 } });
  });

  it('an instance that never arrived (the network) or is not multipart is undefined: the frame keeps its own outcome', async () => {
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    await expect(storedInstance('/dicom-web/pacs/studies/1/series/2/instances/4-offline')).resolves.toBeUndefined();
    vi.stubGlobal('fetch', async () => new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } }));
    await expect(storedInstance('/dicom-web/pacs/studies/1/series/2/instances/5-json')).resolves.toBeUndefined();
  });
});
