/**
 * One pushed frame → stored records → the ACK bytes. The ACK says AA/CA only once every record
 * of the message is durable in the encrypted cache (putRecords resolves after the commit, with
 * synchronous=FULL); anything that fails before that answers AE/AR and keeps nothing of this
 * message that a retransmission would not write again identically (resource ids are stable).
 */
import iconv from 'iconv-lite';
import { decoderForLabel } from '../../../adapters/hl7v2/charsets.ts';
import { Hl7ParseError } from '../../../adapters/hl7v2/hl7-parse-error.ts';
import type { Hl7Message } from '../../../adapters/hl7v2/hl7-message.ts';
import { readHeader, type Hl7Header } from '../../../adapters/hl7v2/message-header.ts';
import { parseHl7Message } from '../../../adapters/hl7v2/parse-hl7.ts';
import { decodeHl7Bytes } from '../../../adapters/hl7v2/read-hl7-bytes.ts';
import { convertHl7Message } from '../../../adapters/hl7v2/to-fhir/convert-message.ts';
import type { ConvertedResource } from '../../../adapters/hl7v2/to-fhir/conversion-context.ts';
import type { InboundHl7Config } from '../../../shared/config/inbound-hl7.ts';
import type { SourcePatientRef } from '../../../shared/domain/source.ts';
import type { CacheStore } from '../cache/index.ts';
import { CacheError } from '../cache/index.ts';
import { cacheKeyOf } from '../workstation/patient-record-cache.ts';
import type { ControlIdJournal } from './control-id-journal.ts';
import { ackModeOf, ackWanted, buildInboundAck, buildUnreadableAck, type AckProblem, type InboundStatus } from './inbound-ack.ts';
import { refusalOf, senderKeyOf } from './message-policy.ts';
import { peekControlId, problemFromParseError, segmentNamesOf } from './parse-problem.ts';
import { groupByPatient } from './push-records.ts';

export type InboundOutcome =
  | { kind: 'stored'; messageType: string; controlId: string; patients: SourcePatientRef[]; records: number }
  | { kind: 'duplicate'; messageType: string; controlId: string }
  | { kind: 'refused'; status: 'error' | 'rejected'; problem: AckProblem; controlId: string };

export interface ProcessedFrame {
  outcome: InboundOutcome;
  /** The framed-to-be ACK, in the sender's charset; undefined when MSH-15 asked for none. */
  reply: Uint8Array | undefined;
}

export interface InboundProcessorDeps {
  config: InboundHl7Config;
  store: CacheStore;
  journal: ControlIdJournal;
  /** Name written in MSH-3 of an ACK to bytes without a readable header. */
  receiverName?: string;
  clock?: () => Date;
}

