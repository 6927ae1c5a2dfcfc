import { shell, type Session, type WebContents } from 'electron';
import { isAppUrl } from './app-origin.ts';
import { LOOPBACK_HOSTS } from '../../shared/config/auth.ts';

export interface ExternalLinkPolicy {
  /**
   * Whether a link may open in the system browser. Default: nothing may. A future setting can
   * allow e.g. a hospital's guideline site; only https is ever considered.
   */
  allowExternal?: (url: URL) => boolean;
  /**
   * Also consider plain http to a loopback host (RFC 8252 §8.3): an identity provider on this
   * machine, such as the demo hospital's, has no certificate. Never http to any other host.
   */
  allowLoopbackHttp?: boolean;
}

/**
 * The app's only door to shell.openExternal: opens `url` in the system browser if it parses, is
 * https (or loopback http where allowed), carries no credentials and the policy admits it.
 * Returns whether it opened; never throws on a malformed URL.
 */
export function openExternalIfAllowed(url: string, policy: ExternalLinkPolicy): boolean {
  const external = externalLink(url, policy);
  if (external) void shell.openExternal(external.href);
  return external !== undefined;
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
    openExternalIfAllowed(url, policy);
    return { action: 'deny' };
  });
}

const guardedSessions = new WeakSet<Session>();

/**
 * The one reviewed exception to "no downloads": a file the app's own page made (a `blob:` URL of
 * the app origin — a result's PDF attachment, the console's CSV), saved where the user chooses in
 * the save dialog Electron shows. Anything fetched from elsewhere (http(s), file:, data:, another
 * origin's blob) stays refused: a tricked renderer cannot make the workstation fetch and store it.
 */
export function isAppMadeDownload(url: string): boolean {
  return url.startsWith('blob:') && isAppUrl(url.slice('blob:'.length));
}

interface DownloadItemLike {
  getURL(): string;
}

/**
 * Denies every permission request and check (camera, microphone, geolocation, notifications,
 * HID/USB/serial devices, …) and refuses downloads but the app's own files (isAppMadeDownload).
 * The UI needs none of the rest; anything it will need gets an explicit, reviewed exception here.
 * Applied to every session Electron creates, not only the default one, so a webContents given
 * another partition is no way around it.
 */
export function guardSession(session: Session): void {
  // The default session is guarded explicitly at startup and may also arrive through
  // 'session-created'; listeners are added once.
  if (guardedSessions.has(session)) return;
  guardedSessions.add(session);
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.on('will-download', (event, item: DownloadItemLike | undefined) => {
    let url = '';
    try {
      url = item?.getURL() ?? '';
    } catch {
      // An item without its URL is refused like any other.
    }
    if (!isAppMadeDownload(url)) event.preventDefault();
  });
}

function externalLink(url: string, policy: ExternalLinkPolicy): URL | undefined {
  if (!policy.allowExternal) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const secure =
    parsed.protocol === 'https:' ||
    (policy.allowLoopbackHttp === true && parsed.protocol === 'http:' && LOOPBACK_HOSTS.has(parsed.hostname));
  if (!secure || parsed.username !== '' || parsed.password !== '') return undefined;
  return policy.allowExternal(parsed) ? parsed : undefined;
}
