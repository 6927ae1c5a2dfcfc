/**
 * A loopback HTTP forwarder in front of a real server that records the headers of every
 * request it passes on (what the proxy asked the PACS for), and relays answers unchanged,
 * Content-Encoding included.
 */
import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ForwardedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  status?: number;
  contentEncoding?: string;
}

export interface RecordingForwarder {
  origin: string;
  requests: ForwardedRequest[];
  close(): Promise<void>;
}

export async function startRecordingForwarder(target: string): Promise<RecordingForwarder> {
  const to = new URL(target);
  const requests: ForwardedRequest[] = [];
  const server = createServer((req, res) => {
    const seen: ForwardedRequest = { path: req.url ?? '/', headers: { ...req.headers } };
    requests.push(seen);
    const upstream = httpRequest(
      { host: to.hostname, port: to.port, method: req.method, path: req.url, headers: { ...req.headers, host: to.host } },
      (answer) => {
        seen.status = answer.statusCode;
        if (typeof answer.headers['content-encoding'] === 'string') seen.contentEncoding = answer.headers['content-encoding'];
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    // A connection that fails mid-answer has sent its headers already: cut the connection instead.
    upstream.on('error', () => (res.headersSent ? res.destroy() : res.writeHead(502).end()));
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
