import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';

/** Node's request as a Fetch Request, so Fetch-API handlers (static files, DICOMweb proxy) serve both hosts. */
export function toFetchRequest(req: IncomingMessage, origin: string): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  const method = req.method ?? 'GET';
  const hasBody = method !== 'GET' && method !== 'HEAD';
  return new Request(new URL(req.url ?? '/', origin), {
    method,
    headers,
    body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
    ...(hasBody ? { duplex: 'half' } : {}),
  } as RequestInit);
}

/** Resolves when the socket takes more (or is gone: the caller then sees `res.destroyed`). */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/**
 * Copies the body chunk by chunk with the socket's own back-pressure. Not `pipeline(Readable.fromWeb(…))`:
 * that builds a Node stream and an AbortController per answer and aborts it when done, and the abort's
 * DOMException (with its stack) cost ≈ 0.6 ms of the host's main thread per frame — 0.12 s per 200-slice
 * reopen, measured by --cpu-prof (docs/benchmarks.md).
 */
export async function sendFetchResponse(res: ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  res.writeHead(response.status, headers);
  if (!response.body) {
    res.end();
    return;
  }
  const reader = response.body.getReader();
  // The client went away: stop the handler's stream too (a PACS fetch behind it, a file read).
  const onClose = () => {
    if (!res.writableFinished) reader.cancel().catch(() => undefined);
  };
  res.on('close', onClose);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done || res.destroyed) break;
      if (!res.write(value)) await drained(res);
    }
    if (!res.destroyed) res.end();
  } catch (error) {
    // The status and what was written still reach the client before the caller cuts the connection:
    // Node corks a response's first writes until the next tick, and a destroy in this tick drops them,
    // so the client would read "no answer" instead of "an answer that broke off".
    if (!res.destroyed) {
      res.flushHeaders();
      await new Promise((resolve) => setImmediate(resolve));
    }
    reader.cancel(error).catch(() => undefined);
    throw error;
  } finally {
    res.off('close', onClose);
  }
}
