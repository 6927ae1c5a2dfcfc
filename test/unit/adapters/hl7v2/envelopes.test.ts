/**
 * Batch and file envelopes, MLLP bytes left in files, and MSH-2 (issue 14 item 7): synthetic
 * messages, and python-hl7's own envelope test samples (test/fixtures/hl7v2/README.md).
 */
import { readFileSync } from 'node:fs';
import type { Observation } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { Hl7ParseError } from '../../../../src/adapters/hl7v2/hl7-parse-error.ts';
import { parseHl7Batch, parseHl7Message } from '../../../../src/adapters/hl7v2/parse-hl7.ts';
import { readHl7Batch } from '../../../../src/adapters/hl7v2/read-hl7-bytes.ts';
import { encodeHl7 } from '../../../../src/adapters/hl7v2/encode-hl7.ts';
import { convertHl7v2ToBundle } from '../../../../src/adapters/hl7v2/to-fhir/to-bundle.ts';

const msh = (id: string) => `MSH|^~\\&|LIS|HOSP|HIS|HOSP|20250630100000+0800||ORU^R01|${id}|P|2.4`;
const message = (id: string) => `${msh(id)}\rPID|1||P${id}^^^LIS^MR\rOBR|1||R${id}|BIO\rOBX|1|ST|GLU^葡萄糖||5.6|mmol/L|3.9-6.1||||F`;
const FHS = 'FHS|^~\\&|LIS|HOSP';
const BHS = 'BHS|^~\\&|LIS|HOSP';
const pythonHl7 = (name: string): string =>
  readFileSync(new URL(`../../../fixtures/hl7v2/python-hl7/envelopes/${name}.hl7`, import.meta.url), 'latin1');

function failure(run: () => unknown): Hl7ParseError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(Hl7ParseError);
    return error as Hl7ParseError;
  }
  throw new Error('expected an Hl7ParseError');
}

const ids = (text: string) => parseHl7Batch(text).batches.map((b) => b.messages.map((m) => m.msh.get(10)));

describe('file and batch envelopes', () => {
  it('a file of several batches: FHS BHS … BTS BHS … BTS FTS', () => {
    const batch = parseHl7Batch([FHS, BHS, message('1'), message('2'), 'BTS|2', BHS, message('3'), 'BTS|1', 'FTS|2'].join('\r'));
    expect(batch.batches.map((b) => b.messages.map((m) => m.msh.get(10)))).toEqual([['1', '2'], ['3']]);
    expect(batch.messages).toHaveLength(3);
    expect(batch.fileHeader?.name).toBe('FHS');
    expect(batch.fileTrailer?.get(1)).toBe('2');
    expect(batch.batches.every((b) => b.header?.name === 'BHS' && b.trailer?.name === 'BTS')).toBe(true);
  });

  it('a BTS without its BHS closes the messages before it', () => {
    expect(ids([message('1'), 'BTS|1', message('2'), 'BTS|1'].join('\r'))).toEqual([['1'], ['2']]);
  });

  it('an FTS without its FHS closes the file', () => {
    const batch = parseHl7Batch([BHS, message('1'), 'BTS|1', 'FTS|1'].join('\r'));
    expect(batch.fileHeader).toBeUndefined();
    expect(batch.fileTrailer?.name).toBe('FTS');
  });

  it('a batch without its BTS ends at the next BHS or at the FTS', () => {
    expect(ids([FHS, BHS, message('1'), BHS, message('2'), 'FTS|2'].join('\r'))).toEqual([['1'], ['2']]);
  });

  it('no envelope at all: a run of messages', () => {
    expect(ids([message('1'), message('2')].join('\n'))).toEqual([['1', '2']]);
  });

  it.each([
    ['a BTS count that disagrees (a cut transfer)', [BHS, message('1'), 'BTS|2'], 'BTS', 'BTS-1'],
    ['an FTS count that disagrees', [FHS, BHS, message('1'), 'BTS|1', BHS, message('2'), 'BTS|1', 'FTS|1'], 'FTS', 'FTS-1'],
    ['a second FHS', [FHS, message('1'), FHS], 'FHS', undefined],
    ['an FHS after a message', [message('1'), FHS], 'FHS', undefined],
    ['a segment after the FTS', [FHS, message('1'), 'FTS|1', 'PID|1'], 'PID', undefined],
    ['a segment between BTS and the next MSH', [BHS, message('1'), 'BTS|1', 'PID|1'], 'PID', undefined],
    ['a segment between BHS and its first MSH', [BHS, 'PID|1', message('1'), 'BTS|1'], 'PID', undefined],
  ])('refuses %s, naming where', (_what, lines, segment, field) => {
    const error = failure(() => parseHl7Batch(lines.join('\r')));
    expect(error.segment).toBe(segment);
    expect(error.field).toBe(field);
  });

  it('converts every message of every batch', () => {
    const text = [FHS, BHS, message('1'), 'BTS|1', BHS, message('2'), 'BTS|1', 'FTS|2'].join('\r');
    const bundle = convertHl7v2ToBundle(new TextEncoder().encode(text));
    const values = (bundle.entry ?? []).map((e) => e.resource).filter((r): r is Observation => r?.resourceType === 'Observation');
    expect(values.map((o) => o.valueQuantity?.value)).toEqual([5.6, 5.6]);
  });
});

