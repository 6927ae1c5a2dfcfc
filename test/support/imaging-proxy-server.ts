/**
 * A DICOMweb proxy behind a real loopback HTTP server, bridged exactly as the browser host
 * bridges its mounts (fetch-bridge), so tests see framing and headers as a browser would.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendFetchResponse, toFetchRequest } from '../../src/main/host/fetch-bridge.ts';

export interface ProxyServer {
  origin: string;
  close(): Promise<void>;
}

/** Any Fetch-API handler (the proxy, or a plain file server as a benchmark's baseline). */
export async function startProxyServer(handler: (request: Request) => Promise<Response>): Promise<ProxyServer> {
  let origin = '';
  const server = createServer((req, res) => {
    handler(toFetchRequest(req, origin))
      .then((response) => sendFetchResponse(res, response))
      // A body that fails mid-stream has sent its headers already: cut the connection instead.
      .catch(() => (res.headersSent ? res.destroy() : res.writeHead(500).end()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface FetchedPart {
  headers: Record<string, string>;
  body: Buffer;
}

/** A multipart/related body as parts, parsed independently of the proxy's own parser. */
export function parseMultipart(contentType: string, body: Buffer): FetchedPart[] {
  const boundary = /boundary=("?)([^";]+)\1/.exec(contentType)?.[2];
  if (!boundary) throw new Error(`no boundary in ${contentType}`);
  const text = body.toString('latin1');
  const pieces = text.split(`--${boundary}`);
  // First piece: preamble (empty); last: "--\r\n".
  return pieces.slice(1, -1).map((piece) => {
    const headerEnd = piece.indexOf('\r\n\r\n');
    const headerLines = piece.slice(2, headerEnd).split('\r\n').filter(Boolean);
    const headers: Record<string, string> = {};
    for (const line of headerLines) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    return { headers, body: Buffer.from(piece.slice(headerEnd + 4, piece.length - 2), 'latin1') };
  });
}
