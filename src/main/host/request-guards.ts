/**
 * DNS-rebinding and cross-site defences for a server on loopback: a page on evil.example that
 * resolves its name to 127.0.0.1 still sends `Host: evil.example`, and a cross-site request
 * carries its own Origin. Both are refused before any route runs.
 */
export function allowedHosts(port: number): Set<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
}

export function allowedOrigins(port: number): Set<string> {
  return new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);
}

export function isAllowedHost(host: string | undefined, port: number): boolean {
  return host !== undefined && allowedHosts(port).has(host.toLowerCase());
}

/**
 * State-changing and socket requests must name our own origin; plain navigations (no Origin
 * header, e.g. typing the URL) are allowed only where `originRequired` is false.
 */
export function isAllowedOrigin(origin: string | undefined, port: number, originRequired: boolean): boolean {
  if (origin === undefined) return !originRequired;
  return allowedOrigins(port).has(origin.toLowerCase());
}

/** The request facts the framing check reads (node:http's IncomingMessage has them). */
export interface RequestFraming {
  url?: string;
  rawHeaders: readonly string[];
}

/**
 * Why a request is framed in a way no browser sends, or undefined when it is well framed. Only
 * origin-form targets ("/path?query") are accepted: an absolute-form target
 * ("http://127.0.0.1:PORT/api/…", a proxy's form) or a scheme-relative one ("//host/…") would make
 * the URL the host routes on disagree with the Host it checked. Exactly one Host header: with
 * two, node:http keeps the first and a proxy or cache in front may have read the second.
 */
export function framingProblem(req: RequestFraming): 'request-target' | 'host-count' | undefined {
  const target = req.url ?? '';
  if (!target.startsWith('/') || target.startsWith('//')) return 'request-target';
  let hosts = 0;
  for (let i = 0; i < req.rawHeaders.length; i += 2) if (req.rawHeaders[i]!.toLowerCase() === 'host') hosts += 1;
  return hosts === 1 ? undefined : 'host-count';
}
