import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as DicomParserModule from 'dicom-parser';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PYDICOM_TEST_FILES } from '../../../../../../src/demo-hospital/pacs/seed-plan.ts';
import { maskPart10InPlace } from '../../../../../../src/main/services/privacy/dicom/mask-part10.ts';

/**
 * Whole stored instances masked in place for a session that may not see identity, on the real
 * public files the pixel-correctness suite uses (Debian python3-pydicom's test_files, MIT; origins
 * in that folder's README.txt), given generated identity in sequences and free text with DCMTK's
 * dcmodify (the 身份证 110101196803120132 is a made-up number with a valid check digit). DCMTK's
 * dcmdump, a parser independent of the one the masker uses, reads every masked file back.
 */
const dicomParser = createRequire(import.meta.url)('dicom-parser') as typeof DicomParserModule;

const RESIDENT_ID = '110101196803120132';
const RESIDENT_OID = '2.16.156.10011.1.3';
/** Generated identity added to each copy: a sequence of other ids, a PN inside a sequence, an id in free text. */
const ADDED = [
  ['(0010,1002)[0].(0010,0020)', RESIDENT_ID],
  ['(0010,1002)[0].(0010,0021)', RESIDENT_OID],
  ['(0010,1002)[1].(0010,0020)', 'MRN-0042-XY'],
  ['(0008,1120)[0].(0008,1150)', '1.2.840.10008.3.1.2.1.1'],
  ['(0008,1120)[0].(0008,1155)', '1.2.826.0.1.3680043.2.1125.1'],
  ['(0040,0275)[0].(0032,1032)', 'Synthetic^Requester'],
  ['(0032,4000)', `card ${RESIDENT_ID} seen`],
  ['(0010,0030)', '19680312'],
  ['(0010,1040)', 'Synthetic Road 1'],
  ['(0008,0050)', 'A202500001'],
] as const;

/** The stored-instance cases of the viewer (Big Endian 32-bit, Implicit VR, YBR_FULL_422, bad VR) and a few more. */
const FILES = [
  'rtdose_expb_1frame.dcm',
  'rtdose_1frame.dcm',
  'MR_small_implicit.dcm',
  'MR_small_bigendian.dcm',
  'SC_ybr_full_422_uncompressed.dcm',
  'badVR.dcm',
  'CT_small.dcm',
  'JPEG2000.dcm',
  'MR_small_RLE.dcm',
] as const;

let folder = '';
const prepared = new Map<string, Uint8Array>();

