import { readFile } from 'node:fs/promises';
import { securityHeaders } from '../security/index.ts';
import { resolveStaticFile, type StaticFileRefusal } from './resolve-static-file.ts';

export interface ServeStaticFileOptions {
  /** Directory of the built renderer (dist-renderer/). */
  rootDir: string;
  /** Added to every response after the security headers (which they may override). */
  headers?: Record<string, string>;
  /**
   * The request target's path exactly as received, when the host has it (node:http's
   * `req.url`). Defaults to the path of `request.url`, which a WHATWG URL parser has already
   * normalised (`..` and `%2e%2e` resolved) — safe, but it hides the attempt.
   */
  urlPath?: string;
}

const REFUSAL_STATUS: Record<StaticFileRefusal, number> = {
  'bad-path': 400,
  'outside-root': 404,
  'not-found': 404,
  'unsupported-type': 404,
};

/**
 * Answers a GET or HEAD for a file of the built renderer as a Fetch `Response`, shared by the
 * Electron `app://` protocol and the browser host. Every response, refusals included, carries
 * the security headers. Refusals say nothing about the file system (no paths, no reasons).
 */
export async function serveStaticFile(request: Request, options: ServeStaticFileOptions): Promise<Response> {
  const headers = { ...securityHeaders(), ...options.headers };
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return plainResponse(405, 'Method Not Allowed', { ...headers, Allow: 'GET, HEAD' });
  }
  const resolved = await resolveStaticFile(options.rootDir, options.urlPath ?? rawPathname(request.url));
  if (!resolved.ok) {
    const status = REFUSAL_STATUS[resolved.reason];
    return plainResponse(status, status === 400 ? 'Bad Request' : 'Not Found', headers);
  }
  const fileHeaders = {
    ...headers,
    'Content-Type': resolved.contentType,
    'Content-Length': String(resolved.size),
    // Assets are content-hashed by Vite, but index.html is not; revalidating everything keeps
    // a freshly installed version from mixing with a stale cached entry point.
    'Cache-Control': 'no-cache',
  };
  if (request.method === 'HEAD') return new Response(null, { status: 200, headers: fileHeaders });
  try {
    const body = await readFile(resolved.filePath);
    return new Response(body, { status: 200, headers: { ...fileHeaders, 'Content-Length': String(body.byteLength) } });
  } catch {
    return plainResponse(404, 'Not Found', headers);
  }
}

/**
 * The path part of a request URL, without query or fragment. Cut by hand rather than via
 * `new URL().pathname`, so whatever percent-encoding survived reaches the resolver's checks.
 */
function rawPathname(url: string): string {
  const afterScheme = url.replace(/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]*/, '');
  const end = afterScheme.search(/[?#]/);
  const pathname = end === -1 ? afterScheme : afterScheme.slice(0, end);
  return pathname === '' ? '/' : pathname;
}

function plainResponse(status: number, text: string, headers: Record<string, string>): Response {
  return new Response(text, { status, headers: { ...headers, 'Content-Type': 'text/plain; charset=utf-8' } });
}
