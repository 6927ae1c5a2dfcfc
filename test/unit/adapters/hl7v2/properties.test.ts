/** Property tests: framing under any chunking, escape round trips, and a parser that only ever throws Hl7ParseError. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DELIMITERS } from '../../../../src/adapters/hl7v2/delimiters.ts';
import { escapeHl7, unescapeHl7 } from '../../../../src/adapters/hl7v2/escaping.ts';
import { Hl7ParseError } from '../../../../src/adapters/hl7v2/hl7-parse-error.ts';
import { frameMllp, MllpDecoder } from '../../../../src/adapters/hl7v2/mllp-framing.ts';
import { readHl7Batch } from '../../../../src/adapters/hl7v2/read-hl7-bytes.ts';
import { convertHl7v2ToBundle } from '../../../../src/adapters/hl7v2/to-fhir/to-bundle.ts';

/** Payloads as HL7 carries them: anything but the framing bytes. */
const payload = fc.uint8Array({ maxLength: 300 }).map((bytes) => bytes.map((b) => (b === 0x0b || b === 0x1c ? 0x41 : b)));
/** Noise between frames: no start byte, or it would open a frame. */
const noise = fc.uint8Array({ maxLength: 8 }).map((bytes) => bytes.filter((b) => b !== 0x0b));

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

function chunk(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const p of points) {
    chunks.push(bytes.slice(start, p));
    start = p;
  }
  chunks.push(bytes.slice(start));
  return chunks;
}

describe('MLLP framing', () => {
  it('yields the same messages for any chunking of the stream, skipping bytes between frames', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(noise, payload), { maxLength: 6 }),
        noise,
        fc.array(fc.nat(), { maxLength: 40 }),
        (frames, tail, cuts) => {
          const stream = concat([...frames.flatMap(([junk, p]) => [junk, frameMllp(p)]), tail]);
          const decoder = new MllpDecoder();
          const out = chunk(stream, cuts).flatMap((c) => decoder.push(c));
          expect(out.map((f) => [...f])).toEqual(frames.map(([, p]) => [...p]));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('drops a frame over the size limit, reports it, and reads the next one', () => {
    const sizes: number[] = [];
    const decoder = new MllpDecoder({ maxFrameBytes: 10, onOversizedFrame: (n) => sizes.push(n) });
    const stream = concat([frameMllp(new Uint8Array(50).fill(65)), frameMllp(new Uint8Array([66, 67]))]);
    const out = chunk(stream, [3, 7, 20, 40]).flatMap((c) => decoder.push(c));
    expect(out.map((f) => [...f])).toEqual([[66, 67]]);
    expect(sizes).toHaveLength(1);
  });
});

describe('escaping', () => {
  it('unescape(escape(s)) === s for any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), fc.string({ maxLength: 40 }), (a, b) => {
        const s = a + b + '|^~\\&\r\n';
        expect(unescapeHl7(escapeHl7(s, DEFAULT_DELIMITERS), DEFAULT_DELIMITERS)).toBe(s);
      }),
      { numRuns: 500 },
    );
  });

  it('escaped text never contains a raw delimiter or line break', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (s) => {
        const escaped = escapeHl7(s, DEFAULT_DELIMITERS);
        expect(escaped).not.toMatch(/[|^~&\r\n]/);
      }),
    );
  });
});

describe('parser robustness', () => {
  const expectOnlyHl7Errors = (run: () => unknown): void => {
    try {
      run();
    } catch (error) {
      expect(error).toBeInstanceOf(Hl7ParseError);
    }
  };

  it('throws nothing but Hl7ParseError on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        expectOnlyHl7Errors(() => readHl7Batch(bytes));
        expectOnlyHl7Errors(() => convertHl7v2ToBundle(bytes));
      }),
      { numRuns: 400 },
    );
  });

  it('throws nothing but Hl7ParseError on HL7-shaped noise', () => {
    const token = fc.constantFrom(
      'MSH|^~\\&|',
      'PID|',
      'OBX|',
      'OBR|',
      'BHS|^~\\&',
      'BTS|1',
      'FTS|',
      '|',
      '^',
      '~',
      '&',
      '\\',
      '\\X41\\',
      '\r',
      '\n',
      'ORU^R01',
      '20250101',
      'NM',
      'SN',
      '张',
      '<5',
      'MRG|',
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 60 }), (tokens) => {
        const bytes = new TextEncoder().encode(tokens.join(''));
        expectOnlyHl7Errors(() => convertHl7v2ToBundle(bytes));
      }),
      { numRuns: 400 },
    );
  });
});
