/**
 * Electron's security checklist (docs/tutorial/security.md, "Checklist: Security
 * Recommendations"), item by item, asserted against the real shell running on the fake Electron:
 * one `it` per item, numbered as in the checklist. Detailed cases live beside the code they test
 * (window, navigation-guards, ipc, app-protocol, preload, electron-fuses tests); this file is the
 * audit view that proves each recommendation holds for the app as it starts.
 */
import { EventEmitter } from 'node:events';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { FuseV1Options } from '@electron/fuses';
import type { Session } from 'electron';
import { beforeEach, describe, expect, it } from 'vitest';
import { electronFuseConfig } from '../../../../build/electron-fuses.ts';
import { APP_ENTRY_URL } from '../../../../src/main/electron/app-origin.ts';
import { createAppProtocolRouter } from '../../../../src/main/electron/app-protocol.ts';
import { CONTENT_SECURITY_POLICY } from '../../../../src/main/services/security/content-security-policy.ts';
import { ipcChannel } from '../../../../src/shared/api/contract.ts';
import {
  app,
  contextBridge,
  FakeWebContents,
  FakeWebFrameMain,
  ipcMain,
  ipcRenderer,
  protocol,
  resetFakeElectron,
  session,
  shell,
} from '../../../fakes/electron.ts';
import type { FakeBrowserWindow } from '../../../fakes/electron.ts';
import { fakeBackend, startShell } from './support.ts';

const projectDir = path.resolve(import.meta.dirname, '../../../..');

/**
 * The oldest Electron major still receiving security fixes: Electron supports the latest three
 * stable majors. Checked when 45 was current; raise it as new majors ship.
 */
const OLDEST_SUPPORTED_ELECTRON_MAJOR = 43;

let backendFake: ReturnType<typeof fakeBackend>;
let window: FakeBrowserWindow;
let prefs: Record<string, unknown>;

beforeEach(async () => {
  resetFakeElectron();
  backendFake = fakeBackend();
  window = await startShell(backendFake.backend);
  prefs = window.options.webPreferences as Record<string, unknown>;
});

/** A webContents Electron creates after startup (a popup, a devtools page, a webview guest). */
function laterWebContents(): FakeWebContents {
  const contents = new FakeWebContents();
  app.emit('web-contents-created', {}, contents);
  return contents;
}

function cspDirectives(csp: string): Map<string, string[]> {
  return new Map(
    csp.split(';').map((part) => {
      const [name = '', ...sources] = part.trim().split(/\s+/);
      return [name, sources];
    }),
  );
}

type PermissionRequestHandler = (wc: unknown, permission: string, callback: (granted: boolean) => void, details: unknown) => void;

