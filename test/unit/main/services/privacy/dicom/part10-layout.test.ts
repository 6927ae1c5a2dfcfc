import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PYDICOM_TEST_FILES } from '../../../../../../src/demo-hospital/pacs/seed-plan.ts';
import { maskPart10InPlace } from '../../../../../../src/main/services/privacy/dicom/mask-part10.ts';
import { layOutPart10, MAX_SEQUENCE_DEPTH } from '../../../../../../src/main/services/privacy/dicom/part10-layout.ts';
import { dictionaryVr } from '../../../../../../src/main/services/privacy/dicom/dictionary-vr.ts';

/**
 * Files a masker must refuse rather than serve: what it cannot overwrite in place (deflated), what
 * does not parse, and what parses leniently but leaves bytes no rule looked at (a repeated tag, a
 * length past the end, nesting deeper than any real file). Hostile files are generated here;
 * broken real ones come from Debian python3-pydicom's test_files (MIT).
 */
const LONG = new Set(['OB', 'OW', 'SQ', 'UN', 'UT']);

function element(group: number, elem: number, vr: string, value: Uint8Array | number): Buffer {
  const long = LONG.has(vr);
  const head = Buffer.alloc(long ? 12 : 8);
  head.writeUInt16LE(group, 0);
  head.writeUInt16LE(elem, 2);
  head.write(vr, 4, 'latin1');
  const length = typeof value === 'number' ? value : value.byteLength;
  if (long) head.writeUInt32LE(length, 8);
  else head.writeUInt16LE(length, 6);
  return typeof value === 'number' ? head : Buffer.concat([head, value]);
}

const text = (s: string) => Buffer.from(s.length % 2 ? `${s} ` : s, 'latin1');
const tagOnly = (group: number, elem: number, length: number) => {
  const b = Buffer.alloc(8);
  b.writeUInt16LE(group, 0);
  b.writeUInt16LE(elem, 2);
  b.writeUInt32LE(length, 4);
  return b;
};

/** A Part 10 file in Explicit VR Little Endian around `body` (data set elements, in order). */
function part10(...body: Buffer[]): Uint8Array {
  const syntax = Buffer.from('1.2.840.10008.1.2.1\0', 'latin1');
  const meta = element(0x0002, 0x0010, 'UI', syntax);
  return new Uint8Array(Buffer.concat([Buffer.alloc(128), Buffer.from('DICM'), meta, ...body]));
}

const NAME = (value: string) => element(0x0010, 0x0010, 'PN', text(value));

/** `depth` sequences of undefined length, each one item of undefined length, around a name. */
function nested(depth: number): Uint8Array {
  const open = Buffer.concat([element(0x0040, 0xa730, 'SQ', 0xffffffff), tagOnly(0xfffe, 0xe000, 0xffffffff)]);
  const close = Buffer.concat([tagOnly(0xfffe, 0xe00d, 0), tagOnly(0xfffe, 0xe0dd, 0)]);
  return part10(Buffer.concat([...Array<Buffer>(depth).fill(open), NAME('Hidden^Deep'), ...Array<Buffer>(depth).fill(close)]));
}

const refusal = (bytes: Uint8Array) => {
  const outcome = maskPart10InPlace(bytes, 'full');
  expect(outcome.ok).toBe(false);
  return outcome.ok ? undefined : outcome.code;
};

describe('layOutPart10 and the masker on files that must be refused', () => {
  it('a generated file with a name inside nested sequences is masked at every depth up to the limit', () => {
    const bytes = nested(MAX_SEQUENCE_DEPTH);
    expect(maskPart10InPlace(bytes, 'full')).toEqual({ ok: true, blanked: 1 });
    expect(Buffer.from(bytes).includes('Hidden')).toBe(false);
  });

  it('sequences nested deeper than any real file: a typed refusal, whether the parser survives the depth or not', () => {
    expect(refusal(nested(MAX_SEQUENCE_DEPTH + 1))).toBe('too-deep');
    // 100,000 levels (1.6 MB): the parser's recursion gives out; still a refusal, not a crash.
    expect(['too-deep', 'unparsable']).toContain(refusal(nested(100_000)));
  });

  it('a repeated tag (the parser keeps only the last one) is refused: the first one would go out unmasked', () => {
    const bytes = part10(NAME('First^Copy'), NAME('Second^Copy'));
    expect(refusal(bytes)).toBe('unexpected-structure');
  });

  it('a length past the end of the file is refused', () => {
    expect(['unparsable', 'unexpected-structure']).toContain(refusal(part10(NAME('Some^One'), element(0x0010, 0x4000, 'UT', 0xfffffff0))));
    expect(['unparsable', 'unexpected-structure']).toContain(refusal(part10(element(0x0008, 0x1115, 'SQ', 0x7ffffff0))));
  });

  it('a truncated file is refused (cut inside a value, and inside an element header)', () => {
    const whole = new Uint8Array(readFileSync(path.join(PYDICOM_TEST_FILES, 'CT_small.dcm')));
    for (const cut of [1000, 1001, 1003, whole.byteLength - 7]) expect(refusal(whole.slice(0, cut))).toBeDefined();
    expect(refusal(new Uint8Array(readFileSync(path.join(PYDICOM_TEST_FILES, 'MR_truncated.dcm'))))).toBe('unparsable');
    expect(refusal(new Uint8Array(readFileSync(path.join(PYDICOM_TEST_FILES, 'rtplan_truncated.dcm'))))).toBe('unparsable');
  });

  it('a deflated instance cannot be overwritten in place; a file without Part 10 meta is not one', () => {
    expect(refusal(new Uint8Array(readFileSync(path.join(PYDICOM_TEST_FILES, 'image_dfl.dcm'))))).toBe('deflated');
    expect(refusal(new Uint8Array(readFileSync(path.join(PYDICOM_TEST_FILES, 'no_meta.dcm'))))).toBe('not-part10');
    expect(refusal(new Uint8Array(readFileSync(path.join(PYDICOM_TEST_FILES, 'meta_missing_tsyntax.dcm'))))).toBe('not-part10');
    expect(refusal(new Uint8Array(64))).toBe('not-part10');
  });

  it('a value the rules blank, arriving as a sequence, is refused (its items could carry the name)', () => {
    const item = Buffer.concat([
      tagOnly(0xfffe, 0xe000, 0xffffffff),
      element(0x0008, 0x0104, 'LO', text('Some^Name')),
      tagOnly(0xfffe, 0xe00d, 0),
    ]);
    const bytes = part10(element(0x0010, 0x0010, 'SQ', 0xffffffff), item, tagOnly(0xfffe, 0xe0dd, 0));
    expect(refusal(bytes)).toBe('unexpected-structure');
  });

  it('every readable Part 10 file of pydicom tiles exactly (no element overlooked)', () => {
    for (const name of [
      'CT_small.dcm',
      'MR_small_implicit.dcm',
      'MR_small_bigendian.dcm',
      'JPEG2000.dcm',
      'rtplan.dcm',
      'test-SR.dcm',
      'UN_sequence.dcm',
    ]) {
      const layout = layOutPart10(new Uint8Array(readFileSync(path.join(PYDICOM_TEST_FILES, name))), dictionaryVr);
      expect(layout.elements.length, name).toBeGreaterThan(5);
    }
  });
});
