import path from 'node:path';
import { app, dialog, session, type BrowserWindow } from 'electron';
import type { HuizhenConfig } from '../../shared/config/schema.ts';
import type { ApiBackend } from '../services/api/index.ts';
import { createAppProtocolRouter, handleAppProtocol, registerAppSchemePrivileges, type AppProtocolRouter } from './app-protocol.ts';
import { configPathFrom } from './config-path.ts';
import { registerApiIpc } from './ipc.ts';
import { guardSession, guardWebContents } from './navigation-guards.ts';
import type { SettingsStore } from './settings-store.ts';
import { describeStartupError, MissingConfigError } from './startup-errors.ts';
import { createAppWindow, loadRenderer } from './window.ts';

/** Renderer crashes reloaded automatically per window before giving up. */
const MAX_RENDERER_RELOADS = 3;

/** The API behind the desktop window, as the shell runs it: it answers and, on quit, closes. */
export type DesktopBackend = ApiBackend & { close(): Promise<void> };

/** What the shell needs from outside; main.ts passes the real ones, tests pass fakes. */
export interface DesktopShellDependencies {
  loadConfigFile(configPath: string): Promise<HuizhenConfig>;
  createWorkstation(config: HuizhenConfig): Promise<DesktopBackend>;
  openSettings(): SettingsStore;
  /** Folder holding dist/electron and dist-renderer: app.getAppPath() when packaged. */
  appDir: string;
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Mounts Fetch handlers (e.g. the DICOMweb proxy at /dicom-web/) once the workstation exists. */
  mountHandlers?: (router: AppProtocolRouter, workstation: DesktopBackend) => void;
  log?: (message: string, error?: unknown) => void;
}

/**
 * The app lifecycle, and nothing else: privileges and sandbox before ready, one instance, guards
 * on every webContents and the session, then config → workstation → protocol → IPC → window.
 * Any startup failure ends in a dialog that says what went wrong, never in a blank window.
 */
export function runDesktopShell(deps: DesktopShellDependencies): void {
  const log = deps.log ?? ((message, error) => console.error(`[huizhen] ${message}`, error ?? ''));

  // Both must happen before ready: sandbox for every renderer (not only those that ask), and the
  // app:// privileges, which Electron accepts only then.
  app.enableSandbox();
  registerAppSchemePrivileges();

  if (!app.requestSingleInstanceLock()) {
    // Another Huizhen runs (it gets 'second-instance' and comes to the front); two processes
    // would fight over the cache files.
    app.quit();
    return;
  }

  const appWindows = new Set<BrowserWindow>();
  let workstation: DesktopBackend | undefined;
  let disposeIpc: (() => void) | undefined;
  let started = false;
  let quitting = false;

  const focusMainWindow = () => {
    const [window] = appWindows;
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  };

  const openWindow = (settings: SettingsStore) => {
    const { windowBounds } = settings.get();
    const window = createAppWindow({
      preloadPath: path.join(deps.appDir, 'dist', 'electron', 'preload.cjs'),
      title: 'Huizhen 汇诊',
      allowDevTools: !app.isPackaged,
      ...(windowBounds ? { bounds: windowBounds } : {}),
    });
    appWindows.add(window);
    window.on('close', () => {
      try {
        settings.update({ windowBounds: window.getNormalBounds() });
      } catch (error) {
        // An odd window size must never keep the window from closing.
        log('could not save the window bounds', error);
      }
    });
    window.on('closed', () => appWindows.delete(window));
    let crashes = 0;
    window.webContents.on('render-process-gone', (_event, details) => {
      log(`renderer process gone (${details.reason})`);
      if (window.isDestroyed() || details.reason === 'clean-exit') return;
      // Reload after a crash, but not in a loop: a renderer that keeps dying gets a dialog.
      if (++crashes <= MAX_RENDERER_RELOADS) {
        window.webContents.reload();
        return;
      }
      dialog.showErrorBox('Huizhen stopped working', 'The window crashed repeatedly and was closed. Start Huizhen again.');
      window.close();
    });
    loadRenderer(window).catch((error: unknown) => failStartup(error));
    return window;
  };

  const start = async () => {
    const configPath = configPathFrom(deps.argv, deps.env, deps.cwd);
    if (configPath === undefined) throw new MissingConfigError();

    guardSession(session.defaultSession);
    const router = createAppProtocolRouter({
      rendererDir: path.join(deps.appDir, 'dist-renderer'),
      onHandlerError: (error) => log('app:// handler failed', error),
    });
    handleAppProtocol(router);

    const config = await deps.loadConfigFile(configPath);
    workstation = await deps.createWorkstation(config);
    deps.mountHandlers?.(router, workstation);
    disposeIpc = registerApiIpc({
      backend: workstation,
      appWebContents: () => [...appWindows].filter((w) => !w.isDestroyed()).map((w) => w.webContents),
      onInternalError: (method, error) => log(`${method} failed`, error),
    });

    const settings = deps.openSettings();
    openWindow(settings);
    app.on('activate', () => {
      // macOS: clicking the dock icon with no window open brings one back.
      if (appWindows.size === 0) openWindow(settings);
    });
    started = true;
  };

  const failStartup = (error: unknown) => {
    log('startup failed', error);
    const { title, message } = describeStartupError(error);
    dialog.showErrorBox(title, message);
    quitting = true;
    // Exit without waiting for workstation.close(): a half-started core may hang there, and the
    // cache's writes are atomic, so nothing is lost by not flushing.
    app.exit(1);
  };

  app.on('second-instance', focusMainWindow);
  // Every webContents, including any the app did not mean to create, gets the navigation guards,
  // and every session (another partition included) the permission guards.
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents));
  app.on('session-created', (created) => guardSession(created));
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin' || !started) app.quit();
  });
  app.on('before-quit', (event) => {
    // Close the workstation (flush cache and audit log) before the process goes away.
    if (quitting || !workstation) return;
    event.preventDefault();
    quitting = true;
    disposeIpc?.();
    workstation
      .close()
      .catch((error: unknown) => log('closing the workstation failed', error))
      .finally(() => app.quit());
  });

  app.whenReady().then(start).catch(failStartup);
}