beforeAll(() => {
  folder = mkdtempSync(path.join(tmpdir(), 'huizhen-mask-part10-'));
  for (const name of FILES) {
    const copy = path.join(folder, name);
    copyFileSync(path.join(PYDICOM_TEST_FILES, name), copy);
    execFileSync('dcmodify', ['-nb', ...ADDED.flatMap(([tag, value]) => ['-i', `${tag}=${value}`]), copy], { stdio: 'ignore' });
    prepared.set(name, new Uint8Array(readFileSync(copy)));
  }
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function masked(name: string, level: 'national-id' | 'full'): { before: Uint8Array; after: Uint8Array; blanked: number } {
  const before = prepared.get(name)!;
  const after = before.slice();
  const outcome = maskPart10InPlace(after, level);
  if (!outcome.ok) throw new Error(`${name}: ${outcome.code} ${outcome.message}`);
  return { before, after, blanked: outcome.blanked };
}

/** dcmdump's reading of the bytes (fails the test if DCMTK cannot parse them). */
function dump(name: string, bytes: Uint8Array): string {
  const file = path.join(folder, `dump-${name}`);
  writeFileSync(file, bytes);
  return execFileSync('dcmdump', ['-q', '+L', file], { encoding: 'latin1' });
}

function pixelData(bytes: Uint8Array): Uint8Array {
  const element = dicomParser.parseDicom(bytes).elements['x7fe00010']!;
  return bytes.subarray(element.dataOffset, element.dataOffset + element.length);
}

/** A line of dcmdump for a tag at top level or in a sequence, as "[value]" or "(no value available)". */
function valuesOf(text: string, tag: string): string[] {
  return text
    .split('\n')
    .filter((line) => line.trimStart().startsWith(`(${tag})`))
    .map((line) => /\[([^\]]*)\]|\(no value available\)/.exec(line)?.[1]?.trim() ?? '');
}

const contains = (bytes: Uint8Array, text: string) => Buffer.from(bytes).includes(Buffer.from(text, 'latin1'));

describe('maskPart10InPlace, privacy mode (full)', () => {
  it.each(FILES)('%s: identity gone everywhere, same length, pixel data byte-identical, still parses', (name) => {
    const { before, after, blanked } = masked(name, 'full');
    expect(after.byteLength).toBe(before.byteLength);
    expect(Buffer.from(pixelData(after)).equals(Buffer.from(pixelData(before)))).toBe(true);
    const text = dump(name, after);
    for (const tag of ['0010,0010', '0010,0020', '0010,0030', '0010,1040', '0008,0050', '0032,1032', '0032,4000']) {
      for (const value of valuesOf(text, tag)) expect(value, `${name} (${tag})`).toBe('');
    }
    // Inside (0010,1002): both items' PatientID, whatever their issuer.
    expect(valuesOf(text, '0010,0020').length).toBeGreaterThanOrEqual(3);
    for (const secret of [RESIDENT_ID, 'MRN-0042-XY', 'Synthetic^Requester', 'Synthetic Road', 'A202500001', '19680312']) {
      expect(contains(after, secret), `${name}: ${secret}`).toBe(false);
    }
    const original = dicomParser.parseDicom(before).string('x00100010');
    if (original) expect(contains(after, original)).toBe(false);
    // What the viewer needs stays: the transfer syntax, the sex, the study's UIDs, the referenced patient's UIDs.
    expect(valuesOf(text, '0002,0010')).toEqual(valuesOf(dump(`orig-${name}`, before), '0002,0010'));
    expect(valuesOf(text, '0008,1155')).toContain('1.2.826.0.1.3680043.2.1125.1');
    expect(valuesOf(text, '0010,0021')).toContain(RESIDENT_OID);
    expect(blanked).toBeGreaterThanOrEqual(8);
    // The preamble is free for applications (some put a TIFF header there): zeroed.
    expect(after.subarray(0, 128).every((b) => b === 0)).toBe(true);
  });

  it('the masked file reads as the viewer reads it: same transfer syntax, same frame', () => {
    const { before, after } = masked('rtdose_expb_1frame.dcm', 'full');
    const a = dicomParser.parseDicom(after);
    expect(a.string('x00020010')?.replace(/\0/g, '')).toBe('1.2.840.10008.1.2.2');
    expect(a.uint16('x00280100')).toBe(32);
    expect(a.elements['x7fe00010']!.dataOffset).toBe(dicomParser.parseDicom(before).elements['x7fe00010']!.dataOffset);
  });
});

describe('maskPart10InPlace, radiologists and nurses (national-id)', () => {
  it.each(FILES)('%s: the 身份证 is gone wherever it was; name and MRN stay for the two-identifier check', (name) => {
    const { before, after } = masked(name, 'national-id');
    expect(Buffer.from(pixelData(after)).equals(Buffer.from(pixelData(before)))).toBe(true);
    expect(contains(after, RESIDENT_ID)).toBe(false);
    const text = dump(name, after);
    const original = dump(`orig-${name}`, before);
    expect(valuesOf(text, '0010,0010')).toEqual(valuesOf(original, '0010,0010'));
    // The top-level PatientID (an MRN) and the MRN item of (0010,1002) stay; the item issued as a 身份证 is blanked.
    expect(valuesOf(text, '0010,0020')).toEqual(valuesOf(original, '0010,0020').map((v) => (v === RESIDENT_ID ? '' : v)));
    expect(valuesOf(text, '0010,0020')).toContain('MRN-0042-XY');
    expect(valuesOf(text, '0032,4000')).toEqual(['']);
    expect(valuesOf(text, '0032,1032')).toEqual(['Synthetic^Requester']);
  });

  it('a PatientID issued as a 身份证 is blanked even when it is not shaped like one', () => {
    const copy = path.join(folder, 'issuer.dcm');
    copyFileSync(path.join(PYDICOM_TEST_FILES, 'CT_small.dcm'), copy);
    execFileSync('dcmodify', ['-nb', '-i', '(0010,0020)=ID-OF-A-CARD', '-i', `(0010,0021)=${RESIDENT_OID}`, copy], { stdio: 'ignore' });
    const bytes = new Uint8Array(readFileSync(copy));
    expect(maskPart10InPlace(bytes, 'national-id')).toMatchObject({ ok: true, blanked: 1 });
    expect(contains(bytes, 'ID-OF-A-CARD')).toBe(false);
  });

  it('level none leaves every byte as it was', () => {
    const bytes = prepared.get('CT_small.dcm')!.slice();
    expect(maskPart10InPlace(bytes, 'none')).toEqual({ ok: true, blanked: 0 });
    expect(Buffer.from(bytes).equals(Buffer.from(prepared.get('CT_small.dcm')!))).toBe(true);
  });
});