describe('Electron security checklist', () => {
  it('1. only loads secure content: app:// is a secure scheme, the CSP allows no network origin, certificates are never overridden', async () => {
    expect(window.webContents.getURL()).toBe(APP_ENTRY_URL);
    expect(protocol.privileged).toEqual([
      expect.objectContaining({ scheme: 'app', privileges: expect.objectContaining({ secure: true }) }),
    ]);
    for (const [directive, sources] of cspDirectives(CONTENT_SECURITY_POLICY)) {
      for (const source of sources) expect(source, directive).toMatch(/^('self'|'none'|'wasm-unsafe-eval'|blob:|data:)$/);
    }
    expect(app.listenerCount('certificate-error')).toBe(0);
  });

  it('2. gives no Node integration to any content: not the page, its workers or its frames', () => {
    expect(prefs).toMatchObject({ nodeIntegration: false, nodeIntegrationInWorker: false, nodeIntegrationInSubFrames: false });
  });

  it("3. isolates the preload's world from the page (contextIsolation)", async () => {
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.preload).toMatch(/dist\/electron\/preload\.cjs$/);
  });

  it('4. sandboxes every renderer process (app.enableSandbox before ready, sandbox: true)', () => {
    expect(app.sandboxEnabled).toBe(true);
    expect(prefs.sandbox).toBe(true);
  });

  it('5. handles permission requests (and checks, and device requests) in every session: all denied', () => {
    const sessions = [session.defaultSession, newSession()];
    app.emit('session-created', sessions[1]);
    for (const guarded of sessions) {
      const request = guarded.permissionRequestHandler as unknown as PermissionRequestHandler;
      for (const permission of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read']) {
        let granted: boolean | undefined;
        request(window.webContents, permission, (g) => (granted = g), {});
        expect(granted, permission).toBe(false);
      }
      expect((guarded.permissionCheckHandler as unknown as (...args: unknown[]) => boolean)(null, 'hid', 'app://huizhen', {})).toBe(false);
      expect((guarded.devicePermissionHandler as unknown as (...args: unknown[]) => boolean)({ deviceType: 'usb' })).toBe(false);
    }
  });

  it('6. keeps webSecurity on', () => {
    expect(prefs.webSecurity).toBe(true);
  });

  it('7. sends a strict Content-Security-Policy header on every app:// response, errors and mounted handlers included', async () => {
    const csp = cspDirectives(CONTENT_SECURITY_POLICY);
    expect(csp.get('default-src')).toEqual(["'none'"]);
    expect(csp.get('script-src')).not.toContain("'unsafe-inline'");
    expect(csp.get('script-src')).not.toContain("'unsafe-eval'");
    for (const directive of ['object-src', 'base-uri', 'form-action', 'frame-ancestors'])
      expect(csp.get(directive), directive).toEqual(["'none'"]);

    // From the shell's own handler (the renderer folder does not exist here: a 404, still with the CSP).
    const page = await protocol.fetch('app://huizhen/index.html');
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    // A mounted Fetch handler (the DICOMweb proxy) and a failing one get it too.
    const router = createAppProtocolRouter({ rendererDir: '/nonexistent' });
    router.mount('/dicom-web/', () => new Response('{}', { headers: { 'content-type': 'application/dicom+json' } }));
    router.mount('/broken/', () => {
      throw new Error('boom');
    });
    for (const url of ['app://huizhen/dicom-web/studies', 'app://huizhen/broken/x', 'app://elsewhere/x']) {
      expect((await router.handle(new Request(url))).headers.get('content-security-policy'), url).toBe(CONTENT_SECURITY_POLICY);
    }
  });

  it('8. never allows running insecure content', () => {
    expect(prefs.allowRunningInsecureContent).toBe(false);
  });

  it('9. leaves experimental features off', () => {
    expect(prefs.experimentalFeatures).toBe(false);
  });

  it('10. enables no Blink features', () => {
    expect(prefs).not.toHaveProperty('enableBlinkFeatures');
  });

  it('11. has no <webview allowpopups>: the tag is disabled and the renderer source uses neither', async () => {
    expect(prefs.webviewTag).toBe(false);
    const rendererDir = path.join(projectDir, 'src/renderer');
    const files = (await readdir(rendererDir, { recursive: true })).filter((f) => /\.(tsx?|html)$/.test(f));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const text = await readFile(path.join(rendererDir, file), 'utf8');
      expect(text, file).not.toMatch(/allowpopups|<webview/i);
    }
  });

  it('12. refuses to attach any <webview>, whatever options it asks for, in every webContents', () => {
    for (const contents of [window.webContents, laterWebContents()]) {
      const webPreferences = { nodeIntegration: true, preload: '/tmp/evil.js' };
      const event = contents.emitCancellable('will-attach-webview', {}, webPreferences, { src: 'https://evil.example/' });
      expect(event.defaultPrevented).toBe(true);
    }
  });

  it('13. limits navigation to the app origin in every webContents', () => {
    for (const contents of [window.webContents, laterWebContents()]) {
      for (const name of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
        expect(contents.emitCancellable(name, { url: 'https://evil.example/' }).defaultPrevented, name).toBe(true);
        expect(contents.emitCancellable(name, { url: 'file:///etc/passwd' }).defaultPrevented, name).toBe(true);
        expect(contents.emitCancellable(name, { url: 'app://huizhen/index.html#/labs' }).defaultPrevented, name).toBe(false);
      }
    }
  });

  it('14. denies every new window, from every webContents', () => {
    for (const contents of [window.webContents, laterWebContents()]) {
      for (const url of ['https://evil.example/', 'app://huizhen/index.html', 'about:blank']) {
        expect(contents.windowOpenHandler?.({ url }), url).toEqual({ action: 'deny' });
      }
    }
  });

  it('15. never passes untrusted content to shell.openExternal (the shell allows no external link)', () => {
    for (const url of ['https://guidelines.example.cn/', 'file:///etc/passwd', 'smb://evil/share', 'javascript:alert(1)']) {
      window.webContents.windowOpenHandler?.({ url });
    }
    expect(shell.opened).toEqual([]);
  });

  it('16. uses a current Electron (a major still receiving security fixes)', async () => {
    const installed = JSON.parse(await readFile(path.join(projectDir, 'node_modules/electron/package.json'), 'utf8')) as {
      version: string;
    };
    expect(Number(installed.version.split('.')[0])).toBeGreaterThanOrEqual(OLDEST_SUPPORTED_ELECTRON_MAJOR);
    const manifest = JSON.parse(await readFile(path.join(projectDir, 'package.json'), 'utf8')) as {
      devDependencies: Record<string, string>;
    };
    // A caret range on a supported major: updates within it arrive with npm update, never a downgrade.
    expect(manifest.devDependencies.electron).toMatch(/^\^\d+\.\d+\.\d+$/);
    expect(Number(manifest.devDependencies.electron?.slice(1).split('.')[0])).toBeGreaterThanOrEqual(OLDEST_SUPPORTED_ELECTRON_MAJOR);
  });

  it('17. validates the sender of every IPC message: only the main frame of an app window on the app origin', async () => {
    const channel = ipcChannel('listSources');
    expect(await ipcMain.invoke(channel, { sender: window.webContents }, {})).toMatchObject({ ok: true });
    const subframe = new FakeWebFrameMain(APP_ENTRY_URL, window.webContents.mainFrame);
    const stranger = laterWebContents();
    await stranger.loadURL(APP_ENTRY_URL);
    const refusals = [
      await ipcMain.invoke(channel, { sender: window.webContents, senderFrame: subframe }, {}),
      await ipcMain.invoke(channel, { sender: window.webContents, senderFrame: null }, {}),
      await ipcMain.invoke(channel, { sender: stranger }, {}),
    ];
    await window.webContents.loadURL('https://evil.example/');
    refusals.push(await ipcMain.invoke(channel, { sender: window.webContents }, {}));
    for (const reply of refusals) expect(reply).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(backendFake.calls).toHaveLength(1);
  });

  it('18. serves the app from a custom protocol, not file://, with path containment', async () => {
    expect(new URL(window.webContents.getURL()).protocol).toBe('app:');
    expect(electronFuseConfig[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(false);
    expect(protocol.isProtocolHandled('file')).toBe(false);
    const escape = await protocol.fetch('app://huizhen/%2e%2e/%2e%2e/etc/passwd');
    expect(escape.status).toBe(404);
  });

  it('19. flips the fuses: no run-as-node, NODE_OPTIONS or inspect; cookie encryption, asar integrity and asar-only on', () => {
    expect(electronFuseConfig).toMatchObject({
      strictlyRequireAllFuses: true,
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.EnableCookieEncryption]: true,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: false,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
      [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
    });
  });

  it('20. exposes no Electron API to the page: one frozen object of plain functions, never ipcRenderer', async () => {
    await import('../../../../src/preload/preload.ts');
    expect([...contextBridge.exposed.keys()]).toEqual(['huizhen']);
    const api = contextBridge.exposed.get('huizhen') as Record<string, unknown>;
    expect(Object.isFrozen(api)).toBe(true);
    const electronParts: unknown[] = [ipcRenderer, ipcRenderer.invoke, ipcRenderer.send, ipcRenderer.on, ipcRenderer.removeListener];
    for (const [name, value] of Object.entries(api)) {
      expect(typeof value, name).toBe('function');
      expect(electronParts, name).not.toContain(value);
    }
  });
});

/** A session other than the default one, as a webContents with its own partition would get. */
function newSession(): typeof session.defaultSession {
  const created = Object.assign(new EventEmitter(), {
    permissionRequestHandler: undefined as unknown,
    permissionCheckHandler: undefined as unknown,
    devicePermissionHandler: undefined as unknown,
    setPermissionRequestHandler(handler: unknown) {
      created.permissionRequestHandler = handler;
    },
    setPermissionCheckHandler(handler: unknown) {
      created.permissionCheckHandler = handler;
    },
    setDevicePermissionHandler(handler: unknown) {
      created.devicePermissionHandler = handler;
    },
  });
  return created as unknown as typeof session.defaultSession & Session;
}
