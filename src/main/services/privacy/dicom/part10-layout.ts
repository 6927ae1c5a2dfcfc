/**
 * Where every element of a Part 10 file lies, for a masker that overwrites values in place.
 * dicom-parser (the parser Cornerstone ships, already in the renderer) reads the file; it is
 * lenient by design — a truncated file parses with a warning, a repeated tag keeps only its last
 * occurrence, a length past the end is taken as given — so its result is checked against the
 * bytes: the elements of every data set (and the items of every sequence) must follow each other
 * with no gap and no overlap from the data set's first byte to its last. A file that does not
 * tile that way holds bytes no rule looked at, and is refused rather than served.
 */
import { createRequire } from 'node:module';
import type * as DicomParserModule from 'dicom-parser';
import type { DataSet, Element } from 'dicom-parser';

type DicomParser = typeof DicomParserModule;
// A UMD bundle: required, so Node gets its CommonJS export without an interop guess.
const dicomParser = createRequire(import.meta.url)('dicom-parser') as DicomParser;

export const DEFLATED_EXPLICIT_LE = '1.2.840.10008.1.2.1.99';
export const IMPLICIT_LE = '1.2.840.10008.1.2';
export const EXPLICIT_BE = '1.2.840.10008.1.2.2';

/** Sequences nest this deep at most (real files: 4–6); deeper is a hostile or broken file. */
export const MAX_SEQUENCE_DEPTH = 16;
/** The preamble and "DICM" before the file meta. */
const PART10_PREFIX = 132;

export type Part10LayoutErrorCode = 'not-part10' | 'deflated' | 'unparsable' | 'unexpected-structure' | 'too-deep';

export class Part10LayoutError extends Error {
  override readonly name = 'Part10LayoutError';
  readonly code: Part10LayoutErrorCode;
  constructor(code: Part10LayoutErrorCode, detail: string) {
    super(detail);
    this.code = code;
  }
}

export interface LaidOutElement {
  /** Eight upper-case hex digits, as in DICOM JSON. */
  tag: string;
  /** The VR as written (explicit VR), from the dictionary (implicit VR), or undefined when neither knows it. */
  vr: string | undefined;
  dataOffset: number;
  length: number;
  /** Ended by a delimiter rather than a length (the length then counts the delimiter too, unless it is a sequence). */
  undefinedLength: boolean;
  /** The items of a sequence, each a data set of its own. */
  items?: LaidOutDataSet[];
}
export type LaidOutDataSet = LaidOutElement[];

export interface Part10Layout {
  transferSyntax: string;
  /** The file meta (group 0002) and the data set, in file order. */
  elements: LaidOutDataSet;
}

/** Explicit VRs with a 2-byte reserved field and a 4-byte length (PS3.5 7.1.2). */
const LONG_HEADER_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'UC', 'UN', 'UR', 'UT', 'SV', 'UV']);
const ITEM_HEADER = 8;
const DELIMITER = 8;
const ITEM_DELIMITER_TAG = 'xfffee00d';

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  // parseDicom rethrows as {exception, dataSet}.
  if (typeof error === 'object' && error !== null && 'exception' in error) return describe((error as { exception: unknown }).exception);
  return 'unknown parse failure';
}

function headerLength(element: Element, explicit: boolean): number {
  if (!explicit || element.vr === undefined) return 8;
  return LONG_HEADER_VRS.has(element.vr) ? 12 : 8;
}

interface Walk {
  explicit: boolean;
  vrOf: (tag: string) => string | undefined;
  fileLength: number;
}

function structureError(where: number, what: string): Part10LayoutError {
  return new Part10LayoutError('unexpected-structure', `${what} at byte ${where}`);
}

/** The end of an element's bytes (value plus any delimiter the parser counted outside its length). */
function endOf(element: Element): number {
  const end = element.dataOffset + element.length;
  // A sequence of undefined length: the parser's length stops before the sequence delimiter.
  if (element.items !== undefined && element.hadUndefinedLength) return end + DELIMITER;
  return end;
}

/**
 * Lays out one data set spanning [start, end): its elements sorted by offset must tile the
 * range exactly. `meta` marks the top level, whose group 0002 is always explicit VR little endian.
 */
