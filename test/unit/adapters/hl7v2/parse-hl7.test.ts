import { describe, expect, it } from 'vitest';
import { Hl7ParseError } from '../../../../src/adapters/hl7v2/hl7-parse-error.ts';
import { parseHl7Batch, parseHl7Message } from '../../../../src/adapters/hl7v2/parse-hl7.ts';
import { readHl7Message } from '../../../../src/adapters/hl7v2/read-hl7-bytes.ts';
import { escapeHl7, unescapeHl7 } from '../../../../src/adapters/hl7v2/escaping.ts';
import { DEFAULT_DELIMITERS } from '../../../../src/adapters/hl7v2/delimiters.ts';
import { encodeHl7 } from '../../../../src/adapters/hl7v2/encode-hl7.ts';

const MSH = 'MSH|^~\\&|LIS|HOSP|HUIZHEN|HOSP|20250630100000+0800||ORU^R01^ORU_R01|MSG1|P|2.5';

function failure(run: () => unknown): Hl7ParseError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(Hl7ParseError);
    return error as Hl7ParseError;
  }
  throw new Error('expected an Hl7ParseError');
}

describe('HL7 v2 parser', () => {
  it('splits repetitions, components and subcomponents, numbering fields as the standard does', () => {
    const m = parseHl7Message(
      `${MSH}\rPID|1||H1^^^HIS&urn:his&URI^MR~110101^^^CN-RID&2.16.156.10011.1.1&ISO^NNCHN||张^伟^^^^^L^I~Zhang^Wei^^^^^L^P||19680312|M`,
    );
    const pid = m.segment('PID')!;
    expect(m.msh.get(1)).toBe('|');
    expect(m.msh.get(2)).toBe('^~\\&');
    expect(m.msh.get(9, 2)).toBe('R01');
    expect(pid.repetitions(3)).toHaveLength(2);
    expect(pid.get(3, 4, 2, 1)).toBe('2.16.156.10011.1.1');
    expect(pid.get(5, 1, 1, 0)).toBe('张');
    expect(pid.get(5, 2, 1, 1)).toBe('Wei');
    expect(pid.get(99)).toBe('');
  });

  it('decodes every escape sequence in values', () => {
    const m = parseHl7Message(`${MSH}\rOBX|1|TX|X^Note||a\\F\\b\\S\\c\\T\\d\\R\\e\\E\\f\\X0D0A\\g\\H\\bold\\N\\h\\.br\\i\\X41\\`);
    expect(m.segment('OBX')!.get(5)).toBe('a|b^c&d~e\\f\r\ngboldh\niA');
  });

  it('keeps malformed and unknown escape sequences as written', () => {
    expect(unescapeHl7('50\\% off \\Q\\', DEFAULT_DELIMITERS)).toBe('50\\% off \\Q\\');
    expect(unescapeHl7('a\\', DEFAULT_DELIMITERS)).toBe('a\\');
  });

  it('reads the delimiters a message declares', () => {
    const m = parseHl7Message('MSH#*!?@#LIS#H#A#B#20250101##ADT*A01#C1#P#2.5\rPID#1##X1*2*3@4!Y1');
    const pid = m.segment('PID')!;
    expect(pid.get(3, 2)).toBe('2');
    expect(pid.get(3, 3, 2)).toBe('4');
    expect(pid.get(3, 1, 1, 1)).toBe('Y1');
  });

  it('accepts LF and CRLF segment ends and a byte-order mark, and keeps Z-segments', () => {
    const text = `\uFEFF${MSH}\r\nPID|1||X\nZPI|1|custom^value\r\n\r\n`;
    const m = parseHl7Message(text);
    expect(m.segments.map((s) => s.name)).toEqual(['MSH', 'PID', 'ZPI']);
    expect(m.segment('ZPI')!.get(2, 2)).toBe('value');
  });

  it('reads batches (FHS/BHS … BTS/FTS) and runs of messages', () => {
    const batch = parseHl7Batch(`FHS|^~\\&|A\rBHS|^~\\&|A\r${MSH}\rPID|1\r${MSH.replace('MSG1', 'MSG2')}\rPID|2\rBTS|2\rFTS|1`);
    expect(batch.fileHeader?.name).toBe('FHS');
    expect(batch.messages.map((m) => m.msh.get(10))).toEqual(['MSG1', 'MSG2']);
    expect(parseHl7Batch(`${MSH}\r${MSH}`).messages).toHaveLength(2);
  });

  it.each([
    ['empty input', '', undefined, undefined],
    ['no MSH', 'PID|1||X', 'PID', undefined],
    ['empty encoding characters', 'MSH||A', 'MSH', 'MSH-2'],
    ['repeated delimiters', 'MSH|^^\\&|A', 'MSH', 'MSH-2'],
    ['missing message type', 'MSH|^~\\&|A|B|C|D|2025||', 'MSH', 'MSH-9'],
    ['a bad segment name', `${MSH}\rpid|1`, undefined, undefined],
    ['a wrong batch count', `BHS|^~\\&|A\r${MSH}\rBTS|3`, 'BTS', 'BTS-1'],
    ['a segment after the file trailer', `FHS|^~\\&|A\r${MSH}\rFTS|\rPID|1`, 'PID', undefined],
    ['two messages where one is expected', `${MSH}\r${MSH}`, 'MSH', undefined],
  ])('rejects %s with a typed error naming where', (_what, text, segment, field) => {
    const error = failure(() => parseHl7Message(text));
    expect(error.segment).toBe(segment);
    expect(error.field).toBe(field);
    expect(error.message).toMatch(/^HL7 v2: /);
  });

  it('names the segment index of a broken line', () => {
    const error = failure(() => parseHl7Message(`${MSH}\rPID|1\rOB X|1`));
    expect(error.segmentIndex).toBe(2);
  });

  it('rejects an unknown MSH-18 character set', () => {
    const bytes = new TextEncoder().encode(`${MSH}||||||KLINGON\r`);
    const error = failure(() => readHl7Message(bytes));
    expect(error.field).toBe('MSH-18');
  });
});

describe('HL7 v2 encoder', () => {
  it('escapes delimiters and line breaks so the parser reads back the same values', () => {
    const tricky = 'O|Brien^Jr & co ~ \\path\\\r\nline2 张伟';
    const text = encodeHl7([
      { name: 'MSH', fields: ['HUIZHEN', undefined, 'HIS', undefined, '20250630', undefined, ['QBP', 'Q22'], 'C1', 'P', '2.5'] },
      {
        name: 'QPD',
        fields: [
          ['IHE PDQ Query'],
          'Q1',
          {
            repeat: [
              ['@PID.5.1.1', tricky],
              ['@PID.3.1', 'H1'],
            ],
          },
        ],
      },
    ]);
    const qpd = parseHl7Message(text).segment('QPD')!;
    expect(qpd.get(3, 2, 1, 0)).toBe(tricky);
    expect(qpd.get(3, 2, 1, 1)).toBe('H1');
    expect(escapeHl7('a|b', DEFAULT_DELIMITERS)).toBe('a\\F\\b');
  });
});
