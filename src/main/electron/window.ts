import { BrowserWindow, type Rectangle } from 'electron';
import { APP_ENTRY_URL } from './app-origin.ts';

export interface AppWindowOptions {
  preloadPath: string;
  title: string;
  /** Restored bounds from the settings store, if any. */
  bounds?: Rectangle;
  /** Development builds only (`!app.isPackaged`). */
  allowDevTools?: boolean;
}

/**
 * Creates the main window and loads the renderer from app://. The window stays hidden until
 * the first paint so a slow start never shows an empty white frame.
 *
 * The renderer is untrusted by construction (it renders text from hospital systems): it runs
 * sandboxed, isolated from the preload, without Node anywhere (workers and subframes included),
 * with web security on and every experimental or legacy surface off. Its only door to main is
 * the preload's typed API. The flags are written out literally here, at the app's only
 * BrowserWindow, so that a static scan (electronegativity, scripts/electronegativity.ts) can
 * verify them instead of taking a helper function on trust.
 */
export function createAppWindow(options: AppWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    title: options.title,
    width: options.bounds?.width ?? 1440,
    height: options.bounds?.height ?? 900,
    ...(options.bounds ? { x: options.bounds.x, y: options.bounds.y } : {}),
    minWidth: 960,
    minHeight: 600,
    show: false,
    backgroundColor: '#ffffff',
    webPreferences: {
      preload: options.preloadPath,
      // DevTools in a packaged build would let anyone at the keyboard script the patient API.
      devTools: options.allowDevTools ?? false,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      spellcheck: false,
      // Navigation by drag-and-drop would leave the app origin; nothing is ever dropped onto the UI.
      navigateOnDragDrop: false,
      safeDialogs: true,
    },
  });
  window.once('ready-to-show', () => window.show());
  return window;
}

/** Loads the renderer's entry page; the promise rejects if the page cannot be loaded. */
export function loadRenderer(window: BrowserWindow): Promise<void> {
  return window.loadURL(APP_ENTRY_URL);
}
