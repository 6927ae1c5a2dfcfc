/**
 * Structure-aware mutations of HL7 v2 messages: segments repeated by the thousand (the
 * 20,000-OBX ORU), huge fields (a 100,000-digit OBX-6 unit), odd delimiters and escapes,
 * repetition/component floods, broken charsets and bytes, truncation, reordered segments.
 */
import type { MutationLimits } from './xml-mutations.ts';
import type { Random } from './random.ts';

type V2Mutation = (segments: string[], r: Random, limits: MutationLimits) => { segments: string[]; note: string };

const FIELD_VALUES = [
  '',
  '""',
  '^',
  '~',
  '&',
  '\\',
  '^^^^^^^^',
  '~~~~',
  '\\X41\\',
  '\\X\\',
  '\\XZZ\\',
  '\\H\\x\\N\\',
  '\\Z99\\',
  '\\E\\',
  '\\F\\\\S\\\\T\\\\R\\',
  '\\',
  '\\.br\\',
  'NM',
  'SN',
  'ST',
  'TX',
  'CE',
  'CWE',
  'ED',
  'RP',
  'DT',
  'TS',
  'NA',
  'XXX',
  '<^5',
  '>=^1e999',
  '^1^:^2',
  '1e999',
  'NaN',
  '-0',
  '99999999999999999999',
  '0.0000000000001',
  '2025',
  '20251399',
  '202512311260',
  '20250101+2500',
  '19000229',
  '20250101120000.1234+0800',
  '00000000',
  'mg/dL',
  'mmol/L',
  '10*9/L',
  '10^9/L',
  '{bad',
  '((((',
  '%',
  '[lb_av]',
  '1/',
  'mg/dL^mg/dL^UCUM',
  'L',
  'H',
  'HH',
  'A',
  'N',
  'F',
  'P',
  'C',
  'X',
  'ORU^R01',
  'ADT^A01',
  'ADT^A40',
  'ORM^O01',
  'QBP^Q22',
  'RSP^K22',
  'ACK',
  'UNICODE UTF-8',
  'GB 18030-2000',
  '8859/1',
  'x-unknown',
  '张伟',
  '\u202e',
];

const SEGMENT_NAMES = [
  'MSH',
  'PID',
  'PV1',
  'OBR',
  'OBX',
  'NTE',
  'ORC',
  'AL1',
  'DG1',
  'MRG',
  'EVN',
  'PD1',
  'NK1',
  'RXE',
  'RXR',
  'BHS',
  'BTS',
  'FHS',
  'FTS',
  'ZZZ',
  'QAK',
  'QPD',
  'MSA',
  'ERR',
];

function fieldsOf(segment: string): string[] {
  return segment.split('|');
}

/** One segment repeated up to tens of thousands of times (OBX, NTE…): the linear-time check. */
const repeatSegment: V2Mutation = (segments, r, limits) => {
  const candidates = segments.map((s, i) => [s, i] as const).filter(([s]) => !s.startsWith('MSH'));
  if (candidates.length === 0) return { segments, note: 'repeat(none)' };
  const preferred = candidates.filter(([s]) => /^(OBX|NTE)/.test(s));
  const [segment, index] = r.pick(preferred.length > 0 && r.chance(0.7) ? preferred : candidates);
  const copies = Math.max(1, Math.min(r.size(2, 40_000), Math.floor(limits.maxGrowth / Math.max(1, segment.length))));
  const out = [...segments.slice(0, index + 1), ...Array.from({ length: copies }, () => segment), ...segments.slice(index + 1)];
  return { segments: out, note: `repeat(${segment.slice(0, 3)}×${copies})` };
};

/** One field replaced by a huge value: digits, a unit, text, components or repetitions by the thousand. */
const hugeField: V2Mutation = (segments, r, limits) => {
  const index = r.int(segments.length);
  const fields = fieldsOf(segments[index]!);
  const at = fields[0] === 'MSH' ? 2 + r.int(Math.max(1, fields.length - 2)) : 1 + r.int(Math.max(1, fields.length - 1));
  const length = r.size(1_000, limits.maxGrowth);
  const unit = r.pick(['9', '1.', 'a', '张', ' ', '^', '~', '&', '\\X41\\', 'mg/', '(', '^x', '~x']);
  fields[at] = unit.repeat(Math.ceil(length / unit.length));
  const out = [...segments];
  out[index] = fields.join('|');
  return { segments: out, note: `hugeField(${fields[0]}-${at}:${unit}×${Math.ceil(length / unit.length)})` };
};

