/**
 * An MLLP client over one TCP connection. Requests are matched to answers by MSH-10 (echoed in
 * MSA-2), so several may be in flight at once; each has its own timeout and AbortSignal. A
 * dropped connection fails what was pending and is re-opened by the next request.
 */
import { connect, type Socket } from 'node:net';
import { SourceError } from '../source-error.ts';
import { isAccepted, readAcknowledgment, type Acknowledgment } from './acknowledgment.ts';
import { encodeText, type Hl7Charset } from './charsets.ts';
import { Hl7ParseError } from './hl7-parse-error.ts';
import type { Hl7Message } from './hl7-message.ts';
import { frameMllp, MllpDecoder } from './mllp-framing.ts';
import { readHl7Message } from './read-hl7-bytes.ts';

export interface MllpClientOptions {
  sourceId: string;
  sourceName: string;
  host: string;
  port: number;
  /** Outgoing encoding, and the reading of answers whose MSH-18 is empty. */
  charset: Hl7Charset;
  maxFrameBytes?: number;
}

export interface OutgoingHl7 {
  text: string;
  /** MSH-10 of `text`. */
  controlId: string;
  /** For error messages, e.g. "QBP^Q22". */
  messageType: string;
}

export interface SendOptions {
  timeoutMs: number;
  signal: AbortSignal;
}

interface Pending {
  request: OutgoingHl7;
  resolve(message: Hl7Message): void;
  reject(error: SourceError): void;
}

const NETWORK_TEXT: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  EPIPE: 'connection closed',
};

/** NAK codes: AR/CR mean "not now" (retry may help), AE/CE mean the request itself was refused. */
export function ackError(sourceId: string, sourceName: string, request: string, ack: Acknowledgment): SourceError {
  const code = ack.code === 'AR' || ack.code === 'CR' ? 'server-error' : 'bad-request';
  const verb = code === 'server-error' ? 'rejected' : 'returned an application error for';
  return new SourceError(code, sourceId, `${sourceName}: ${ack.code}: ${verb} ${request}${ack.text ? `: ${ack.text}` : ''}`, { request });
}

export class MllpClient {
  readonly #options: MllpClientOptions;
  #socket: Socket | undefined;
  #connecting: Promise<Socket> | undefined;
  /** The socket of #connecting, so a request that times out while connecting can end it. */
  #opening: Socket | undefined;
  readonly #pending = new Map<string, Pending>();

  constructor(options: MllpClientOptions) {
    this.#options = options;
  }

  /** Whether a connection is open now (tests, status). */
  get connected(): boolean {
    return this.#socket !== undefined && !this.#socket.destroyed;
  }

