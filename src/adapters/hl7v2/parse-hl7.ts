/**
 * HL7 v2 text → Hl7Message / Hl7Batch. Segments end with CR; LF and CRLF from vendors and
 * editors are accepted too. Structure errors throw Hl7ParseError naming segment and field.
 */
import { readDelimiters, type Hl7Delimiters } from './delimiters.ts';
import { Hl7ParseError } from './hl7-parse-error.ts';
import { Hl7Message, Hl7Segment, type Hl7Batch } from './hl7-message.ts';

const SEGMENT_NAME = /^[A-Z][A-Z0-9]{2}$/;

/** Splits into segment texts, dropping blank lines and a leading byte-order mark. */
export function splitSegments(text: string): string[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return body.split(/\r\n|\r|\n/).filter((line) => line.trim() !== '');
}

function buildSegment(line: string, index: number, d: Hl7Delimiters): Hl7Segment {
  const name = line.slice(0, 3);
  if (!SEGMENT_NAME.test(name) || (line.length > 3 && line.charAt(3) !== d.field)) {
    throw new Hl7ParseError(`"${line.slice(0, 12)}" does not start with a segment name and "${d.field}"`, { segmentIndex: index });
  }
  const parts = line.split(d.field);
  if (name === 'MSH' || name === 'FHS' || name === 'BHS') {
    // MSH-1 is the separator itself, so field n sits at parts[n - 1]: re-insert it.
    return new Hl7Segment(name, index, [name, d.field, ...parts.slice(1)], d);
  }
  return new Hl7Segment(name, index, parts, d);
}

function checkMessageHeader(msh: Hl7Segment): void {
  const at = (field: string) => ({ segment: 'MSH', segmentIndex: msh.index, field });
  if (!msh.get(9, 1)) throw new Hl7ParseError('message type (MSH-9) is missing', at('MSH-9'));
}

/** Lines (already split) → messages, each starting at an MSH; batch envelopes are checked. */
function parseLines(lines: string[]): Hl7Batch {
  const batch: Hl7Batch = { messages: [] };
  let delimiters: Hl7Delimiters | undefined;
  let current: Hl7Segment[] | undefined;
  let messageDelimiters: Hl7Delimiters | undefined;
  let batchTrailerSeen = false;
  let fileTrailerSeen = false;
  const finish = (): void => {
    if (current && messageDelimiters) {
      const message = new Hl7Message(messageDelimiters, current);
      checkMessageHeader(message.msh);
      batch.messages.push(message);
    }
    current = undefined;
  };

  lines.forEach((line, index) => {
    const name = line.slice(0, 3);
    if (fileTrailerSeen) throw new Hl7ParseError('segment after the file trailer (FTS)', { segment: name, segmentIndex: index });
    if (name === 'MSH' || name === 'FHS' || name === 'BHS') {
      const d = readDelimiters(line, index);
      const segment = buildSegment(line, index, d);
      if (name === 'MSH') {
        finish();
        messageDelimiters = d;
        current = [segment];
        delimiters = d;
        return;
      }
      if (batch.messages.length > 0 || current) throw new Hl7ParseError(`${name} after the first message`, { segment: name, segmentIndex: index });
      if (name === 'FHS') {
        if (batch.fileHeader || batch.batchHeader) throw new Hl7ParseError('FHS must come first', { segment: name, segmentIndex: index });
        batch.fileHeader = segment;
      } else {
        if (batch.batchHeader) throw new Hl7ParseError('second BHS', { segment: name, segmentIndex: index });
        batch.batchHeader = segment;
      }
      delimiters = d;
      return;
    }
    if (!delimiters) throw new Hl7ParseError('a message must start with MSH (or a batch with FHS/BHS)', { segment: SEGMENT_NAME.test(name) ? name : undefined, segmentIndex: index });
    const segment = buildSegment(line, index, delimiters);
    if (name === 'BTS' || name === 'FTS') {
      finish();
      checkTrailerCount(segment, name === 'BTS' ? batch.messages.length : batch.batchHeader ? 1 : undefined);
      if (name === 'BTS') {
        if (!batch.batchHeader) throw new Hl7ParseError('BTS without BHS', { segment: name, segmentIndex: index });
        batchTrailerSeen = true;
      } else {
        if (!batch.fileHeader) throw new Hl7ParseError('FTS without FHS', { segment: name, segmentIndex: index });
        fileTrailerSeen = true;
      }
      return;
    }
    if (batchTrailerSeen) throw new Hl7ParseError('segment after the batch trailer (BTS)', { segment: name, segmentIndex: index });
    if (!current) throw new Hl7ParseError('segment outside a message (no MSH before it)', { segment: name, segmentIndex: index });
    current.push(segment);
  });
  finish();
  return batch;
}

/** BTS-1 counts messages, FTS-1 counts batches; a wrong count means a truncated transfer. */
function checkTrailerCount(trailer: Hl7Segment, actual: number | undefined): void {
  const declared = trailer.get(1);
  if (declared === '' || actual === undefined) return;
  if (!/^\d+$/.test(declared) || Number(declared) !== actual) {
    throw new Hl7ParseError(`declares ${declared} but ${actual} found`, { segment: trailer.name, segmentIndex: trailer.index, field: `${trailer.name}-1` });
  }
}

/** Any number of messages, with or without a batch envelope. */
export function parseHl7Batch(text: string): Hl7Batch {
  const lines = splitSegments(text);
  if (lines.length === 0) throw new Hl7ParseError('empty message');
  return parseLines(lines);
}

/** Exactly one message (a batch envelope around one message is accepted). */
export function parseHl7Message(text: string): Hl7Message {
  const batch = parseHl7Batch(text);
  const [first, ...rest] = batch.messages;
  if (!first) throw new Hl7ParseError('no MSH segment');
  if (rest.length > 0) throw new Hl7ParseError(`expected one message, found ${batch.messages.length}`, { segment: 'MSH', segmentIndex: rest[0]!.msh.index });
  return first;
}
