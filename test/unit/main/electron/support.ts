import { vi } from 'vitest';
import { runDesktopShell, type DesktopShellDependencies } from '../../../../src/main/electron/desktop-shell.ts';
import { createSettingsStore } from '../../../../src/main/electron/settings-store.ts';
import { HuizhenConfigSchema, type HuizhenConfig } from '../../../../src/shared/config/schema.ts';
import { app, FakeBrowserWindow } from '../../../fakes/electron.ts';
import type { fakeBackend } from '../host/fake-backend.ts';

export { demoStatus, fakeBackend } from '../host/fake-backend.ts';

/** Casts a fake to the Electron type a function under test declares; tests only. */
export function asElectron<T>(fake: object): T {
  return fake as T;
}

/** A configuration with one source: enough for the shell to start. */
export const shellTestConfig: HuizhenConfig = HuizhenConfigSchema.parse({
  hospital: 'Demo',
  sources: [
    {
      id: 'his-main',
      name: 'HIS',
      kind: 'fhir',
      baseUrl: 'http://127.0.0.1:1/fhir',
      resilience: { timeoutMs: 1000, retries: 0, slowMs: 500 },
    },
  ],
});

/** What main.ts passes to runDesktopShell, with fakes: the backend, a config, settings in memory. */
export function shellDependencies(
  backend: ReturnType<typeof fakeBackend>['backend'],
  overrides: Partial<DesktopShellDependencies> = {},
): DesktopShellDependencies {
  return {
    loadConfigFile: async () => shellTestConfig,
    createWorkstation: async () => backend,
    openSettings: () => createSettingsStore({ read: () => ({}), write: () => {} }),
    appDir: '/opt/huizhen/app.asar',
    argv: ['huizhen', '--config', '/etc/huizhen.yaml'],
    env: {},
    cwd: '/',
    log: () => {},
    ...overrides,
  };
}

/**
 * Runs the real shell against the fake Electron up to its first window, as a clinician's start
 * would: before-ready setup, ready, config, workstation, protocol, IPC, window.
 */
export async function startShell(backend: ReturnType<typeof fakeBackend>['backend']): Promise<FakeBrowserWindow> {
  runDesktopShell(shellDependencies(backend));
  app.markReady();
  await vi.waitFor(() => {
    if (FakeBrowserWindow.created.length === 0) throw new Error('no window yet');
  });
  const window = FakeBrowserWindow.created[0]!;
  await vi.waitFor(() => {
    if (window.webContents.getURL() === 'about:blank') throw new Error('renderer not loaded yet');
  });
  return window;
}