describe("python-hl7's envelope samples (tests/samples.py)", () => {
  it.each([
    ['sample-file1', [2, 1], true, true],
    ['sample-file2', [2], true, true],
    ['sample-file3', [1], true, false],
    ['sample-file4', [1], false, true],
    ['sample-file5', [1], true, true],
    ['sample-file6', [1], true, true],
    ['sample-batch1', [2], false, false],
    ['sample-batch4', [1], false, false],
  ])('%s: batches of %j messages', (name, sizes, hasFhs, hasFts) => {
    const batch = parseHl7Batch(pythonHl7(name));
    expect(batch.batches.map((b) => b.messages.length)).toEqual(sizes);
    expect(!!batch.fileHeader).toBe(hasFhs);
    expect(!!batch.fileTrailer).toBe(hasFts);
    expect(batch.messages.every((m) => m.segment('PID')?.get(3, 1) === '0000112234')).toBe(true);
  });

  it.each([
    ['sample-bad-file1', 'PID'],
    ['sample-bad-file2', 'FHS'],
    ['sample-bad-file3', 'EVN'],
  ])('%s is refused, as python-hl7 refuses it', (name, segment) => {
    expect(failure(() => parseHl7Batch(pythonHl7(name))).segment).toBe(segment);
  });

  it("python-hl7's non-standard separators ($ and %) are read", () => {
    // The sample has no MSH-9, so reading stops there: after MSH-1 and MSH-2 were understood.
    expect(failure(() => parseHl7Batch(pythonHl7('nonstandard-separators'))).field).toBe('MSH-9');
    const m = parseHl7Message(`${pythonHl7('nonstandard-separators').replace('GHH LAB', 'GHH LAB$$$$$$ADT%A01$1$P$2.3')}`);
    expect(m.segment('PID')?.get(5, 2)).toBe('EVE');
  });
});

describe('MLLP framing bytes left in a file', () => {
  it.each([
    ['one framed message', `\x0b${message('1')}\x1c\r`],
    ['framed messages back to back', `\x0b${message('1')}\x1c\r\x0b${message('2')}\x1c\r`],
    ['framed with LF after the trailer', `\x0b${message('1')}\r\x1c\r\n\x0b${message('2')}\r\x1c\r\n`],
    ['a start byte without its end', `\x0b${message('1')}\r\x0b${message('2')}`],
    ['NUL padding and a DOS end-of-file mark after the last segment', `${message('1')}\r\x00\x00\r\n\x1a`],
  ])('%s', (_what, text) => {
    const batch = readHl7Batch(new TextEncoder().encode(text));
    expect(batch.messages.length).toBeGreaterThan(0);
    expect(batch.messages.every((m) => m.segment('OBX')?.get(5) === '5.6')).toBe(true);
  });

  it('MSH-18 is still found after a start byte', () => {
    const gb = Buffer.concat([
      Buffer.from('\x0bMSH|^~\\&|LIS|H|HIS|H|20250101||ORU^R01|1|P|2.4||||||GB18030\rPID|1||X||'),
      Buffer.from([0xd5, 0xc5, 0xc8, 0xfd]),
      Buffer.from('\r\x1c\r'),
    ]);
    expect(readHl7Batch(new Uint8Array(gb)).messages[0]?.segment('PID')?.get(5)).toBe('张三');
  });
});

