import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { type ApiBackend, dispatchApiCall, type FetchHandler } from '../services/api/index.ts';
export type { FetchHandler } from '../services/api/index.ts';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { securityHeaders, withSecurityHeaders } from '../services/security/index.ts';
import { sendFetchResponse, toFetchRequest } from './fetch-bridge.ts';
import { BrowserHostCookies, SESSION_COOKIE, readCookie } from './browser-host-cookies.ts';
import { framingProblem, isAllowedHost, isAllowedOrigin } from './request-guards.ts';

export interface BrowserHostOptions {
  backend: ApiBackend;
  /** Serves the built renderer (and anything else not mounted). */
  staticHandler: FetchHandler;
  /** Fetch handlers at path prefixes, e.g. the DICOMweb proxy at "/dicom-web/". */
  mounts?: Record<string, FetchHandler>;
  port?: number;
  log?: (line: string) => void;
}

export interface BrowserHost {
  /** The URL to open once: it carries the one-time token. */
  url: string;
  origin: string;
  port: number;
  /** Issues a fresh one-time token URL (each token works once). */
  newLoginUrl(): string;
  close(): Promise<void>;
}

const MAX_API_BODY = 1024 * 1024;

function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...securityHeaders(), 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(text);
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    ...securityHeaders(),
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(JSON.stringify(body));
}

async function readJsonBody(
  req: IncomingMessage,
): Promise<{ ok: true; value: unknown } | { ok: false; status: 400 | 413 | 415; message: string }> {
  if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) {
    return { ok: false, status: 415, message: 'API requests must be application/json' };
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_API_BODY) return { ok: false, status: 413, message: 'request body too large' };
    chunks.push(chunk);
  }
  try {
    return { ok: true, value: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') };
  } catch {
    return { ok: false, status: 400, message: 'request body is not valid JSON' };
  }
}

/**
 * The workstation in a browser: the same services behind HTTP + WebSocket on 127.0.0.1 only.
 * Used by `npm run serve`, by end-to-end tests, and by `npm start` where Electron cannot run.
 */
export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const { backend, staticHandler, mounts = {}, log = () => {} } = options;
  const sessions = new BrowserHostCookies();
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  let port = 0;

  const authenticated = (req: IncomingMessage) => sessions.isValid(readCookie(req.headers.cookie, SESSION_COOKIE));

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const badFraming = framingProblem(req);
    if (badFraming)
      return sendText(
        res,
        400,
        `Bad request: ${badFraming === 'request-target' ? 'only origin-form request targets (/path) are served' : 'exactly one Host header is required'}`,
        { connection: 'close' },
      );
    if (!isAllowedHost(req.headers.host, port)) return sendText(res, 421, 'Misdirected request: unknown Host');
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const isApi = url.pathname.startsWith('/api/');
    if (!isAllowedOrigin(req.headers.origin, port, isApi || req.method !== 'GET')) {
      return sendText(res, 403, 'Forbidden: cross-origin request');
    }

    const token = url.searchParams.get('token');
    if (token !== null) {
      const session = sessions.redeem(token);
      if (!session)
        return sendText(res, 401, 'This sign-in link has already been used or is wrong. Ask for a new one (npm run serve prints it).');
      url.searchParams.delete('token');
      return sendText(res, 303, 'Signed in', { location: url.pathname + url.search, 'set-cookie': sessions.cookieHeader(session) });
    }
    if (!authenticated(req)) {
      return sendText(res, 401, 'Not signed in: open the URL that Huizhen printed when it started (it carries a one-time token).');
    }

    if (isApi) {
      if (req.method !== 'POST') return sendText(res, 405, 'API calls use POST', { allow: 'POST' });
      const body = await readJsonBody(req);
      if (!body.ok) return sendJson(res, body.status, { error: { code: 'invalid-request', message: body.message } });
      const method = decodeURIComponent(url.pathname.slice('/api/'.length));
      const result = await dispatchApiCall(backend.handlers, method, body.value, (m, error) =>
        log(`API ${m} failed: ${error instanceof Error ? error.message : String(error)}`),
      );
      if (result.ok) return sendJson(res, 200, result.value);
      const wait = result.error.retryAfterSeconds;
      return sendJson(res, result.status, { error: result.error }, wait ? { 'retry-after': String(wait) } : {});
    }

    const mount = Object.keys(mounts).find((prefix) => url.pathname.startsWith(prefix));
    const handler = mount ? mounts[mount]! : staticHandler;
    const response = await handler(toFetchRequest(req, `http://127.0.0.1:${port}`));
    await sendFetchResponse(res, withSecurityHeaders(response));
  }

  function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const refuse = (status: string) => {
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (framingProblem(req)) return refuse('400 Bad Request');
    if (!isAllowedHost(req.headers.host, port)) return refuse('421 Misdirected Request');
    if (!isAllowedOrigin(req.headers.origin, port, true)) return refuse('403 Forbidden');
    if (!authenticated(req)) return refuse('401 Unauthorized');
    if (url.pathname !== '/api/events') return refuse('404 Not Found');
    sockets.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      const unsubscribe = backend.subscribe((event) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(event));
      });
      ws.on('close', unsubscribe);
      // The channel is one-way (main → renderer); anything the page sends is ignored.
      ws.on('message', () => {});
    });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log(`request ${req.method} ${req.url} failed: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) sendText(res, 500, 'Internal error; see the workstation log.');
      else res.destroy();
    });
  });
  server.on('upgrade', handleUpgrade);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // Loopback only: the host serves patient data and must never be reachable from the ward network.
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  const newLoginUrl = () => `${origin}/?token=${sessions.issueToken()}`;

  return {
    url: newLoginUrl(),
    origin,
    port,
    newLoginUrl,
    async close() {
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
