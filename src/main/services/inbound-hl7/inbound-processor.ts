/**
 * One pushed frame → stored records → the ACK bytes. The ACK says AA/CA only once every record
 * of the message, and its control id, are durable in the encrypted cache (the group commit
 * resolves after the transaction, with synchronous=FULL); anything that fails before that answers
 * AE/AR and keeps nothing of this message that a retransmission would not write again identically
 * (resource ids are stable).
 * Conversion happens off this thread (`convert`, the worker); a message over one of its budgets
 * is kept whole (held-messages.ts) before it is answered AE/CE naming the limit.
 */
import iconv from 'iconv-lite';
import { decoderForLabel } from '../../../adapters/hl7v2/charsets.ts';
import type { Hl7Message } from '../../../adapters/hl7v2/hl7-message.ts';
import type { Hl7Header } from '../../../adapters/hl7v2/message-header.ts';
import { decodeHl7Bytes } from '../../../adapters/hl7v2/read-hl7-bytes.ts';
import type { InboundHl7Config } from '../../../shared/config/inbound-hl7.ts';
import type { SourcePatientRef } from '../../../shared/domain/source.ts';
import type { CacheStore } from '../cache/index.ts';
import { CacheError } from '../cache/index.ts';
import { cacheKeyOf } from '../patient-record/index.ts';
import type { ControlIdJournal } from './control-id-journal.ts';
import { readRecordChunk, type ConversionResult } from './conversion-protocol.ts';
import type { BudgetLimit, ThreadOutcome } from './conversion-thread.ts';
import type { GroupCommitter } from './group-commit.ts';
import { holdMessage } from './held-messages.ts';
import { ackModeOf, ackWanted, buildInboundAck, buildUnreadableAck, type AckProblem, type InboundStatus } from './inbound-ack.ts';
import { senderKeyOf } from './message-policy.ts';
import { peekControlId } from './parse-problem.ts';
import { firstLine, headerOnly } from './push-conversion.ts';

export type InboundOutcome =
  | { kind: 'stored'; messageType: string; controlId: string; patients: SourcePatientRef[]; records: number }
  | { kind: 'duplicate'; messageType: string; controlId: string }
  /** `retryable`: the cache could not store it now (disk full, closing); the same bytes may succeed later. */
  | { kind: 'refused'; status: 'error' | 'rejected'; problem: AckProblem; controlId: string; retryable?: boolean }
  /** Over a budget (or the worker failed on it): not converted, kept for inspection, answered AE/CE. */
  | { kind: 'held'; limit: BudgetLimit; problem: AckProblem; controlId: string; kept: boolean };

export interface ProcessedFrame {
  outcome: InboundOutcome;
  /** The framed-to-be ACK, in the sender's charset; undefined when MSH-15 asked for none. */
  reply: Uint8Array | undefined;
}

/** A frame taken in turn: its outcome is decided, and `done` resolves once that outcome is durable. */
export interface AdmittedFrame {
  done: Promise<ProcessedFrame>;
}

export interface InboundProcessor {
  /**
   * Admit frames one at a time, in arrival order (the next once this one resolves): a frame to be
   * stored is staged for the group commit, so the frames admitted in one turn commit together.
   */
  admit(frame: Uint8Array): Promise<AdmittedFrame>;
}

export interface InboundProcessorDeps {
  config: InboundHl7Config;
  store: CacheStore;
  journal: ControlIdJournal;
  /** Commits messages staged together in one transaction, with their control ids. */
  committer: GroupCommitter;
  /** The conversion off this thread, under its budgets (conversion-thread.ts). */
  convert: (frame: Uint8Array, receivedAt: string) => Promise<ThreadOutcome>;
  /** Name written in MSH-3 of an ACK to bytes without a readable header. */
  receiverName?: string;
  clock?: () => Date;
}

/** Bytes read from the front of a frame to find its header when the frame is not converted. */
const HEADER_PEEK_BYTES = 64 * 1024;