function encodeReply(text: string, decoder: string): Uint8Array {
  if (decoder === 'utf-8') return new TextEncoder().encode(text);
  const bytes = iconv.encode(text, decoder);
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function describeStoreFailure(error: unknown): string {
  if (error instanceof CacheError) return `not stored (${error.code}): ${error.message}`;
  return `not stored: ${error instanceof Error ? error.message : String(error)}`;
}

export function createInboundProcessor(deps: InboundProcessorDeps): (frame: Uint8Array) => Promise<ProcessedFrame> {
  const { config, store, journal } = deps;
  const clock = deps.clock ?? (() => new Date());
  const fallbackCharset = decoderForLabel(config.fallbackCharset) ?? 'utf-8';
  const sourceName = config.sourceName ?? config.sourceId;

  function unreadable(frame: Uint8Array, error: Hl7ParseError, segmentNames: readonly string[]): ProcessedFrame {
    const problem = problemFromParseError(error, segmentNames);
    const controlId = peekControlId(frame);
    const text = buildUnreadableAck(problem, controlId, deps.receiverName ?? 'HUIZHEN', clock());
    return { outcome: { kind: 'refused', status: 'rejected', problem, controlId }, reply: new TextEncoder().encode(text) };
  }

  /** The header alone, to address an ACK to a message whose body does not parse. */
  function headerOnly(text: string): Hl7Message | undefined {
    const first = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/, 1)[0] ?? '';
    try {
      return parseHl7Message(first);
    } catch {
      return undefined;
    }
  }

  function answer(message: Hl7Message, decoder: string, status: InboundStatus, problem: AckProblem | undefined): Uint8Array | undefined {
    if (!ackWanted(ackModeOf(message), status)) return undefined;
    const label = message.msh.get(18);
    return encodeReply(buildInboundAck(message, { status, ...(problem ? { problem } : {}), ...(label ? { charsetLabel: label } : {}), now: clock() }), decoder);
  }

  function refuse(message: Hl7Message, decoder: string, status: 'error' | 'rejected', problem: AckProblem): ProcessedFrame {
    return { outcome: { kind: 'refused', status, problem, controlId: message.msh.get(10) }, reply: answer(message, decoder, status, problem) };
  }

  async function convertAndStore(message: Hl7Message, header: Hl7Header, decoder: string): Promise<ProcessedFrame> {
    let converted: ConvertedResource[];
    try {
      converted = convertHl7Message(message, {
        idNamespace: config.sourceId,
        identifierSystems: config.identifierSystems,
        ...(config.patientIdAuthority ? { patientIdAuthority: config.patientIdAuthority } : {}),
      });
    } catch (error) {
      const parseError = error instanceof Hl7ParseError ? error : new Hl7ParseError('cannot convert the message');
      return refuse(message, decoder, 'error', problemFromParseError(parseError, message.segments.map((s) => s.name)));
    }
    const grouping = groupByPatient(message, converted, {
      sourceId: config.sourceId,
      sourceName,
      patientIdAuthority: config.patientIdAuthority,
      receivedAt: clock().toISOString(),
    });
    if (!grouping.ok) return refuse(message, decoder, 'error', grouping.problem);
    try {
      for (const push of grouping.pushes) {
        // Upsert, never replace: a push carries one event, not the patient's whole record.
        await store.putRecords(cacheKeyOf({ sourceId: config.sourceId, sourcePatientId: push.sourcePatientId }), config.sourceId, push.records);
      }
      await journal.remember(senderKeyOf(header), header.controlId);
    } catch (error) {
      return refuse(message, decoder, 'error', { errorCode: '207', text: describeStoreFailure(error) });
    }
    return {
      outcome: {
        kind: 'stored',
        messageType: header.messageType,
        controlId: header.controlId,
        patients: grouping.pushes.map((p) => ({ sourceId: config.sourceId, sourcePatientId: p.sourcePatientId })),
        records: grouping.pushes.reduce((n, p) => n + p.records.length, 0),
      },
      reply: answer(message, decoder, 'accepted', undefined),
    };
  }

  return async function process(frame) {
    let text: string;
    let decoder: string;
    try {
      ({ text, charset: decoder } = decodeHl7Bytes(frame, { fallbackCharset }));
    } catch (error) {
      return unreadable(frame, error instanceof Hl7ParseError ? error : new Hl7ParseError('unreadable bytes'), []);
    }
    let message: Hl7Message;
    try {
      message = parseHl7Message(text);
    } catch (error) {
      const parseError = error instanceof Hl7ParseError ? error : new Hl7ParseError('unreadable message');
      const header = headerOnly(text);
      if (!header) return unreadable(frame, parseError, segmentNamesOf(text));
      return refuse(header, decoder, 'rejected', problemFromParseError(parseError, segmentNamesOf(text)));
    }
    const header = readHeader(message);
    const refusal = refusalOf(header, config.allowedSenders);
    if (refusal) return refuse(message, decoder, 'rejected', refusal);
    if (journal.has(senderKeyOf(header), header.controlId)) {
      return { outcome: { kind: 'duplicate', messageType: header.messageType, controlId: header.controlId }, reply: answer(message, decoder, 'accepted', undefined) };
    }
    return convertAndStore(message, header, decoder);
  };
}
