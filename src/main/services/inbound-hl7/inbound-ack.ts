/**
 * The acknowledgments the inbound listener sends. Original mode (MSH-15/16 empty) answers
 * AA/AE/AR; enhanced mode answers with a commit acknowledgment CA/CE/CR, sent as MSH-15 asks
 * (AL always, ER only on failure, SU only on success, NE never). A failure names where the
 * message is wrong in ERR-2 (segment^sequence^field) so hospital IT can find it.
 */
import { responseHeader, type AckCode } from '../../../adapters/hl7v2/acknowledgment.ts';
import { DEFAULT_DELIMITERS } from '../../../adapters/hl7v2/delimiters.ts';
import { encodeHl7, hl7Timestamp, type Hl7SegmentInput } from '../../../adapters/hl7v2/encode-hl7.ts';
import type { Hl7Message } from '../../../adapters/hl7v2/hl7-message.ts';
import { nextControlId } from '../../../adapters/hl7v2/queries.ts';

/** What happened to a message: stored (or already stored), failed, or refused outright. */
export type InboundStatus = 'accepted' | 'error' | 'rejected';

export type AckMode = { kind: 'original' } | { kind: 'enhanced'; accept: 'AL' | 'NE' | 'ER' | 'SU' };

/** Where a message is wrong, as ERR-2 (ERL) carries it. */
export interface ErrorLocation {
  segment: string;
  /** 1-based occurrence of that segment in the message. */
  sequence?: number;
  field?: number;
}

export interface AckProblem {
  /** HL7 table 0357: 100 segment sequence, 101 required field missing, 102 data type, 200 unsupported message type, 207 internal error. */
  errorCode: '100' | '101' | '102' | '103' | '200' | '201' | '202' | '207';
  text: string;
  location?: ErrorLocation;
}

const ERROR_NAMES: Record<AckProblem['errorCode'], string> = {
  '100': 'Segment sequence error',
  '101': 'Required field missing',
  '102': 'Data type error',
  '103': 'Table value not found',
  '200': 'Unsupported message type',
  '201': 'Unsupported event code',
  '202': 'Unsupported processing id',
  '207': 'Application internal error',
};

const ACCEPT_MODES = new Set(['AL', 'NE', 'ER', 'SU']);

export function ackModeOf(message: Hl7Message): AckMode {
  const accept = message.msh.get(15).toUpperCase();
  const application = message.msh.get(16).toUpperCase();
  if (!accept && !application) return { kind: 'original' };
  // Enhanced mode with MSH-15 empty or unknown: the commit ACK is sent, as with AL.
  return { kind: 'enhanced', accept: ACCEPT_MODES.has(accept) ? (accept as 'AL' | 'NE' | 'ER' | 'SU') : 'AL' };
}

export function ackCodeFor(mode: AckMode, status: InboundStatus): AckCode {
  const enhanced = mode.kind === 'enhanced';
  if (status === 'accepted') return enhanced ? 'CA' : 'AA';
  if (status === 'error') return enhanced ? 'CE' : 'AE';
  return enhanced ? 'CR' : 'AR';
}

/** False when the sender asked (MSH-15) not to be answered in this case. */
export function ackWanted(mode: AckMode, status: InboundStatus): boolean {
  if (mode.kind === 'original') return true;
  if (mode.accept === 'NE') return false;
  if (mode.accept === 'ER') return status !== 'accepted';
  if (mode.accept === 'SU') return status === 'accepted';
  return true;
}

/** Free text for MSA-3/ERR-8: one line, bounded, so a hostile message cannot inflate the ACK. */
function oneLine(text: string): string {
  // Control characters too: a VT or FS in the text would end the MLLP frame early.
  return Array.from(text.slice(0, 300), (ch) => (ch.charCodeAt(0) < 0x20 ? ' ' : ch))
    .join('')
    .replace(/ {2,}/g, ' ');
}

function errSegment(problem: AckProblem): Hl7SegmentInput {
  const loc = problem.location;
  return {
    name: 'ERR',
    fields: [
      undefined,
      loc ? [loc.segment, loc.sequence, loc.field] : undefined,
      [problem.errorCode, ERROR_NAMES[problem.errorCode], 'HL70357'],
      'E',
      undefined,
      undefined,
      undefined,
      oneLine(problem.text),
    ],
  };
}

export interface InboundAckOptions {
  status: InboundStatus;
  problem?: AckProblem;
  /** MSH-18 written back, so the sender reads the ACK in the charset it wrote. */
  charsetLabel?: string;
  now?: Date;
}

/** An ACK addressed back to the sender (MSH-3/4 ↔ MSH-5/6), MSA-2 its MSH-10. */
export function buildInboundAck(request: Hl7Message, options: InboundAckOptions): string {
  const msh = request.msh;
  const code = ackCodeFor(ackModeOf(request), options.status);
  const segments: Hl7SegmentInput[] = [
    responseHeader(request, {
      controlId: nextControlId('ACK'),
      ...(options.charsetLabel ? { charsetLabel: options.charsetLabel } : {}),
      ...(options.now ? { now: options.now } : {}),
    }),
    { name: 'MSA', fields: [code, msh.get(10), options.problem ? oneLine(options.problem.text) : undefined] },
  ];
  if (options.problem && options.status !== 'accepted') segments.push(errSegment(options.problem));
  return encodeHl7(segments, request.delimiters);
}

/**
 * The answer to bytes that are not a readable message: there is no header to address, so MSA-2
 * carries whatever MSH-10 could be picked out of the raw text (often enough for the sender's
 * log to match it). AR, or AE for a message kept unconverted (over a budget).
 */
export function buildUnreadableAck(
  problem: AckProblem,
  peekedControlId: string,
  receiver: string,
  now = new Date(),
  code: 'AR' | 'AE' = 'AR',
): string {
  const segments: Hl7SegmentInput[] = [
    {
      name: 'MSH',
      fields: [
        receiver,
        undefined,
        undefined,
        undefined,
        hl7Timestamp(now),
        undefined,
        ['ACK', undefined, 'ACK'],
        nextControlId('ACK'),
        'P',
        '2.5',
      ],
    },
    { name: 'MSA', fields: [code, peekedControlId, oneLine(problem.text)] },
    errSegment(problem),
  ];
  return encodeHl7(segments, DEFAULT_DELIMITERS);
}