describe('MSH-2 encoding characters', () => {
  it('reads any distinct set, and the v2.7 truncation character', () => {
    const m = parseHl7Message('MSH|^~\\&#|A|B|C|D|20250101||ADT^A01|1|P|2.7\rPID|1||X^^^H');
    expect(m.delimiters.truncation).toBe('#');
    expect(m.segment('PID')?.get(3, 4)).toBe('H');
  });

  it.each([
    ['none', 'MSH||A|B|C|D|2025||ADT^A01|1|P|2.5', /are 0; MSH-2 must declare 4/],
    ['too many', 'MSH|^~\\&#!|A|B|C|D|2025||ADT^A01|1|P|2.5', /are 6; MSH-2 must declare 4/],
    ['a repeated character', 'MSH|^^\\&|A|B|C|D|2025||ADT^A01|1|P|2.5', /"\^" as both component separator and repetition separator/],
    ['a doubled backslash from a string literal', 'MSH|^~\\\\&|A|B|C|D|2025||ADT^A01|1|P|2.5', /string literal/],
    ['a letter', 'MSH|^~\\A|A|B|C|D|2025||ADT^A01|1|P|2.5', /must not be letters/],
    ['a space', 'MSH|^~\\ |A|B|C|D|2025||ADT^A01|1|P|2.5', /must not be letters, digits, whitespace/],
  ])('refuses %s, saying exactly why, at MSH-2', (_what, text, reason) => {
    const error = failure(() => parseHl7Message(text));
    expect(error.field).toBe('MSH-2');
    expect(error.message).toMatch(reason);
  });

  it('a short MSH-2 ("^~}", from HAPI\'s test messages) is read as HAPI reads it: what it leaves out is not used', () => {
    const m = parseHl7Message(
      'MSH|^~}|ADMISSION|ADT1|RADIOLOGY|MIR1|19930502185327||BAR^P01|908594ADT30502185327|P|2.4||\rPID|1||X1^^^H~X2||A&B^C',
    );
    expect(m.segment('PID')?.repetitions(3)).toHaveLength(2);
    expect(m.segment('PID')?.get(5, 1)).toBe('A&B');
    expect(m.segment('PID')?.get(5, 2)).toBe('C');
    const ack = encodeHl7(
      [
        { name: 'MSH', fields: ['HUIZHEN'] },
        { name: 'MSA', fields: ['AA', 'X&Y'] },
      ],
      m.delimiters,
    );
    expect(ack).toBe('MSH|^~\\&|HUIZHEN\rMSA|AA|X\\T\\Y\r');
  });

  it('each message of a batch keeps the separators it declares', () => {
    const batch = parseHl7Batch(
      [BHS, message('1'), 'MSH#*!?@#LIS#H#A#B#20250101##ADT*A01#2#P#2.5\rPID#1##X1*2*3@4!Y1', 'BTS|2'].join('\r'),
    );
    expect(batch.messages[1]?.segment('PID')?.get(3, 3, 2)).toBe('4');
  });
});

describe('limits before third-party code', () => {
  it('an MSH-18 of 100,000 characters is refused as an unknown character set, at once', () => {
    const bytes = new TextEncoder().encode(`MSH|^~\\&|A|B|C|D|2025||ADT^A01|1|P|2.5||||||${'x'.repeat(100_000)}\rPID|1`);
    const started = performance.now();
    expect(failure(() => readHl7Batch(bytes)).field).toBe('MSH-18');
    expect(performance.now() - started).toBeLessThan(500);
  });
});
