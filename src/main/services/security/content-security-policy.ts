/**
 * The one Content-Security-Policy of Huizhen, sent as a response header by both hosts (the
 * Electron `app://` protocol and the loopback browser host), so the two can never drift.
 * No inline scripts or style tags anywhere; 'wasm-unsafe-eval' only because Cornerstone's
 * image codecs are WebAssembly. Keep this string byte-identical to ARCHITECTURE.md.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; connect-src 'self'; " +
  "img-src 'self' blob: data:; style-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; " +
  "form-action 'none'; frame-ancestors 'none'";

/**
 * Powerful features the clinician UI never needs. Denied at the header level as well as by the
 * Electron session's permission handlers, so the browser host is covered too.
 */
const DENIED_FEATURES = [
  'camera',
  'microphone',
  'geolocation',
  'display-capture',
  'usb',
  'serial',
  'hid',
  'midi',
  'payment',
  'publickey-credentials-get',
  'screen-wake-lock',
  'xr-spatial-tracking',
  'accelerometer',
  'gyroscope',
  'magnetometer',
] as const;

export const PERMISSIONS_POLICY = DENIED_FEATURES.map((feature) => `${feature}=()`).join(', ');

/**
 * Headers for every response either host sends, errors included: a 404 page without a CSP is
 * still a document an attacker could frame or sniff.
 */
export function securityHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Permissions-Policy': PERMISSIONS_POLICY,
  };
}

/**
 * Returns `response` with the security headers set wherever the handler did not set them itself.
 * Used for responses of mounted handlers (e.g. the DICOMweb proxy) whose headers may be
 * immutable, hence the copy.
 */
export function withSecurityHeaders(response: Response): Response {
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(securityHeaders())) {
    if (!headers.has(name)) headers.set(name, value);
  }
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
