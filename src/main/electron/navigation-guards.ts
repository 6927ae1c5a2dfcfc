import { shell, type Session, type WebContents } from 'electron';
import { isAppUrl } from './app-origin.ts';

export interface ExternalLinkPolicy {
  /**
   * Whether a link may open in the system browser. Default: nothing may. A future setting can
   * allow e.g. a hospital's guideline site; only https is ever considered.
   */
  allowExternal?: (url: URL) => boolean;
}

/**
 * Keeps a webContents on the app origin: no navigation or redirect elsewhere (a compromised or
 * tricked renderer would otherwise load a remote page that still has the preload API), no new
 * windows, no <webview>. Applied to every webContents the app creates.
 */
export function guardWebContents(contents: WebContents, policy: ExternalLinkPolicy = {}): void {
  contents.on('will-navigate', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  // will-navigate only sees main-frame navigations started by the page; will-frame-navigate
  // sees subframes too.
  contents.on('will-frame-navigate', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    const external = externalLink(url, policy);
    if (external) void shell.openExternal(external.href);
    return { action: 'deny' };
  });
}

/**
 * Denies every permission request and check (camera, microphone, geolocation, notifications,
 * HID/USB/serial devices, …) and refuses downloads. The UI needs none of them; anything it
 * will need gets an explicit, reviewed exception here.
 */
export function guardSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.on('will-download', (event) => event.preventDefault());
}

function externalLink(url: string, policy: ExternalLinkPolicy): URL | undefined {
  if (!policy.allowExternal) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:' || parsed.username !== '' || parsed.password !== '') return undefined;
  return policy.allowExternal(parsed) ? parsed : undefined;
}
