/**
 * The loopback redirect listener of RFC 8252 §7.3: open on 127.0.0.1 for one sign-in only.
 * Any local program can send it requests, so a request counts as the callback only when it
 * carries this sign-in's `state`; anything else gets an error page and the wait goes on.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { AuthError } from '../auth-error.ts';
import { notFoundPage, signInFailedPage, type CallbackPage } from './callback-pages.ts';
import { listenOnLoopback } from '../../../../adapters/http/listen-on-loopback.ts';

export const CALLBACK_PATH = '/oidc/callback';

export interface ReceivedCallback {
  /** The full callback URL as the browser requested it (code, state, iss or error). */
  url: URL;
  /** Answers the browser; the listener closes once the page is sent. */
  respond(page: CallbackPage): void;
}

export interface LoopbackRedirect {
  redirectUri: string;
  /** The first request with the expected state. Never rejects; the caller races it with its own deadline. */
  callback: Promise<ReceivedCallback>;
  /** Stops listening and drops open connections; safe to call more than once. */
  close(): Promise<void>;
}

function send(res: ServerResponse, page: CallbackPage): void {
  res.writeHead(page.status, { ...page.headers, Connection: 'close' });
  res.end(page.body);
}

export async function openLoopbackRedirect(options: { port: number; expectedState: string }): Promise<LoopbackRedirect> {
  let accepted = false;
  let deliver: (callback: ReceivedCallback) => void = () => undefined;
  const callback = new Promise<ReceivedCallback>((resolve) => {
    deliver = resolve;
  });
  let hostHeader = '';

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', `http://${hostHeader}`);
    // A page on another origin that DNS-rebinds to 127.0.0.1 arrives with its own Host.
    if (req.headers.host !== hostHeader) return send(res, signInFailedPage('Unexpected Host header.'));
    if (url.pathname !== CALLBACK_PATH) return send(res, notFoundPage());
    if (req.method !== 'GET') return send(res, signInFailedPage('The sign-in redirect is a GET request.'));
    if (accepted) return send(res, signInFailedPage('This sign-in has already finished. 此次登录已结束。'));
    if (url.searchParams.get('state') !== options.expectedState) {
      return send(
        res,
        signInFailedPage('This sign-in response does not belong to the sign-in Huizhen started (state mismatch). 登录响应与本次登录不符。'),
      );
    }
    accepted = true;
    let answered = false;
    deliver({
      url,
      respond(page) {
        if (answered) return;
        answered = true;
        send(res, page);
      },
    });
  });
  server.keepAliveTimeout = 1_000;

  let port: number;
  try {
    port = await listenOnLoopback(server, options.port);
  } catch (error) {
    throw new AuthError(
      'loopback-unavailable',
      `cannot listen on 127.0.0.1:${options.port} for the sign-in redirect: ${(error as Error).message}`,
      { cause: error },
    );
  }
  hostHeader = `127.0.0.1:${port}`;

  let closing: Promise<void> | undefined;
  return {
    redirectUri: `http://${hostHeader}${CALLBACK_PATH}`,
    callback,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // A page being sent ends by itself (Connection: close); browsers' idle preconnects are
        // dropped now, and anything still open after a grace period is cut.
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 2_000).unref();
      });
      return closing;
    },
  };
}