function encodeReply(text: string, decoder: string): Uint8Array {
  if (decoder === 'utf-8') return new TextEncoder().encode(text);
  const bytes = iconv.encode(text, decoder);
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function describeStoreFailure(error: unknown): string {
  if (error instanceof CacheError) return `not stored (${error.code}): ${error.message}`;
  return `not stored: ${error instanceof Error ? error.message : String(error)}`;
}

/** Lets the API's event loop run between two slices of a large store. */
const yieldTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const now = (processed: ProcessedFrame): AdmittedFrame => ({ done: Promise.resolve(processed) });

export function createInboundProcessor(deps: InboundProcessorDeps): InboundProcessor {
  const { config, store, journal, committer } = deps;
  const clock = deps.clock ?? (() => new Date());
  const fallbackCharset = decoderForLabel(config.fallbackCharset) ?? 'utf-8';
  const sourceName = config.sourceName ?? config.sourceId;

  function unreadable(problem: AckProblem, controlId: string, status: 'error' | 'rejected' = 'rejected'): ProcessedFrame {
    const text = buildUnreadableAck(problem, controlId, deps.receiverName ?? 'HUIZHEN', clock(), status === 'error' ? 'AE' : 'AR');
    return { outcome: { kind: 'refused', status, problem, controlId }, reply: new TextEncoder().encode(text) };
  }

  function answer(message: Hl7Message, decoder: string, status: InboundStatus, problem: AckProblem | undefined): Uint8Array | undefined {
    if (!ackWanted(ackModeOf(message), status)) return undefined;
    const label = message.msh.get(18);
    return encodeReply(
      buildInboundAck(message, { status, ...(problem ? { problem } : {}), ...(label ? { charsetLabel: label } : {}), now: clock() }),
      decoder,
    );
  }

  function refuse(message: Hl7Message, decoder: string, status: 'error' | 'rejected', problem: AckProblem): ProcessedFrame {
    return {
      outcome: { kind: 'refused', status, problem, controlId: message.msh.get(10) },
      reply: answer(message, decoder, status, problem),
    };
  }

  /** The header of a frame that was not converted, read from its first line only (bounded work). */
  function headerOfFrame(frame: Uint8Array): { message: Hl7Message; charset: string } | undefined {
    const head = frame.subarray(0, HEADER_PEEK_BYTES);
    let end = head.findIndex((b) => b === 0x0d || b === 0x0a);
    if (end < 0) end = head.length;
    try {
      const { text, charset } = decodeHl7Bytes(head.subarray(0, end), { fallbackCharset });
      const message = headerOnly(firstLine(text));
      return message ? { message, charset } : undefined;
    } catch {
      return undefined;
    }
  }

  /** Over a budget: kept for inspection first (store before acknowledging), then answered AE/CE naming the limit. */
  async function hold(frame: Uint8Array, limit: BudgetLimit, detail: string): Promise<ProcessedFrame> {
    const header = headerOfFrame(frame);
    const controlId = header ? header.message.msh.get(10) : peekControlId(frame);
    let kept = true;
    const why = limit === 'worker-failed' ? `not converted: the conversion worker failed (${detail})` : `not converted: over the ${detail}`;
    let text = `${why}; the message is kept for inspection`;
    try {
      await holdMessage(store, { sourceId: config.sourceId, sourceName, frame, limit, controlId, receivedAt: clock().toISOString() });
    } catch (error) {
      kept = false;
      text = `${why}; and ${describeStoreFailure(error)}`;
    }
    const problem: AckProblem = { errorCode: '207', text };
    const outcome: InboundOutcome = { kind: 'held', limit, problem, controlId, kept };
    if (!header) return { outcome, reply: unreadable(problem, controlId, 'error').reply };
    return { outcome, reply: answer(header.message, header.charset, 'error', problem) };
  }

  async function storeConverted(
    message: Hl7Message,
    header: Hl7Header,
    decoder: string,
    result: Extract<ConversionResult, { kind: 'converted' }>,
  ): Promise<AdmittedFrame> {
    const id = { senderKey: senderKeyOf(header), controlId: header.controlId };
    const stored: ProcessedFrame = {
      outcome: {
        kind: 'stored',
        messageType: header.messageType,
        controlId: header.controlId,
        patients: result.pushes.map((p) => ({ sourceId: config.sourceId, sourcePatientId: p.sourcePatientId })),
        records: result.records,
      },
      reply: answer(message, decoder, 'accepted', undefined),
    };
    const failed = (error: unknown): ProcessedFrame => {
      const problem: AckProblem = { errorCode: '207', text: describeStoreFailure(error) };
      return {
        outcome: { kind: 'refused', status: 'error', problem, controlId: message.msh.get(10), retryable: true },
        reply: answer(message, decoder, 'error', problem),
      };
    };
    const keyOf = (sourcePatientId: string) => cacheKeyOf({ sourceId: config.sourceId, sourcePatientId });
    if (result.pushes.every((p) => p.chunks.length <= 1)) {
      // The chunk goes to the cache as the worker serialised it: read in the cache's writer thread.
      const writes = result.pushes.map((p) => ({
        patientKey: keyOf(p.sourcePatientId),
        sourceId: config.sourceId,
        records: [],
        serialized: p.chunks.slice(0, 1),
      }));
      return { done: committer.commit({ writes, id }).then(() => stored, failed) };
    }
    // A large message is stored slice by slice, yielding between them, after the messages before
    // it (a later upsert must win); a crash half-way is safe, since nothing is acknowledged and
    // the retransmission writes the same ids again.
    await committer.idle();
    try {
      for (const push of result.pushes) {
        for (const [i, chunk] of push.chunks.entries()) {
          if (i > 0) await yieldTurn();
          await store.putRecords(keyOf(push.sourcePatientId), config.sourceId, readRecordChunk(chunk));
        }
      }
      await journal.remember(id.senderKey, id.controlId);
    } catch (error) {
      return now(failed(error));
    }
    return now(stored);
  }

  async function duplicate(header: Hl7Header): Promise<boolean> {
    const id = { senderKey: senderKeyOf(header), controlId: header.controlId };
    // A redelivery of a message still being committed: its original decides (stored, or failed and unknown).
    await committer.pending(id);
    return journal.has(id.senderKey, id.controlId);
  }

  async function admit(frame: Uint8Array): Promise<AdmittedFrame> {
    if (frame.length > config.maxMessageBytes)
      return now(await hold(frame, 'message-size', `size budget of ${config.maxMessageBytes} bytes (maxMessageBytes)`));
    const run = await deps.convert(frame, clock().toISOString());
    if (run.kind === 'over-budget') return now(await hold(frame, run.limit, run.detail));
    const result = run.result;
    if (result.kind === 'unreadable') return now(unreadable(result.problem, result.controlId));
    const message = headerOnly(result.mshLine);
    // The worker read this header; failing here would be a bug, answered like unreadable bytes.
    if (!message) return now(unreadable({ errorCode: '100', text: 'the message header cannot be read' }, peekControlId(frame)));
    if (result.kind === 'refused') return now(refuse(message, result.charset, result.status, result.problem));
    const header = result.header;
    if (await duplicate(header)) {
      return now({
        outcome: { kind: 'duplicate', messageType: header.messageType, controlId: header.controlId },
        reply: answer(message, result.charset, 'accepted', undefined),
      });
    }
    return storeConverted(message, header, result.charset, result);
  }

  return { admit };
}
