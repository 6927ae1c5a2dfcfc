import { protocol } from 'electron';
import { securityHeaders, withSecurityHeaders } from '../services/security/index.ts';
import { serveStaticFile } from '../services/static-files/index.ts';
import { APP_HOST, APP_SCHEME } from './app-origin.ts';

/** Any Fetch-API handler, e.g. the DICOMweb proxy: plain TypeScript, no Electron types. */
export type FetchHandler = (request: Request) => Response | Promise<Response>;

export interface AppProtocolRouter {
  /**
   * Sends every request whose path starts with `prefix` (e.g. "/dicom-web/") to `handler`
   * instead of the renderer files. The longest matching prefix wins.
   */
  mount(prefix: string, handler: FetchHandler): void;
  /** Answers one app:// request; never throws. */
  handle(request: Request): Promise<Response>;
}

/**
 * Must run before `app` is ready (Electron only accepts privileges then). `standard` gives the
 * scheme an origin and relative URL resolution, `secure` makes it a secure context (needed for
 * crypto.subtle, workers and WebAssembly streaming), `supportFetchAPI` lets the renderer fetch
 * DICOMweb through it, `stream` allows streamed multipart frames, `codeCache` keeps V8's cache
 * for the large viewer bundle. Not `bypassCSP`, not `corsEnabled`, not `allowServiceWorkers`.
 */
export function registerAppSchemePrivileges(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, codeCache: true },
    },
  ]);
}

/**
 * Routes app:// requests: mounted Fetch handlers by path prefix, otherwise the built renderer's
 * files through the path-contained static resolver. Every response carries the security
 * headers, including errors and responses of mounted handlers.
 */
export function createAppProtocolRouter(options: { rendererDir: string; onHandlerError?: (error: unknown) => void }): AppProtocolRouter {
  const mounts: { prefix: string; handler: FetchHandler }[] = [];

  return {
    mount(prefix, handler) {
      if (!/^\/[^/].*\/$/.test(prefix)) throw new Error(`mount prefix must look like "/name/", got "${prefix}"`);
      if (mounts.some((m) => m.prefix === prefix)) throw new Error(`"${prefix}" is already mounted`);
      mounts.push({ prefix, handler });
      mounts.sort((a, b) => b.prefix.length - a.prefix.length);
    },

    async handle(request) {
      try {
        const url = new URL(request.url);
        if (url.protocol !== `${APP_SCHEME}:` || url.hostname !== APP_HOST || url.port !== '') {
          return notFound();
        }
        const mounted = mounts.find((m) => url.pathname.startsWith(m.prefix));
        if (mounted) return withSecurityHeaders(await mounted.handler(request));
        return await serveStaticFile(request, { rootDir: options.rendererDir });
      } catch (error) {
        options.onHandlerError?.(error);
        // No message body: errors may carry paths or patient data.
        return new Response('Internal Error', {
          status: 500,
          headers: { ...securityHeaders(), 'Content-Type': 'text/plain; charset=utf-8' },
        });
      }
    },
  };
}

/** Installs the router as the app:// handler of the default session. Call after app ready. */
export function handleAppProtocol(router: AppProtocolRouter): void {
  protocol.handle(APP_SCHEME, (request) => router.handle(request));
}

function notFound(): Response {
  return new Response('Not Found', {
    status: 404,
    headers: { ...securityHeaders(), 'Content-Type': 'text/plain; charset=utf-8' },
  });
}
