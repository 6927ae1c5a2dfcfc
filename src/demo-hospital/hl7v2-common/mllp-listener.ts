/**
 * A small MLLP listener for the demo hospital's HIS and LIS, bound to 127.0.0.1 only. It
 * frames, decodes (by MSH-18) and parses each message with the adapter's own code, asks the
 * system's handler for an answer, and applies the fault knobs on the way out.
 */
import { createServer, type Socket } from 'node:net';
import type { Hl7SegmentInput } from '../../adapters/hl7v2/encode-hl7.ts';
import type { Hl7Segment } from '../../adapters/hl7v2/hl7-message.ts';
import type { AddressInfo } from 'node:net';
import { buildResponse } from '../../adapters/hl7v2/acknowledgment.ts';
import { encodeText, MSH18_LABEL, type Hl7Charset } from '../../adapters/hl7v2/charsets.ts';
import { DEFAULT_DELIMITERS } from '../../adapters/hl7v2/delimiters.ts';
import { Hl7ParseError } from '../../adapters/hl7v2/hl7-parse-error.ts';
import type { Hl7Message } from '../../adapters/hl7v2/hl7-message.ts';
import { frameMllp, MllpDecoder } from '../../adapters/hl7v2/mllp-framing.ts';
import { nextControlId } from '../../adapters/hl7v2/queries.ts';
import { readHl7Message } from '../../adapters/hl7v2/read-hl7-bytes.ts';
import { MllpFaultInjector, type MllpFaultSettings } from './mllp-faults.ts';

export interface MllpListenerOptions {
  /** Answers one parsed message with the full answer text (CR-separated, unframed). */
  handle(message: Hl7Message): string;
  /** Encoding of every answer; MSH-18 of answers must say the same. */
  charset: Hl7Charset;
  /** Name used in MSH-3 of NAKs for unreadable messages. */
  application: string;
  port?: number;
  faults?: Partial<MllpFaultSettings>;
  faultSeed?: number;
}

export interface ReceivedHl7 {
  messageType: string;
  controlId: string;
}

export interface DemoMllpListener {
  readonly host: string;
  readonly port: number;
  readonly faults: MllpFaultInjector;
  /** Messages received, oldest first (tests assert on what was asked). */
  readonly received: readonly ReceivedHl7[];
  /** Connections accepted so far (tests assert on reconnects). */
  readonly connectionCount: number;
  stop(): Promise<void>;
}

export const LOOPBACK = '127.0.0.1';

/** A NAK for bytes that did not parse: MSA-2 is unknown, so it is empty. */
function nakForUnparsable(error: Hl7ParseError, application: string, charset: Hl7Charset): string {
  const stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
  const text = error.message.replace(/[|^~\\&\r\n]/g, ' ').slice(0, 200);
  return `MSH|^~\\&|${application}||||${stamp}||ACK|${nextControlId('NAK')}|P|2.5|||||${MSH18_LABEL[charset]}\rMSA|AR||${text}\rERR|||100^Segment sequence error^HL70357|E||||${text}\r`;
}

export async function startMllpListener(options: MllpListenerOptions): Promise<DemoMllpListener> {
  const faults = new MllpFaultInjector(options.faults, options.faultSeed ?? 1);
  const received: ReceivedHl7[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let connectionCount = 0;

  const answer = (socket: Socket, text: string): void => {
    const send = (): void => {
      if (!socket.destroyed) socket.write(frameMllp(encodeText(text, options.charset)));
    };
    const delay = faults.settings.delayMs;
    if (delay <= 0) return send();
    const timer = setTimeout(() => {
      timers.delete(timer);
      send();
    }, delay);
    timers.add(timer);
  };

  const onFrame = (socket: Socket, frame: Uint8Array): void => {
    let message: Hl7Message;
    try {
      message = readHl7Message(frame);
    } catch (error) {
      answer(
        socket,
        nakForUnparsable(
          error instanceof Hl7ParseError ? error : new Hl7ParseError('unreadable message'),
          options.application,
          options.charset,
        ),
      );
      return;
    }
    const msh = message.msh;
    received.push({ messageType: `${msh.get(9, 1)}^${msh.get(9, 2)}`, controlId: msh.get(10) });
    const decision = faults.decide();
    if (decision.kind === 'drop') {
      socket.destroy();
      return;
    }
    if (decision.kind === 'hang') return;
    if (decision.kind === 'nak') {
      const text = decision.code === 'AR' ? '系统繁忙，请稍后重试 (simulated: system busy)' : '查询失败 (simulated: application error)';
      answer(
        socket,
        buildResponse(
          message,
          {
            code: decision.code,
            text,
            errorCode: '207',
            errorText: text,
            controlId: nextControlId('ACK'),
            charsetLabel: MSH18_LABEL[options.charset],
          },
          DEFAULT_DELIMITERS,
        ),
      );
      return;
    }
    let reply: string;
    try {
      reply = options.handle(message);
    } catch (error) {
      const text = `internal error: ${error instanceof Error ? error.message : 'unknown'}`.replace(/[|^~\\&\r\n]/g, ' ').slice(0, 200);
      reply = buildResponse(
        message,
        {
          code: 'AE',
          text,
          errorCode: '207',
          errorText: text,
          controlId: nextControlId('ACK'),
          charsetLabel: MSH18_LABEL[options.charset],
        },
        DEFAULT_DELIMITERS,
      );
    }
    answer(socket, reply);
  };

  const server = createServer((socket) => {
    connectionCount++;
    sockets.add(socket);
    const decoder = new MllpDecoder({ maxFrameBytes: 4 * 1024 * 1024, onOversizedFrame: () => socket.destroy() });
    socket.on('data', (chunk: Buffer) => {
      for (const frame of decoder.push(chunk)) onFrame(socket, frame);
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // Loopback only: a demo system must never be reachable from the network.
    server.listen(options.port ?? 0, LOOPBACK, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  let stopped: Promise<void> | undefined;
  return {
    host: LOOPBACK,
    port,
    faults,
    received,
    get connectionCount() {
      return connectionCount;
    },
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      });
      return stopped;
    },
  };
}

/** Start options every demo MLLP system takes. */
export interface DemoMllpOptions {
  port?: number;
  faults?: Partial<MllpFaultSettings>;
  faultSeed?: number;
}

/** A received segment copied as-is into an answer (QPD/RCP/QRD echoed back, as the standards ask). */
export function echoSegment(segment: Hl7Segment): Hl7SegmentInput {
  const fields = [];
  for (let n = 1; n <= segment.fieldCount; n++) fields.push({ repeat: segment.repetitions(n).map((r) => r.map((c) => [...c])) });
  return { name: segment.name, fields };
}
