/**
 * GET requests to the PACS over node:http(s) with connections kept between requests. Orthanc
 * answers `Keep-Alive: timeout=1`, and both Node's fetch (undici, which subtracts a 2 s margin)
 * and Node's own http.Agent (1 s) then close the connection after every answer: one TCP
 * connection per frame, 200 for a series (counted here), where a browser reuses six. These
 * agents keep a connection while the PACS allows it, less a margin, and close it idle before
 * the PACS would; a request that still meets a closed connection is retried once by the caller,
 * on a new connection.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';

export interface PacsHttpAnswer {
  status: number;
  header(name: string): string | undefined;
  body: AsyncIterable<Uint8Array>;
  /** Discards the rest of the body. */
  discard(): void;
}

/** Closed this long before the PACS's own idle timeout (timers run late on a busy event loop). */
const MARGIN_MS = 500;
/** Without a hint from the PACS. */
const DEFAULT_IDLE_MS = 4000;

/** How long an idle connection may wait for reuse, from the PACS's Keep-Alive hint. */
function idleMs(socket: Socket): number {
  const response = (socket as Socket & { _httpMessage?: { res?: IncomingMessage } })._httpMessage?.res;
  const hint = /timeout=(\d+)/i.exec(String(response?.headers['keep-alive'] ?? ''))?.[1];
  return hint === undefined ? DEFAULT_IDLE_MS : Math.max(0, Number(hint) * 1000 - MARGIN_MS);
}

function keepWhileAllowed(socket: Socket): boolean {
  const idle = idleMs(socket);
  if (idle <= 0) return false;
  socket.setKeepAlive(true);
  socket.unref();
  socket.setTimeout(idle);
  return true;
}

class PacsHttpAgent extends HttpAgent {
  override keepSocketAlive(socket: Socket): boolean {
    return keepWhileAllowed(socket);
  }
}

class PacsHttpsAgent extends HttpsAgent {
  override keepSocketAlive(socket: Socket): boolean {
    return keepWhileAllowed(socket);
  }
}

const httpAgent = new PacsHttpAgent({ keepAlive: true });
const httpsAgent = new PacsHttpsAgent({ keepAlive: true });

/** Chunks queued beyond this stop the socket's reads until the reader catches up. */
const QUEUED_CHUNKS = 8;

/**
 * The body's chunks as the socket delivered them. A Readable's own async iterator hands out
 * whatever is buffered joined into one new buffer: behind a busy event loop that copied most of
 * every frame once more (docs/benchmarks.md). Breaking off (return) destroys the response.
 */
async function* chunksOf(response: IncomingMessage): AsyncGenerator<Uint8Array> {
  const queue: Uint8Array[] = [];
  let ended = false;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const notify = () => {
    const waiting = wake;
    wake = undefined;
    waiting?.();
  };
  response.on('data', (chunk: Buffer) => {
    queue.push(chunk);
    if (queue.length >= QUEUED_CHUNKS) response.pause();
    notify();
  });
  response.on('end', () => {
    ended = true;
    notify();
  });
  response.on('error', (error) => {
    failure = error;
    notify();
  });
  response.on('close', () => {
    if (!ended) failure ??= new Error('the answer was cut off');
    notify();
  });
  try {
    for (;;) {
      const chunk = queue.shift();
      if (chunk) {
        if (queue.length === 0 && response.isPaused()) response.resume();
        yield chunk;
      } else if (failure) throw failure;
      else if (ended) return;
      else await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    if (!ended) response.destroy();
  }
}

/**
 * Rejects when the PACS cannot be reached or the signal aborts before the answer's headers.
 * `fresh`: on a new connection, for the retry after a kept one turned out closed.
 */
export function pacsGet(url: string, headers: Record<string, string>, signal: AbortSignal, fresh = false): Promise<PacsHttpAnswer> {
  const target = new URL(url);
  const secure = target.protocol === 'https:';
  return new Promise((resolve, reject) => {
    const request = (secure ? httpsRequest : httpRequest)(target, {
      method: 'GET',
      headers,
      signal,
      agent: fresh ? false : secure ? httpsAgent : httpAgent,
    });
    request.on('error', reject);
    request.on('response', (response) => {
      resolve({
        status: response.statusCode ?? 0,
        header: (name) => {
          const value = response.headers[name.toLowerCase()];
          return Array.isArray(value) ? value.join(', ') : value;
        },
        body: chunksOf(response),
        discard: () => response.resume(),
      });
    });
    request.end();
  });
}
