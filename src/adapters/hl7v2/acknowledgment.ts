/**
 * MSA/ERR/QAK: reading a peer's acknowledgment and writing our own. HL7 codes: AA/CA accepted,
 * AE/CE error, AR/CR rejected (original and enhanced mode).
 */
import type { Hl7Delimiters } from './delimiters.ts';
import { encodeHl7, hl7Timestamp, type Hl7SegmentInput } from './encode-hl7.ts';
import type { Hl7Message } from './hl7-message.ts';
import { readHeader } from './message-header.ts';

export type AckCode = 'AA' | 'AE' | 'AR' | 'CA' | 'CE' | 'CR';
const ACK_CODES = new Set<string>(['AA', 'AE', 'AR', 'CA', 'CE', 'CR']);

export interface Acknowledgment {
  code: AckCode;
  /** MSA-2: the control id of the message being acknowledged. */
  controlId: string;
  /** MSA-3 plus ERR details, for people. */
  text: string;
  /** ERR codes (HL7 table 0357 in v2.5+, or the v2.3 ERR-1 code). */
  errorCodes: string[];
}

export function isAccepted(code: AckCode): boolean {
  return code === 'AA' || code === 'CA';
}

/** Undefined when the message has no MSA or an unknown MSA-1. */
export function readAcknowledgment(message: Hl7Message): Acknowledgment | undefined {
  const msa = message.segment('MSA');
  if (!msa) return undefined;
  const code = msa.get(1).toUpperCase();
  if (!ACK_CODES.has(code)) return undefined;
  const details: string[] = [];
  const errorCodes: string[] = [];
  if (msa.get(3)) details.push(msa.get(3));
  for (const err of message.all('ERR')) {
    // v2.5+: ERR-3 error code (CWE), ERR-8 user message, ERR-7 diagnostics; v2.3: ERR-1 (ELD).
    const code3 = err.get(3, 1) || err.get(1, 4, 1);
    if (code3) errorCodes.push(code3);
    const text = err.get(8) || err.get(3, 2) || err.get(1, 4, 2) || err.get(7);
    if (text && !details.includes(text)) details.push(text);
  }
  return { code: code as AckCode, controlId: msa.get(2), text: details.join('; '), errorCodes };
}

/** QAK-2: OK, NF (no data found), AE, AR. */
export function readQueryStatus(message: Hl7Message): string | undefined {
  return message.segment('QAK')?.get(2).toUpperCase() || undefined;
}

export interface AckOptions {
  code: AckCode;
  text?: string;
  /** HL7 table 0357 code for ERR-3 (e.g. 207 application internal error, 204 unknown key). */
  errorCode?: string;
  errorText?: string;
  /** Segments to add after MSA (query responses: QAK, QPD, PID …). */
  body?: readonly Hl7SegmentInput[];
  /** MSH-9 of the answer; "ACK^<trigger>^ACK" by default. */
  messageType?: readonly string[];
  controlId: string;
  charsetLabel?: string;
  now?: Date;
}

/** The MSH of an answer to `request`: addressed back to its sender (MSH-3/4 ↔ MSH-5/6 swapped). */
export function responseHeader(
  request: Hl7Message,
  options: { messageType?: readonly (string | undefined)[]; controlId: string; charsetLabel?: string; now?: Date },
): Hl7SegmentInput {
  const h = readHeader(request);
  return {
    name: 'MSH',
    fields: [
      request.msh.composite(5).map((c) => [...c]),
      request.msh.composite(6).map((c) => [...c]),
      request.msh.composite(3).map((c) => [...c]),
      request.msh.composite(4).map((c) => [...c]),
      hl7Timestamp(options.now ?? new Date()),
      undefined,
      options.messageType ?? ['ACK', h.triggerEvent, 'ACK'],
      options.controlId,
      h.processingId || 'P',
      h.version || '2.5',
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      options.charsetLabel,
    ],
  };
}

/** An answer to `request`, addressed back to its sender. */
export function buildResponse(request: Hl7Message, options: AckOptions, d: Hl7Delimiters): string {
  const h = readHeader(request);
  const segments: Hl7SegmentInput[] = [
    responseHeader(request, options),
    { name: 'MSA', fields: [options.code, h.controlId, options.text] },
  ];
  if (!isAccepted(options.code) && (options.errorCode || options.errorText)) {
    // ERR-3 (error code), ERR-4 (severity E), ERR-8 (user message): the v2.5 layout.
    segments.push({
      name: 'ERR',
      fields: [
        undefined,
        undefined,
        [options.errorCode ?? '207', options.errorText ?? '', 'HL70357'],
        'E',
        undefined,
        undefined,
        undefined,
        options.errorText,
      ],
    });
  }
  segments.push(...(options.body ?? []));
  return encodeHl7(segments, d);
}
