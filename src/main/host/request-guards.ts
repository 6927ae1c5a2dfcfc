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