/** One field set to a tricky value: odd numbers, dates, units, types, escapes, charsets. */
const fieldValue: V2Mutation = (segments, r) => {
  const index = r.int(segments.length);
  const fields = fieldsOf(segments[index]!);
  const at = fields[0] === 'MSH' ? 2 + r.int(Math.max(1, fields.length + 2)) : 1 + r.int(Math.max(1, fields.length + 2));
  while (fields.length <= at) fields.push('');
  fields[at] = r.pick(FIELD_VALUES);
  const out = [...segments];
  out[index] = fields.join('|');
  return { segments: out, note: `field(${fields[0]}-${at}=${JSON.stringify(fields[at]).slice(0, 20)})` };
};

/** The encoding characters changed: missing, repeated, a letter, the segment terminator. */
const delimiters: V2Mutation = (segments, r) => {
  const msh = segments.findIndex((s) => s.startsWith('MSH'));
  if (msh < 0) return { segments, note: 'delimiters(no MSH)' };
  const variants = [
    'MSH|',
    'MSH||',
    'MSH|^',
    'MSH|^~',
    'MSH|^~\\',
    'MSH|^^^^',
    'MSH^|~\\&',
    'MSHX^~\\&',
    'MSH|\r',
    'MSH|a~\\&',
    'MSH|^~\\&#',
    'MSH\u0000^~\\&',
    'MSH|||||',
  ];
  const variant = r.pick(variants);
  const out = [...segments];
  out[msh] = variant + out[msh]!.slice(8);
  return { segments: out, note: `delimiters(${JSON.stringify(variant)})` };
};

/** Segments dropped, swapped, renamed, or a batch/file wrapper added. */
const restructure: V2Mutation = (segments, r) => {
  const out = [...segments];
  const kind = r.pick(['drop', 'swap', 'rename', 'batch', 'second-msh', 'empty']);
  const i = r.int(out.length);
  const j = r.int(out.length);
  if (kind === 'drop') out.splice(i, 1);
  else if (kind === 'swap') [out[i], out[j]] = [out[j]!, out[i]!];
  else if (kind === 'rename') out[i] = r.pick(SEGMENT_NAMES) + out[i]!.slice(3);
  else if (kind === 'batch') {
    out.unshift('BHS|^~\\&|A|B|C|D|20250101');
    out.push(`BTS|${r.int(5)}`);
  } else if (kind === 'second-msh') out.push(...segments.filter((s) => s.startsWith('MSH')));
  else out.splice(i, 0, '', '');
  return { segments: out, note: `restructure(${kind})` };
};

export const hl7v2Mutations: readonly [string, V2Mutation][] = [
  ['repeatSegment', repeatSegment],
  ['hugeField', hugeField],
  ['fieldValue', fieldValue],
  ['delimiters', delimiters],
  ['restructure', restructure],
];

/** The message's segments, whatever terminator it used. */
export function segmentsOf(message: string): string[] {
  return message.split(/\r\n|\r|\n/).filter((s) => s.length > 0);
}

/** Segments to bytes with a terminator a real sender might use, sometimes a broken charset or a cut. */
export function joinHostile(segments: string[], r: Random): { bytes: Uint8Array; note?: string } {
  const terminator = r.pick(['\r', '\r', '\r', '\n', '\r\n', '']);
  const text = segments.join(terminator) + (r.chance(0.5) ? terminator : '');
  const bytes = Buffer.from(text, 'utf8');
  const roll = r.int(10);
  if (roll === 0 && bytes.length > 0) {
    const bad = r.pick([[0xff], [0xc3, 0x28], [0xe5, 0xbc], [0x0b], [0x1c], [0x00], [0xed, 0xa0, 0x80]]);
    const at = r.int(bytes.length);
    return {
      bytes: Buffer.concat([bytes.subarray(0, at), Buffer.from(bad), bytes.subarray(at)]),
      note: `bytes ${bad.map((b) => b.toString(16)).join('')} at ${at}`,
    };
  }
  if (roll === 1) {
    const at = r.int(bytes.length + 1);
    return { bytes: bytes.subarray(0, at), note: `cut at ${at}` };
  }
  if (roll === 2 && bytes.length > 0) {
    const flips = r.size(1, 32);
    for (let i = 0; i < flips; i++) bytes[r.int(bytes.length)] = r.int(256);
    return { bytes, note: `${flips} bytes flipped` };
  }
  if (roll === 3)
    return {
      bytes: Buffer.concat([
        Buffer.from(
          r.pick([
            [0xef, 0xbb, 0xbf],
            [0xff, 0xfe],
            [0xfe, 0xff],
          ]),
        ),
        bytes,
      ]),
      note: 'BOM',
    };
  return { bytes, note: terminator === '\r' ? undefined : `terminator ${JSON.stringify(terminator)}` };
}
