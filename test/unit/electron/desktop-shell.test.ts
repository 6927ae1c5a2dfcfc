import { beforeEach, describe, expect, it, vi } from 'vitest';
import { runDesktopShell, type DesktopShellDependencies } from '../../../src/main/electron/desktop-shell.ts';
import { KeyProtectionError } from '../../../src/main/services/security/index.ts';
import { apiMethods, ipcChannel } from '../../../src/shared/api/contract.ts';
import { app, dialog, FakeBrowserWindow, ipcMain, protocol, resetFakeElectron, session } from '../../fakes/electron.ts';
import { fakeBackend, shellDependencies } from './support.ts';

let backendFake: ReturnType<typeof fakeBackend>;

function deps(overrides: Partial<DesktopShellDependencies> = {}): DesktopShellDependencies {
  return shellDependencies(backendFake.backend, overrides);
}

beforeEach(() => {
  resetFakeElectron();
  backendFake = fakeBackend();
});

describe('before ready', () => {
  it('enables the sandbox for all renderers and registers the app scheme', () => {
    runDesktopShell(deps());
    expect(app.sandboxEnabled).toBe(true);
    expect(protocol.privileged.map((p) => p.scheme)).toEqual(['app']);
  });

  it('quits at once when another instance holds the lock', () => {
    app.hasSingleInstanceLock = false;
    runDesktopShell(deps());
    expect(app.quitCalls).toBe(1);
    expect(app.listenerCount('web-contents-created')).toBe(0);
  });

  it('never overrides certificate errors', () => {
    runDesktopShell(deps());
    expect(app.listenerCount('certificate-error')).toBe(0);
  });
});

describe('startup', () => {
  it('wires protocol, session guards, IPC and a guarded window', async () => {
    runDesktopShell(deps());
    app.markReady();
    await vi.waitFor(() => expect(FakeBrowserWindow.created).toHaveLength(1));

    expect(protocol.isProtocolHandled('app')).toBe(true);
    expect(session.defaultSession.permissionRequestHandler).toBeTypeOf('function');
    expect(session.defaultSession.permissionCheckHandler).toBeTypeOf('function');
    expect([...ipcMain.handlers.keys()].sort()).toEqual(apiMethods.map(ipcChannel).sort());

    const window = FakeBrowserWindow.created[0]!;
    expect(window.options.webPreferences).toMatchObject({
      preload: '/opt/huizhen/app.asar/dist/electron/preload.cjs',
      sandbox: true,
      devTools: false,
    });
    await vi.waitFor(() => expect(window.webContents.getURL()).toBe('app://huizhen/index.html'));
    // Guarded through 'web-contents-created', like any webContents the app gets.
    expect(window.webContents.windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(window.webContents.emitCancellable('will-navigate', { url: 'https://evil.example/' }).defaultPrevented).toBe(true);

    const reply = await ipcMain.invoke(ipcChannel('listSources'), { sender: window.webContents }, {});
    expect(reply).toMatchObject({ ok: true });
    expect(dialog.errorBoxes).toEqual([]);
  });

  it('shows a clear dialog, opens no window and exits when no configuration is given', async () => {
    runDesktopShell(deps({ argv: ['huizhen'] }));
    app.markReady();
    await vi.waitFor(() => expect(dialog.errorBoxes).toHaveLength(1));
    expect(dialog.errorBoxes[0]?.content).toMatch(/--config/);
    expect(FakeBrowserWindow.created).toHaveLength(0);
    expect(app.exitCode).toBe(1);
  });

  it('maps a workstation failure to its dialog instead of a blank window', async () => {
    runDesktopShell(
      deps({
        createWorkstation: async () => {
          throw new KeyProtectionError('insecure-backend', 'safeStorage:basic_text', 'no keyring');
        },
      }),
    );
    app.markReady();
    await vi.waitFor(() => expect(dialog.errorBoxes).toHaveLength(1));
    expect(dialog.errorBoxes[0]?.title).toMatch(/key store/);
    expect(FakeBrowserWindow.created).toHaveLength(0);
  });
});

describe('renderer crashes', () => {
  it('reload the window a few times, then close it with a dialog', async () => {
    runDesktopShell(deps());
    app.markReady();
    await vi.waitFor(() => expect(FakeBrowserWindow.created).toHaveLength(1));
    const window = FakeBrowserWindow.created[0]!;
    for (let i = 0; i < 4; i++) window.webContents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 1 });
    expect(window.webContents.reloads).toBe(3);
    expect(dialog.errorBoxes).toHaveLength(1);
    expect(window.isDestroyed()).toBe(true);
  });
});

describe('shutdown', () => {
  it('closes the workstation once before quitting, and unregisters IPC', async () => {
    runDesktopShell(deps());
    app.markReady();
    await vi.waitFor(() => expect(FakeBrowserWindow.created).toHaveLength(1));

    FakeBrowserWindow.created[0]!.close();
    app.emit('window-all-closed');
    await vi.waitFor(() => expect(app.quitCalls).toBe(2));
    expect(backendFake.backend.closed).toBe(1);
    expect(ipcMain.handlers.size).toBe(0);
  });
});
