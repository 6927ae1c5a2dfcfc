/**
 * The CPU-heavy half of handling a push, run in the conversion worker (conversion-worker.ts):
 * bytes → text → parsed message → sender and event checks → FHIR resources grouped per patient.
 * It returns data and codes only; the listener's thread de-duplicates, stores and acknowledges.
 * Records travel as serialised chunks (v8's structured-clone format, each in its own buffer so it
 * can be transferred, not copied), so the listener's thread deserialises and stores a bounded
 * slice at a time instead of one huge message in a single event-loop turn.
 */
import { serialize } from 'node:v8';
import { decoderForLabel } from '../../../adapters/hl7v2/charsets.ts';
import { Hl7ParseError } from '../../../adapters/hl7v2/hl7-parse-error.ts';
import type { Hl7Message } from '../../../adapters/hl7v2/hl7-message.ts';
import { readHeader } from '../../../adapters/hl7v2/message-header.ts';
import { parseHl7Message } from '../../../adapters/hl7v2/parse-hl7.ts';
import { decodeHl7Bytes } from '../../../adapters/hl7v2/read-hl7-bytes.ts';
import { convertHl7Message } from '../../../adapters/hl7v2/to-fhir/convert-message.ts';
import type { ConversionResult, ConversionSettings } from './conversion-protocol.ts';
import { refusalOf } from './message-policy.ts';
import { peekControlId, problemFromParseError, segmentNamesOf } from './parse-problem.ts';
import { groupByPatient } from './push-records.ts';
import type { SourcedResource } from '../../../adapters/source-adapter.ts';

/** Records per chunk: one chunk is deserialised and stored per event-loop turn on the listener's side. */
export const RECORDS_PER_CHUNK = 100;

/** The first line of the text: what an ACK is addressed from. */
export function firstLine(text: string): string {
  return text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/, 1)[0] ?? '';
}

/** The header alone, to address an ACK to a message whose body does not parse (or was not converted). */
export function headerOnly(mshLine: string): Hl7Message | undefined {
  try {
    return parseHl7Message(mshLine);
  } catch {
    return undefined;
  }
}

function chunked<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** A chunk's bytes in a buffer of their own: a Node Buffer may share a pooled one, which cannot be transferred. */
function serializeChunk(records: readonly SourcedResource[]): Uint8Array<ArrayBuffer> {
  const bytes = serialize(records);
  const { buffer } = bytes;
  return buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === buffer.byteLength
    ? new Uint8Array(buffer)
    : new Uint8Array(bytes);
}

export function convertPush(frame: Uint8Array, receivedAt: string, settings: ConversionSettings): ConversionResult {
  const fallbackCharset = decoderForLabel(settings.fallbackCharset) ?? 'utf-8';
  let text: string;
  let charset: string;
  try {
    ({ text, charset } = decodeHl7Bytes(frame, { fallbackCharset }));
  } catch (error) {
    const parseError = error instanceof Hl7ParseError ? error : new Hl7ParseError('unreadable bytes');
    return { kind: 'unreadable', problem: problemFromParseError(parseError, []), controlId: peekControlId(frame) };
  }
  const mshLine = firstLine(text);
  let message: Hl7Message;
  try {
    message = parseHl7Message(text);
  } catch (error) {
    const parseError = error instanceof Hl7ParseError ? error : new Hl7ParseError('unreadable message');
    const names = segmentNamesOf(text);
    if (!headerOnly(mshLine))
      return { kind: 'unreadable', problem: problemFromParseError(parseError, names), controlId: peekControlId(frame) };
    return { kind: 'refused', status: 'rejected', problem: problemFromParseError(parseError, names), mshLine, charset };
  }
  const header = readHeader(message);
  // Checked before converting: a sender that is not allowed gets no conversion work done for it.
  const refusal = refusalOf(header, settings.allowedSenders);
  if (refusal) return { kind: 'refused', status: 'rejected', problem: refusal, mshLine, charset };
  let converted;
  try {
    converted = convertHl7Message(message, {
      idNamespace: settings.sourceId,
      identifierSystems: settings.identifierSystems,
      ...(settings.patientIdAuthority ? { patientIdAuthority: settings.patientIdAuthority } : {}),
    });
  } catch (error) {
    const parseError = error instanceof Hl7ParseError ? error : new Hl7ParseError('cannot convert the message');
    return {
      kind: 'refused',
      status: 'error',
      problem: problemFromParseError(
        parseError,
        message.segments.map((s) => s.name),
      ),
      mshLine,
      charset,
    };
  }
  const grouping = groupByPatient(message, converted, {
    sourceId: settings.sourceId,
    sourceName: settings.sourceName,
    patientIdAuthority: settings.patientIdAuthority,
    receivedAt,
  });
  if (!grouping.ok) return { kind: 'refused', status: 'error', problem: grouping.problem, mshLine, charset };
  return {
    kind: 'converted',
    mshLine,
    charset,
    header,
    pushes: grouping.pushes.map((p) => ({
      sourcePatientId: p.sourcePatientId,
      chunks: chunked(p.records, RECORDS_PER_CHUNK).map(serializeChunk),
    })),
    records: grouping.pushes.reduce((n, p) => n + p.records.length, 0),
  };
}
