import type { Session, WebContents } from 'electron';
import { beforeEach, describe, expect, it } from 'vitest';
import { guardSession, guardWebContents, openExternalIfAllowed } from '../../../../src/main/electron/navigation-guards.ts';
import { fakeEvent, FakeWebContents, resetFakeElectron, session, shell } from '../../../fakes/electron.ts';
import { asElectron } from './support.ts';

let contents: FakeWebContents;

beforeEach(() => {
  resetFakeElectron();
  contents = new FakeWebContents();
});

describe('guardWebContents', () => {
  beforeEach(() => guardWebContents(asElectron<WebContents>(contents)));

  it.each(['will-navigate', 'will-frame-navigate', 'will-redirect'])('%s: blocks other origins, allows the app', (name) => {
    for (const url of [
      'https://evil.example/',
      'http://127.0.0.1:8080/',
      'file:///etc/passwd',
      'app://other/index.html',
      'app://huizhen:99/index.html',
      'app://user@huizhen/index.html',
      'javascript:alert(1)',
      'not a url',
    ]) {
      expect(contents.emitCancellable(name, { url }).defaultPrevented, url).toBe(true);
    }
    expect(contents.emitCancellable(name, { url: 'app://huizhen/index.html#/patient/1' }).defaultPrevented).toBe(false);
  });

  it('denies window.open and opens nothing externally by default', () => {
    expect(contents.windowOpenHandler?.({ url: 'https://example.org/' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler?.({ url: 'app://huizhen/index.html' })).toEqual({ action: 'deny' });
    expect(shell.opened).toEqual([]);
  });

  it('prevents attaching a <webview>', () => {
    expect(contents.emitCancellable('will-attach-webview', {}, {}, {}).defaultPrevented).toBe(true);
  });
});

describe('external links, when explicitly allowed', () => {
  it('open only allowed https links in the system browser, and still deny the window', () => {
    guardWebContents(asElectron<WebContents>(contents), {
      allowExternal: (url) => url.hostname === 'guidelines.example.cn',
    });
    const open = (url: string) => contents.windowOpenHandler?.({ url });
    expect(open('https://guidelines.example.cn/a')).toEqual({ action: 'deny' });
    expect(open('http://guidelines.example.cn/a')).toEqual({ action: 'deny' });
    expect(open('https://user:pw@guidelines.example.cn/a')).toEqual({ action: 'deny' });
    expect(open('https://evil.example/')).toEqual({ action: 'deny' });
    expect(open('file:///etc/passwd')).toEqual({ action: 'deny' });
    expect(shell.opened).toEqual(['https://guidelines.example.cn/a']);
  });
});

describe('openExternalIfAllowed (the sign-in page of the identity provider)', () => {
  const idp = { allowExternal: (url: URL) => url.origin === 'https://idp.hospital.example', allowLoopbackHttp: true };

  it('opens only the allowed origin, over https or loopback http, and never throws', () => {
    expect(openExternalIfAllowed('https://idp.hospital.example/authorize?state=1', idp)).toBe(true);
    expect(openExternalIfAllowed('https://evil.example/authorize', idp)).toBe(false);
    expect(openExternalIfAllowed('https://user:pw@idp.hospital.example/', idp)).toBe(false);
    expect(openExternalIfAllowed('not a url', idp)).toBe(false);
    expect(openExternalIfAllowed('file:///etc/passwd', { ...idp, allowExternal: () => true })).toBe(false);
    expect(shell.opened).toEqual(['https://idp.hospital.example/authorize?state=1']);
  });

  it('accepts plain http only to loopback, and only when asked', () => {
    const demo = { allowExternal: (url: URL) => url.port === '4000', allowLoopbackHttp: true };
    expect(openExternalIfAllowed('http://127.0.0.1:4000/auth', demo)).toBe(true);
    expect(openExternalIfAllowed('http://10.0.0.5:4000/auth', demo)).toBe(false);
    expect(openExternalIfAllowed('http://127.0.0.1:4000/auth', { allowExternal: demo.allowExternal })).toBe(false);
    expect(shell.opened).toEqual(['http://127.0.0.1:4000/auth']);
  });
});

describe('guardSession', () => {
  beforeEach(() => guardSession(asElectron<Session>(session.defaultSession)));

  it('denies every permission request', () => {
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'fullscreen', 'openExternal']) {
      let granted: boolean | undefined;
      const handler = session.defaultSession.permissionRequestHandler as unknown as (
        wc: unknown,
        permission: string,
        callback: (granted: boolean) => void,
        details: unknown,
      ) => void;
      handler(contents, permission, (g) => (granted = g), {});
      expect(granted, permission).toBe(false);
    }
  });

  it('answers every permission check and device request with no', () => {
    const check = session.defaultSession.permissionCheckHandler as unknown as (...args: unknown[]) => boolean;
    const device = session.defaultSession.devicePermissionHandler as unknown as (...args: unknown[]) => boolean;
    expect(check(contents, 'media', 'app://huizhen', {})).toBe(false);
    expect(check(null, 'hid', 'app://huizhen', {})).toBe(false);
    expect(device({ deviceType: 'usb', origin: 'app://huizhen' })).toBe(false);
  });

  it('guards a session once, however often it is handed over (startup and session-created)', () => {
    guardSession(asElectron<Session>(session.defaultSession));
    expect(session.defaultSession.listenerCount('will-download')).toBe(1);
  });

  it('cancels downloads, but a file the app’s own page made (a blob: of the app origin: a PDF attachment, a CSV)', () => {
    const downloaded = (url: string | undefined) => {
      const event = fakeEvent();
      session.defaultSession.emit('will-download', event, url === undefined ? {} : { getURL: () => url }, contents);
      return !event.defaultPrevented;
    };
    expect(downloaded(undefined)).toBe(false);
    expect(downloaded('https://evil.example/payload.exe')).toBe(false);
    expect(downloaded('http://127.0.0.1:8080/anything')).toBe(false);
    expect(downloaded('file:///etc/passwd')).toBe(false);
    expect(downloaded('data:application/octet-stream;base64,AAAA')).toBe(false);
    expect(downloaded('blob:https://evil.example/7f1c2a9e-0000-4000-8000-000000000000')).toBe(false);
    expect(downloaded('blob:app://evil/7f1c2a9e-0000-4000-8000-000000000000')).toBe(false);
    expect(downloaded('blob:app://huizhen/7f1c2a9e-0000-4000-8000-000000000000')).toBe(true);
  });
});
