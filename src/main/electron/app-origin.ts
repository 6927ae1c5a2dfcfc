/**
 * The renderer's origin. A privileged standard scheme rather than file:// so that the page has
 * a real origin ('self' in the CSP means something, fetch and workers work) and file:// keeps
 * no special powers (the GrantFileProtocolExtraPrivileges fuse is off).
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'huizhen';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * True only for URLs of the app's own origin. Compares scheme and host instead of `URL.origin`,
 * because Node's WHATWG parser reports the origin of any non-special scheme such as app:// as
 * "null"; credentials and ports are refused outright since the app never uses them.
 */
export function isAppUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (
    parsed.protocol === `${APP_SCHEME}:` &&
    parsed.hostname === APP_HOST &&
    parsed.port === '' &&
    parsed.username === '' &&
    parsed.password === ''
  );
}