function layOut(dataSet: DataSet, start: number, end: number, depth: number, walk: Walk, meta: boolean): LaidOutDataSet {
  if (depth > MAX_SEQUENCE_DEPTH) throw new Part10LayoutError('too-deep', `sequences nest deeper than ${MAX_SEQUENCE_DEPTH}`);
  const elements = Object.values(dataSet.elements).sort((a, b) => a.dataOffset - b.dataOffset);
  const out: LaidOutDataSet = [];
  let position = start;
  for (const element of elements) {
    const inMeta = meta && element.tag.startsWith('x0002');
    const explicit = inMeta || walk.explicit;
    const headerStart = element.dataOffset - headerLength(element, explicit);
    if (headerStart !== position) throw structureError(position, `element (${element.tag.slice(1)}) does not follow the one before it`);
    const elementEnd = endOf(element);
    if (element.length < 0 || elementEnd > end || elementEnd > walk.fileLength) {
      throw structureError(headerStart, `element (${element.tag.slice(1)}) runs past the end of its data set`);
    }
    position = elementEnd;
    // An item of undefined length lists its own delimiter as an element: its bytes are tiled, it holds no value.
    if (element.tag === ITEM_DELIMITER_TAG) continue;
    const tag = element.tag.slice(1).toUpperCase();
    const vr = element.vr ?? (explicit ? undefined : walk.vrOf(tag));
    out.push({
      tag,
      vr,
      dataOffset: element.dataOffset,
      length: element.length,
      undefinedLength: element.hadUndefinedLength === true,
      ...(element.items ? { items: layOutItems(element, depth, walk) } : {}),
    });
  }
  if (position !== end) throw structureError(position, 'the data set ends with bytes no element holds');
  return out;
}

function layOutItems(sequence: Element, depth: number, walk: Walk): LaidOutDataSet[] {
  const items: LaidOutDataSet[] = [];
  let position = sequence.dataOffset;
  for (const item of sequence.items ?? []) {
    if (item.dataOffset - ITEM_HEADER !== position || item.tag !== 'xfffee000')
      throw structureError(position, 'a sequence item is out of place');
    const itemEnd = item.dataOffset + item.length;
    // An item of undefined length: the parser's length includes the item delimiter it read.
    if (!item.dataSet) throw structureError(position, 'a sequence item has no data set');
    items.push(layOut(item.dataSet, item.dataOffset, itemEnd, depth + 1, walk, false));
    position = itemEnd;
  }
  if (position !== sequence.dataOffset + sequence.length) throw structureError(position, 'a sequence ends with bytes no item holds');
  return items;
}

function transferSyntaxOf(bytes: Uint8Array): string {
  let metaSet: DataSet;
  try {
    metaSet = dicomParser.readPart10Header(bytes);
  } catch (error) {
    // The meta reader also reads the data set's first element: a broken one lands here too.
    const prefixed = Buffer.from(bytes.buffer, bytes.byteOffset + PART10_PREFIX - 4, 4).toString('latin1') === 'DICM';
    throw new Part10LayoutError(prefixed ? 'unparsable' : 'not-part10', `no readable Part 10 file meta (${describe(error)})`);
  }
  const syntax = metaSet.string('x00020010')?.replace(/\0/g, '').trim();
  if (!syntax) throw new Part10LayoutError('not-part10', 'the file meta names no transfer syntax');
  return syntax;
}

/**
 * Parses and checks a Part 10 file. `vrOf` gives the dictionary VR of a tag (8 hex digits) for
 * implicit VR data sets. Throws Part10LayoutError; never anything else.
 */
export function layOutPart10(bytes: Uint8Array, vrOf: (tag: string) => string | undefined): Part10Layout {
  if (bytes.byteLength < PART10_PREFIX + 12) throw new Part10LayoutError('not-part10', 'too short for a Part 10 file');
  const transferSyntax = transferSyntaxOf(bytes);
  // Compressed as a whole: nothing can be overwritten in place without inflating and rewriting it.
  if (transferSyntax === DEFLATED_EXPLICIT_LE) throw new Part10LayoutError('deflated', 'the instance is stored deflated');
  const explicit = transferSyntax !== IMPLICIT_LE;
  let dataSet: DataSet;
  try {
    dataSet = dicomParser.parseDicom(bytes, explicit ? {} : { vrCallback: (tag: string) => vrOf(tag.slice(1).toUpperCase()) });
  } catch (error) {
    // A stack overflow on nesting past what the parser's recursion survives lands here too.
    throw new Part10LayoutError('unparsable', describe(error));
  }
  if (dataSet.warnings.length > 0) throw new Part10LayoutError('unparsable', dataSet.warnings[0] ?? 'parser warning');
  try {
    return {
      transferSyntax,
      elements: layOut(dataSet, PART10_PREFIX, bytes.byteLength, 0, { explicit, vrOf, fileLength: bytes.byteLength }, true),
    };
  } catch (error) {
    if (error instanceof Part10LayoutError) throw error;
    if (error instanceof RangeError) throw new Part10LayoutError('too-deep', error.message);
    throw new Part10LayoutError('unparsable', describe(error));
  }
}
