/**
 * Segment lines → messages grouped in their file and batch envelopes, as HL7 v2 §2.10.3 lays
 * them out — [FHS] { [BHS] { MSH … } [BTS] } [FTS] — and as leniently as mature parsers read
 * them (python-hl7's parse_file, HAPI): a file may hold several batches; a BTS or FTS whose
 * header is missing still closes its batch or file; a batch left without its BTS ends at the
 * next BHS. Kept strict where leniency would hide a loss: a BTS/FTS count that disagrees with
 * what arrived (a cut transfer), a second FHS, anything after the FTS.
 */
import { buildSegment, SEGMENT_NAME } from './build-segment.ts';
import { readDelimiters, type Hl7Delimiters } from './delimiters.ts';
import { Hl7ParseError } from './hl7-parse-error.ts';
import { Hl7Message, type Hl7Batch, type Hl7BatchGroup, type Hl7Segment } from './hl7-message.ts';

function checkMessageHeader(msh: Hl7Segment): void {
  if (!msh.get(9, 1))
    throw new Hl7ParseError('message type (MSH-9) is missing', { segment: 'MSH', segmentIndex: msh.index, field: 'MSH-9' });
}

/** BTS-1 counts messages, FTS-1 batches; a wrong count means a truncated transfer. */
function checkTrailerCount(trailer: Hl7Segment, actual: number): void {
  const declared = trailer.get(1).trim();
  if (declared === '') return;
  if (!/^\d+$/.test(declared) || Number(declared) !== actual) {
    throw new Hl7ParseError(`declares ${declared} but ${actual} found`, {
      segment: trailer.name,
      segmentIndex: trailer.index,
      field: `${trailer.name}-1`,
    });
  }
}

class EnvelopeReader {
  readonly out: Hl7Batch = { batches: [], messages: [] };
  /** The batch being filled: opened by BHS, or implicitly by a message outside any. */
  #batch: Hl7BatchGroup | undefined;
  #message: { delimiters: Hl7Delimiters; segments: Hl7Segment[] } | undefined;
  /** The delimiters last declared (MSH, BHS or FHS), and those of the open envelopes: a trailer is split by its header's. */
  #delimiters: Hl7Delimiters | undefined;
  #fileDelimiters: Hl7Delimiters | undefined;
  #batchDelimiters: Hl7Delimiters | undefined;
  #afterBatchTrailer = false;
  #afterFileTrailer = false;

  line(line: string, index: number): void {
    const name = line.slice(0, 3);
    const at = { segment: SEGMENT_NAME.test(name) ? name : undefined, segmentIndex: index };
    if (this.#afterFileTrailer) throw new Hl7ParseError('segment after the file trailer (FTS)', at);
    switch (name) {
      case 'FHS':
        return this.#fileHeader(line, index);
      case 'BHS':
        return this.#batchHeader(line, index);
      case 'MSH':
        return this.#messageHeader(line, index);
      case 'BTS':
        return this.#batchTrailer(this.#trailer(line, index, this.#batch ? this.#batchDelimiters : undefined));
      case 'FTS':
        return this.#fileTrailer(this.#trailer(line, index, this.#fileDelimiters));
      default: {
        const message = this.#message;
        if (!message) {
          if (this.#afterBatchTrailer) throw new Hl7ParseError('segment after the batch trailer (BTS)', at);
          if (!this.#delimiters) throw new Hl7ParseError('a message must start with MSH (or a batch with FHS/BHS)', at);
          throw new Hl7ParseError('segment outside a message (no MSH before it)', at);
        }
        message.segments.push(buildSegment(line, index, message.delimiters));
      }
    }
  }

  end(): Hl7Batch {
    this.#finishMessage();
    return this.out;
  }

  #fileHeader(line: string, index: number): void {
    const at = { segment: 'FHS', segmentIndex: index };
    if (this.out.fileHeader) throw new Hl7ParseError('second FHS', at);
    if (this.out.batches.length > 0 || this.#message) throw new Hl7ParseError('FHS must come first', at);
    this.#delimiters = this.#fileDelimiters = readDelimiters(line, index);
    this.out.fileHeader = buildSegment(line, index, this.#delimiters);
  }

  #batchHeader(line: string, index: number): void {
    this.#finishMessage();
    this.#delimiters = this.#batchDelimiters = readDelimiters(line, index);
    const header = buildSegment(line, index, this.#delimiters);
    // A batch still open here lacked its BTS: it ends now, as python-hl7 and HAPI read it.
    this.#batch = { header, messages: [] };
    this.out.batches.push(this.#batch);
    this.out.batchHeader ??= header;
    this.#afterBatchTrailer = false;
  }

  #messageHeader(line: string, index: number): void {
    this.#finishMessage();
    const delimiters = readDelimiters(line, index);
    this.#delimiters = delimiters;
    this.#message = { delimiters, segments: [buildSegment(line, index, delimiters)] };
    this.#afterBatchTrailer = false;
  }

  #trailer(line: string, index: number, header: Hl7Delimiters | undefined): Hl7Segment {
    const delimiters = header ?? this.#delimiters;
    if (!delimiters)
      throw new Hl7ParseError('a message must start with MSH (or a batch with FHS/BHS)', {
        segment: line.slice(0, 3),
        segmentIndex: index,
      });
    this.#finishMessage();
    return buildSegment(line, index, delimiters);
  }

  #batchTrailer(trailer: Hl7Segment): void {
    // Without a BHS the trailer closes the messages since the last batch ended.
    const batch = this.#batch ?? this.#openBatch();
    checkTrailerCount(trailer, batch.messages.length);
    batch.trailer = trailer;
    this.#batch = undefined;
    this.#afterBatchTrailer = true;
  }

  #fileTrailer(trailer: Hl7Segment): void {
    this.#batch = undefined;
    checkTrailerCount(trailer, this.out.batches.length);
    this.out.fileTrailer = trailer;
    this.#afterFileTrailer = true;
  }

  #openBatch(): Hl7BatchGroup {
    const batch: Hl7BatchGroup = { messages: [] };
    this.#batchDelimiters = undefined;
    this.out.batches.push(batch);
    this.#batch = batch;
    return batch;
  }

  #finishMessage(): void {
    const current = this.#message;
    if (!current) return;
    this.#message = undefined;
    const message = new Hl7Message(current.delimiters, current.segments);
    checkMessageHeader(message.msh);
    (this.#batch ?? this.#openBatch()).messages.push(message);
    this.out.messages.push(message);
  }
}

export function readEnvelopes(lines: readonly string[]): Hl7Batch {
  const reader = new EnvelopeReader();
  lines.forEach((line, index) => reader.line(line, index));
  return reader.end();
}