  /** Sends one message and resolves with the peer's accepted (AA/CA) answer. */
  send(request: OutgoingHl7, { timeoutMs, signal }: SendOptions): Promise<Hl7Message> {
    const { sourceId, sourceName } = this.#options;
    const what = request.messageType;
    if (signal.aborted) return Promise.reject(this.#abortError(what, signal));
    if (this.#pending.has(request.controlId)) {
      return Promise.reject(
        new SourceError('bad-request', sourceId, `${sourceName}: message control id ${request.controlId} is already in flight`, {
          request: what,
        }),
      );
    }
    return new Promise<Hl7Message>((resolve, reject) => {
      const finish = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        this.#pending.delete(request.controlId);
      };
      const timer = setTimeout(() => {
        finish();
        reject(
          new SourceError('timeout', sourceId, `${sourceName}: ${what} got no answer within ${timeoutMs} ms`, { request: what, timeoutMs }),
        );
        // A peer that stopped answering may hold a half-open socket: start afresh next time.
        if (this.#pending.size === 0) this.#dropConnection();
      }, timeoutMs);
      const onAbort = (): void => {
        finish();
        reject(this.#abortError(what, signal));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.#pending.set(request.controlId, {
        request,
        resolve: (m) => {
          finish();
          resolve(m);
        },
        reject: (e) => {
          finish();
          reject(e);
        },
      });
      this.#connection()
        .then((socket) => {
          if (!this.#pending.has(request.controlId)) return;
          socket.write(frameMllp(encodeText(request.text, this.#options.charset)));
        })
        .catch((error: unknown) => {
          this.#pending.get(request.controlId)?.reject(this.#networkError(what, error));
        });
    });
  }

  /** Closes the connection; pending requests fail as "unreachable". */
  close(): void {
    this.#failAll('unreachable', 'the connection was closed');
    this.#dropConnection();
  }

  #abortError(what: string, signal: AbortSignal): SourceError {
    const { sourceId, sourceName } = this.#options;
    const reason: unknown = signal.reason;
    if (reason instanceof Error && reason.name === 'TimeoutError') {
      return new SourceError('timeout', sourceId, `${sourceName}: ${what} exceeded its deadline`, { request: what });
    }
    return new SourceError('aborted', sourceId, `${sourceName}: ${what} was cancelled`, { request: what });
  }

  #networkError(what: string, error: unknown): SourceError {
    if (error instanceof SourceError) return error;
    const { sourceId, sourceName } = this.#options;
    const code = typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : undefined;
    const text = (code && NETWORK_TEXT[code]) ?? (code ? `network error ${code}` : 'network error');
    const cause = new Error(code ?? 'network error');
    return new SourceError('unreachable', sourceId, `${sourceName}: ${what} failed: ${text}`, { request: what, cause });
  }

  #connection(): Promise<Socket> {
    if (this.#socket && !this.#socket.destroyed) return Promise.resolve(this.#socket);
    this.#connecting ??= new Promise<Socket>((resolve, reject) => {
      const socket = connect({ host: this.#options.host, port: this.#options.port });
      socket.setNoDelay(true);
      socket.setKeepAlive(true, 30_000);
      // An idle connection must not keep a CLI process alive; in-flight requests hold timers that do.
      socket.unref();
      this.#opening = socket;
      const decoder = new MllpDecoder({
        ...(this.#options.maxFrameBytes !== undefined ? { maxFrameBytes: this.#options.maxFrameBytes } : {}),
        onOversizedFrame: (bytes) => {
          this.#failAll('protocol', `an answer of more than ${bytes} bytes exceeds the frame size limit`);
          this.#dropConnection();
        },
      });
      let lastError: unknown;
      socket.on('data', (chunk: Buffer) => {
        for (const frame of decoder.push(chunk)) this.#onFrame(frame);
      });
      socket.on('error', (error) => {
        lastError = error;
      });
      socket.once('connect', () => {
        this.#opening = undefined;
        this.#socket = socket;
        this.#connecting = undefined;
        resolve(socket);
      });
      socket.once('close', () => {
        if (this.#opening === socket) {
          this.#opening = undefined;
          this.#connecting = undefined;
          reject(lastError ?? Object.assign(new Error('closed'), { code: 'ECONNRESET' }));
          return;
        }
        // A socket we dropped on purpose (nothing pending) closes quietly.
        if (this.#socket !== socket) return;
        this.#socket = undefined;
        const code =
          typeof (lastError as { code?: unknown } | undefined)?.code === 'string' ? (lastError as { code: string }).code : undefined;
        this.#failAll('unreachable', (code && NETWORK_TEXT[code]) ?? 'connection closed by the peer');
      });
    });
    return this.#connecting;
  }

  #dropConnection(): void {
    this.#opening?.destroy();
    this.#socket?.destroy();
    this.#socket = undefined;
  }

  #failAll(code: 'unreachable' | 'protocol', text: string): void {
    const { sourceId, sourceName } = this.#options;
    for (const pending of [...this.#pending.values()]) {
      const what = pending.request.messageType;
      pending.reject(new SourceError(code, sourceId, `${sourceName}: ${what} failed: ${text}`, { request: what }));
    }
  }

  #onFrame(frame: Uint8Array): void {
    const { sourceId, sourceName, charset } = this.#options;
    let message: Hl7Message;
    try {
      message = readHl7Message(frame, { fallbackCharset: charset === 'iso-8859-1' ? 'latin1' : charset });
    } catch (error) {
      const target = this.#pendingFor(controlIdFromRaw(frame));
      const detail = error instanceof Hl7ParseError ? error.message : 'unreadable answer';
      target?.reject(
        new SourceError('protocol', sourceId, `${sourceName}: ${target.request.messageType}: malformed answer: ${detail}`, {
          request: target.request.messageType,
          cause: error,
        }),
      );
      return;
    }
    const ack = readAcknowledgment(message);
    const target = this.#pendingFor(ack?.controlId);
    if (!target) return;
    const what = target.request.messageType;
    if (!ack) {
      target.reject(new SourceError('protocol', sourceId, `${sourceName}: ${what}: the answer has no MSA segment`, { request: what }));
      return;
    }
    if (!isAccepted(ack.code)) {
      target.reject(ackError(sourceId, sourceName, what, ack));
      return;
    }
    target.resolve(message);
  }

  /** The request an answer belongs to; with no usable id, the only request in flight. */
  #pendingFor(controlId: string | undefined): Pending | undefined {
    if (controlId) {
      const hit = this.#pending.get(controlId);
      if (hit) return hit;
    }
    return this.#pending.size === 1 && !controlId ? [...this.#pending.values()][0] : undefined;
  }
}

/** MSA-2 read straight from bytes, for answers too broken to parse. */
function controlIdFromRaw(frame: Uint8Array): string | undefined {
  const text = new TextDecoder('latin1').decode(frame.subarray(0, 64 * 1024));
  const match = /(?:^|[\r\n])MSA(.)[^\r\n]*?/.exec(text);
  if (!match) return undefined;
  const sep = match[1]!;
  const line =
    text
      .slice(match.index)
      .replace(/^[\r\n]/, '')
      .split(/[\r\n]/)[0] ?? '';
  return line.split(sep)[2] || undefined;
}
